/**
 * The Python reference pipeline (models/reference) against answers computed here
 * from the contract's rules: intensity windows and percentiles, LiteMedSAM's 2x area
 * reduction and min-max, MedSAM's stretch and anti-aliasing, box scaling, and both
 * post-processing orders including LiteMedSAM's crop of the padded logits.
 */
import { readFileSync, writeFileSync } from 'fs';
import path from 'path';
import { readNpy, writeNpy, type NpyData } from '../support/npy';
import { makeTempDir, MODELS_DIR, runPython, runPythonOk } from './pythonTools';

const LITE_LIKE = path.join(MODELS_DIR, 'test-model', 'manifest.json');
const GREY_MAX = 255;

function medsamManifest(dir: string): string {
  const body = JSON.parse(runPythonOk('models.toolchain.describe', ['--family', 'medsam-vit-b'])) as object;
  const file = path.join(dir, 'medsam.json');
  writeFileSync(file, JSON.stringify(body));
  return file;
}

function stats(data: NpyData): { min: number; max: number; mean: number; std: number } {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of data) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  const mean = sum / data.length;
  let sq = 0;
  for (const v of data) sq += (v - mean) ** 2;
  return { min, max, mean, std: Math.sqrt(sq / data.length) };
}

describe('reference pipeline', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeAll(() => {
    temp = makeTempDir('reference-');
  });
  afterAll(() => temp.remove());
  const at = (name: string): string => path.join(temp.dir, name);

  it('windows CT by the clipped volume\'s own range and truncates to uint8', () => {
    const hu = Int16Array.of(-1000, -160, 0, 40, 100, 239, 240, 1000);
    writeNpy(at('ct.npy'), { descr: '<i2', shape: [2, 4], data: hu });
    runPythonOk('models.reference', ['intensity', '--manifest', LITE_LIKE, '--modality', 'CT', '--volume', at('ct.npy'), '--out', at('ct8.npy')]);
    const grey = readNpy(at('ct8.npy'));
    const expected = Array.from(hu, (v) => Math.trunc(((Math.min(Math.max(v, -160), 240) + 160) / 400) * GREY_MAX));
    expect(grey.descr).toBe('|u1');
    expect(Array.from(grey.data)).toEqual(expected);
    expect(expected).toEqual([0, 0, 102, 127, 165, 254, 255, 255]);
  });

  it('clips MR to the 0.5..99.5 percentiles of its non-zero voxels, zeros kept', () => {
    // 201 non-zero voxels 1..201: the percentiles fall on ranks 1 and 199 (values 2, 200)
    const values = new Float64Array(250);
    for (let i = 0; i < 201; i++) values[i] = i + 1;
    writeNpy(at('mr.npy'), { descr: '<f8', shape: [250], data: values });
    runPythonOk('models.reference', ['intensity', '--manifest', LITE_LIKE, '--modality', 'MR', '--volume', at('mr.npy'), '--out', at('mr8.npy')]);
    const grey = readNpy(at('mr8.npy'));
    const expected = Array.from(values, (v) =>
      v === 0 ? 0 : Math.trunc(((Math.min(Math.max(v, 2), 200) - 2) / 198) * GREY_MAX),
    );
    expect(Array.from(grey.data)).toEqual(expected);
  });

  it('LiteMedSAM: 512 -> 256 by 2x2 means rounded half up, then min-max', () => {
    const size = 512;
    const image = new Uint8Array(size * size);
    let seed = 12345;
    for (let i = 0; i < image.length; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      image[i] = (seed >> 8) % 256;
    }
    writeNpy(at('lite.npy'), { descr: '|u1', shape: [size, size], data: image });
    runPythonOk('models.reference', ['preprocess', '--manifest', LITE_LIKE, '--image', at('lite.npy'), '--box', '10,20,301,400', '--out-dir', at('lite')]);
    const half = new Float64Array(256 * 256);
    for (let y = 0; y < 256; y++) {
      for (let x = 0; x < 256; x++) {
        const i = 2 * y * size + 2 * x;
        const sum = (image[i] as number) + (image[i + 1] as number) + (image[i + size] as number) + (image[i + size + 1] as number);
        half[y * 256 + x] = Math.floor((sum + 2) / 4);
      }
    }
    const { min, max } = stats(half);
    const input = readNpy(path.join(temp.dir, 'lite', 'input.npy'));
    expect(input.shape).toEqual([1, 3, 256, 256]);
    const plane = 256 * 256;
    let mismatches = 0;
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < plane; i++) {
        if (input.data[c * plane + i] !== Math.fround(((half[i] as number) - min) / (max - min))) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
    // box x 256/512, truncated
    expect(Array.from(readNpy(path.join(temp.dir, 'lite', 'box.npy')).data)).toEqual([5, 10, 150, 200]);
  });

  it('LiteMedSAM: pads below and right with zeros after min-max', () => {
    const image = new Uint8Array(100 * 50).fill(90);
    image[0] = 10;
    writeNpy(at('tall.npy'), { descr: '|u1', shape: [100, 50], data: image });
    runPythonOk('models.reference', ['preprocess', '--manifest', LITE_LIKE, '--image', at('tall.npy'), '--box', '0,0,49,99', '--out-dir', at('tall')]);
    const meta = JSON.parse(readFileSync(path.join(temp.dir, 'tall', 'meta.json'), 'utf8')) as Record<string, number>;
    expect(meta).toMatchObject({ resizedHeight: 256, resizedWidth: 128, imageHeight: 100, imageWidth: 50 });
    const input = readNpy(path.join(temp.dir, 'tall', 'input.npy'));
    const row = 100;
    expect(input.data[row * 256 + 100]).toBe(1); // inside, the bright level
    expect(input.data[row * 256 + 200]).toBe(0); // padding
  });

  it('MedSAM: stretches to 1024, scales the box per axis, anti-aliases when shrinking', () => {
    const manifest = medsamManifest(temp.dir);
    // 1024 rows x 3072 columns: black and white bands (they fix min-max at 0 and
    // 255), then one-pixel stripes. Shrinking x by 3 samples the stripes at whole
    // pixels, so without the Gaussian pre-filter (sigma 1) they would survive as
    // 0/255; with it they fade to mid-grey.
    const w = 3072;
    const h = 1024;
    const board = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) board[y * w + x] = x < 300 ? 0 : x < 600 ? 255 : x % 2 === 0 ? 255 : 0;
    }
    writeNpy(at('board.npy'), { descr: '|u1', shape: [h, w], data: board });
    runPythonOk('models.reference', ['preprocess', '--manifest', manifest, '--image', at('board.npy'), '--box', '300,50,900,200', '--out-dir', at('board')]);
    const input = readNpy(path.join(temp.dir, 'board', 'input.npy'));
    expect(input.shape).toEqual([1, 3, 1024, 1024]);
    const box = Array.from(readNpy(path.join(temp.dir, 'board', 'box.npy')).data);
    expect(box).toEqual([100, 50, 300, 200]);
    const stripes = stats(input.data.subarray(512 * 1024 + 400, 512 * 1024 + 900));
    expect(stripes.std).toBeLessThan(0.02);
    expect(Math.abs(stripes.mean - 0.5)).toBeLessThan(0.02);
  });

  it('MedSAM post-processing: sigmoid, bilinear to the image, threshold 0.5', () => {
    const manifest = medsamManifest(temp.dir);
    const logits = new Float32Array(256 * 256);
    for (let y = 0; y < 256; y++) for (let x = 0; x < 256; x++) logits[y * 256 + x] = x < 128 ? 6 : -6;
    writeNpy(at('medsam-low.npy'), { descr: '<f4', shape: [1, 1, 256, 256], data: logits });
    writeFileSync(
      at('medsam-meta.json'),
      JSON.stringify({ imageHeight: 100, imageWidth: 512, resizedHeight: 1024, resizedWidth: 1024, inputSize: 1024 }),
    );
    runPythonOk('models.reference', ['postprocess', '--manifest', manifest, '--logits', at('medsam-low.npy'), '--meta', at('medsam-meta.json'), '--out-dir', at('medsam-post')]);
    const mask = readNpy(path.join(temp.dir, 'medsam-post', 'mask.npy'));
    const probs = readNpy(path.join(temp.dir, 'medsam-post', 'probabilities.npy'));
    expect(mask.shape).toEqual([100, 512]);
    expect(mask.data[50 * 512 + 10]).toBe(1);
    expect(mask.data[50 * 512 + 500]).toBe(0);
    expect(probs.data[50 * 512 + 10]).toBeCloseTo(1 / (1 + Math.exp(-6)), 6);
    // the edge falls between columns 255 and 256 of 512 (x2 of the 128 edge in 256)
    expect(mask.data[50 * 512 + 255]).toBe(1);
    expect(mask.data[50 * 512 + 256]).toBe(0);
  });

  it('LiteMedSAM post-processing crops the padded logits before resizing', () => {
    // image 100 x 200: resized 128 x 256, so logit rows 128.. are padding
    const logits = new Float32Array(256 * 256);
    for (let y = 0; y < 256; y++) for (let x = 0; x < 256; x++) logits[y * 256 + x] = y >= 128 ? 9 : -9;
    writeNpy(at('lite-low.npy'), { descr: '<f4', shape: [1, 1, 256, 256], data: logits });
    writeFileSync(
      at('lite-meta.json'),
      JSON.stringify({ imageHeight: 100, imageWidth: 200, resizedHeight: 128, resizedWidth: 256, inputSize: 256 }),
    );
    runPythonOk('models.reference', ['postprocess', '--manifest', LITE_LIKE, '--logits', at('lite-low.npy'), '--meta', at('lite-meta.json'), '--out-dir', at('lite-post')]);
    const mask = readNpy(path.join(temp.dir, 'lite-post', 'mask.npy'));
    const resized = readNpy(path.join(temp.dir, 'lite-post', 'logits.npy'));
    expect(mask.shape).toEqual([100, 200]);
    expect(stats(mask.data).max).toBe(0);
    expect(stats(resized.data).max).toBe(-9);
  });

  it('refuses an image that has not been through the intensity step', () => {
    writeNpy(at('float.npy'), { descr: '<f4', shape: [4, 4], data: new Float32Array(16) });
    const result = runPython('models.reference', ['preprocess', '--manifest', LITE_LIKE, '--image', at('float.npy'), '--box', '0,0,3,3', '--out-dir', at('float')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('image must be uint8');
  });
});
