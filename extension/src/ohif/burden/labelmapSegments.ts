/**
 * Reads any labelmap segmentation the viewer holds (ours, one loaded from a
 * DICOM SEG, one painted with the viewer's brush) as plain per-slice masks.
 *
 * OHIF 3.13 keeps a stack labelmap as one derived image per source image, each
 * naming its source in `referencedImageId`. Segments that overlap (a SEG with
 * overlapping segments) are spread by cornerstone 5 over several labelmap
 * layers, each mapping its stored label values to segment indices; a labelmap
 * without layers stores the segment index itself.
 */
import type { CornerstoneLibraries } from '../host/cornerstoneLibraries';

export interface SegmentDescription {
  segmentIndex: number;
  label: string;
}

interface Layer {
  /** Labelmap image id by source image id. */
  bySource: Map<string, string>;
  /** Stored value to segment index; null when the value is the segment index. */
  valueToSegment: Map<number, number> | null;
}

/** A segmentation reduced to what measuring it needs. */
export interface LabelmapSegmentation {
  segmentationId: string;
  label: string;
  segments: SegmentDescription[];
  /** Every source image some layer has a labelmap image for. */
  sourceImageIds: string[];
  layers: Layer[];
}

interface LayerData {
  labelmapId?: string;
  imageIds?: string[];
  labelToSegmentIndex?: Record<number, number>;
}

interface LabelmapData extends LayerData {
  labelmaps?: Record<string, LayerData>;
  segmentBindings?: Record<number, { labelmapId: string; labelValue: number } | undefined>;
}

/** The fields of a cornerstone Segmentation (segmentationService.getSegmentations()) we read. */
export interface SegmentationLike {
  segmentationId: string;
  label?: string;
  segments: Record<string, { segmentIndex: number; label?: string } | null | undefined>;
  representationData?: { Labelmap?: LabelmapData };
}

interface LabelmapImageLike {
  referencedImageId?: string;
  getPixelData(): ArrayLike<number>;
}

function valueMapOf(layer: LayerData, data: LabelmapData): Map<number, number> | null {
  if (layer.labelToSegmentIndex) {
    const entries = Object.entries(layer.labelToSegmentIndex).map(
      ([v, s]) => [Number(v), s] as const,
    );
    return new Map(entries);
  }
  const bound = Object.entries(data.segmentBindings ?? {}).flatMap(([segment, binding]) =>
    binding && binding.labelmapId === layer.labelmapId
      ? [[binding.labelValue, Number(segment)] as const]
      : [],
  );
  return bound.length > 0 ? new Map(bound) : null;
}

function readLayer(libraries: CornerstoneLibraries, layer: LayerData, data: LabelmapData): Layer {
  const bySource = new Map<string, string>();
  for (const id of layer.imageIds ?? []) {
    const image = libraries.cornerstone.cache.getImage(id) as unknown as
      | LabelmapImageLike
      | undefined;
    if (image?.referencedImageId) bySource.set(image.referencedImageId, id);
  }
  return { bySource, valueToSegment: valueMapOf(layer, data) };
}

/**
 * The segmentation's segments and labelmap layers, or null when it has no
 * labelmap images in the viewer's cache (a contour or surface segmentation).
 */
export function describeLabelmapSegmentation(
  libraries: CornerstoneLibraries,
  segmentation: SegmentationLike,
): LabelmapSegmentation | null {
  const data = segmentation.representationData?.Labelmap;
  if (!data) return null;
  const layerData =
    data.labelmaps && Object.keys(data.labelmaps).length > 0
      ? Object.values(data.labelmaps)
      : [data];
  const layers = layerData
    .map((layer) => readLayer(libraries, layer, data))
    .filter((l) => l.bySource.size > 0);
  if (layers.length === 0) return null;
  const sourceImageIds = [...new Set(layers.flatMap((l) => [...l.bySource.keys()]))];
  const segments = Object.values(segmentation.segments)
    .filter((s): s is { segmentIndex: number; label?: string } => !!s && s.segmentIndex > 0)
    .sort((a, b) => a.segmentIndex - b.segmentIndex)
    .map((s) => ({ segmentIndex: s.segmentIndex, label: s.label ?? String(s.segmentIndex) }));
  return {
    segmentationId: segmentation.segmentationId,
    label: segmentation.label ?? segmentation.segmentationId,
    segments,
    sourceImageIds,
    layers,
  };
}

/**
 * One 0/1 mask per segment and source image (`imageIds` order), null where the
 * segment has no voxel on that image, so long series of small lesions cost
 * little memory. Each labelmap image is read once for all segments.
 */
export function readSegmentMasks(
  libraries: CornerstoneLibraries,
  segmentation: LabelmapSegmentation,
  imageIds: readonly string[],
): Map<number, Array<Uint8Array | null>> {
  const masks = new Map<number, Array<Uint8Array | null>>();
  for (const { segmentIndex } of segmentation.segments) {
    masks.set(
      segmentIndex,
      imageIds.map(() => null),
    );
  }
  imageIds.forEach((sourceId, slice) => {
    for (const layer of segmentation.layers) {
      const labelmapId = layer.bySource.get(sourceId);
      const image = labelmapId
        ? (libraries.cornerstone.cache.getImage(labelmapId) as unknown as
            | LabelmapImageLike
            | undefined)
        : undefined;
      if (!image) continue;
      const values = image.getPixelData();
      for (let i = 0; i < values.length; i++) {
        const value = values[i] ?? 0;
        if (value === 0) continue;
        const segmentIndex = layer.valueToSegment ? layer.valueToSegment.get(value) : value;
        const perSlice = segmentIndex === undefined ? undefined : masks.get(segmentIndex);
        if (!perSlice) continue;
        let mask = perSlice[slice];
        if (!mask) {
          mask = new Uint8Array(values.length);
          perSlice[slice] = mask;
        }
        mask[i] = 1;
      }
    }
  });
  return masks;
}
