/**
 * "Image N of M" must be the number the viewer's scrollbar and overlay show.
 * A stack counts in image order; a volume viewport counts along its view
 * normal, which on the sarcoma study runs against its image list once OHIF has
 * turned the CT and PET into volume viewports (seen there: the camera on the
 * 25th image of the list while the overlay read "24/48"). Numbering by the list
 * in that case sends the radiologist three slices away from the measured one.
 */
import {
  viewerSlicePosition,
  type StackViewportLike,
} from '../../../extension/src/ohif/viewport/stackViewport';

const IMAGES = ['a', 'b', 'c', 'd', 'e', 'f'];

function viewport(current: string, sliceIndex?: number): StackViewportLike {
  return {
    id: 'v',
    element: {} as HTMLDivElement,
    getImageIds: () => IMAGES,
    getCurrentImageId: () => current,
    getCurrentImageIdIndex: () => IMAGES.indexOf(current),
    getSliceIndex: sliceIndex === undefined ? undefined : () => sliceIndex,
    worldToCanvas: () => [0, 0],
    render: () => undefined,
  };
}

describe('the place of an image as the viewer numbers it', () => {
  it('counts in image order where the viewer does (a stack, or a volume counting the same way)', () => {
    expect(viewerSlicePosition(viewport('c', 2), IMAGES, 4)).toBe(5);
    expect(viewerSlicePosition(viewport('c'), IMAGES, 4)).toBe(5);
  });

  it('counts from the other end where the viewer counts against the image list', () => {
    // current image 'c' (list index 2) is the viewer's slice index 3 of 0..5
    expect(viewerSlicePosition(viewport('c', 3), IMAGES, 4)).toBe(2);
    expect(viewerSlicePosition(viewport('c', 3), IMAGES, 0)).toBe(6);
  });

  it('keeps image order when the two cannot be matched (a slice index that is neither)', () => {
    expect(viewerSlicePosition(viewport('c', 0), IMAGES, 4)).toBe(5);
    expect(viewerSlicePosition(viewport('zz', 3), IMAGES, 4)).toBe(5);
  });
});
