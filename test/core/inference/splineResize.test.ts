import { resizeSpline } from '../../../extension/src/core/inference/splineResize';

describe('resizeSpline (scikit-image order 3, anti-aliased)', () => {
  it('keeps a constant image constant, enlarging and shrinking', () => {
    const flat = new Uint8Array(12).fill(77);
    expect(resizeSpline(flat, 4, 3, 9, 7).every((v) => v === 77)).toBe(true);
    expect(resizeSpline(new Uint8Array(64).fill(200), 8, 8, 3, 3).every((v) => v === 200)).toBe(
      true,
    );
  });

  it('keeps the output inside the input range (no ringing below 0 or above the max)', () => {
    const step = Uint8Array.from({ length: 16 }, (_, i) => (i % 4 < 2 ? 10 : 250));
    const out = resizeSpline(step, 4, 4, 16, 16);
    expect(Math.min(...out)).toBe(10);
    expect(Math.max(...out)).toBe(250);
  });

  it('is symmetric: a mirrored image gives the mirrored result', () => {
    const row = [3, 90, 200, 41, 7];
    const out = resizeSpline(Uint8Array.from(row), 5, 1, 12, 1);
    const mirrored = resizeSpline(Uint8Array.from([...row].reverse()), 5, 1, 12, 1);
    expect([...mirrored]).toEqual([...out].reverse());
  });
});
