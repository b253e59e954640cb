/**
 * Test helper: loads a folder of single-frame DICOM images into the core's
 * SeriesGeometry plus rescaled pixel values, with dcmjs.
 *
 * Uncompressed little-endian pixel data is read here. Compressed transfer
 * syntaxes (JPEG 2000 in ../shared/data/ct-organs) are decoded by pydicom in
 * a /usr/bin/python3 subprocess, which needs a decoder plugin: Debian's
 * python3-gdcm (`apt-get install -y python3-gdcm`).
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  computeSliceNormal,
  computeSlicePosition,
  type SeriesGeometry,
  type SourceImage,
  type Vec3,
} from '../../extension/src/core/dicom/seriesGeometry';
import type { NominalSliceSpacing } from '../../extension/src/core/quant/voxelGrid';

/** A dcmjs naturalized dataset: DICOM keywords to values. */
export type NaturalizedDataset = Record<string, unknown>;

export interface LoadedSeries {
  /** Images sorted along the slice normal, ascending. */
  geometry: SeriesGeometry;
  /** Pixel values with RescaleSlope/RescaleIntercept applied, geometry order. */
  slices: Float32Array[];
  /** Naturalized datasets (PixelData removed), geometry order. */
  datasets: NaturalizedDataset[];
  /** From the first image, for single-slice volumes. */
  nominalSpacing: NominalSliceSpacing;
}

/** The part of dcmjs these helpers use (dcmjs ships no type declarations). */
interface DcmjsData {
  DicomMessage: { readFile(buffer: ArrayBuffer): { dict: unknown; meta: unknown } };
  DicomMetaDictionary: { naturalizeDataset(dict: unknown): NaturalizedDataset };
}
interface Logger {
  setLevel(level: string): void;
}
interface Dcmjs {
  data: DcmjsData;
  log: Logger & { getLogger(name: string): Logger };
}

const UNCOMPRESSED_LITTLE_ENDIAN = new Set([
  '1.2.840.10008.1.2', // Implicit VR Little Endian
  '1.2.840.10008.1.2.1', // Explicit VR Little Endian
]);
const PYTHON = '/usr/bin/python3';
const DECODER_SCRIPT = path.resolve(__dirname, 'python', 'decode_pixel_data.py');

// eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped CommonJS package
const dcmjs = require('dcmjs') as Dcmjs;
// dcmjs logs every private tag with an unknown VR (as an error) and the test output drowns in it.
dcmjs.log.setLevel('silent');
dcmjs.log.getLogger('validation.dcmjs').setLevel('silent');

function toArrayBuffer(file: Buffer): ArrayBuffer {
  const copy = new Uint8Array(file.byteLength);
  copy.set(file);
  return copy.buffer;
}

function numberOf(dataset: NaturalizedDataset, keyword: string): number | undefined {
  const raw: unknown = dataset[keyword];
  const value: unknown = Array.isArray(raw) ? raw[0] : raw;
  const parsed = typeof value === 'string' ? Number(value) : value;
  return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : undefined;
}

function numbersOf(dataset: NaturalizedDataset, keyword: string, count: number): number[] {
  const raw: unknown = dataset[keyword];
  const values = (Array.isArray(raw) ? raw : [raw]).map(Number);
  if (values.length !== count || values.some((v) => !Number.isFinite(v))) {
    throw new Error(`${keyword} must have ${count} numbers, got ${String(raw)}`);
  }
  return values;
}

function stringOf(dataset: NaturalizedDataset, keyword: string): string {
  const value: unknown = dataset[keyword];
  return typeof value === 'string' ? value : '';
}

function createSourceImage(dataset: NaturalizedDataset): SourceImage {
  const rows = numberOf(dataset, 'Rows');
  const columns = numberOf(dataset, 'Columns');
  if (rows === undefined || columns === undefined) throw new Error('Rows/Columns missing');
  const [r0, r1, r2, c0, c1, c2] = numbersOf(dataset, 'ImageOrientationPatient', 6);
  const [x, y, z] = numbersOf(dataset, 'ImagePositionPatient', 3);
  const [rowSpacing, columnSpacing] = numbersOf(dataset, 'PixelSpacing', 2);
  return {
    Rows: rows,
    Columns: columns,
    ImagePositionPatient: [x, y, z] as Vec3,
    ImageOrientationPatient: [r0, r1, r2, c0, c1, c2] as SourceImage['ImageOrientationPatient'],
    PixelSpacing: [rowSpacing, columnSpacing] as [number, number],
    SOPClassUID: stringOf(dataset, 'SOPClassUID'),
    SOPInstanceUID: stringOf(dataset, 'SOPInstanceUID'),
  };
}

