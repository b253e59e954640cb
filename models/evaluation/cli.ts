/**
 * `npm run evaluate -- [dataDir] [--models a,b] [--structures a,b] [--out file.md]
 *  [--cache dir] [--exclude prefix,...] [--windows CT=60/160,MR=p1/99] [--box-candidates]
 *  [--variants refine=1,growth=0.3+prevmask,...]`
 *
 * Imports every labelled case of the data folder (default `../shared/data`),
 * runs each model through the viewer's engine with onnxruntime-node, and prints
 * one markdown table (also written to `--out`). See models/EVALUATION.md.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { IntensityPreset } from '../../extension/src/core/inference/modelManifest';
import type { OrtModule } from '../../extension/src/core/inference/ortTypes';
import { importCases, type CaseEntry, type StructureEntry } from './caseIndex';
import { EmbeddingStore } from './embeddingStore';
import { createCrossValidatedSource } from './crossValidatedSource';
import { createBoxCandidatesMethod, createEngineMethod } from './evaluateStructure';
import { parseVariant, VariantSyntaxError, type InferenceVariant } from './inferenceVariants';
import { loadModel, ModelFilesError } from './loadModel';
import { formatReport } from './report';
import { createEvaluationEngine, runEvaluation, type MethodSource } from './runEvaluation';

/** Structures evaluated in multi-label maps unless `--structures` says otherwise. */
export const DEFAULT_ORGANS = [
  'liver',
  'spleen',
  'stomach',
  'aorta',
  'inferior_vena_cava',
  'pancreas',
  'kidney_left',
  'kidney_right',
  'gallbladder',
];
/** A ground truth with more structures than this is a multi-label organ map. */
export const MULTI_LABEL_STRUCTURES = 3;

/** A window tried instead of the manifest's preset, on one modality's cases. */
export interface WindowVariant {
  modality: string;
  preset: IntensityPreset;
  label: string;
}

export interface CliOptions {
  dataDir: string;
  models?: string[];
  windows?: WindowVariant[];
  /** Inference-time variants of each model (inferenceVariants.ts). */
  variants?: InferenceVariant[];
  /** Also evaluate each model with box candidates (boxCandidates.ts). */
  boxCandidates?: boolean;
  structures?: string[];
  out?: string;
  cacheDir: string;
  exclude?: string[];
}

/** Thrown for a malformed command line. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
  readonly code = 'cli-usage';
}

const REPO_ROOT = path.resolve(__dirname, '../..');

/**
 * Parses the arguments (after `--`).
 * @throws {CliUsageError} for an unknown option or a missing value
 */
export function parseArguments(argv: readonly string[], repoRoot = REPO_ROOT): CliOptions {
  const options: CliOptions = {
    dataDir: path.resolve(repoRoot, '../shared/data'),
    cacheDir: path.resolve(repoRoot, '.cache/evaluation'),
  };
  const list = (value: string): string[] => value.split(',').map((v) => v.trim()).filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) {
      options.dataDir = path.resolve(arg);
      continue;
    }
    if (arg === '--box-candidates') {
      options.boxCandidates = true;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) throw new CliUsageError(`${arg} needs a value`);
    if (arg === '--models') options.models = list(value);
    else if (arg === '--structures') options.structures = list(value).map((s) => s.toLowerCase());
    else if (arg === '--out') options.out = path.resolve(value);
    else if (arg === '--cache') options.cacheDir = path.resolve(value);
    else if (arg === '--exclude') options.exclude = list(value);
    else if (arg === '--windows') options.windows = list(value).map(parseWindowVariant);
    else if (arg === '--variants') options.variants = list(value).map(readVariant);
    else throw new CliUsageError(`unknown option ${arg}`);
  }
  return options;
}

function readVariant(text: string): InferenceVariant {
  try {
    return parseVariant(text);
  } catch (error) {
    if (error instanceof VariantSyntaxError) throw new CliUsageError(error.message);
    throw error;
  }
}

/**
 * `CT=60/160` (window level/width) or `MR=p1/99` (percentiles of non-zero voxels).
 * @throws {CliUsageError} for another form
 */
export function parseWindowVariant(text: string): WindowVariant {
  const match = /^([A-Z]+)=(p?)(-?[\d.]+)\/([\d.]+)$/.exec(text);
  if (!match) throw new CliUsageError(`window ${text} is not MODALITY=level/width or MODALITY=plower/upper`);
  const [, modality = '', percentile, a = '', b = ''] = match;
  const preset: IntensityPreset = percentile
    ? { kind: 'percentile', lower: Number(a), upper: Number(b) }
    : { kind: 'window', level: Number(a), width: Number(b) };
  const label = percentile ? `${modality} percentiles ${a}-${b}` : `${modality} window ${a}/${b}`;
  return { modality, preset, label };
}

/** The same model with a window of its own on one modality (other cases skipped). */
function createWindowSource(base: MethodSource, variant: WindowVariant): MethodSource {
  return {
    label: `${base.label} · ${variant.label}`,
    methodFor: async (entry) => (entry.modality === variant.modality ? base.methodFor(entry) : undefined),
    storeFor: base.storeFor,
    presetFor: () => variant.preset,
  };
}

