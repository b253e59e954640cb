/**
 * Geometry of a stack of single-frame images, in DICOM patient coordinates (mm).
 * Shared by the inference, SEG and quantification cores, which never see
 * cornerstone: host adapters fill these plain objects from the viewer's metadata.
 */

export type Vec3 = [number, number, number];

/** One image's plane, as its DICOM attributes state it. */
export interface ImagePlane {
  Rows: number;
  Columns: number;
  /** Centre of the first transmitted pixel (top left), mm. */
  ImagePositionPatient: Vec3;
  /** Row direction cosines (along a row, increasing column) then column direction. */
  ImageOrientationPatient: [number, number, number, number, number, number];
  /** [spacing between rows, spacing between columns], mm: the DICOM order. */
  PixelSpacing: [number, number];
}

/** One source image of a series, with what a SEG must reference. */
export interface SourceImage extends ImagePlane {
  SOPClassUID: string;
  SOPInstanceUID: string;
}

/** A series whose images are sorted along the slice normal, ascending. */
export interface SeriesGeometry {
  /** For reports (the burden CSV names whose study it is); absent when unknown. */
  PatientID?: string;
  StudyInstanceUID: string;
  SeriesInstanceUID: string;
  FrameOfReferenceUID: string;
  Modality: string;
  images: SourceImage[];
}

export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/** Unit normal of an image plane: row cosines × column cosines. */
export function computeSliceNormal(plane: ImagePlane): Vec3 {
  const o = plane.ImageOrientationPatient;
  return cross([o[0], o[1], o[2]], [o[3], o[4], o[5]]);
}

/** Position of an image along the normal, mm. */
export function computeSlicePosition(plane: ImagePlane, normal: Vec3): number {
  return dot(plane.ImagePositionPatient, normal);
}

/**
 * Sorts images along the slice normal of the first one (ascending position).
 * The distance between neighbouring positions, not SliceThickness, is the true
 * slice spacing: thickness and spacing differ in overlapping reconstructions.
 */
export function sortAlongNormal<T extends ImagePlane>(images: readonly T[]): T[] {
  const first = images[0];
  if (!first) return [];
  const normal = computeSliceNormal(first);
  return [...images].sort(
    (a, b) => computeSlicePosition(a, normal) - computeSlicePosition(b, normal),
  );
}
