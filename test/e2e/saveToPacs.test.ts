/**
 * Save to PACS on the sarcoma CT, through the real stack: a MedSAM outline is
 * accepted (no propagation: one slice keeps the run short), saved, and found
 * in Orthanc by QIDO; retrieved by WADO and decoded, its mask equals the
 * viewer's labelmap voxel for voxel. Then Orthanc is stopped: the panel shows
 * the retry and why, the file downloads, the outbox keeps the SEG across a
 * reload and resumes it; Orthanc is started again and the SEG arrives once.
 * Last, after a reload the viewer lists the stored SEGs and displays one with
 * its own SEG handler, with the same voxels.
 *
 * The three steps run on one page, in order: each starts from where the
 * previous one left the viewer and the PACS.
 */
import '../support/quietDcmjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { parseModelManifest } from '../../extension/src/core/inference/parseModelManifest';
import { readSeg, type DecodedSeg } from '../../extension/src/core/seg/readSeg';
import { startOrthanc, type OrthancHandle } from '../../server/src/orthanc/startOrthanc';
import { loadSarcomaCase, maskBox, middleSlice, type GroundTruthCase } from './support/groundTruth';
import { readOutbox, retrieveInstance, searchSegInstances } from './support/pacsQueries';
import {
  REPO_ROOT,
  SARCOMA_STUDY_UID,
  SCREENSHOT_DIR,
  dismissInvestigationalBanner,
  startTestStack,
  watchPageErrors,
  type TestStack,
} from './support/testStack';
import { dragBox, findViewportId, readSegmentMasks, showSlice } from './support/viewerPage';

jest.setTimeout(600_000);

/** Pixels added around the expert box, as in the box tool test. */
const BOX_MARGIN_PX = 3;
/** Offset of "DICM" in a Part 10 file, after the preamble. */
const DICM_OFFSET = 128;
/** Model load and one slice of inference in headless Chromium on two busy cores, ms. */
const INFERENCE_TIMEOUT_MS = 300_000;
const STORE_TIMEOUT_MS = 60_000;
/** STOW-RS as the viewer sends it: a POST to /dicom-web/studies/<uid>. */
const STOW_ROUTE = '**/dicom-web/studies/*';

let t: TestStack;
let page: Page;
let errors: string[];
let restarted: OrthancHandle | null = null;
const truth = loadSarcomaCase('ct');
/** The accepted lesion as the viewer held it when it was saved. */
let viewerMasks: Map<string, Uint8Array>;
let storedFirst: string;

function screenshot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: path.join(SCREENSHOT_DIR, `save-to-pacs-${name}.png`) });
}

async function openStudy(page: Page): Promise<void> {
  await page.goto(`${t.stack.url}/medsam?StudyInstanceUIDs=${SARCOMA_STUDY_UID}`);
  await dismissInvestigationalBanner(page);
  await page
    .getByTestId('medsam-model-select')
    .waitFor({ timeout: 60_000 })
    .catch(async (error: unknown) => {
      await screenshot(page, 'open-failed');
      throw error;
    });
}

/** Box on the middle tumour slice, preview, Enter. */
async function outlineLesion(page: Page, truth: GroundTruthCase): Promise<void> {
  const viewportId = await findViewportId(page, truth.SeriesInstanceUID);
  const k = middleSlice(truth.masks);
  const first = truth.series.geometry.images[0]!;
  await showSlice(page, viewportId, truth.SOPInstanceUIDs[k]!);
  await page.keyboard.press('m');
  await dragBox(
    page,
    viewportId,
    maskBox(truth.masks[k]!, first.Columns, first.Rows, BOX_MARGIN_PX),
  );
  await page.getByTestId('medsam-preview-actions').waitFor({ timeout: INFERENCE_TIMEOUT_MS });
  await page.keyboard.press('Enter');
  await page.getByTestId('medsam-segment-1').waitFor({ timeout: 30_000 });
  // One slice keeps the run short; the whole-job test saves a propagated lesion.
}

/** Whether leaving the page now would ask first (the unsaved-work guard cancels `beforeunload`). */
async function leavingWouldAsk(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const event = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  });
}

/** The outbox row in a state; returns its id (the SEG's SOPInstanceUID). */
async function waitForRow(page: Page, state: string, id?: string): Promise<string> {
  const selector = id
    ? `[data-testid="medsam-outbox-${id}"][data-state="${state}"]`
    : `[data-state="${state}"]`;
  const row = page.locator(selector).first();
  await row.waitFor({ timeout: STORE_TIMEOUT_MS });
  return (await row.getAttribute('data-testid'))!.replace('medsam-outbox-', '');
}

