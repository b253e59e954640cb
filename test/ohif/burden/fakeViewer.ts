/**
 * A stand-in for the few cornerstone calls the burden adapter makes (cache,
 * metadata, image loader), holding small synthetic series, so the adapter's
 * reading of labelmaps and pixels runs in Node.
 */
import type { CornerstoneLibraries } from '../../../extension/src/ohif/host/cornerstoneLibraries';

export interface FakeImage {
  referencedImageId?: string;
  slope?: number;
  intercept?: number;
  preScale?: { scaled?: boolean; scalingParameters?: { suvbw?: number; modality?: string } };
  getPixelData(): ArrayLike<number>;
}

export interface FakeViewer {
  libraries: CornerstoneLibraries;
  /** Images in the viewer's cache, by image id. */
  cache: Map<string, FakeImage>;
  /** Images the loader can fetch (not yet cached), by image id. */
  loadable: Map<string, FakeImage>;
  /** Metadata by type, then image id. */
  metadata: Map<string, Map<string, unknown>>;
  /** Image ids the loader was asked for, in order. */
  loaded: string[];
  /** Stack viewports on screen, each with the image ids of its stack in the viewer's order. */
  viewports: FakeStackViewport[];
}

/** The part of a stack viewport the burden adapter reads. */
export interface FakeStackViewport {
  id: string;
  getImageIds(): string[];
  getCurrentImageId(): string;
}

/** A stack viewport showing `imageIds` in that order. */
export function stackViewport(id: string, imageIds: string[]): FakeStackViewport {
  return { id, getImageIds: () => imageIds, getCurrentImageId: () => imageIds[0] ?? '' };
}

export function createFakeViewer(): FakeViewer {
  const cache = new Map<string, FakeImage>();
  const loadable = new Map<string, FakeImage>();
  const metadata = new Map<string, Map<string, unknown>>();
  const loaded: string[] = [];
  const viewports: FakeStackViewport[] = [];
  const cornerstone = {
    getEnabledElements: () => viewports.map((viewport) => ({ viewport })),
    cache: { getImage: (id: string) => cache.get(id) },
    metaData: { get: (type: string, id: string) => metadata.get(type)?.get(id) },
    imageLoader: {
      loadAndCacheImage: async (id: string) => {
        loaded.push(id);
        const image = loadable.get(id);
        if (!image) throw new Error(`no image ${id}`);
        cache.set(id, image);
        return image;
      },
    },
  };
  return {
    libraries: { cornerstone } as unknown as CornerstoneLibraries,
    cache,
    loadable,
    metadata,
    loaded,
    viewports,
  };
}

export function setMetadata(
  viewer: FakeViewer,
  type: string,
  imageId: string,
  value: unknown,
): void {
  const byId = viewer.metadata.get(type) ?? new Map<string, unknown>();
  byId.set(imageId, value);
  viewer.metadata.set(type, byId);
}

export function pixelImage(values: ArrayLike<number>, extra: Partial<FakeImage> = {}): FakeImage {
  return { ...extra, getPixelData: () => values };
}

/**
 * An axial series of `count` images of rows × columns, spacing in mm, whose
 * image ids are listed from the top slice down (reverse of the normal), as a
 * viewer may hold them.
 */
export function addAxialSeries(
  viewer: FakeViewer,
  options: {
    prefix: string;
    count: number;
    rows: number;
    columns: number;
    sliceMm: number;
    pixelMm: number;
    modality: string;
  },
): string[] {
  const ids = Array.from(
    { length: options.count },
    (_, k) => `${options.prefix}:${options.count - 1 - k}`,
  );
  for (const id of ids) {
    const z = Number(id.split(':')[1]) * options.sliceMm;
    setMetadata(viewer, 'imagePlaneModule', id, {
      rows: options.rows,
      columns: options.columns,
      imagePositionPatient: [0, 0, z],
      rowCosines: [1, 0, 0],
      columnCosines: [0, 1, 0],
      rowPixelSpacing: options.pixelMm,
      columnPixelSpacing: options.pixelMm,
      frameOfReferenceUID: '1.2.3',
    });
    setMetadata(viewer, 'sopCommonModule', id, {
      sopClassUID: '1.2.840.10008.5.1.4.1.1.2',
      sopInstanceUID: `sop-${id}`,
    });
    setMetadata(viewer, 'generalSeriesModule', id, {
      modality: options.modality,
      seriesInstanceUID: `series-${options.prefix}`,
      studyInstanceUID: 'study',
    });
  }
  return ids;
}