/** Whether a structure is evaluated: named ones, or default organs in organ maps. */
export function selectStructure(options: CliOptions, entry: CaseEntry, structure: StructureEntry): boolean {
  const name = structure.name.toLowerCase();
  if (options.structures) return options.structures.includes(name);
  if (entry.structures.length <= MULTI_LABEL_STRUCTURES) return true;
  return DEFAULT_ORGANS.includes(name);
}

/** Manifest paths: the named models, or every model folder with a manifest. */
export function listManifests(repoRoot: string, models: readonly string[] | undefined): string[] {
  const dir = path.join(repoRoot, 'models');
  const ids = models ?? readdirSync(dir).filter((d) => existsSync(path.join(dir, d, 'manifest.json')));
  return ids.map((id) => {
    if (id.endsWith('.json')) return path.resolve(id);
    if (existsSync(path.join(id, 'folds.json'))) return path.resolve(id, 'folds.json');
    return path.join(dir, id, 'manifest.json');
  });
}

async function createSources(
  ort: OrtModule,
  manifests: readonly string[],
  options: CliOptions,
  notes: string[],
): Promise<{ sources: MethodSource[]; methods: string[]; stores: () => EmbeddingStore[] }> {
  const sources: MethodSource[] = [];
  const stores: EmbeddingStore[] = [];
  const crossValidated: { stores(): EmbeddingStore[] }[] = [];
  const methods = ['`ellipse in box`: the ellipse inscribed in the box, no model.'];
  for (const file of manifests) {
    if (file.endsWith('folds.json')) {
      const source = createCrossValidatedSource(ort, file, REPO_ROOT, path.join(options.cacheDir, 'embeddings'));
      const patients = Object.keys(source.folds.folds).join(', ');
      methods.push(`\`${source.label}\` (cross-validated, one model per held-out patient: ${patients}): ${source.folds.description}`);
      sources.push(source);
      crossValidated.push(source);
      continue;
    }
    let model;
    try {
      model = await loadModel(ort, file, REPO_ROOT);
    } catch (error) {
      if (!(error instanceof ModelFilesError)) throw error;
      notes.push(`Not evaluated: ${path.relative(REPO_ROOT, file)} (${error.message}).`);
      continue;
    }
    if (model.manifest.family === 'test' && !options.models) {
      await model.sessions.release();
      continue;
    }
    const { manifest } = model;
    const engine = createEvaluationEngine(model.sessions);
    const store = new EmbeddingStore(path.join(options.cacheDir, 'embeddings'), model.encoderSha256);
    stores.push(store);
    const method = createEngineMethod(manifest.id, engine);
    methods.push(`\`${manifest.id}\` (${manifest.displayName}, ${manifest.version}): ${manifest.description}`);
    const source: MethodSource = { label: manifest.id, methodFor: async () => method, storeFor: () => store };
    sources.push(source);
    for (const variant of options.windows ?? []) sources.push(createWindowSource(source, variant));
    for (const variant of options.variants ?? []) {
      const varied = createEngineMethod(`${manifest.id} · ${variant.name}`, engine, variant);
      sources.push({ label: varied.label, methodFor: async () => varied, storeFor: () => store });
    }
    if (options.boxCandidates) {
      const candidates = createBoxCandidatesMethod(`${manifest.id} · box candidates`, engine);
      sources.push({ label: candidates.label, methodFor: async () => candidates, storeFor: () => store });
    }
  }
  return { sources, methods, stores: () => [...stores, ...crossValidated.flatMap((s) => s.stores())] };
}

/** Runs the command; returns the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  const options = parseArguments(argv);
  const log = (message: string): void => void process.stderr.write(`${message}\n`);
  const casesDir = path.join(options.cacheDir, 'cases');
  const index = importCases(REPO_ROOT, options.dataDir, casesDir, options.exclude);
  log(`${index.cases.length} labelled series in ${options.dataDir}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- native addon, Node only
  const ort = require('onnxruntime-node') as OrtModule;
  const notes: string[] = [];
  const { sources, methods, stores } = await createSources(ort, listManifests(REPO_ROOT, options.models), options, notes);
  const started = Date.now();
  const rows = await runEvaluation(index, casesDir, sources, {
    structureFilter: (entry, structure) => selectStructure(options, entry, structure),
    onProgress: log,
  });
  for (const skipped of index.skipped) notes.push(`Skipped ${skipped.path}: ${skipped.reason}.`);
  const report = formatReport(rows, {
    dataDir: path.relative(REPO_ROOT, options.dataDir) || '.',
    methods,
    notes,
  });
  process.stdout.write(report);
  if (options.out) {
    mkdirSync(path.dirname(options.out), { recursive: true });
    writeFileSync(options.out, report);
  }
  const encoded = stores().reduce((n, s) => n + s.encoded, 0);
  const loaded = stores().reduce((n, s) => n + s.loaded, 0);
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; ${encoded} encoder runs, ${loaded} embeddings from disk`);
  return 0;
}
