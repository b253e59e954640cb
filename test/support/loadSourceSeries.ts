/**
 * Reads a folder of single-frame DICOM images (Node, test only) into the plain
 * objects the SEG core takes: the series geometry and the header fields.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  sortAlongNormal,
  type SeriesGeometry,
  type SourceImage,
  type Vec3,
} from '../../extension/src/core/dicom/seriesGeometry';
import { readDicomFile, type NaturalDataset } from '../../extension/src/core/seg/dicomCodec';
import type { SegSourceHeader } from '../../extension/src/core/seg/segTypes';

/** Folder of the shared data, resolved from the repository root. */
export const SHARED_DATA = path.resolve(__dirname, '../../../shared/data');

export interface LoadedSeries {
  geometry: SeriesGeometry;
  header: SegSourceHeader;
  files: string[];
}

/** Reads a file into an ArrayBuffer of its own. */
export function readArrayBuffer(file: string): ArrayBuffer {
  const buffer = readFileSync(file);
  return buffer.buffer.slice(
    buffer.byteOffset,
    buffer.byteOffset + buffer.byteLength,
  ) as ArrayBuffer;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  // dcmjs naturalises PN as [{ Alphabetic }] or { Alphabetic }.
  const item = Array.isArray(value) ? value[0] : value;
  if (item && typeof item === 'object' && 'Alphabetic' in item) {
    return String((item as { Alphabetic: unknown }).Alphabetic);
  }
  return undefined;
}

function numbers(value: unknown, count: number, what: string): number[] {
  const list = (Array.isArray(value) ? value : [value]).map(Number);
  if (list.length !== count || list.some((n) => !Number.isFinite(n))) {
    throw new Error(`${what}: expected ${count} numbers, got ${JSON.stringify(value)}`);
  }
  return list;
}

function toImage(ds: NaturalDataset): SourceImage {
  return {
    Rows: Number(ds.Rows),
    Columns: Number(ds.Columns),
    ImagePositionPatient: numbers(ds.ImagePositionPatient, 3, 'ImagePositionPatient') as Vec3,
    ImageOrientationPatient: numbers(
      ds.ImageOrientationPatient,
      6,
      'ImageOrientationPatient',
    ) as SourceImage['ImageOrientationPatient'],
    PixelSpacing: numbers(ds.PixelSpacing, 2, 'PixelSpacing') as [number, number],
    SOPClassUID: String(ds.SOPClassUID),
    SOPInstanceUID: String(ds.SOPInstanceUID),
  };
}

function toHeader(ds: NaturalDataset): SegSourceHeader {
  const header: SegSourceHeader = {};
  const keys = [
    'PatientName',
    'PatientID',
    'PatientBirthDate',
    'PatientSex',
    'StudyDate',
    'StudyTime',
    'StudyID',
    'AccessionNumber',
    'ReferringPhysicianName',
    'StudyDescription',
  ] as const;
  for (const key of keys) {
    const value = text(ds[key]);
    if (value !== undefined) header[key] = value;
  }
  if (ds.SliceThickness !== undefined && ds.SliceThickness !== '') {
    header.SliceThickness = Number(ds.SliceThickness);
  }
  if (ds.SpacingBetweenSlices !== undefined && ds.SpacingBetweenSlices !== '') {
    header.SpacingBetweenSlices = Number(ds.SpacingBetweenSlices);
  }
  return header;
}

/**
 * Loads every DICOM file of `folder` (files whose name starts with "LICENSE"
 * are skipped), sorted along the slice normal.
 */
export function loadSourceSeries(folder: string): LoadedSeries {
  const files = readdirSync(folder)
    .filter((name) => !name.startsWith('LICENSE') && !name.endsWith('.txt'))
    .map((name) => path.join(folder, name));
  const parsed = files.map((file) => ({ file, ds: readDicomFile(readArrayBuffer(file)).dataset }));
  const images = parsed.map(({ file, ds }) => ({ file, ds, image: toImage(ds) }));
  const sorted = sortAlongNormal(images.map((entry) => ({ ...entry.image, file: entry.file })));
  const first = parsed[0];
  if (!first) throw new Error(`No DICOM files in ${folder}`);
  return {
    geometry: {
      StudyInstanceUID: String(first.ds.StudyInstanceUID),
      SeriesInstanceUID: String(first.ds.SeriesInstanceUID),
      FrameOfReferenceUID: String(first.ds.FrameOfReferenceUID),
      Modality: String(first.ds.Modality),
      images: sorted.map(({ file: _file, ...image }) => image),
    },
    header: toHeader(first.ds),
    files: sorted.map((entry) => entry.file),
  };
}
