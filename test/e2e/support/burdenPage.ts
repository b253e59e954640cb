/**
 * Drives the tumour-burden panel in a test: puts a known segmentation into the
 * viewer the way any other tool would (the viewer's own segmentation service
 * and labelmap images, through window.services and window.cornerstone), opens
 * the panel and reads what it shows.
 */
import type { Page } from 'playwright-core';

/** Data-cy of the panel's tab: OHIF names side-panel tabs `${panel name}-btn`. */
const BURDEN_TAB = '[data-cy="medsam-burden-btn"]';

/**
 * Creates a labelmap segmentation on the series shown in `viewportId` and paints
 * `masks` (0/1 per pixel, by source SOPInstanceUID) into segment 1.
 * @returns the segmentationId
 */
export async function paintSegmentation(
  page: Page,
  viewportId: string,
  SeriesInstanceUID: string,
  masks: Map<string, Uint8Array>,
  labels: { segmentation: string; segment: string },
): Promise<string> {
  const encoded = [...masks].map(
    ([sop, mask]) => [sop, Buffer.from(mask).toString('base64')] as const,
  );
  return page.evaluate(
    async ({ vpId, series, entries, names }) => {
      const w = window as any;
      const { segmentationService, displaySetService } = w.services;
      const displaySet = displaySetService
        .getActiveDisplaySets()
        .find((ds: any) => ds.SeriesInstanceUID === series && ds.Modality !== 'SEG');
      const segmentationId: string = await segmentationService.createLabelmapForDisplaySet(
        displaySet,
        {
          label: names.segmentation,
          segments: { 1: { label: names.segment, active: true } },
        },
      );
      await segmentationService.addSegmentationRepresentation(vpId, { segmentationId });
      const bySop = new Map(entries.map(([sop, b64]: readonly [string, string]) => [sop, b64]));
      const segmentation = w.cornerstoneTools.segmentation.state.getSegmentation(segmentationId);
      for (const id of segmentation.representationData.Labelmap.imageIds as string[]) {
        const image = w.cornerstone.cache.getImage(id);
        const sop = /\/instances\/([^/]+)\//.exec(image.referencedImageId)?.[1];
        const b64 = sop ? bySop.get(sop) : undefined;
        if (!b64) continue;
        const bytes = atob(b64);
        for (let i = 0; i < bytes.length; i++)
          if (bytes.charCodeAt(i)) image.voxelManager.setAtIndex(i, 1);
      }
      w.cornerstoneTools.segmentation.triggerSegmentationEvents.triggerSegmentationDataModified(
        segmentationId,
      );
      return segmentationId;
    },
    { vpId: viewportId, series: SeriesInstanceUID, entries: encoded, names: labels },
  );
}

/**
 * Sets pixels of one source image (by SOPInstanceUID) to `segmentIndex` (0
 * erases), creating the segment first when it does not exist, as a brush would.
 */
export async function setLabelmapPixels(
  page: Page,
  segmentationId: string,
  edit: { sop: string; pixels: number[]; segmentIndex: number; label?: string },
): Promise<void> {
  await page.evaluate(
    ({ id, e }) => {
      const w = window as any;
      const { segmentationService } = w.services;
      const known = segmentationService.getSegmentation(id).segments[e.segmentIndex];
      if (e.segmentIndex > 0 && !known) {
        segmentationService.addSegment(id, { segmentIndex: e.segmentIndex, label: e.label });
      }
      const segmentation = w.cornerstoneTools.segmentation.state.getSegmentation(id);
      for (const imageId of segmentation.representationData.Labelmap.imageIds as string[]) {
        const image = w.cornerstone.cache.getImage(imageId);
        if (!image.referencedImageId.includes(`/instances/${e.sop}/`)) continue;
        for (const i of e.pixels) image.voxelManager.setAtIndex(i, e.segmentIndex);
      }
      w.cornerstoneTools.segmentation.triggerSegmentationEvents.triggerSegmentationDataModified(id);
    },
    { id: segmentationId, e: edit },
  );
}

/** Shows the tumour-burden panel (the viewer may have switched to its own segmentation panel). */
export async function openBurdenPanel(page: Page): Promise<void> {
  await page.locator(BURDEN_TAB).click();
  await page.getByTestId('burden-panel').waitFor({ timeout: 30_000 });
}

/** Waits until the panel shows `count` rows and no measurement is running. */
export async function waitForBurdenRows(
  page: Page,
  count: number,
  timeoutMs = 120_000,
): Promise<void> {
  await page.waitForFunction(
    (n) =>
      document.querySelectorAll('[data-testid="burden-row"]').length === n &&
      !document.querySelector('[data-testid="burden-progress"]'),
    count,
    { timeout: timeoutMs },
  );
}

/** A number as the panel shows it in `locale` ('en': 1,234.5; 'fr': 1 234,5), unit dropped. */
export function parseShownNumber(text: string, locale: 'en' | 'fr'): number {
  const numeric = text.replace(/[^\d.,\-−]/g, '').replace('−', '-');
  const plain =
    locale === 'fr' ? numeric.replace(/\./g, '').replace(',', '.') : numeric.replace(/,/g, '');
  const value = Number(plain);
  if (!Number.isFinite(value)) throw new Error(`"${text}" is not a number`);
  return value;
}

/** The text of an element of the selected row's details (or of the panel, for totals). */
export async function shownText(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).first().innerText()).trim();
}

/** Parses an RFC 4180 CSV (quoted fields, doubled quotes) into rows of strings. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const body = text.replace(/^\ufeff/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && body[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      (row = []), (field = ''), i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** CSV rows as objects keyed by the header row. */
export function readCsvRecords(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])));
}
