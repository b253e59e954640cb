import { readFileSync } from 'fs';
import path from 'path';
import {
  ModelManifestError,
  parseModelManifest,
} from '../../../extension/src/core/inference/parseModelManifest';

const TEST_MANIFEST = path.resolve(__dirname, '../../../models/test-model/manifest.json');
const SOURCE = 'models/x/manifest.json';

type Json = Record<string, unknown>;

function validManifest(): Json {
  return JSON.parse(readFileSync(TEST_MANIFEST, 'utf8')) as Json;
}

/** The object holding the last segment of a '/a/b/c' path, and that segment. */
function parentOf(json: Json, pointer: string): [Json, string] {
  const keys = pointer.split('/').slice(1);
  const last = keys.pop() as string;
  const parent = keys.reduce((node, key) => node[key] as Json, json);
  return [parent, last];
}

function setAt(json: Json, pointer: string, value: unknown): void {
  const [parent, key] = parentOf(json, pointer);
  parent[key] = value;
}

function deleteAt(json: Json, pointer: string): void {
  const [parent, key] = parentOf(json, pointer);
  delete parent[key];
}

function problemsOf(json: unknown): readonly string[] {
  try {
    parseModelManifest(json, SOURCE);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelManifestError);
    const manifestError = error as ModelManifestError;
    expect(manifestError.code).toBe('model-manifest-invalid');
    expect(manifestError.message.startsWith(`${SOURCE}: `)).toBe(true);
    return manifestError.problems;
  }
  throw new Error('the manifest was accepted');
}

describe('parseModelManifest', () => {
  it('returns a valid manifest unchanged', () => {
    const json = validManifest();
    expect(parseModelManifest(json, SOURCE)).toEqual(validManifest());
  });

  it('names a field of the wrong type by its path', () => {
    const json = validManifest();
    setAt(json, '/encoder/inputSize', 1024.5);
    expect(problemsOf(json)).toEqual(['/encoder/inputSize must be integer']);
  });

  it('reports every problem at once, each with its field', () => {
    const json = validManifest();
    deleteAt(json, '/decoder/threshold');
    setAt(json, '/decoder/kind', 'multi');
    setAt(json, '/files/encoder/sha256', 'ABC');
    setAt(json, '/extra', true);
    setAt(json, '/intensity/CT', { kind: 'window', level: 40 });
    setAt(json, '/encoder/normalisation', { kind: 'mean-std', mean: [1, 2], std: [1, 1, 1] });
    expect([...problemsOf(json)].sort()).toEqual(
      [
        '/extra is not allowed',
        '/files/encoder/sha256 must match pattern "^[0-9a-f]{64}$"',
        '/encoder/normalisation/mean must NOT have fewer than 3 items',
        '/decoder/threshold is required',
        '/decoder/kind must be one of ["box-only","sam","transformers-js"]',
        '/intensity/CT/width is required',
      ].sort(),
    );
  });

  it('rejects an unknown preset or normalisation kind by naming the tag', () => {
    const json = validManifest();
    setAt(json, '/intensity/default', { kind: 'gamma' });
    expect(problemsOf(json)).toEqual(['/intensity/default/kind is missing or unknown']);
  });

  it('requires the intensity default and the files', () => {
    const json = validManifest();
    deleteAt(json, '/intensity/default');
    deleteAt(json, '/files/decoder');
    expect([...problemsOf(json)].sort()).toEqual(['/files/decoder is required', '/intensity/default is required']);
  });

  it('requires the decoder input roles of its kind', () => {
    const json = validManifest();
    setAt(json, '/decoder/inputNames', { imageEmbeddings: 'image_embeddings' });
    expect(problemsOf(json)).toEqual(["/decoder/inputNames/boxes is required for a 'box-only' decoder"]);
    setAt(json, '/decoder/kind', 'transformers-js');
    setAt(json, '/decoder/inputNames', { imageEmbeddings: 'e', boxes: 'b' });
    setAt(json, '/encoder/outputNames', ['e', 'p']);
    expect(problemsOf(json)).toEqual([
      "/decoder/inputNames/imagePositionalEmbeddings is required for a 'transformers-js' decoder",
      "/decoder/inputNames/inputBoxes is required for a 'transformers-js' decoder",
    ]);
  });

  it('keeps the mask token within the masks the decoder kind outputs', () => {
    const json = validManifest();
    setAt(json, '/decoder/maskToken', 1);
    expect(problemsOf(json)).toEqual([
      "/decoder/maskToken must be below 1: a 'box-only' decoder outputs 1 mask(s)",
    ]);
    setAt(json, '/decoder/maskToken', 4);
    expect(problemsOf(json)).toEqual(['/decoder/maskToken must be <= 3']);
  });

  it('needs the positional-embeddings output for a Transformers.js decoder', () => {
    const json = validManifest();
    setAt(json, '/decoder/kind', 'transformers-js');
    setAt(json, '/decoder/inputNames', { imageEmbeddings: 'e', imagePositionalEmbeddings: 'p', inputBoxes: 'b' });
    expect(problemsOf(json)).toEqual([
      "/encoder/outputNames must list 2 outputs for a 'transformers-js' decoder",
    ]);
  });

  it('rejects what is not an object at all', () => {
    expect(problemsOf(null)).toEqual(['/ must be object']);
    expect(problemsOf([])).toEqual(['/ must be object']);
  });
});
