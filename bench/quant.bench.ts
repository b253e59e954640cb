/**
 * Benchmark of the quantification core on a 300 × 512 × 512 series with a
 * 60-slice ellipsoidal lesion. It prints timings and never asserts them:
 * machines differ, and a slow run must not fail a build.
 *
 * Volume, diameters and intensity statistics are also timed in a plain
 * brute-force version (quantReference.ts), the reference of the summary table.
 *
 * Run: `npx esbuild bench/quant.bench.ts --bundle --platform=node | node`,
 * or through `npm run bench`, which runs the bundle with `--json` (one
 * BENCH_ROW line per step at the end, see benchRow.ts).
 */

import type { SeriesGeometry } from '../extension/src/core/dicom/seriesGeometry';
import { computeBidimensionalDiameters } from '../extension/src/core/quant/diameters';
import { computeIntensityStatistics } from '../extension/src/core/quant/intensityStats';
import { measureSegment } from '../extension/src/core/quant/measureSegment';
import { computeSuvPeak } from '../extension/src/core/quant/suvPeak';
import { computeVolume } from '../extension/src/core/quant/volume';
import { computeVoxelGrid } from '../extension/src/core/quant/voxelGrid';
import { printBenchRows, wantsBenchRows } from './benchRow';
import { bruteForceDiameters, bruteForceStatistics, bruteForceVolume } from './quantReference';

const SLICES = 300;
const SIZE = 512;
const PIXEL_MM = 0.7;
const SLICE_MM = 1;
/** Lesion semi-axes, mm: 60 slices of 1 mm through its depth. */
const SEMI_AXES_MM = [45, 30, 30] as const;
const LESION_CENTRE_SLICE = 150;

export interface BenchmarkTiming {
  name: string;
  milliseconds: number;
  /** The brute-force reference's time for the same step, where there is one. */
  referenceMilliseconds?: number;
}

function createGeometry(modality: string): SeriesGeometry {
  return {
    StudyInstanceUID: '2.25.10',
    SeriesInstanceUID: '2.25.11',
    FrameOfReferenceUID: '2.25.12',
    Modality: modality,
    images: Array.from({ length: SLICES }, (_, i) => ({
      Rows: SIZE,
      Columns: SIZE,
      ImagePositionPatient: [0, 0, i * SLICE_MM],
      ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
      PixelSpacing: [PIXEL_MM, PIXEL_MM],
      SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
      SOPInstanceUID: `2.25.${1000 + i}`,
    })),
  };
}

/** Every slice allocated (worst case for scanning), lesion rotated 30° in plane. */
function createMask(): Uint8Array[] {
  const [a, b, c] = SEMI_AXES_MM;
  const centre = (SIZE / 2) * PIXEL_MM;
  const cos = Math.cos(Math.PI / 6);
  const sin = Math.sin(Math.PI / 6);
  return Array.from({ length: SLICES }, (_, s) => {
    const slice = new Uint8Array(SIZE * SIZE);
    const z = (s - LESION_CENTRE_SLICE + 0.5) * SLICE_MM;
    if (Math.abs(z) >= c) return slice;
    for (let r = 0; r < SIZE; r++) {
      for (let col = 0; col < SIZE; col++) {
        const x = col * PIXEL_MM - centre;
        const y = r * PIXEL_MM - centre;
        const u = x * cos + y * sin;
        const v = -x * sin + y * cos;
        if ((u / a) ** 2 + (v / b) ** 2 + (z / c) ** 2 <= 1) slice[r * SIZE + col] = 1;
      }
    }
    return slice;
  });
}

function time<T>(name: string, timings: BenchmarkTiming[], run: () => T): T {
  const start = performance.now();
  const result = run();
  timings.push({ name, milliseconds: performance.now() - start });
  return result;
}

/** Times the reference of the step timed last. */
function timeReference<T>(timings: BenchmarkTiming[], run: () => T): T {
  const start = performance.now();
  const result = run();
  const last = timings[timings.length - 1];
  if (last) last.referenceMilliseconds = performance.now() - start;
  return result;
}

