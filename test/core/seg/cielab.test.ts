import {
  computeDicomLabFromRGB,
  computeLabFromRGB,
  computeRGBFromDicomLab,
} from '../../../extension/src/core/seg/cielab';

describe('CIELab conversion', () => {
  it('maps white to L*=100, a*=b*=0 (D65)', () => {
    const [l, a, b] = computeLabFromRGB([255, 255, 255]);
    expect(l).toBeCloseTo(100, 2);
    expect(a).toBeCloseTo(0, 2);
    expect(b).toBeCloseTo(0, 2);
  });

  it('gives the published L*a*b* of sRGB red (53.24, 80.09, 67.20)', () => {
    const [l, a, b] = computeLabFromRGB([255, 0, 0]);
    expect(l).toBeCloseTo(53.24, 1);
    expect(a).toBeCloseTo(80.09, 1);
    expect(b).toBeCloseTo(67.2, 1);
  });

  it('scales to DICOM 0..65535 (black is L=0, a=b=128/255 of the range)', () => {
    expect(computeDicomLabFromRGB([0, 0, 0])).toEqual([0, 32896, 32896]);
    expect(computeDicomLabFromRGB([255, 255, 255])).toEqual([65535, 32896, 32896]);
  });

  it('returns the original colour from the stored value', () => {
    for (const rgb of [
      [255, 0, 0],
      [0, 128, 255],
      [12, 200, 40],
      [250, 250, 10],
    ] as const) {
      expect(computeRGBFromDicomLab(computeDicomLabFromRGB([...rgb]))).toEqual([...rgb]);
    }
  });
});
