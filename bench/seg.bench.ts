/**
 * SEG benchmark: encode and store time and peak memory for a synthetic
 * 300-slice 512 x 512 CT series with a 60-slice lesion, for our writer and,
 * beside it, the host viewer's own exporter (@cornerstonejs/adapters
 * generateSegmentation, as OHIF's dicom-seg extension calls it).
 *
 * Each measurement runs in its own Node process, so one allocator's history
 * does not colour the next; a worker thread samples the process RSS every
 * few milliseconds to catch the peak while the main thread is busy. Times are
 * printed, never asserted. Run: node scripts/bench-seg.mjs; with `--json`
 * (the bundle run directly) it adds one BENCH_ROW line per figure at the end.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { data } from 'dcmjs';
import type { SeriesGeometry, SourceImage } from '../extension/src/core/dicom/seriesGeometry';
import { createUID } from '../extension/src/core/seg/createUID';
import { readSeg } from '../extension/src/core/seg/readSeg';
import { SegmentCategory, SegmentType } from '../extension/src/core/seg/segCodes';
import { storeSeg } from '../extension/src/core/seg/storeSeg';
import { writeSeg } from '../extension/src/core/seg/writeSeg';
import { printBenchRows, wantsBenchRows } from './benchRow';
import { createSegBenchRows } from './segBenchRows';
import { createNodeXMLHttpRequest } from '../test/support/nodeXMLHttpRequest';
import { startOrthanc } from '../test/support/startOrthanc';
import '../test/support/quietDcmjs';

const ROWS = 512;
const COLUMNS = 512;
const SLICES = 300;
const LESION_FIRST_SLICE = 120;
const LESION_SLICES = 60;
/** In-plane lesion radius at its middle slice, pixels. */
const LESION_RADIUS_PX = 90;
const PIXEL_SPACING_MM = 0.8;
const SLICE_SPACING_MM = 2.5;
const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
/** RSS sampling period of the worker, ms. */
const SAMPLE_MS = 2;
const MB = 1024 * 1024;

interface Result {
  task: string;
  ms?: number;
  baselineMB?: number;
  peakExtraMB?: number;
  detail?: string;
  error?: string;
}

function createSeries(): SeriesGeometry {
  const images: SourceImage[] = Array.from({ length: SLICES }, (_, k) => ({
    Rows: ROWS,
    Columns: COLUMNS,
    ImagePositionPatient: [-200, -200, k * SLICE_SPACING_MM],
    ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
    PixelSpacing: [PIXEL_SPACING_MM, PIXEL_SPACING_MM],
    SOPClassUID: CT_IMAGE_STORAGE,
    SOPInstanceUID: createUID(),
  }));
  return {
    StudyInstanceUID: createUID(),
    SeriesInstanceUID: createUID(),
    FrameOfReferenceUID: createUID(),
    Modality: 'CT',
    images,
  };
}

/** A spheroid lesion over slices LESION_FIRST_SLICE .. +LESION_SLICES. */
function createLesionMasks(): (Uint8Array | undefined)[] {
  return Array.from({ length: SLICES }, (_, k) => {
    const t = (k - LESION_FIRST_SLICE + 0.5) / LESION_SLICES;
    if (t < 0 || t > 1) return undefined;
    const radius = LESION_RADIUS_PX * Math.sqrt(Math.max(0, 1 - (2 * t - 1) ** 2));
    const mask = new Uint8Array(ROWS * COLUMNS);
    for (let j = 0; j < ROWS; j++) {
      for (let i = 0; i < COLUMNS; i++) {
        if ((i - 256) ** 2 + (j - 240) ** 2 <= radius * radius) mask[j * COLUMNS + i] = 1;
      }
    }
    return mask;
  });
}

