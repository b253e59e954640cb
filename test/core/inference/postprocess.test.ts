import type { DecoderSpec } from '../../../extension/src/core/inference/modelManifest';
import {
  postprocessLogits,
  selectMaskPlane,
} from '../../../extension/src/core/inference/postprocess';
import type { InputGeometry } from '../../../extension/src/core/inference/preprocess';

const LOGIT = 10;

function decoder(lowResSize: number, sigmoid: DecoderSpec['sigmoid']): DecoderSpec {
  return {
    kind: 'box-only',
    inputNames: { imageEmbeddings: 'e', boxes: 'b' },
    outputNames: { lowResLogits: 'l', iou: 'i' },
    lowResSize,
    maskToken: 0,
    threshold: 0.5,
    sigmoid,
    boxRounding: 'none',
  };
}

/** L x L logits: +LOGIT on columns [x0, x1) of rows [y0, y1), -LOGIT elsewhere. */
function squareLogits(size: number, x0: number, x1: number, y0 = x0, y1 = x1): Float32Array {
  const out = new Float32Array(size * size).fill(-LOGIT);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) out[y * size + x] = LOGIT;
  return out;
}

function maskRows(mask: Uint8Array, width: number): string[] {
  const rows: string[] = [];
  for (let y = 0; y * width < mask.length; y++)
    rows.push([...mask.subarray(y * width, (y + 1) * width)].join(''));
  return rows;
}

describe('stretch (MedSAM)', () => {
  it('gives back exactly the image pixels a model-space square covers when shrinking', () => {
    // 8 x 8 image, S = L = 16: image pixel i covers model pixels 2i, 2i+1
    const geometry: InputGeometry = {
      imageWidth: 8,
      imageHeight: 8,
      inputSize: 16,
      resize: 'stretch',
      resized: { width: 16, height: 16 },
    };
    const { mask } = postprocessLogits(
      squareLogits(16, 4, 8),
      geometry,
      decoder(16, 'before-resize'),
    );
    const row = '00110000';
    expect(maskRows(mask, 8)).toEqual([
      '00000000',
      '00000000',
      row,
      row,
      '00000000',
      '00000000',
      '00000000',
      '00000000',
    ]);
  });

  it('gives back exactly the image pixels when enlarging, with no half-pixel shift', () => {
    // 32 x 32 image, L = 16: model pixels 4..7 cover image pixels 8..15
    const geometry: InputGeometry = {
      imageWidth: 32,
      imageHeight: 32,
      inputSize: 16,
      resize: 'stretch',
      resized: { width: 16, height: 16 },
    };
    const { mask, probability } = postprocessLogits(
      squareLogits(16, 4, 8),
      geometry,
      decoder(16, 'after-resize'),
    );
    const inside = (i: number): boolean => i >= 8 && i <= 15;
    mask.forEach((v, i) => expect(v).toBe(inside(i % 32) && inside(Math.floor(i / 32)) ? 1 : 0));
    // at pixel (8, 8) the bilinear source is (3.75, 3.75): only the 0.75 x 0.75 share is
    // inside, so the logit is 10 * 0.5625 - 10 * 0.4375 = 1.25
    expect(probability[8 * 32 + 8]).toBeCloseTo(1 / (1 + Math.exp(-1.25)), 6);
  });
});

describe('longest side plus padding (LiteMedSAM, SAM)', () => {
  it('crops the padding away before resizing, so padded logits never leak in', () => {
    // 4 wide x 2 high image, S = L = 8: unpadded part 8 x 4; model pixel 2i, 2i+1 -> image i
    const geometry: InputGeometry = {
      imageWidth: 4,
      imageHeight: 2,
      inputSize: 8,
      resize: 'longest-side-pad',
      resized: { width: 8, height: 4 },
    };
    const logits = squareLogits(8, 4, 8, 0, 4);
    // garbage in the padding rows 4..7 must not reach the image
    logits.fill(LOGIT, 4 * 8);
    const { mask } = postprocessLogits(logits, geometry, decoder(8, 'after-resize'));
    expect(maskRows(mask, 4)).toEqual(['0011', '0011']);
  });

  it('brings low-resolution logits to the input size first when L < S (SAM)', () => {
    // 4 x 4 image in S = 8 with L = 4: one low-res pixel per image pixel
    const geometry: InputGeometry = {
      imageWidth: 4,
      imageHeight: 4,
      inputSize: 8,
      resize: 'longest-side-pad',
      resized: { width: 8, height: 8 },
    };
    const { mask } = postprocessLogits(squareLogits(4, 1, 3), geometry, decoder(4, 'after-resize'));
    expect(maskRows(mask, 4)).toEqual(['0000', '0110', '0110', '0000']);
  });
});

describe('selectMaskPlane', () => {
  it('takes the manifest token among several masks and the only one otherwise', () => {
    const data = Float32Array.from({ length: 12 }, (_, i) => i);
    expect([...selectMaskPlane(data, [1, 3, 2, 2], 1, 2)]).toEqual([4, 5, 6, 7]);
    expect([...selectMaskPlane(data.subarray(0, 4), [1, 1, 2, 2], 2, 2)]).toEqual([0, 1, 2, 3]);
    expect([...selectMaskPlane(data, [1, 1, 3, 2, 2], 2, 2)]).toEqual([8, 9, 10, 11]);
  });

  it('refuses a shape that is not L x L or a missing token', () => {
    expect(() => selectMaskPlane(new Float32Array(8), [1, 1, 2, 4], 0, 2)).toThrow(/expected/);
    expect(() => selectMaskPlane(new Float32Array(8), [1, 2, 2, 2], 3, 2)).toThrow(/mask token 3/);
  });
});
