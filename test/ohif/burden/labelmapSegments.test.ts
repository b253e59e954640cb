/**
 * Labelmaps as the viewer holds them, to per-segment masks: plain labelmaps
 * storing segment indices, and cornerstone 5's layers for overlapping segments
 * (value maps and segment bindings).
 */
import {
  describeLabelmapSegmentation,
  readSegmentMasks,
  type SegmentationLike,
} from '../../../extension/src/ohif/burden/labelmapSegments';
import { createFakeViewer, pixelImage, type FakeViewer } from './fakeViewer';

function addLabelmap(viewer: FakeViewer, id: string, source: string, values: number[]): void {
  viewer.cache.set(id, pixelImage(Uint8Array.from(values), { referencedImageId: source }));
}

function segmentation(
  labelmap: SegmentationLike['representationData'],
  labels: string[],
): SegmentationLike {
  const segments = Object.fromEntries(
    labels.map((label, i) => [i + 1, { segmentIndex: i + 1, label }]),
  );
  return {
    segmentationId: 'seg',
    label: 'Lesions',
    segments: { 0: null, ...segments },
    representationData: labelmap,
  };
}

describe('labelmap segmentations to masks', () => {
  it('splits a plain labelmap by segment index, null where a segment has no voxel', () => {
    const viewer = createFakeViewer();
    addLabelmap(viewer, 'lm-b', 'src-b', [0, 1, 1, 0, 2, 0]);
    addLabelmap(viewer, 'lm-a', 'src-a', [0, 0, 0, 0, 0, 0]);
    addLabelmap(viewer, 'lm-c', 'src-c', [7, 0, 0, 0, 0, 2]);
    const described = describeLabelmapSegmentation(
      viewer.libraries,
      segmentation({ Labelmap: { imageIds: ['lm-b', 'lm-a', 'lm-c'] } }, [
        'one',
        'two',
        'never drawn',
      ]),
    );
    expect(described).not.toBeNull();
    expect(described!.segments.map((s) => [s.segmentIndex, s.label])).toEqual([
      [1, 'one'],
      [2, 'two'],
      [3, 'never drawn'],
    ]);
    expect(described!.sourceImageIds.sort()).toEqual(['src-a', 'src-b', 'src-c']);
    const masks = readSegmentMasks(viewer.libraries, described!, ['src-a', 'src-b', 'src-c']);
    expect(masks.get(1)).toEqual([null, Uint8Array.from([0, 1, 1, 0, 0, 0]), null]);
    expect(masks.get(2)).toEqual([
      null,
      Uint8Array.from([0, 0, 0, 0, 1, 0]),
      Uint8Array.from([0, 0, 0, 0, 0, 1]),
    ]);
    // A value that names no segment (7) counts for none.
    expect(masks.get(3)).toEqual([null, null, null]);
  });

  it('reads overlapping segments from labelmap layers with value maps', () => {
    const viewer = createFakeViewer();
    addLabelmap(viewer, 'a0', 'src-0', [1, 1, 0, 0, 0, 0]);
    addLabelmap(viewer, 'b0', 'src-0', [0, 1, 1, 0, 0, 0]);
    const described = describeLabelmapSegmentation(
      viewer.libraries,
      segmentation(
        {
          Labelmap: {
            labelmaps: {
              a: { labelmapId: 'a', imageIds: ['a0'], labelToSegmentIndex: { 1: 2 } },
              b: { labelmapId: 'b', imageIds: ['b0'], labelToSegmentIndex: { 1: 1 } },
            },
          },
        },
        ['one', 'two'],
      ),
    );
    const masks = readSegmentMasks(viewer.libraries, described!, ['src-0']);
    expect(masks.get(2)).toEqual([Uint8Array.from([1, 1, 0, 0, 0, 0])]);
    expect(masks.get(1)).toEqual([Uint8Array.from([0, 1, 1, 0, 0, 0])]);
  });

  it('maps layer values through segment bindings when a layer has no value map', () => {
    const viewer = createFakeViewer();
    addLabelmap(viewer, 'a0', 'src-0', [0, 0, 5, 5, 0, 0]);
    const described = describeLabelmapSegmentation(
      viewer.libraries,
      segmentation(
        {
          Labelmap: {
            labelmaps: { a: { labelmapId: 'a', imageIds: ['a0'] } },
            segmentBindings: { 2: { labelmapId: 'a', labelValue: 5 } },
          },
        },
        ['one', 'two'],
      ),
    );
    const masks = readSegmentMasks(viewer.libraries, described!, ['src-0']);
    expect(masks.get(2)).toEqual([Uint8Array.from([0, 0, 1, 1, 0, 0])]);
    expect(masks.get(1)).toEqual([null]);
  });

  it('gives null for segmentations without labelmap images in the cache', () => {
    const viewer = createFakeViewer();
    expect(describeLabelmapSegmentation(viewer.libraries, segmentation({}, ['one']))).toBeNull();
    const uncached = segmentation({ Labelmap: { imageIds: ['missing'] } }, ['one']);
    expect(describeLabelmapSegmentation(viewer.libraries, uncached)).toBeNull();
  });
});
