/**
 * The labelled cases of a data folder, as `import_cases.py` writes them: one
 * index plus raw slices and packed masks. The importer (pydicom, nibabel) does
 * all format reading, so the engine here sees plain modality values, exactly
 * what the viewer's slice reader hands it (rescale applied once).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Interpreter with pydicom, nibabel and numpy (Debian's). */
export const PYTHON = '/usr/bin/python3';

/** One ground-truth structure of a case. */
export interface StructureEntry {
  name: string;
  /** Packed 0/1 voxels (numpy.packbits, slice-row-column order), relative to the index. */
  mask: string;
  voxels: number;
  firstSlice: number;
  lastSlice: number;
}

/** One image series with its ground truth. */
export interface CaseEntry {
  /** Image path relative to the data folder (a DICOM folder or a NIfTI/NRRD file). */
  id: string;
  folder: string;
  dataset: string;
  seriesKey: string;
  source: 'dicom' | 'nifti' | 'nrrd';
  groundTruth: 'seg' | 'nifti' | 'nrrd' | 'rtstruct';
  modality: string;
  patient: string;
  width: number;
  height: number;
  sliceCount: number;
  /** Row spacing, column spacing, slice spacing, mm. */
  spacing: [number, number, number];
  image: string;
  sliceKeys: string[];
  /** Source files, relative to the data folder: the image's and the ground truth's. */
  imageFiles: string[];
  groundTruthFiles: string[];
  structures: StructureEntry[];
}

export interface CaseIndex {
  fingerprint: string;
  cases: CaseEntry[];
  skipped: { path: string; reason: string }[];
}

/** Thrown when the importer fails or its index is unreadable. */
export class CaseImportError extends Error {
  override readonly name = 'CaseImportError';
  readonly code = 'case-import-failed';
}

/**
 * Runs the importer (it returns at once when its index is current) and reads the index.
 * @throws {CaseImportError} when the importer exits with an error
 */
export function importCases(
  repoRoot: string,
  dataDir: string,
  outDir: string,
  exclude?: readonly string[],
): CaseIndex {
  const args = ['-m', 'models.evaluation.import_cases', dataDir, outDir];
  if (exclude) args.push('--exclude', ...exclude);
  const run = spawnSync(PYTHON, args, { cwd: repoRoot, encoding: 'utf8' });
  if (run.status !== 0) {
    throw new CaseImportError(`importing ${dataDir} failed: ${run.stderr || run.error?.message}`);
  }
  return JSON.parse(readFileSync(path.join(outDir, 'index.json'), 'utf8')) as CaseIndex;
}

/** The case's slices in modality units, slice order. */
export function readCaseSlices(outDir: string, entry: CaseEntry): Float32Array[] {
  const bytes = readFileSync(path.join(outDir, entry.image));
  const plane = entry.width * entry.height;
  const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  if (all.length !== plane * entry.sliceCount) {
    throw new CaseImportError(`${entry.image} holds ${all.length} values, not ${plane * entry.sliceCount}`);
  }
  return Array.from({ length: entry.sliceCount }, (_, k) => all.slice(k * plane, (k + 1) * plane));
}

/** A structure's 0/1 mask per slice. */
export function readStructureMasks(outDir: string, entry: CaseEntry, structure: StructureEntry): Uint8Array[] {
  const packed = readFileSync(path.join(outDir, structure.mask));
  const plane = entry.width * entry.height;
  const masks: Uint8Array[] = [];
  for (let k = 0; k < entry.sliceCount; k++) {
    const mask = new Uint8Array(plane);
    for (let p = 0; p < plane; p++) {
      const bit = k * plane + p;
      // packbits is big-endian within a byte: bit 0 is the top bit
      mask[p] = ((packed[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1;
    }
    masks.push(mask);
  }
  return masks;
}
