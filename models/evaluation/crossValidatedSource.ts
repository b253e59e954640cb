/**
 * A cross-validated model: one fine-tuned model per held-out patient, each used
 * only on its own held-out patient's cases, so that every figure comes from a
 * model that never saw that patient. Described by a `folds.json`:
 * `{ "label": "...", "description": "...", "folds": { "<patient>": "<manifest path>" } }`
 * with manifest paths relative to that file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { OrtModule } from '../../extension/src/core/inference/ortTypes';
import type { CaseEntry } from './caseIndex';
import { EmbeddingStore } from './embeddingStore';
import { createEngineMethod, type SliceMethod } from './evaluateStructure';
import { loadModel, type LoadedModel } from './loadModel';
import { createEvaluationEngine, type MethodSource } from './runEvaluation';

/** The parsed `folds.json`. */
export interface FoldsFile {
  label: string;
  description: string;
  folds: Record<string, string>;
}

/** Reads a `folds.json`; manifest paths come back absolute. */
export function readFoldsFile(file: string): FoldsFile {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as FoldsFile;
  const folds: Record<string, string> = {};
  for (const [patient, manifest] of Object.entries(parsed.folds)) {
    folds[patient] = path.resolve(path.dirname(file), manifest);
  }
  return { ...parsed, folds };
}

/**
 * The method source of a cross-validated model: the fold model of each case's
 * patient (loaded on first use), nothing for a patient without a fold.
 */
export function createCrossValidatedSource(
  ort: OrtModule,
  file: string,
  repoRoot: string,
  embeddingsDir: string,
): MethodSource & { folds: FoldsFile; stores(): EmbeddingStore[] } {
  const folds = readFoldsFile(file);
  const loaded = new Map<string, { model: LoadedModel; method: SliceMethod; store: EmbeddingStore }>();
  const load = async (patient: string) => {
    const manifest = folds.folds[patient];
    if (!manifest) return undefined;
    let found = loaded.get(patient);
    if (!found) {
      const model = await loadModel(ort, manifest, repoRoot);
      const engine = createEvaluationEngine(model.sessions);
      found = {
        model,
        method: createEngineMethod(folds.label, engine),
        store: new EmbeddingStore(embeddingsDir, model.encoderSha256),
      };
      loaded.set(patient, found);
    }
    return found;
  };
  return {
    label: folds.label,
    folds,
    methodFor: async (entry: CaseEntry) => (await load(entry.patient))?.method,
    // methodFor has loaded the fold by the time the run asks for its store
    storeFor: (entry: CaseEntry) => loaded.get(entry.patient)?.store,
    stores: () => [...loaded.values()].map((l) => l.store),
  };
}
