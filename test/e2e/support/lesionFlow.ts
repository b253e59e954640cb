/**
 * The radiologist's loop as the end-to-end tests drive it: on the expert's
 * middle tumour slice, a box (the expert mask's box plus a margin), the
 * preview, Enter, P, and the labelmap the viewer then holds.
 */
import type { Page } from 'playwright-core';
import { maskBox, middleSlice, type GroundTruthCase } from './groundTruth';
import {
  activateViewport,
  dragBox,
  findViewportId,
  readSegmentMasks,
  showMedSAMPanel,
  showSlice,
} from './viewerPage';

/** Model load and one slice in headless Chromium on two busy cores, ms. */
export const INFERENCE_TIMEOUT_MS = 300_000;
export const PROPAGATION_TIMEOUT_MS = 600_000;

export interface LesionFlowOptions {
  /** Pixels added around the expert's box: radiologists draw slightly loose boxes. */
  marginPx: number;
  /** Called with the preview shown, and after propagation (screenshots). */
  onStep?: (step: 'preview' | 'propagated') => Promise<unknown>;
}

/**
 * Box, preview, accept, propagate; returns segment 1's voxels per SOPInstanceUID.
 * Without a preview it fails with what the panel says.
 */
export async function outlineAndPropagate(
  page: Page,
  truth: GroundTruthCase,
  options: LesionFlowOptions,
): Promise<Map<string, Uint8Array>> {
  const viewportId = await findViewportId(page, truth.SeriesInstanceUID);
  const k = middleSlice(truth.masks);
  const first = truth.series.geometry.images[0]!;
  await showSlice(page, viewportId, truth.SOPInstanceUIDs[k]!);
  // A person first clicks the viewport they work in; that makes it the active one.
  await activateViewport(page, viewportId);
  await page.keyboard.press('m');
  await dragBox(page, viewportId, maskBox(truth.masks[k]!, first.Columns, first.Rows, options.marginPx));
  await page
    .getByTestId('medsam-preview-actions')
    .waitFor({ timeout: INFERENCE_TIMEOUT_MS })
    .catch(async (error: unknown) => {
      const shown = await page.getByTestId('medsam-error').innerText().catch(() => '(no error shown)');
      throw new Error(`no preview for series ${truth.SeriesInstanceUID}; panel: ${shown}`, { cause: error });
    });
  await options.onStep?.('preview');
  await page.keyboard.press('Enter');
  await showMedSAMPanel(page);
  await page.getByTestId('medsam-segment-1').waitFor({ timeout: 30_000 });
  await page.keyboard.press('p');
  await page.getByText(/The lesion now covers \d+ slices/).waitFor({ timeout: PROPAGATION_TIMEOUT_MS });
  await options.onStep?.('propagated');
  return readSegmentMasks(page, 1);
}
