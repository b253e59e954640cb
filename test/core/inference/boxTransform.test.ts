import {
  computeImageRectFromPixelBox,
  computeMaskBox,
  computePixelBoxFromImageRect,
  expandModelBox,
  mapBoxFromModel,
  mapBoxToModel,
} from '../../../extension/src/core/inference/boxTransform';
import { computeInputGeometry } from '../../../extension/src/core/inference/preprocess';
import type { EncoderSpec } from '../../../extension/src/core/inference/modelManifest';

function encoder(inputSize: number, resize: EncoderSpec['resize']): EncoderSpec {
  return {
    inputName: 'image',
    outputNames: ['e'],
    inputSize,
    resize,
    interpolation: 'area',
    normalisation: { kind: 'min-max' },
  };
}

describe('computePixelBoxFromImageRect', () => {
  it('selects the pixels whose centres the rectangle holds, corners in any order', () => {
    // a rectangle drawn exactly around pixels 2..4 x 1..2: edges at 2 and 5, 1 and 3
    expect(computePixelBoxFromImageRect([2, 1], [5, 3], 10, 10)).toEqual([2, 1, 4, 2]);
    expect(computePixelBoxFromImageRect([5, 3], [2, 1], 10, 10)).toEqual([2, 1, 4, 2]);
    // a loose drag: centres 2.5..5.5 lie inside [2.3, 5.6]
    expect(computePixelBoxFromImageRect([2.3, 1.2], [5.6, 2.4], 10, 10)).toEqual([2, 1, 5, 1]);
  });

  it('clips to the image and picks the nearest pixel for a sliver', () => {
    expect(computePixelBoxFromImageRect([-3, -3], [20, 4], 10, 8)).toEqual([0, 0, 9, 3]);
    expect(computePixelBoxFromImageRect([3.1, 3.1], [3.2, 3.2], 10, 10)).toEqual([3, 3, 3, 3]);
  });

  it('round-trips with the rectangle that covers a pixel box', () => {
    const [a, b] = computeImageRectFromPixelBox([2, 1, 4, 2]);
    expect(computePixelBoxFromImageRect(a, b, 10, 10)).toEqual([2, 1, 4, 2]);
  });
});

describe('mapBoxToModel', () => {
  it('scales per axis for MedSAM (stretch)', () => {
    const geometry = computeInputGeometry(encoder(1024, 'stretch'), 200, 100);
    const mapped = mapBoxToModel([10, 20, 50, 60], geometry, 'none');
    mapped.forEach((v, i) => expect(v).toBeCloseTo([51.2, 204.8, 256, 614.4][i] as number, 10));
  });

  it('scales by S / max(W, H) and truncates for LiteMedSAM', () => {
    // 161 x 143, S = 256: scale 1.5900621...
    const geometry = computeInputGeometry(encoder(256, 'longest-side-pad'), 161, 143);
    // 10 -> 15.9, 20 -> 31.8, 100 -> 159.0, 120 -> 190.8
    expect(mapBoxToModel([10, 20, 100, 120], geometry, 'truncate')).toEqual([15, 31, 159, 190]);
  });

  it('maps back by the inverse scaling', () => {
    const geometry = computeInputGeometry(encoder(1024, 'stretch'), 200, 100);
    const back = mapBoxFromModel(mapBoxToModel([10, 20, 50, 60], geometry, 'none'), geometry);
    back.forEach((v, i) => expect(v).toBeCloseTo([10, 20, 50, 60][i] as number, 12));
  });
});

describe('expandModelBox and computeMaskBox', () => {
  it('adds the margin on every side within 0..S-1', () => {
    expect(expandModelBox([2, 10, 253, 100], 4, 256)).toEqual([0, 6, 255, 104]);
  });

  it('finds the inclusive pixel box of a mask, or none', () => {
    const mask = Uint8Array.from([0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0]); // 4 x 3
    expect(computeMaskBox(mask, 4, 3)).toEqual([1, 1, 2, 2]);
    expect(computeMaskBox(new Uint8Array(12), 4, 3)).toBeUndefined();
  });
});
