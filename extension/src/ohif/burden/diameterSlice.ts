/**
 * Where a lesion's long-axis slice is, computed once for the panel ("Image N
 * of M") and the CSV, so a radiologist finds the same image from either.
 *
 * The measurement indexes slices along the normal (sourceSeries.ts), while
 * the viewer's stack may run the other way; neither index is the image's
 * InstanceNumber, which a series may start at 0 or 1, offset, or reverse.
 * So the slice is given as its place in the stack of the viewport showing
 * the series, counted as the viewer's scrollbar counts it (a volume viewport
 * may count from the other end of its image list), and as its InstanceNumber.
 */
import type { DiameterSliceReference, TumourBurdenCsvRow } from '../../core/quant';
import type { CornerstoneLibraries } from '../host/cornerstoneLibraries';
import type { LesionRow } from './burdenState';
import { findSeriesViewport } from './findSeriesViewport';
import { readImageIds, viewerSlicePosition } from '../viewport/stackViewport';

/** The long-axis slice as the viewer shows it. */
export interface DiameterSlice extends DiameterSliceReference {
  /** Images in that viewport's stack (M of "Image N of M"); null with stackPosition. */
  stackLength: number | null;
}

interface GeneralImageModule {
  instanceNumber?: unknown;
}

function toInteger(value: unknown): number | null {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  const n = typeof first === 'string' && first.trim() !== '' ? Number(first) : first;
  return typeof n === 'number' && Number.isInteger(n) ? n : null;
}

/** InstanceNumber from the viewer's metadata: its image module, else the instance. */
export function readInstanceNumber(
  libraries: CornerstoneLibraries,
  imageId: string,
): number | null {
  const { metaData } = libraries.cornerstone;
  const module = metaData.get('generalImageModule', imageId) as GeneralImageModule | undefined;
  const fromModule = toInteger(module?.instanceNumber);
  if (fromModule !== null) return fromModule;
  const instance = metaData.get('instance', imageId) as Record<string, unknown> | undefined;
  return toInteger(instance?.['InstanceNumber']);
}

/**
 * The long-axis slice of a measured row: its place in the stack of the
 * viewport that shows the series (null when none does) and its
 * InstanceNumber; null when the segment has no diameters.
 */
export function locateDiameterSlice(
  libraries: CornerstoneLibraries,
  row: Pick<LesionRow, 'measurement' | 'imageIds'>,
): DiameterSlice | null {
  const sliceIndex = row.measurement.diameters?.sliceIndex;
  const imageId = sliceIndex === undefined ? undefined : row.imageIds[sliceIndex];
  if (!imageId) return null;
  const viewport = findSeriesViewport(libraries, imageId, null);
  const stack = viewport ? readImageIds(viewport) : [];
  const at = stack.indexOf(imageId);
  return {
    stackPosition: viewport && at >= 0 ? viewerSlicePosition(viewport, stack, at) : null,
    stackLength: at >= 0 ? stack.length : null,
    InstanceNumber: readInstanceNumber(libraries, imageId),
  };
}

/** The CSV row of a panel row: the same slice numbers the panel shows. */
export function toCsvRow(row: LesionRow): TumourBurdenCsvRow {
  const slice = row.diameterSlice;
  return {
    measurement: row.measurement,
    diameterSlice: slice && {
      stackPosition: slice.stackPosition,
      InstanceNumber: slice.InstanceNumber,
    },
  };
}
