/**
 * The loop's edges on the sarcoma CT: Escape leaves no segment behind, the
 * viewer's undo restores the state before a MedSAM result, a second lesion gets
 * its own segment; a lesion on the CT and one on the PET of one session are both
 * reached from the tumour-burden rows; and the panel in French shows no English
 * string.
 */
import type { Page } from 'playwright-core';
import en from '../../extension/src/i18n/locales/en.json';
import fr from '../../extension/src/i18n/locales/fr.json';
import { BOX_TOOL_NAME } from '../../extension/src/ohif/ids';
import { openBurdenPanel, waitForBurdenRows } from './support/burdenPage';
import { loadSarcomaCase, maskBox, middleSlice } from './support/groundTruth';
import path from 'node:path';
import {
  SARCOMA_STUDY_UID,
  SCREENSHOT_DIR,
  dismissInvestigationalBanner,
  startTestStack,
  watchPageErrors,
  type TestStack,
} from './support/testStack';
import {
  activateViewport,
  dragBox,
  findViewportId,
  readSegmentMasks,
  showMedSAMPanel,
  showSlice,
  type PixelBox,
} from './support/viewerPage';

jest.setTimeout(600_000);

const count = (masks: Map<string, Uint8Array>) => [...masks.values()].reduce((n, m) => n + m.reduce((a, v) => a + v, 0), 0);

/** MedSAM boxes still held as annotations (each is removed once read). */
async function boxAnnotationCount(page: Page): Promise<number> {
  return page.evaluate(
    (toolName) => ((window as any).cornerstoneTools.annotation.state.getAllAnnotations() as any[])
      .filter((a) => a.metadata?.toolName === toolName).length,
    BOX_TOOL_NAME,
  );
}

async function segmentationCount(page: Page): Promise<number> {
  return page.evaluate(() => (window as any).cornerstoneTools.segmentation.state.getSegmentations().length);
}