async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs = STORE_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Every voxel of the viewer's masks is in the SEG, and nothing else. */
function expectSameMasks(seg: DecodedSeg, viewer: Map<string, Uint8Array>): void {
  expect(seg.segments).toHaveLength(1);
  const stored = new Map(seg.segments[0]!.masks.map((m) => [m.key, m.mask]));
  let voxels = 0;
  for (const [sop, mask] of viewer) {
    const inViewer = mask.some((v) => v !== 0);
    voxels += mask.reduce((n, v) => n + v, 0);
    if (inViewer)
      expect(Buffer.from(stored.get(`sop:${sop}`) ?? []).equals(Buffer.from(mask))).toBe(true);
    else expect(stored.has(`sop:${sop}`)).toBe(false);
  }
  expect(stored.size).toBe([...viewer.values()].filter((m) => m.some((v) => v !== 0)).length);
  expect(voxels).toBeGreaterThan(0);
}

beforeAll(async () => {
  t = await startTestStack();
  page = await t.browser.context.newPage();
  errors = watchPageErrors(page);
  page.on('console', (m) => {
    if (/prefetch|SEG load/i.test(m.text())) console.log(`browser: ${m.text().slice(0, 500)}`);
  });
});

afterAll(async () => {
  // The restarted Orthanc first: stopping the stack deletes its storage folder.
  await restarted?.stop();
  await t?.stop();
});

