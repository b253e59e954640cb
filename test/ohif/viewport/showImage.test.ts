/**
 * A lesion row or the jump button brings its slice into view whether the viewer
 * made the viewport a stack or a volume viewport (a new user's click on a row
 * failed with "setImageIdIndex is not a function" once OHIF had turned the
 * sarcoma study's viewports into volume viewports).
 */
import type { StackViewportLike } from '../../../extension/src/ohif/viewport/stackViewport';
import { showImage } from '../../../extension/src/ohif/viewport/showImage';

const IMAGE_IDS = ['wadors:/a/instances/1/frames/1', 'wadors:/a/instances/2/frames/1', 'wadors:/a/instances/3/frames/1'];

function baseViewport(): StackViewportLike {
  return {
    id: 'vp',
    element: {} as HTMLDivElement,
    getImageIds: () => IMAGE_IDS,
    getCurrentImageId: () => IMAGE_IDS[0]!,
    getCurrentImageIdIndex: () => 0,
    worldToCanvas: () => [0, 0],
    render: () => undefined,
  };
}

describe('showImage', () => {
  it('scrolls a stack viewport to the image index', async () => {
    const calls: number[] = [];
    const stack = { ...baseViewport(), setImageIdIndex: async (i: number) => (calls.push(i), IMAGE_IDS[i]!) };
    await expect(showImage(stack, IMAGE_IDS[2]!)).resolves.toBe(true);
    expect(calls).toEqual([2]);
  });

  it('moves a volume viewport by view reference, in its frame of reference, and renders', async () => {
    const references: unknown[] = [];
    let renders = 0;
    const volume = {
      ...baseViewport(),
      getFrameOfReferenceUID: () => '1.2.3',
      setViewReference: (reference: unknown) => void references.push(reference),
      render: () => void renders++,
    };
    await expect(showImage(volume, IMAGE_IDS[1]!)).resolves.toBe(true);
    expect(references).toEqual([{ FrameOfReferenceUID: '1.2.3', referencedImageId: IMAGE_IDS[1] }]);
    expect(renders).toBe(1);
  });

  it('says no for an image the viewport does not hold, or a viewport it cannot move', async () => {
    const references: unknown[] = [];
    const volume = {
      ...baseViewport(),
      getFrameOfReferenceUID: () => '1.2.3',
      setViewReference: (reference: unknown) => void references.push(reference),
    };
    await expect(showImage(volume, 'wadors:/other')).resolves.toBe(false);
    expect(references).toEqual([]);
    await expect(showImage(baseViewport(), IMAGE_IDS[0]!)).resolves.toBe(false);
  });

  it('waits out a volume viewport the viewer is still building (its getImageIds throws)', async () => {
    const building = {
      ...baseViewport(),
      getImageIds: (): string[] => {
        throw new Error('No actor found for the given volumeId: undefined');
      },
      getFrameOfReferenceUID: () => '1.2.3',
      setViewReference: () => undefined,
    };
    await expect(showImage(building, IMAGE_IDS[0]!)).resolves.toBe(false);
  });
});
