import type {
  EncoderSpec,
  Normalisation,
} from '../../../extension/src/core/inference/modelManifest';
import {
  computeResizedSize,
  preprocessSlice,
} from '../../../extension/src/core/inference/preprocess';

const identity = { low: 0, high: 255, zeroStaysZero: false };

function spec(overrides: Partial<EncoderSpec>): EncoderSpec {
  return {
    inputName: 'image',
    outputNames: ['image_embeddings'],
    inputSize: 2,
    resize: 'longest-side-pad',
    interpolation: 'area',
    normalisation: { kind: 'min-max' },
    ...overrides,
  };
}

describe('computeResizedSize', () => {
  it('keeps the aspect ratio and rounds half up', () => {
    // the sarcoma CT: 161 x 143 -> 256 x 227.4
    expect(computeResizedSize('longest-side-pad', 161, 143, 256)).toEqual({
      width: 256,
      height: 227,
    });
    // 3 x 4 to 6: 4.5 rounds up to 5 (Python's round() would give 4)
    expect(computeResizedSize('longest-side-pad', 3, 4, 6)).toEqual({ width: 5, height: 6 });
    expect(computeResizedSize('stretch', 3, 4, 1024)).toEqual({ width: 1024, height: 1024 });
  });
});

describe('preprocessSlice', () => {
  it('resizes the longest side, normalises per channel and pads with zeros', () => {
    // 4 wide x 2 high, halved by area to 2 x 1, then padded to 2 x 2
    const pixels = Float32Array.of(0, 100, 200, 255, 50, 50, 50, 50);
    const normalisation: Normalisation = { kind: 'mean-std', mean: [10, 20, 30], std: [2, 4, 5] };
    const { tensor, geometry } = preprocessSlice(pixels, 4, 2, identity, spec({ normalisation }));
    expect(geometry.resized).toEqual({ width: 2, height: 1 });
    // 2 x 2 block means as OpenCV gives them in 8 bits: (0 + 100 + 50 + 50 + 2) >> 2 = 50
    // and (200 + 255 + 50 + 50 + 2) >> 2 = 139 (138.75 rounded)
    const expected = [
      [(50 - 10) / 2, (139 - 10) / 2, 0, 0],
      [(50 - 20) / 4, (139 - 20) / 4, 0, 0],
      [(50 - 30) / 5, (139 - 30) / 5, 0, 0],
    ].flat();
    expect(tensor.length).toBe(12);
    tensor.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 5));
  });

  it('min-max normalises the unpadded image only, to [0, 1]', () => {
    // 2 x 1 image scaled to 4 x 2 inside S = 4 (area enlarging repeats samples)
    const { tensor } = preprocessSlice(
      Float32Array.of(100, 200),
      2,
      1,
      identity,
      spec({ inputSize: 4 }),
    );
    const channel = [...tensor.subarray(0, 16)];
    expect(channel).toEqual([0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...tensor.subarray(16, 32)]).toEqual(channel);
  });

  it('windows CT values before resizing (HU, not display values)', () => {
    // -1000 and 40 HU under a 40 / 400 window: 0 and 127 grey; stretched 2 x 1 -> 2 x 2
    const mapping = { low: -160, high: 240, zeroStaysZero: false };
    const normalisation: Normalisation = { kind: 'mean-std', mean: [0, 0, 0], std: [1, 1, 1] };
    const { tensor } = preprocessSlice(
      Float32Array.of(-1000, 40),
      2,
      1,
      mapping,
      spec({ resize: 'stretch', interpolation: 'bilinear', normalisation }),
    );
    expect([...tensor.subarray(0, 4)]).toEqual([0, 127, 0, 127]);
  });

  it('gives zeros, not NaN, for a flat image', () => {
    const { tensor } = preprocessSlice(Float32Array.of(7, 7, 7, 7), 2, 2, identity, spec({}));
    expect(tensor.every((v) => v === 0)).toBe(true);
  });

  it('refuses fewer pixels than width x height', () => {
    expect(() => preprocessSlice(Float32Array.of(1), 2, 2, identity, spec({}))).toThrow(RangeError);
  });
});