describe('Save to PACS', () => {
  it('stores the accepted lesion: one SEG in the PACS, equal to the viewer labelmap voxel for voxel', async () => {
    await openStudy(page);
    expect(await page.getByTestId('medsam-save').isDisabled()).toBe(true); // nothing to save yet
    await outlineLesion(page, truth);
    viewerMasks = await readSegmentMasks(page, 1);
    await page.getByTestId('medsam-save').click();
    storedFirst = await waitForRow(page, 'stored');
    await screenshot(page, 'stored');
    expect(await readOutbox(page)).toEqual([]); // confirmed, so out of the outbox

    const dicomWebUrl = t.stack.orthanc!.dicomWebUrl;
    const found = await searchSegInstances(dicomWebUrl, SARCOMA_STUDY_UID);
    expect(found.map((i) => i.SOPInstanceUID)).toEqual([storedFirst]);
    const bytes = await retrieveInstance(dicomWebUrl, {
      StudyInstanceUID: SARCOMA_STUDY_UID,
      ...found[0]!,
    });
    const seg = await readSeg(bytes);
    // 143 x 161 pixels are not whole bytes: stored as pseudo-binary FRACTIONAL,
    // which OHIF 3.13 displays right (computeViewerSegStorage.ts).
    expect(seg.SegmentationType).toBe('FRACTIONAL');
    expect(seg.referencedSeriesUIDs).toEqual([truth.SeriesInstanceUID]);
    expectSameMasks(seg, viewerMasks);

    const modelId = await page.getByTestId('medsam-model-select').inputValue();
    const manifestFile = path.join(REPO_ROOT, 'models', modelId, 'manifest.json');
    const manifest = parseModelManifest(
      JSON.parse(readFileSync(manifestFile, 'utf8')),
      manifestFile,
    );
    expect(seg.segments[0]).toMatchObject({
      label: 'Lesion 1',
      algorithmType: 'SEMIAUTOMATIC',
      algorithmName: manifest.displayName,
      algorithmVersion: manifest.version,
      modelSha256: `${manifest.files.encoder.sha256},${manifest.files.decoder.sha256}`,
    });

    // Saved: leaving asks nothing. A stroke of the viewer's brush (a voxel set and
    // the data-modified event cornerstone's brush sends) is unsaved work again.
    await expect(leavingWouldAsk(page)).resolves.toBe(false);
    await page.evaluate(() => {
      const cs = (window as any).cornerstone;
      const tools = (window as any).cornerstoneTools;
      const seg = tools.segmentation.state.getSegmentations()[0];
      const image = cs.cache.getImage(seg.representationData.Labelmap.imageIds[0]);
      const before = image.voxelManager.getAtIndex(0);
      image.voxelManager.setAtIndex(0, 1);
      tools.segmentation.triggerSegmentationEvents.triggerSegmentationDataModified(seg.segmentationId);
      // put back, so that the next save stores what viewerMasks holds
      image.voxelManager.setAtIndex(0, before);
    });
    await expect(leavingWouldAsk(page)).resolves.toBe(true);
    expect(errors).toEqual([]);
  });

  it('keeps the SEG while Orthanc is down, through a reload, and stores it once Orthanc is back', async () => {
    const orthanc = t.stack.orthanc!;
    await orthanc.stop();
    await page.getByTestId('medsam-save').click();
    const id = await waitForRow(page, 'retrying');
    const row = page.getByTestId(`medsam-outbox-${id}`);
    // The proxy answers 502 for a PACS that is down: "not accepting uploads".
    await expect(row.innerText()).resolves.toMatch(/retrying in \d+ s/);
    await expect(row.innerText()).resolves.toContain('The PACS is not accepting uploads right now');
    await expect(row.innerText()).resolves.toContain('kept safely in this browser');
    await screenshot(page, 'retrying');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByTestId('medsam-outbox-download').click(),
    ]);
    const file = readFileSync((await download.path())!);
    expect(file.subarray(DICM_OFFSET, DICM_OFFSET + 4).toString('latin1')).toBe('DICM');
    // Named after what it segments (createSegDownload.ts), ending in its SOPInstanceUID.
    const escapedId = id.replace(/\./g, '\\.');
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^SEG_MedSAM_lesions_CT_[\\w.-]*_${escapedId}\\.dcm$`),
    );
    const downloaded = await readSeg(
      file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength),
    );
    expect(downloaded.SOPInstanceUID).toBe(id);
    expectSameMasks(downloaded, viewerMasks);

    // Orthanc comes back, but this browser's uploads are still refused (a
    // proxy answering 503), so the SEG is still waiting when the page reloads.
    await page.route(STOW_ROUTE, (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({ status: 503, body: 'busy' })
        : route.fallback(),
    );
    restarted = await startOrthanc({
      httpPort: t.stack.config.orthanc.httpPort,
      storageDir: t.stack.config.orthanc.storageDir,
    });
    const [before] = await readOutbox(page);
    expect(before).toMatchObject({ id });
    await openStudy(page);
    await page.getByTestId(`medsam-outbox-${id}`).waitFor({ timeout: 30_000 });
    // Resumed, not only listed: the reloaded page made attempts of its own.
    await waitUntil(async () => ((await readOutbox(page))[0]?.attempts ?? 0) > before!.attempts);
    await waitForRow(page, 'retrying', id);
    await expect(page.getByTestId(`medsam-outbox-${id}`).innerText()).resolves.toContain(
      'HTTP 503',
    );
    await screenshot(page, 'after-reload');

    await page.unroute(STOW_ROUTE);
    await page.getByTestId(`medsam-outbox-${id}`).getByTestId('medsam-outbox-retry').click();
    await waitForRow(page, 'stored', id);
    await screenshot(page, 'arrived');
    expect(await readOutbox(page)).toEqual([]);
    const inPacs = (await searchSegInstances(restarted.dicomWebUrl, SARCOMA_STUDY_UID)).map(
      (i) => i.SOPInstanceUID,
    );
    expect(inPacs.sort()).toEqual([storedFirst, id].sort()); // the first kept, the second once
  });

  it('shows the stored SEG after a reload, with the same voxels, through the viewer SEG handler', async () => {
    await openStudy(page);
    const thumbnails = page.locator('[data-cy="study-browser-thumbnail-no-image"]', {
      hasText: 'MedSAM lesions',
    });
    await thumbnails.first().waitFor({ timeout: 30_000 });
    expect(await thumbnails.count()).toBe(2);
    await expect(
      thumbnails.first().locator('[data-cy="series-modality-label"]').innerText(),
    ).resolves.toBe('SEG');
    await thumbnails.first().dblclick();
    await page.waitForFunction(
      () =>
        (
          window as unknown as {
            cornerstoneTools: { segmentation: { state: { getSegmentations(): unknown[] } } };
          }
        ).cornerstoneTools.segmentation.state.getSegmentations().length > 0,
      null,
      { timeout: 60_000 },
    );
    await page.waitForTimeout(2000);
    await screenshot(page, 'loaded-from-pacs');
    const shown = await readSegmentMasks(page, 1);
    for (const [sop, mask] of viewerMasks) {
      expect([
        sop,
        Buffer.from(shown.get(sop) ?? new Uint8Array(mask.length)).equals(Buffer.from(mask)),
      ]).toEqual([sop, true]);
    }
    expect(errors).toEqual([]);
  });
});
