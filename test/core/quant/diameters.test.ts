import { computeBidimensionalDiameters } from '../../../extension/src/core/quant/diameters';
import { computeVoxelGrid } from '../../../extension/src/core/quant/voxelGrid';
import {
  createSyntheticGeometry,
  drawMask,
  evenPositions,
  type SyntheticGridSpec,
} from '../../support/syntheticSeries';

/** 1 mm × 1 mm pixels. */
const UNIT_SPACING: [number, number] = [1, 1];

function measure(spec: SyntheticGridSpec, mask: (Uint8Array | null)[]) {
  const grid = computeVoxelGrid(createSyntheticGeometry(spec));
  const result = computeBidimensionalDiameters(mask, grid);
  if (!result) throw new Error('expected diameters');
  return { grid, result };
}

/** Largest distance between any two inside pixel centres of a slice, by brute force. */
function bruteForceLongest(slice: Uint8Array, spec: SyntheticGridSpec): number {
  const [rs, cs] = spec.pixelSpacing;
  const points: [number, number][] = [];
  slice.forEach((v, i) => {
    if (v) points.push([(i % spec.columns) * cs, Math.floor(i / spec.columns) * rs]);
  });
  let best = 0;
  for (const [ax, ay] of points) {
    for (const [bx, by] of points) best = Math.max(best, Math.hypot(bx - ax, by - ay));
  }
  return best;
}

describe('computeBidimensionalDiameters', () => {
  it('measures a sphere: both axes about its diameter, on the central slice', () => {
    const radius = 10;
    const spec = {
      rows: 31,
      columns: 31,
      pixelSpacing: [0.8, 0.8] as [number, number],
      slicePositions: evenPositions(11, -10, 2),
      originXY: [-12, -12] as [number, number],
    };
    const mask = drawMask(spec, (x, y, z) => x * x + y * y + z * z <= radius * radius);
    const { result } = measure(spec, mask);
    expect(result.sliceIndex).toBe(5); // z = 0
    expect(Math.abs(result.longAxis.lengthMm - 2 * radius)).toBeLessThanOrEqual(0.8);
    expect(Math.abs(result.shortAxis.lengthMm - 2 * radius)).toBeLessThanOrEqual(0.8);
  });

  it('finds the axes of an ellipse rotated 30° in plane on anisotropic pixels', () => {
    const [a, b] = [20, 8];
    const angle = Math.PI / 6;
    const spec = {
      rows: 70,
      columns: 80,
      pixelSpacing: [0.6, 0.75] as [number, number],
      slicePositions: [0, 3],
      originXY: [-30, -21] as [number, number],
    };
    const inside = (x: number, y: number): boolean => {
      const u = x * Math.cos(angle) + y * Math.sin(angle);
      const v = -x * Math.sin(angle) + y * Math.cos(angle);
      return (u / a) ** 2 + (v / b) ** 2 <= 1;
    };
    const mask = drawMask(spec, (x, y, z) => z === 0 && inside(x, y));
    const { grid, result } = measure(spec, mask);
    const voxel = Math.max(...spec.pixelSpacing);
    expect(result.sliceIndex).toBe(0);
    expect(Math.abs(result.longAxis.lengthMm - 2 * a)).toBeLessThanOrEqual(voxel);
    expect(Math.abs(result.shortAxis.lengthMm - 2 * b)).toBeLessThanOrEqual(voxel);
    const { start, end } = result.longAxis;
    const direction = Math.atan2(
      end.patientMm[1] - start.patientMm[1],
      end.patientMm[0] - start.patientMm[0],
    );
    const off = Math.abs(Math.sin(direction - angle));
    expect(off).toBeLessThan(0.05);
    // Short axis is perpendicular within the τ band (one pixel along the long axis).
    const s = result.shortAxis;
    const ux = Math.cos(direction);
    const uy = Math.sin(direction);
    const along =
      (s.end.patientMm[0] - s.start.patientMm[0]) * ux +
      (s.end.patientMm[1] - s.start.patientMm[1]) * uy;
    expect(Math.abs(along)).toBeLessThanOrEqual(result.perpendicularToleranceMm + 1e-9);
    // Endpoints are inside pixels and their patient mm match their indices.
    for (const endpoint of [start, end, s.start, s.end]) {
      const { sliceIndex, row, column } = endpoint.index;
      expect(mask[sliceIndex]?.[row * grid.columns + column]).toBe(1);
      expect(endpoint.patientMm[0]).toBeCloseTo(-30 + column * 0.75, 9);
      expect(endpoint.patientMm[1]).toBeCloseTo(-21 + row * 0.6, 9);
    }
  });

  it('equals an all-pairs brute force on random blobs and picks the longest slice', () => {
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const spec = {
      rows: 24,
      columns: 28,
      pixelSpacing: [1.1, 0.7] as [number, number],
      slicePositions: evenPositions(6, 0, 2.5),
    };
    const mask = spec.slicePositions.map(() => {
      const slice = new Uint8Array(spec.rows * spec.columns);
      for (let i = 0; i < slice.length; i++) slice[i] = random() < 0.08 ? 1 : 0;
      return slice;
    });
    const { result } = measure(spec, mask);
    const perSlice = mask.map((slice) => bruteForceLongest(slice, spec));
    const longest = Math.max(...perSlice);
    expect(result.longAxis.lengthMm).toBeCloseTo(longest, 9);
    expect(result.sliceIndex).toBe(perSlice.findIndex((d) => Math.abs(d - longest) < 1e-9));
  });

  it('gives zero axes for one pixel and a zero short axis for a line', () => {
    const spec = { rows: 5, columns: 9, slicePositions: [0, 1], pixelSpacing: UNIT_SPACING };
    const dot = new Uint8Array(45);
    dot[22] = 1;
    const single = measure(spec, [dot, null]).result;
    expect(single.longAxis.lengthMm).toBe(0);
    expect(single.shortAxis.lengthMm).toBe(0);
    const line = new Uint8Array(45);
    for (let c = 1; c <= 7; c++) line[2 * 9 + c] = 1;
    const bar = measure(spec, [null, line]).result;
    expect(bar.sliceIndex).toBe(1);
    expect(bar.longAxis.lengthMm).toBe(6);
    expect(bar.shortAxis.lengthMm).toBe(0);
  });

  it('returns null for an empty mask', () => {
    const spec = { rows: 3, columns: 3, slicePositions: [0, 1], pixelSpacing: UNIT_SPACING };
    const grid = computeVoxelGrid(createSyntheticGeometry(spec));
    expect(computeBidimensionalDiameters([null, new Uint8Array(9)], grid)).toBeNull();
  });
});
