/**
 * The series shown in a stack viewport as the engine's VolumeAccessor: slices
 * in the viewport's order (OHIF sorts them along the slice normal), pixels read
 * from the viewer's cache in modality units.
 */
import type { IntensityPreset } from '../../core/inference/modelManifest';
import type { VolumeAccessor, SliceImage } from '../../core/inference/volumeAccessor';
import type { CornerstoneLibraries } from '../host/cornerstoneLibraries';
import { readSliceFromViewer } from './readSliceFromViewer';

export function createViewerVolume(
  libraries: CornerstoneLibraries,
  key: string,
  modality: string,
  imageIds: readonly string[],
  intensityPreset?: IntensityPreset,
): VolumeAccessor {
  return {
    key,
    modality,
    intensityPreset,
    sliceCount: imageIds.length,
    async getSlice(index: number): Promise<SliceImage> {
      const imageId = imageIds[index];
      if (imageId === undefined) throw new RangeError(`slice ${index} is outside 0..${imageIds.length - 1}`);
      const slice = await readSliceFromViewer(libraries, imageId);
      return {
        key: imageId,
        width: slice.plane.Columns,
        height: slice.plane.Rows,
        pixels: slice.values,
        plane: slice.plane,
      };
    },
  };
}
