/**
 * Conversions between patient coordinates (mm) and continuous image index
 * coordinates of one image plane. Index convention: (column, row) with integers
 * at pixel centres, as DICOM's ImagePositionPatient is the centre of the first
 * pixel; the pixel (c, r) covers [c - 0.5, c + 0.5] x [r - 0.5, r + 0.5].
 */
import { dot, type ImagePlane, type Vec3 } from './seriesGeometry';

/** Continuous (column, row) of a point projected onto the plane. */
export function worldToImageIndex(plane: ImagePlane, world: Vec3): [number, number] {
  const o = plane.ImageOrientationPatient;
  const rowDir: Vec3 = [o[0], o[1], o[2]];
  const colDir: Vec3 = [o[3], o[4], o[5]];
  const p = plane.ImagePositionPatient;
  const d: Vec3 = [world[0] - p[0], world[1] - p[1], world[2] - p[2]];
  // PixelSpacing is [between rows, between columns]: a step along a row (next
  // column) is the second value.
  return [dot(d, rowDir) / plane.PixelSpacing[1], dot(d, colDir) / plane.PixelSpacing[0]];
}

/** Patient position of continuous (column, row) index coordinates. */
export function imageIndexToWorld(plane: ImagePlane, column: number, row: number): Vec3 {
  const o = plane.ImageOrientationPatient;
  const p = plane.ImagePositionPatient;
  const dc = column * plane.PixelSpacing[1];
  const dr = row * plane.PixelSpacing[0];
  return [p[0] + o[0] * dc + o[3] * dr, p[1] + o[1] * dc + o[4] * dr, p[2] + o[2] * dc + o[5] * dr];
}
