/**
 * How the engine reads images: one slice at a time, in modality units, through an
 * accessor that the viewer (cornerstone's cache), an evaluation command (DICOM files
 * on disk) or a test (arrays) implements. Nothing here knows where pixels live.
 */
import type { ImagePlane } from '../dicom/seriesGeometry';
import type { IntensityMapping } from './intensity';
import type { IntensityPreset } from './modelManifest';

/** One slice. */
export interface SliceImage {
  /**
   * Stable identity of the image (SOPInstanceUID, or the viewer's imageId): the
   * embedding cache key, so two different images must never share it.
   */
  key: string;
  /** Columns. */
  width: number;
  /** Rows. */
  height: number;
  /**
   * Modality values, row-major: HU for CT (rescale applied once, not twice),
   * MR's stored values, PET activity or SUV. Never display values.
   */
  pixels: ArrayLike<number>;
  /** The slice's plane, where the caller has it (for SEG and quantification). */
  plane?: ImagePlane;
}

/** A stack of slices sorted along the slice normal (index 0 first). */
export interface VolumeAccessor {
  /** Identity of the series (SeriesInstanceUID or a display-set id). */
  readonly key: string;
  /** DICOM Modality: picks the manifest's intensity preset. */
  readonly modality: string;
  readonly sliceCount: number;
  /**
   * The volume's intensity mapping when the caller already computed it (it needs
   * every slice); otherwise the engine computes it once from all slices.
   */
  readonly intensity?: IntensityMapping;
  /**
   * The window the reader chose instead of the manifest's preset for this
   * modality (intensityChoices.ts); not used when `intensity` is given.
   */
  readonly intensityPreset?: IntensityPreset;
  getSlice(index: number): Promise<SliceImage> | SliceImage;
}

/**
 * A volume over slices already in memory (tests, evaluation).
 * @throws {RangeError} from `getSlice` for an index outside the volume
 */
export function createArrayVolume(
  key: string,
  modality: string,
  slices: readonly SliceImage[],
  intensity?: IntensityMapping,
): VolumeAccessor {
  return {
    key,
    modality,
    sliceCount: slices.length,
    intensity,
    getSlice(index: number): SliceImage {
      const slice = slices[index];
      if (!slice) throw new RangeError(`slice ${index} is outside 0..${slices.length - 1}`);
      return slice;
    },
  };
}

/** All slices' pixels, in order (for the volume-wide intensity mapping). */
export async function readAllPixels(volume: VolumeAccessor): Promise<ArrayLike<number>[]> {
  const pixels: ArrayLike<number>[] = [];
  for (let i = 0; i < volume.sliceCount; i++) pixels.push((await volume.getSlice(i)).pixels);
  return pixels;
}