function writeOurs(
  series: SeriesGeometry,
  masks: (Uint8Array | undefined)[],
): ReturnType<typeof writeSeg> {
  return writeSeg({
    source: series,
    header: {
      PatientID: 'BENCH',
      PatientName: 'Bench^Synthetic',
      SliceThickness: SLICE_SPACING_MM,
    },
    segments: [
      {
        label: 'Lesion 1',
        category: SegmentCategory.MorphologicallyAbnormalStructure,
        type: SegmentType.Neoplasm,
        rgb: [230, 40, 40],
        algorithmType: 'SEMIAUTOMATIC',
        algorithm: { name: 'MedSAM', version: 'bench' },
        masks,
      },
    ],
    equipment: {
      Manufacturer: 'bench',
      ManufacturerModelName: 'bench',
      SoftwareVersions: '0',
      DeviceSerialNumber: '0',
    },
    SeriesDescription: 'bench',
  });
}

/** Runs `run` while a worker records the highest process RSS. */
async function measure(task: string, run: () => Promise<string> | string): Promise<Result> {
  (globalThis as { gc?: () => void }).gc?.();
  const peak = new Int32Array(new SharedArrayBuffer(8));
  const sampler = new Worker(
    `const { workerData } = require('node:worker_threads');
     const peak = new Int32Array(workerData);
     setInterval(() => {
       const mb = Math.round(process.memoryUsage.rss() / ${MB});
       if (mb > Atomics.load(peak, 0)) Atomics.store(peak, 0, mb);
       if (Atomics.load(peak, 1) === 1) process.exit(0);
     }, ${SAMPLE_MS});`,
    { eval: true, workerData: peak.buffer },
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  const baselineMB = Math.round(process.memoryUsage.rss() / MB);
  const start = performance.now();
  const detail = await run();
  const ms = performance.now() - start;
  await new Promise((resolve) => setTimeout(resolve, 10));
  Atomics.store(peak, 1, 1);
  await new Promise((resolve) => sampler.once('exit', resolve));
  return {
    task,
    ms,
    baselineMB,
    peakExtraMB: Math.max(0, Atomics.load(peak, 0) - baselineMB),
    detail,
  };
}

async function runTask(task: string): Promise<Result> {
  const series = createSeries();
  const masks = createLesionMasks();
  // "warm" runs the same work once unmeasured first: dictionaries and JIT are
  // then ready, as for the second store of a session; "cold" is the first.
  if (task === 'ours-encode-warm') writeOurs(series, masks);
  if (task === 'ours-encode-cold' || task === 'ours-encode-warm') {
    return measure(task, () => {
      const seg = writeOurs(series, masks);
      return `${seg.numberOfFrames} frames, ${(seg.bytes.byteLength / MB).toFixed(2)} MB`;
    });
  }
  if (task === 'ours-decode-warm') {
    const seg = writeOurs(series, masks);
    await readSeg(seg.bytes);
    return measure(
      task,
      async () => `${(await readSeg(seg.bytes)).segments[0]!.masks.length} masks`,
    );
  }
  if (task === 'ours-store') {
    const seg = writeOurs(series, masks);
    const orthanc = await startOrthanc();
    try {
      const target = { root: orthanc.dicomWebRoot, createXMLHttpRequest: createNodeXMLHttpRequest };
      return await measure(
        task,
        async () => `HTTP ${(await storeSeg(seg.bytes, seg, target)).status} from Orthanc`,
      );
    } finally {
      await orthanc.dispose();
    }
  }
  if (task.startsWith('cornerstone-encode')) return runCornerstone(task, series, masks);
  throw new Error(`unknown task ${task}`);
}

/** The host's exporter on the same data, as OHIF feeds it (all source images loaded). */
async function runCornerstone(
  task: string,
  series: SeriesGeometry,
  masks: (Uint8Array | undefined)[],
): Promise<Result> {
  const { generateSegmentation } = await import(
    '@cornerstonejs/adapters/cornerstone3D/Segmentation/generateSegmentation'
  );
  const byImageId = new Map(series.images.map((image, k) => [`bench:${k}`, image]));
  const images = series.images.map((_, k) => {
    const pixels = new Int16Array(ROWS * COLUMNS); // the loaded CT slice the host keeps
    return { imageId: `bench:${k}`, voxelManager: { getScalarData: () => pixels } };
  });
  const metadata = {
    get(type: string, imageId: string): unknown {
      const image = byImageId.get(imageId);
      if (!image) return undefined;
      if (type === 'StudyData')
        return { StudyInstanceUID: series.StudyInstanceUID, PatientID: 'BENCH' };
      if (type === 'SeriesData')
        return { SeriesInstanceUID: series.SeriesInstanceUID, Modality: 'CT', SeriesNumber: 1 };
      if (type === 'ImageData') {
        return {
          ...image,
          FrameOfReferenceUID: series.FrameOfReferenceUID,
          SliceThickness: SLICE_SPACING_MM,
          InstanceNumber: series.images.indexOf(image) + 1,
        };
      }
      if (type === 'imagePlaneModule') {
        return {
          imagePositionPatient: image.ImagePositionPatient,
          imageOrientationPatient: image.ImageOrientationPatient,
        };
      }
      return undefined;
    },
  };
  const labelmap3D = {
    labelmaps2D: masks.map(
      (mask) =>
        mask && { pixelData: mask, rows: ROWS, columns: COLUMNS, segmentsOnLabelmap: [0, 1] },
    ),
    metadata: [
      undefined,
      {
        SegmentNumber: 1,
        SegmentLabel: 'Lesion 1',
        SegmentAlgorithmType: 'SEMIAUTOMATIC',
        SegmentAlgorithmName: 'MedSAM',
        SegmentedPropertyCategoryCodeSequence: {
          ...SegmentCategory.MorphologicallyAbnormalStructure,
        },
        SegmentedPropertyTypeCodeSequence: { ...SegmentType.Neoplasm },
        RecommendedDisplayCIELabValue: [34000, 53000, 48000],
      },
    ],
  };
  const encode = (): string => {
    const segmentation = generateSegmentation(images, labelmap3D, metadata) as {
      dataset: Record<string, unknown>;
    };
    const bytes = data.datasetToDict(segmentation.dataset).write();
    const frames = String(segmentation.dataset.NumberOfFrames);
    return `${frames} frames, ${(bytes.byteLength / MB).toFixed(2)} MB`;
  };
  if (task.endsWith('-warm')) encode();
  return measure(task, encode);
}

function orchestrate(): void {
  const tasks = [
    'ours-encode-cold',
    'ours-encode-warm',
    'ours-decode-warm',
    'ours-store',
    'cornerstone-encode-cold',
    'cornerstone-encode-warm',
  ];
  console.log(
    `SEG benchmark: ${SLICES} slices of ${ROWS} x ${COLUMNS}, lesion on ${LESION_SLICES} slices`,
  );
  const results: Result[] = [];
  for (const task of tasks) {
    const child = spawnSync(process.execPath, ['--expose-gc', process.argv[1]!, task], {
      encoding: 'utf8',
    });
    const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    const result: Result = line
      ? (JSON.parse(line.slice('RESULT '.length)) as Result)
      : { task, error: (child.stderr || child.stdout).trim().split('\n').slice(-3).join(' | ') };
    const text = result.error
      ? `FAILED: ${result.error}`
      : `${result.ms!.toFixed(0).padStart(6)} ms, peak +${result.peakExtraMB} MB ` +
        `over ${result.baselineMB} MB RSS (${result.detail})`;
    console.log(`${task.padEnd(24)} ${text}`);
    results.push(result);
  }
  if (wantsBenchRows()) printBenchRows(createSegBenchRows(results));
}

// a task name runs that task (in a child); options such as --json orchestrate
const task = process.argv[2]?.startsWith('--') ? undefined : process.argv[2];
if (task) {
  runTask(task)
    .then((result) => console.log(`RESULT ${JSON.stringify(result)}`))
    .catch((error: unknown) => {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      console.log(`RESULT ${JSON.stringify({ task, error: message })}`);
    });
} else {
  orchestrate();
}
