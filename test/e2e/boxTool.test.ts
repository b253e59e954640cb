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
import { computeDice, loadSarcomaCase, type GroundTruthCase } from './support/groundTruth';
import {
  SARCOMA_STUDY_UID,
  SCREENSHOT_DIR,
  dismissInvestigationalBanner,
  startTestStack,
  watchPageErrors,
  type TestStack,
} from './support/testStack';
import { outlineAndPropagate } from './support/lesionFlow';

jest.setTimeout(900_000);

/** Pixels added around the expert box: radiologists draw slightly loose boxes. */
const BOX_MARGIN_PX = 3;

/**
 * Floors a little under what the default model reaches (README, "Accuracy, as
 * measured"); the CT floor is above the 0.75 it reached before its outlines were
 * fused with the box's appearance, so losing the fusion fails here.
 */
const MIN_DICE: Record<'ct' | 'mr' | 'pet', number> = { ct: 0.8, mr: 0.7, pet: 0.6 };

async function segmentLesion(page: Page, truth: GroundTruthCase, name: string): Promise<number> {
  const shot = (step: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${step}.png`) });
  const masks = await outlineAndPropagate(page, truth, { marginPx: BOX_MARGIN_PX, onStep: shot }).catch(
    async (error: unknown) => {
      await shot('failed');
      throw error;
    },
  );
  const dice = computeDice(truth, masks);
  const reached = [...masks.values()].filter((mask) => mask.some((v) => v !== 0)).length;
  const expertSlices = truth.masks.filter((mask) => mask.some((v) => v !== 0)).length;
  console.log(
    `${name}: 3D Dice against the expert mask = ${dice.toFixed(3)}; ` +
      `slices outlined ${reached} (expert: ${expertSlices})`,
  );
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