describe('MedSAM editing on the sarcoma CT', () => {
  let t: TestStack;
  const truth = loadSarcomaCase('ct');
  const pet = loadSarcomaCase('pet');
  const k = middleSlice(truth.masks);
  const first = truth.series.geometry.images[0]!;
  /** A slice the first run neither encoded nor prefetched (the prefetch reaches 2 slices). */
  const UNENCODED_SLICE_OFFSET = 6;
  /** Longer than the viewer's segment-statistics debounce (1 s) plus its computation here. */
  const STATS_WINDOW_MS = 6_000;
  /** Pixels around the expert box for a loose box (the evaluation's +5 px column and more). */
  const LOOSE_MARGIN_PX = 8;
  const tumourBox = maskBox(truth.masks[k]!, first.Columns, first.Rows, 3);
  // A second "lesion": a box of the same size in the opposite corner of the image.
  const otherBox: PixelBox = [2, 2, 2 + tumourBox[2] - tumourBox[0], 2 + tumourBox[3] - tumourBox[1]];

  beforeAll(async () => {
    t = await startTestStack();
  });

  afterAll(async () => {
    await t?.stop();
  });

  /** The sarcoma study in our mode, once the panel has listed its models. */
  async function openSarcomaInMode(page: Page): Promise<void> {
    await page.goto(`${t.stack.url}/medsam?StudyInstanceUIDs=${SARCOMA_STUDY_UID}`);
    await dismissInvestigationalBanner(page);
    await page.getByTestId('medsam-model-select').waitFor({ timeout: 60_000 });
  }

  async function drawAndWait(page: Page, viewportId: string, box: PixelBox): Promise<void> {
    await page.keyboard.press('m');
    await dragBox(page, viewportId, box);
    await page.getByTestId('medsam-preview-actions').waitFor({ timeout: 300_000 });
  }

  it('Escape discards, undo restores, a second lesion is its own segment', async () => {
    const page = await t.browser.context.newPage();
    const errors = watchPageErrors(page);
    await openSarcomaInMode(page);
    const viewportId = await findViewportId(page, truth.SeriesInstanceUID);
    await showSlice(page, viewportId, truth.SOPInstanceUIDs[k]!);
    await activateViewport(page, viewportId);

    const firstRunStarted = Date.now();
    await drawAndWait(page, viewportId, tumourBox);
    const firstRunMs = Date.now() - firstRunStarted;
    await page.keyboard.press('Escape');
    await page.getByTestId('medsam-preview-actions').waitFor({ state: 'detached' });
    expect(await page.getByTestId('medsam-preview').count()).toBe(0);
    expect(await segmentationCount(page)).toBe(0);

    // Escape while the model still reads a slice (one not encoded yet, beyond the
    // prefetched neighbours): said at once, and the run's late answer never shows.
    await showSlice(page, viewportId, truth.SOPInstanceUIDs[k + UNENCODED_SLICE_OFFSET]!);
    await page.keyboard.press('m');
    await dragBox(page, viewportId, tumourBox);
    await page.keyboard.press('Escape');
    await page.getByTestId('medsam-panel').getByText('Cancelled.').waitFor({ timeout: 5_000 });
    await page.waitForTimeout(Math.min(Math.max(firstRunMs, 5_000), 30_000));
    expect(await page.getByTestId('medsam-preview-actions').count()).toBe(0);
    await showSlice(page, viewportId, truth.SOPInstanceUIDs[k]!);

    await drawAndWait(page, viewportId, tumourBox);
    await page.keyboard.press('Enter');
    await page.getByTestId('medsam-segment-1').waitFor();
    const accepted = count(await readSegmentMasks(page, 1));
    expect(accepted).toBeGreaterThan(500);
    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => {
      const cs = (window as any).cornerstone;
      const seg = (window as any).cornerstoneTools.segmentation.state.getSegmentations()[0];
      return seg.representationData.Labelmap.imageIds.every((id: string) =>
        cs.cache.getImage(id).getPixelData().every((v: number) => v === 0),
      );
    });
    expect(count(await readSegmentMasks(page, 1))).toBe(0);
    // the panel no longer says the outline was added, and P has nothing to carry
    await page.getByTestId('medsam-notice').getByText(/^Undone\./).waitFor({ timeout: 5_000 });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'editing-undone.png') });
    await page.keyboard.press('p');
    await page.getByTestId('medsam-notice').getByText(/Accept an outline first/i).waitFor({ timeout: 5_000 });
    // Drawing a box is no undo step: a second Ctrl+Z finds nothing (it once undid
    // the invisible box, and Ctrl+Y then brought back a stray rectangle).
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+y');
    await page.getByTestId('medsam-notice').getByText(/^Redone\./).waitFor({ timeout: 5_000 });
    await page.waitForFunction(() => {
      const cs = (window as any).cornerstone;
      const seg = (window as any).cornerstoneTools.segmentation.state.getSegmentations()[0];
      return seg.representationData.Labelmap.imageIds.some((id: string) =>
        cs.cache.getImage(id).getPixelData().some((v: number) => v !== 0),
      );
    });
    expect(count(await readSegmentMasks(page, 1))).toBe(accepted);
    expect(await boxAnnotationCount(page)).toBe(0);
    // P then Escape midway: nothing of the walk is written, and the panel says so.
    await page.keyboard.press('p');
    await page.getByTestId('medsam-progress').getByText(/Slice \d+ of at most/).waitFor({ timeout: 120_000 });
    // a box drawn meanwhile is refused, and the walk goes on
    await page.keyboard.press('m');
    await dragBox(page, viewportId, otherBox);
    await page.getByTestId('medsam-notice').getByText(/^Propagation is running, so the box was not used/).waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('medsam-progress').count()).toBe(1);
    await page.keyboard.press('Escape');
    await page.getByTestId('medsam-notice').getByText(/^Propagation cancelled: no slice was added/).waitFor({ timeout: 5_000 });
    await page.waitForTimeout(2_000);
    expect(count(await readSegmentMasks(page, 1))).toBe(accepted);

    // The button rather than Shift+N: the viewer's own segmentation panel may hold
    // the keyboard focus in a text field here (the key is covered by a unit test).
    await showMedSAMPanel(page);
    await page.getByTestId('medsam-new-segment').click();
    await page.getByTestId('medsam-segment-2').waitFor();
    await page.getByTestId('medsam-notice').getByText(/^Lesion 2 started: draw a box around it/).waitFor({ timeout: 5_000 });
    // A second press while Lesion 2 is still empty starts no third, empty lesion.
    await page.getByTestId('medsam-new-segment').click();
    await page.getByTestId('medsam-notice').getByText(/^Lesion 2 has no outline yet/).waitFor({ timeout: 5_000 });
    // nor with another lesion made active: the empty one becomes the active one again
    await page.getByTestId('medsam-segment-1').getByText('Lesion 1').click();
    await page.waitForFunction(() => {
      const seg = (window as any).cornerstoneTools.segmentation.state.getSegmentations()[0];
      return seg.segments[1]?.active === true;
    });
    await page.getByTestId('medsam-new-segment').click();
    await page.getByTestId('medsam-notice').getByText(/^Lesion 2 has no outline yet and is the active lesion again/).waitFor({ timeout: 5_000 });
    // P carries Lesion 1's accepted outline; with the empty Lesion 2 active it says why not
    await page.keyboard.press('p');
    await page.getByTestId('medsam-notice').getByText(/^Lesion 2 has no accepted outline to carry/).waitFor({ timeout: 5_000 });
    // The viewer's own segment statistics, had they run after the redo above, would
    // write back the segment list read before the click and drop Lesion 2 (its
    // debounce is one second, the computation seconds more): still there well after.
    await page.waitForTimeout(STATS_WINDOW_MS);
    const segments = await page.evaluate(() => {
      const seg = (window as any).cornerstoneTools.segmentation.state.getSegmentations()[0];
      return Object.values(seg.segments).map((s: any) => ({
        index: s.segmentIndex as number,
        active: Boolean(s.active),
        stats: Boolean(s.cachedStats?.namedStats),
      }));
    });
    expect(segments).toEqual([
      { index: 1, active: false, stats: false },
      { index: 2, active: true, stats: false },
    ]);
    await drawAndWait(page, viewportId, otherBox);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => {
      const cs = (window as any).cornerstone;
      const seg = (window as any).cornerstoneTools.segmentation.state.getSegmentations()[0];
      return seg.representationData.Labelmap.imageIds.some((id: string) =>
        cs.cache.getImage(id).getPixelData().some((v: number) => v === 2),
      );
    }, undefined, { timeout: 30_000 });
    expect(count(await readSegmentMasks(page, 2))).toBeGreaterThan(0);
    // The first lesion keeps what it had, except pixels the second took over.
    expect(count(await readSegmentMasks(page, 1))).toBeLessThanOrEqual(accepted);
    expect(count(await readSegmentMasks(page, 1))).toBeGreaterThan(0);
    expect(await segmentationCount(page)).toBe(1);
    // Lesion 2's box around Lesion 1's tumour: the pixels change lesion, as under
    // the viewer's brush, and the panel says so; Ctrl+Z gives them back.
    const lesion1Before = count(await readSegmentMasks(page, 1));
    await drawAndWait(page, viewportId, tumourBox);
    await page.keyboard.press('Enter');
    await page.getByTestId('medsam-notice').getByText(/took [\d,]+ pixels that were another lesion's/).waitFor({ timeout: 10_000 });
    expect(count(await readSegmentMasks(page, 1))).toBeLessThan(lesion1Before);
    await page.keyboard.press('Control+z');
    await page.getByTestId('medsam-notice').getByText(/^Undone\./).waitFor({ timeout: 5_000 });
    expect(count(await readSegmentMasks(page, 1))).toBe(lesion1Before);
    expect(errors).toEqual([]);

    // Leaving with accepted lesions that were never saved: the browser asks first.
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.dismiss();
    });
    await page.close({ runBeforeUnload: true });
    for (const deadline = Date.now() + 10_000; dialogs.length === 0 && Date.now() < deadline; ) {
      await page.waitForTimeout(100);
    }
    expect(dialogs).toEqual(['beforeunload']);
    await page.close();
  });

  it('a lesion on the CT and one on the PET: each row reaches its slice, whatever viewports the viewer made', async () => {
    const page = await t.browser.context.newPage();
    const errors = watchPageErrors(page);
    await openSarcomaInMode(page);
    for (const truthOf of [truth, pet]) {
      const viewportId = await findViewportId(page, truthOf.SeriesInstanceUID);
      const middle = middleSlice(truthOf.masks);
      const image = truthOf.series.geometry.images[0]!;
      await showSlice(page, viewportId, truthOf.SOPInstanceUIDs[middle]!);
      await activateViewport(page, viewportId);
      await drawAndWait(page, viewportId, maskBox(truthOf.masks[middle]!, image.Columns, image.Rows, 3));
      await page.keyboard.press('Enter');
      await page.getByTestId('medsam-preview-actions').waitFor({ state: 'detached' });
    }
    // A segmentation on each series of one frame of reference: OHIF 3.13 may turn
    // the viewports into volume viewports, which have no setImageIdIndex.
    const kinds = await page.evaluate(() =>
      (window as any).cornerstone.getEnabledElements().map((e: any) => e.viewport.type as string),
    );
    console.log(`viewport kinds after a lesion on the CT and the PET: ${kinds.join(', ')}`);
    await openBurdenPanel(page);
    await waitForBurdenRows(page, 2);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'burden-ct-and-pet.png') });
    for (let row = 0; row < 2; row++) {
      await page.getByTestId('burden-row').nth(row).locator('button').first().click();
      await page.getByTestId('burden-details').waitFor();
      await page.getByTestId('burden-overlay-long-axis-label').waitFor({ timeout: 30_000 });
      // "Image N of M" is the viewer's own count ("(N/M)" in the overlay of the
      // viewport the axes are drawn in), even where it counts against its image list
      const panelPlace = /(\d+) of (\d+)/.exec(await page.getByTestId('burden-slice').innerText());
      const viewerPlace = await page.evaluate(() => {
        // the nearest ancestor of the drawing that holds the viewer's overlay text
        for (let e = document.querySelector('[data-testid="burden-diameters"]')?.parentElement; e; e = e.parentElement) {
          const place = /\((\d+)\/(\d+)\)/.exec(e.innerText);
          if (place) return place.slice(1, 3);
        }
        return null;
      });
      expect(viewerPlace).toEqual(panelPlace?.slice(1, 3));
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it("reads the CT through the window chosen in the panel, from the next box on", async () => {
    const page = await t.browser.context.newPage();
    const errors = watchPageErrors(page);
    await openSarcomaInMode(page);
    const select = page.getByTestId('medsam-ct-window-select');
    expect(await select.locator('option').allTextContents()).toEqual([
      "The model's own (L60 / W160)",
      'Soft tissue (L40 / W400)',
    ]);
    const viewportId = await findViewportId(page, truth.SeriesInstanceUID);
    await showSlice(page, viewportId, truth.SOPInstanceUIDs[k]!);
    await activateViewport(page, viewportId);
    // A loose box, where the window changes what general SAM takes in
    // (models/EVALUATION.md, "The CT window").
    const looseBox = maskBox(truth.masks[k]!, first.Columns, first.Rows, LOOSE_MARGIN_PX);
    const previewVoxels = async () => {
      await drawAndWait(page, viewportId, looseBox);
      const text = await page.getByTestId('medsam-preview-actions').locator('p').first().textContent();
      await page.keyboard.press('Escape');
      await page.getByTestId('medsam-preview-actions').waitFor({ state: 'detached' });
      return Number(/([\d,]+)/.exec(text ?? '')?.[1]?.replace(/,/g, ''));
    };
    const own = await previewVoxels();
    await select.selectOption('ct-soft-tissue');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'ct-window-choice.png') });
    const softTissue = await previewVoxels();
    await select.selectOption('model');
    const ownAgain = await previewVoxels();
    console.log(`CT window: own ${own} voxels, soft tissue ${softTissue}, own again ${ownAgain}`);
    expect(own).toBeGreaterThan(0);
    expect(softTissue).toBeGreaterThan(0);
    expect(softTissue).not.toBe(own);
    expect(ownAgain).toBe(own);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says Shift+N needs a first lesion, flags an outline of air, refuses a box beside the image, and says Enter waits for the model', async () => {
    const page = await t.browser.context.newPage();
    const errors = watchPageErrors(page);
    await openSarcomaInMode(page);
    const viewportId = await findViewportId(page, truth.SeriesInstanceUID);
    await showSlice(page, viewportId, truth.SOPInstanceUIDs[k]!);
    await activateViewport(page, viewportId);
    const notice = page.getByTestId('medsam-notice');

    // Shift+N before any lesion: nothing to start from, and the panel says how
    await page.keyboard.press('Shift+N');
    await notice.getByText(/^Outline the first lesion first/).waitFor({ timeout: 5_000 });
    expect(await segmentationCount(page)).toBe(0);

    // below the table: air (about -890 HU on these rows), which SAM still outlines
    const airBox: PixelBox = [10, first.Rows - 21, 60, first.Rows - 5];
    await drawAndWait(page, viewportId, airBox);
    await notice.getByText(/^This outline is mostly air \(mean -\d+ HU\)/).waitFor({ timeout: 5_000 });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'editing-air.png') });
    // Escape takes the outline away, and what was said about it
    await page.keyboard.press('Escape');
    await page.getByTestId('medsam-preview-actions').waitFor({ state: 'detached' });
    expect(await notice.count()).toBe(0);
    await drawAndWait(page, viewportId, airBox);
    await notice.getByText(/^This outline is mostly air/).waitFor({ timeout: 5_000 });

    // above the image: refused for what it is, and the air outline leaves the screen
    await page.keyboard.press('m');
    await dragBox(page, viewportId, [40, -60, 80, -20]);
    await notice.getByText(/^The box lies outside the image/).waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('medsam-preview-actions').count()).toBe(0);

    // Enter while the model reads a slice it has not encoded yet
    await showSlice(page, viewportId, truth.SOPInstanceUIDs[k - UNENCODED_SLICE_OFFSET]!);
    await page.keyboard.press('m');
    await dragBox(page, viewportId, tumourBox);
    await page.keyboard.press('Enter');
    await notice.getByText(/^Still working: Enter accepts the outline once it is shown/).waitFor({ timeout: 5_000 });
    await page.getByTestId('medsam-preview-actions').waitFor({ timeout: 300_000 });
    expect(await notice.count()).toBe(0);
    expect(await segmentationCount(page)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the panel in French without an English string', async () => {
    const page = await t.browser.context.newPage();
    // What the viewer's Preferences > Language does: cookie and localStorage.
    await page.addInitScript(() => {
      document.cookie = 'i18next=fr; path=/';
      window.localStorage.setItem('i18nextLng', 'fr');
    });
    await openSarcomaInMode(page);
    const text = await page.getByTestId('medsam-panel').innerText();
    expect(text).toContain(fr.panel.model);
    expect(text).toContain(fr.panel.hotkeys);
    // Every English sentence of ours that differs in French must be absent.
    const english: string[] = [];
    const walk = (a: unknown, b: unknown) => {
      if (typeof a === 'string') {
        const plain = a.replace(/{{\w+}}/g, '').trim();
        if (a !== b && /[a-z]{4,}/i.test(plain) && !plain.includes('{{')) english.push(plain);
        return;
      }
      for (const key of Object.keys(a as object)) walk((a as any)[key], (b as any)?.[key]);
    };
    walk(en, fr);
    // Whole words only: "Accept" must not match inside the French "Accepter".
    const escape = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const leaked = english.filter((sentence) => new RegExp(`(^|\\W)${escape(sentence)}($|\\W)`).test(text));
    expect(leaked).toEqual([]);
    // Each key stands clear of its description ("⏎ Enter" once ran into it).
    const keys = page.getByTestId('medsam-panel-hotkeys').locator('dt');
    const descriptions = page.getByTestId('medsam-panel-hotkeys').locator('dd');
    expect(await keys.count()).toBe(7);
    for (let row = 0; row < 7; row++) {
      const key = (await keys.nth(row).boundingBox())!;
      const description = (await descriptions.nth(row).boundingBox())!;
      expect(key.x + key.width).toBeLessThanOrEqual(description.x);
      expect(Math.abs(key.y - description.y)).toBeLessThan(4);
    }
    await page.getByTestId('medsam-panel').screenshot({ path: path.join(SCREENSHOT_DIR, 'panel-fr.png') });
    await page.close();
  });
});
