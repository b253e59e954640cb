/**
 * Starts the same stack as `npm start` for an end-to-end test: our server and a
 * fresh Orthanc on free ports, a temporary data folder, the demo studies
 * loaded, and headless Chromium. `npm test` builds the bundles first.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { loadServerConfig } from '../../../server/src/config';
import { findFreePort } from '../../../server/src/net/ports';
import { startStack, type StackHandle } from '../../../server/src/startStack';
import { launchChromium, type LaunchedBrowser } from '../../support/launchChromium';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const SHARED_DATA = path.resolve(REPO_ROOT, '..', 'shared', 'data');
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-output', 'screenshots');
const VIEWER_ROOT = path.join(REPO_ROOT, '.cache', 'ohif-app-3.13.2', 'dist');
const BUNDLES_ROOT = path.join(REPO_ROOT, '.build', 'bundles');

/** The sarcoma study of ../shared/data/ct-sarcoma (CT, MR, PET). */
export const SARCOMA_STUDY_UID = '1.3.6.1.4.1.14519.5.2.1.5168.1900.190311276211389538203367070477';

export interface TestStack {
  stack: StackHandle;
  browser: LaunchedBrowser;
  logs: string[];
  stop(): Promise<void>;
}

export async function startTestStack(options: { webgpu?: boolean; locale?: string } = {}): Promise<TestStack> {
  for (const [what, dir] of [['viewer', VIEWER_ROOT], ['bundles', BUNDLES_ROOT]] as const) {
    if (!existsSync(dir)) throw new Error(`The ${what} is not built (${dir}): run the tests with npm test.`);
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'medsam-e2e-'));
  const env = {
    MEDSAM_PORT: String(await findFreePort()),
    MEDSAM_ORTHANC_HTTP_PORT: String(await findFreePort()),
    MEDSAM_DATA_DIR: dataDir,
  };
  const logs: string[] = [];
  const config = loadServerConfig({ baseDir: REPO_ROOT, env, file: path.join(REPO_ROOT, 'config', 'server.json') });
  const stack = await startStack(
    config,
    { repoRoot: REPO_ROOT, viewerRoot: VIEWER_ROOT, bundlesRoot: BUNDLES_ROOT, sharedDataDir: SHARED_DATA },
    { log: (line) => logs.push(line) },
  );
  const browser = await launchChromium(options);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    stack,
    browser,
    logs,
    async stop() {
      await browser.close();
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Clicks away the viewer's investigational-use banner when it shows. */
export async function dismissInvestigationalBanner(page: Page): Promise<void> {
  const button = page.locator('[data-cy="confirm-and-hide-button"]');
  // The banner appears a moment after the page; a missing banner is fine.
  const shown = await button.waitFor({ timeout: 10_000 }).then(() => true, () => false);
  if (shown) await button.click();
}

/** Collects page errors, so a test can assert the viewer ran without any. */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

interface ViewportStatus {
  status: string;
  imageCount: number;
}

/** Waits until a cornerstone viewport showing `imageCount` images is rendered. */
export async function waitForRenderedViewport(page: Page, imageCount?: number, timeoutMs = 60_000): Promise<void> {
  await page.waitForFunction(
    (count) => {
      const cs = (window as unknown as { cornerstone?: { getEnabledElements(): Array<{ viewport: { viewportStatus: string; getImageIds?: () => string[] } }> } }).cornerstone;
      const list: ViewportStatus[] = (cs?.getEnabledElements() ?? []).map((e) => ({
        status: e.viewport.viewportStatus,
        imageCount: e.viewport.getImageIds?.().length ?? 0,
      }));
      return list.some((v) => v.status === 'rendered' && (count === undefined || v.imageCount === count));
    },
    imageCount,
    { timeout: timeoutMs },
  );
}