const fixed = (value: number | undefined, digits = 1): string => (value ?? NaN).toFixed(digits);

/** Runs the benchmark, prints one line per step and returns the timings. */
export function runQuantBenchmark(
  print: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): BenchmarkTiming[] {
  const mask = createMask();
  const lesionSlices = mask.filter((s) => s.some((v) => v !== 0)).length;
  // One shared pixel array: the benchmark measures the core, not allocation.
  const pixels = new Float32Array(SIZE * SIZE).map((_, i) => 40 + (i % 17));
  const allPixels = mask.map(() => pixels);
  const timings: BenchmarkTiming[] = [];
  const geometry = createGeometry('CT');
  const grid = time('computeVoxelGrid', timings, () => computeVoxelGrid(geometry));
  const volume = time('computeVolume', timings, () => computeVolume(mask, grid));
  const volumeRef = timeReference(timings, () => bruteForceVolume(mask, grid));
  const counts = volume.voxelCountPerSlice;
  const axes = time('computeBidimensionalDiameters', timings, () =>
    computeBidimensionalDiameters(mask, grid, {}, counts),
  );
  const axesRef = timeReference(timings, () => bruteForceDiameters(mask, grid));
  const stats = time('computeIntensityStatistics', timings, () =>
    computeIntensityStatistics(mask, allPixels, volume.voxelCount, 'HU', undefined, counts),
  );
  const statsRef = timeReference(timings, () => bruteForceStatistics(mask, allPixels));
  time('computeSuvPeak (0.7 mm grid)', timings, () =>
    computeSuvPeak(mask, allPixels, grid, new Float64Array(SLICES).fill(1), {
      voxelCountPerSlice: counts,
    }),
  );
  time('measureSegment CT (volume, diameters, HU)', timings, () =>
    measureSegment({ geometry, pixels: allPixels }, { segmentNumber: 1, label: 'bench', mask }),
  );
  const petGeometry = createGeometry('PT');
  const petHeaders = petGeometry.images.map(() => ({ Units: 'GML' }));
  time('measureSegment PT, stored SUV (+ SUVpeak)', timings, () =>
    measureSegment(
      { geometry: petGeometry, pixels: allPixels, petHeaders },
      { segmentNumber: 1, label: 'bench', mask },
    ),
  );
  print(
    `quant benchmark: ${SLICES}×${SIZE}×${SIZE} mask, lesion on ${lesionSlices} slices, ` +
      `${volume.voxelCount} voxels, ${volume.volumeMl.toFixed(1)} mL`,
  );
  for (const t of timings) {
    const reference =
      t.referenceMilliseconds === undefined
        ? ''
        : `   brute force ${fixed(t.referenceMilliseconds)} ms`;
    print(`  ${t.name.padEnd(44)} ${t.milliseconds.toFixed(1).padStart(8)} ms${reference}`);
  }
  // the same answers, so the times compare like with like
  print(
    `  core / brute force: ${volume.volumeMl.toFixed(3)} / ${volumeRef.volumeMl.toFixed(3)} mL; ` +
      `axes ${fixed(axes?.longAxis.lengthMm, 2)} x ${fixed(axes?.shortAxis.lengthMm, 2)} / ` +
      `${fixed(axesRef?.longAxisMm, 2)} x ${fixed(axesRef?.shortAxisMm, 2)} mm; ` +
      `mean ${fixed(stats?.mean, 3)} / ${fixed(statsRef.mean, 3)}, ` +
      `median ${fixed(stats?.median)} / ${fixed(statsRef.median)}`,
  );
  return timings;
}

// Run when executed directly (the esbuild bundle piped to node), not on import.
if (typeof require !== 'undefined' && require.main === module) {
  const timings = runQuantBenchmark();
  if (wantsBenchRows()) {
    printBenchRows(
      timings.map((t) => ({
        area: 'quantification',
        what: t.name,
        ours: t.milliseconds,
        reference: t.referenceMilliseconds ?? null,
        unit: 'ms',
      })),
    );
  }
}
