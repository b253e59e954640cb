/**
 * Our MedSAM ViT-B and LiteMedSAM modules have exactly the official checkpoints'
 * state-dict keys, shapes and dtypes (../shared/models/*.tsv), load a state dict of
 * those shapes strictly, and refuse a damaged one naming every problem.
 */
import { readFileSync, writeFileSync } from 'fs';
import path from 'path';
import { makeTempDir, runPython, runPythonOk, SHARED_MODELS } from './pythonTools';

const FAMILIES = [
  { family: 'medsam-vit-b', tsv: 'medsam_vit_b_state_dict_manifest.tsv', entries: 314 },
  { family: 'lite-medsam', tsv: 'lite_medsam_state_dict_manifest.tsv', entries: 435 },
] as const;

function parseTsv(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const [key, shape, dtype] = line.split('\t');
    map.set(key as string, `${shape} ${dtype}`);
  }
  return map;
}

describe.each(FAMILIES)('$family module tree', ({ family, tsv, entries }) => {
  const expected = parseTsv(readFileSync(path.join(SHARED_MODELS, tsv), 'utf8'));

  it('has the checkpoint manifest\'s keys, shapes and dtypes', () => {
    const ours = parseTsv(runPythonOk('models.toolchain.checkpoint_tools', ['map', '--family', family]));
    expect(expected.size).toBe(entries);
    expect([...ours.keys()].sort()).toEqual([...expected.keys()].sort());
    const differing = [...expected].filter(([key, value]) => ours.get(key) !== value);
    expect(differing).toEqual([]);
  });
});

describe('checkpoint loading', () => {
  const tsv = path.join(SHARED_MODELS, 'lite_medsam_state_dict_manifest.tsv');
  let temp: ReturnType<typeof makeTempDir>;
  beforeAll(() => {
    temp = makeTempDir('medsam-ckpt-');
  });
  afterAll(() => temp.remove());

  it.each(FAMILIES)('loads a random state dict of the $family shapes strictly', ({ family, tsv: name }) => {
    const file = path.join(temp.dir, `${family}.pth`);
    runPythonOk('models.toolchain.checkpoint_tools', [
      'synthesize',
      '--tsv',
      path.join(SHARED_MODELS, name),
      '--out',
      file,
    ]);
    const out = runPythonOk('models.toolchain.checkpoint_tools', ['load', '--family', family, '--checkpoint', file]);
    expect(out).toContain(`loaded ${FAMILIES.find((f) => f.family === family)?.entries} tensors strictly`);
  });

  it('refuses a checkpoint of the other family', () => {
    const file = path.join(temp.dir, 'lite.pth');
    runPythonOk('models.toolchain.checkpoint_tools', ['synthesize', '--tsv', tsv, '--out', file]);
    const result = runPython('models.toolchain.checkpoint_tools', [
      'load',
      '--family',
      'medsam-vit-b',
      '--checkpoint',
      file,
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/is not a medsam-vit-b checkpoint/);
    expect(result.stderr).toMatch(/missing keys \(\d+\): image_encoder\.blocks\.0\./);
  });

  it('export refuses a damaged checkpoint and lists each missing, unexpected and mis-shaped key', () => {
    const file = path.join(temp.dir, 'damaged.pth');
    runPythonOk('models.toolchain.checkpoint_tools', [
      'synthesize',
      '--tsv',
      tsv,
      '--out',
      file,
      '--drop',
      'image_encoder.neck.0.weight',
      '--rename',
      'mask_decoder.iou_token.weight=mask_decoder.iou_tokens.weight',
      '--reshape',
      'image_encoder.layers.1.blocks.0.attn.attention_biases=4,50',
    ]);
    const out = path.join(temp.dir, 'never-written');
    const result = runPython('models.toolchain.export', [
      '--family',
      'lite-medsam',
      '--checkpoint',
      file,
      '--out',
      out,
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('missing keys (2): image_encoder.neck.0.weight, mask_decoder.iou_token.weight');
    expect(result.stderr).toContain('unexpected keys (1): mask_decoder.iou_tokens.weight');
    expect(result.stderr).toContain(
      'shape mismatches (1): image_encoder.layers.1.blocks.0.attn.attention_biases is [4, 50], expected [4, 49]',
    );
  });

  it('export refuses a file that is not a checkpoint at all', () => {
    const file = path.join(temp.dir, 'notes.pth');
    writeFileSync(file, 'not a checkpoint\n');
    const result = runPython('models.toolchain.export', [
      '--family',
      'medsam-vit-b',
      '--checkpoint',
      file,
      '--out',
      path.join(temp.dir, 'x'),
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('is not a PyTorch checkpoint');
  });
});
