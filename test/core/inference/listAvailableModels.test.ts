import { readFileSync } from 'fs';
import path from 'path';
import {
  listAvailableModels,
  resolveModelFileUrl,
  UNPINNED_SHA256,
  type LocatedModelManifest,
} from '../../../extension/src/core/inference/listAvailableModels';
import type { ModelManifest } from '../../../extension/src/core/inference/modelManifest';

const TEST_MANIFEST = path.resolve(__dirname, '../../../models/test-model/manifest.json');

function manifest(id: string, sha256?: string): ModelManifest {
  const json = JSON.parse(readFileSync(TEST_MANIFEST, 'utf8')) as ModelManifest;
  json.id = id;
  if (sha256 !== undefined) json.files.decoder.sha256 = sha256;
  return json;
}

describe('resolveModelFileUrl', () => {
  it('joins relative paths to the folder and keeps absolute ones', () => {
    expect(resolveModelFileUrl('/models/lite-medsam', 'encoder.onnx')).toBe('/models/lite-medsam/encoder.onnx');
    expect(resolveModelFileUrl('/models/x/', './onnx/a.onnx')).toBe('/models/x/onnx/a.onnx');
    expect(resolveModelFileUrl('/models/x/', 'https://host/a.onnx')).toBe('https://host/a.onnx');
    expect(resolveModelFileUrl('/models/x/', '/elsewhere/a.onnx')).toBe('/elsewhere/a.onnx');
  });
});

describe('listAvailableModels', () => {
  const located = (id: string, baseUrl: string, sha256?: string): LocatedModelManifest => ({
    manifest: manifest(id, sha256),
    baseUrl,
  });

  it('lists a model only when both of its files exist', async () => {
    const present = new Set(['/m/a/encoder.onnx', '/m/a/decoder.onnx', '/m/b/encoder.onnx']);
    const asked: string[] = [];
    const result = await listAvailableModels([located('a', '/m/a/'), located('b', '/m/b/')], (url) => {
      asked.push(url);
      return present.has(url);
    });
    expect(result.map((r) => r.manifest.id)).toEqual(['a']);
    expect(asked.sort()).toEqual(['/m/a/decoder.onnx', '/m/a/encoder.onnx', '/m/b/decoder.onnx', '/m/b/encoder.onnx']);
  });

  it('waits for an asynchronous check and keeps the given order', async () => {
    const result = await listAvailableModels(
      [located('b', '/m/b/'), located('a', '/m/a/')],
      async (url) => new Promise((resolve) => setTimeout(() => resolve(!url.includes('/none/')), url.includes('/b/') ? 5 : 0)),
    );
    expect(result.map((r) => r.manifest.id)).toEqual(['b', 'a']);
  });

  it('never offers unpinned files, present or not', async () => {
    const result = await listAvailableModels([located('port', '/m/port/', UNPINNED_SHA256)], () => true);
    expect(result).toEqual([]);
  });

  it('keeps the first of two manifests with one id', async () => {
    const user = located('medsam', '/user-models/medsam/');
    const repo = located('medsam', '/models/medsam/');
    const result = await listAvailableModels([user, repo], () => true);
    expect(result).toEqual([user]);
  });
});
