/**
 * Drives the real viewer in a test: finds the viewport of a series, shows a
 * slice, drags a box with the mouse exactly over given pixels, and reads back
 * the labelmap the viewer holds. Everything goes through the page's own
 * cornerstone (window.cornerstone, window.cornerstoneTools), as a person's
 * clicks would, without hooks in our code.
 */
import type { Page } from 'playwright-core';

/** [firstColumn, firstRow, lastColumn, lastRow], inclusive pixel indices. */
export type PixelBox = [number, number, number, number];

/** The id of the viewport showing a series (matched on its SeriesInstanceUID). */
export async function findViewportId(page: Page, SeriesInstanceUID: string): Promise<string> {
  const id = await page.waitForFunction((series) => {
    const cs = (window as any).cornerstone;
    for (const { viewport } of cs?.getEnabledElements() ?? []) {
      let ids: string[] = [];
      try {
        ids = viewport.getImageIds?.() ?? [];
      } catch {
        // a volume viewport still being built has no volume yet
      }
      if (ids.length && ids[0]!.includes(`/series/${series}/`) && viewport.viewportStatus === 'rendered') return viewport.id;
    }
    return null;
  }, SeriesInstanceUID, { timeout: 60_000 });
  return (await id.jsonValue()) as string;
}

/** Scrolls the viewport to the image with this SOPInstanceUID; returns its index. */
export async function showSlice(page: Page, viewportId: string, SOPInstanceUID: string): Promise<number> {
  const index = await page.evaluate(async ([vpId, sop]) => {
    const cs = (window as any).cornerstone;
    const viewport = cs.getEnabledElements().find((e: any) => e.viewport.id === vpId).viewport;
    const ids: string[] = viewport.getImageIds();
    const i = ids.findIndex((id: string) => id.includes(`/instances/${sop}/`));
    if (i < 0) throw new Error(`image ${sop} is not in viewport ${vpId}`);
    if (typeof viewport.setImageIdIndex === 'function') await viewport.setImageIdIndex(i);
    else {
      // a volume viewport (OHIF makes them once a segmentation spans series)
      viewport.setViewReference({ FrameOfReferenceUID: viewport.getFrameOfReferenceUID(), referencedImageId: ids[i] });
      viewport.render();
    }
    return i;
  }, [viewportId, SOPInstanceUID] as const);
  await page.waitForTimeout(500);
  return index;
}

/** Page coordinates of pixel corners (index space, pixel centres on integers). */
async function pixelCornersOnPage(page: Page, viewportId: string, box: PixelBox): Promise<[number, number, number, number]> {
  return page.evaluate(([vpId, b]) => {
    const cs = (window as any).cornerstone;
    const viewport = cs.getEnabledElements().find((e: any) => e.viewport.id === vpId).viewport;
    const plane = cs.metaData.get('imagePlaneModule', viewport.getCurrentImageId());
    const toWorld = (c: number, r: number) =>
      [0, 1, 2].map(
        (k) =>
          plane.imagePositionPatient[k] +
          plane.rowCosines[k] * c * plane.columnPixelSpacing +
          plane.columnCosines[k] * r * plane.rowPixelSpacing,
      );
    const rect = viewport.element.getBoundingClientRect();
    // Corners of the box's outer pixel edges: first pixel's top-left, last pixel's bottom-right.
    const a = viewport.worldToCanvas(toWorld(b[0] - 0.5, b[1] - 0.5));
    const z = viewport.worldToCanvas(toWorld(b[2] + 0.5, b[3] + 0.5));
    return [rect.left + a[0], rect.top + a[1], rect.left + z[0], rect.top + z[1]] as [number, number, number, number];
  }, [viewportId, box] as const);
}

/** Opens our MedSAM panel's tab when the viewer has switched the right panel away. */
export async function showMedSAMPanel(page: Page): Promise<void> {
  if (await page.getByTestId('medsam-panel').isVisible()) return;
  await page.locator('[data-cy="medsam-btn"]').click();
  await page.getByTestId('medsam-panel').waitFor();
}

/**
 * Clicks the viewport, near its top-left corner (background, not the image), so
 * that it becomes the viewer's active viewport.
 */
export async function activateViewport(page: Page, viewportId: string): Promise<void> {
  const box = await page.evaluate((vpId) => {
    const cs = (window as any).cornerstone;
    const rect = cs.getEnabledElements().find((e: any) => e.viewport.id === vpId).viewport.element.getBoundingClientRect();
    return { x: rect.left + 12, y: rect.top + rect.height * 0.15 };
  }, viewportId);
  await page.mouse.click(box.x, box.y);
  // cornerstone holds a click back while it waits for a possible double click;
  // a drag that starts within that time would begin at this click's point.
  await page.waitForTimeout(1500);
}

/**
 * Drags a rectangle with the active tool over the given pixels. The corners are
 * read until the layout holds still (panels finishing their first render move
 * the viewport), so the box lands where it was meant to.
 */
export async function dragBox(page: Page, viewportId: string, box: PixelBox): Promise<void> {
  let corners = await pixelCornersOnPage(page, viewportId, box);
  for (let tries = 0; tries < 20; tries++) {
    await page.waitForTimeout(300);
    const again = await pixelCornersOnPage(page, viewportId, box);
    const still = again.every((v, i) => Math.abs(v - corners[i]!) < 0.5);
    corners = again;
    if (still) break;
  }
  const [x0, y0, x1, y1] = corners;
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  const steps = 8;
  for (let i = 1; i <= steps; i++) await page.mouse.move(x0 + ((x1 - x0) * i) / steps, y0 + ((y1 - y0) * i) / steps);
  await page.mouse.up();
}

/**
 * The voxels of `segmentIndex` in the first segmentation, per source SOPInstanceUID
 * (base64 of a 0/1 byte mask), read from the viewer's labelmap images.
 */
export async function readSegmentMasks(page: Page, segmentIndex: number): Promise<Map<string, Uint8Array>> {
  const entries = await page.evaluate((index) => {
    const cs = (window as any).cornerstone;
    const tools = (window as any).cornerstoneTools;
    const segmentation = tools.segmentation.state.getSegmentations()[0];
    if (!segmentation) return [];
    const out: Array<[string, string]> = [];
    for (const id of segmentation.representationData.Labelmap.imageIds as string[]) {
      const image = cs.cache.getImage(id);
      const data = image.getPixelData();
      const mask = new Uint8Array(data.length);
      for (let i = 0; i < data.length; i++) mask[i] = data[i] === index ? 1 : 0;
      const sop = /\/instances\/([^/]+)\//.exec(image.referencedImageId)?.[1] ?? image.referencedImageId;
      let binary = '';
      for (let i = 0; i < mask.length; i++) binary += String.fromCharCode(mask[i]!);
      out.push([sop, btoa(binary)]);
    }
    return out;
  }, segmentIndex);
  return new Map(entries.map(([sop, b64]) => [sop, Uint8Array.from(Buffer.from(b64, 'base64'))]));
}