/** Stored values of uncompressed pixel data, sign-extended from BitsStored. */
function readStoredValues(dataset: NaturalizedDataset, count: number): Int32Array {
  const fragments: unknown = dataset['PixelData'];
  const buffer: unknown = Array.isArray(fragments) ? fragments[0] : fragments;
  if (!(buffer instanceof ArrayBuffer)) throw new Error('PixelData is not a buffer');
  const bitsAllocated = numberOf(dataset, 'BitsAllocated');
  const bitsStored = numberOf(dataset, 'BitsStored') ?? bitsAllocated ?? 0;
  const signed = numberOf(dataset, 'PixelRepresentation') === 1;
  const view = new DataView(buffer);
  const bytes = (bitsAllocated ?? 0) / 8;
  if (bytes !== 1 && bytes !== 2 && bytes !== 4) throw new Error(`BitsAllocated ${bitsAllocated}`);
  if (view.byteLength < count * bytes) throw new Error('PixelData is shorter than Rows × Columns');
  const out = new Int32Array(count);
  const unusedBits = 32 - bitsStored;
  for (let i = 0; i < count; i++) {
    const word =
      bytes === 1
        ? view.getUint8(i)
        : bytes === 2
          ? view.getUint16(i * 2, true)
          : view.getUint32(i * 4, true);
    // Shift the stored bits to the top and back: an arithmetic shift sign-extends
    // signed values, a logical one clears unused high bits of unsigned values.
    out[i] = signed ? (word << unusedBits) >> unusedBits : (word << unusedBits) >>> unusedBits;
  }
  return out;
}

function decodeWithPydicom(files: readonly string[]): Int32Array[] {
  if (files.length === 0) return [];
  const outDir = mkdtempSync(path.join(tmpdir(), 'decode-pixels-'));
  try {
    const run = spawnSync(PYTHON, [DECODER_SCRIPT, outDir, ...files], { encoding: 'utf8' });
    if (run.status !== 0) {
      throw new Error(`pydicom could not decode (is python3-gdcm installed?): ${run.stderr}`);
    }
    return files.map((_, i) => {
      const raw = readFileSync(path.join(outDir, `${i}.raw`));
      return new Int32Array(toArrayBuffer(raw));
    });
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

function rescale(stored: Int32Array, dataset: NaturalizedDataset): Float32Array {
  const slope = numberOf(dataset, 'RescaleSlope') ?? 1;
  const intercept = numberOf(dataset, 'RescaleIntercept') ?? 0;
  const out = new Float32Array(stored.length);
  for (let i = 0; i < stored.length; i++) out[i] = (stored[i] ?? NaN) * slope + intercept;
  return out;
}

/** Reads one DICOM file (any IOD) as a naturalized dataset. */
export function loadDicomDataset(file: string): NaturalizedDataset {
  const message = dcmjs.data.DicomMessage.readFile(toArrayBuffer(readFileSync(file)));
  return dcmjs.data.DicomMetaDictionary.naturalizeDataset(message.dict);
}

/**
 * Loads every DICOM image file directly in `dir` (not recursive), sorted along
 * the slice normal. Files without pixel data or a position are skipped.
 *
 * @throws Error for multi-frame or big-endian data, or a failed decode.
 */
export function loadDicomSeries(dir: string): LoadedSeries {
  const entries: { file: string; dataset: NaturalizedDataset; transferSyntax: string }[] = [];
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    if (!statSync(file).isFile()) continue;
    const message = dcmjs.data.DicomMessage.readFile(toArrayBuffer(readFileSync(file)));
    const dataset = dcmjs.data.DicomMetaDictionary.naturalizeDataset(message.dict);
    const meta = dcmjs.data.DicomMetaDictionary.naturalizeDataset(message.meta);
    const isImage =
      dataset['PixelData'] !== undefined && dataset['ImagePositionPatient'] !== undefined;
    if (!isImage) continue;
    if ((numberOf(dataset, 'NumberOfFrames') ?? 1) !== 1) throw new Error(`${file} is multi-frame`);
    entries.push({ file, dataset, transferSyntax: stringOf(meta, 'TransferSyntaxUID') });
  }
  const first = entries[0];
  if (!first) throw new Error(`No DICOM images in ${dir}`);
  const images = entries.map((e) => createSourceImage(e.dataset));
  const normal = computeSliceNormal(images[0] as SourceImage);
  const order = images
    .map((image, i) => ({ i, position: computeSlicePosition(image, normal) }))
    .sort((a, b) => a.position - b.position)
    .map((p) => p.i);
  const sorted = order.map((i) => entries[i] as (typeof entries)[number]);
  const compressed = sorted.filter((e) => !UNCOMPRESSED_LITTLE_ENDIAN.has(e.transferSyntax));
  const decoded = decodeWithPydicom(compressed.map((e) => e.file));
  const slices = sorted.map((entry) => {
    const rows = numberOf(entry.dataset, 'Rows') ?? 0;
    const count = rows * (numberOf(entry.dataset, 'Columns') ?? 0);
    const k = compressed.indexOf(entry);
    const stored = k >= 0 ? (decoded[k] as Int32Array) : readStoredValues(entry.dataset, count);
    if (stored.length !== count) {
      throw new Error(`${entry.file}: ${stored.length} values for ${count} pixels`);
    }
    return rescale(stored, entry.dataset);
  });
  const datasets = sorted.map(({ dataset }) => {
    const { PixelData: _pixels, ...rest } = dataset;
    return rest;
  });
  return {
    geometry: {
      StudyInstanceUID: stringOf(first.dataset, 'StudyInstanceUID'),
      SeriesInstanceUID: stringOf(first.dataset, 'SeriesInstanceUID'),
      FrameOfReferenceUID: stringOf(first.dataset, 'FrameOfReferenceUID'),
      Modality: stringOf(first.dataset, 'Modality'),
      images: order.map((i) => images[i] as SourceImage),
    },
    slices,
    datasets,
    nominalSpacing: {
      SliceThickness: numberOf(first.dataset, 'SliceThickness'),
      SpacingBetweenSlices: numberOf(first.dataset, 'SpacingBetweenSlices'),
    },
  };
}
