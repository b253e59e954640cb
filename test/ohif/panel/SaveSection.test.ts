/**
 * The Save section as a radiologist reads it, rendered to HTML in both
 * languages: every state, failure reason and error the saver can produce has
 * words (no raw i18n key shows), the countdown counts, the buttons are there
 * when they are useful.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { OutboxStatus } from '../../../extension/src/core/seg/outbox';
import type { PacsStoreErrorCode } from '../../../extension/src/core/seg/pacsStoreError';
import type { SegWriteErrorCode } from '../../../extension/src/core/seg/segErrors';
import { createI18n } from '../../../extension/src/i18n/i18n';
import { createMedSAMState, type MedSAMState } from '../../../extension/src/ohif/medsamState';
import type { PanelActions } from '../../../extension/src/ohif/panel/panelActions';
import { SaveSection } from '../../../extension/src/ohif/panel/SaveSection';
import type { SegSaveErrorCode } from '../../../extension/src/ohif/store/segSaveError';

const PACS_CODES: PacsStoreErrorCode[] = [
  'pacs-unreachable',
  'network-interrupted',
  'pacs-too-large',
  'pacs-server-error',
  'pacs-refused',
];
const BUILD_CODES: Array<
  SegSaveErrorCode | SegWriteErrorCode | 'outboxUnavailable' | 'unexpected'
> = [
  'save-no-segmentation',
  'save-unsupported-segmentation',
  'save-missing-metadata',
  'save-multiframe-source',
  'save-no-model',
  'seg-empty',
  'seg-no-segments',
  'seg-mask-size',
  'seg-inconsistent-source',
  'seg-overlap-in-labelmap',
  'seg-too-many-segments',
  'outboxUnavailable',
  'unexpected',
];
const SECONDS_LEFT = 12;

const noActions = new Proxy({} as PanelActions, { get: () => () => undefined });

function render(
  language: 'en' | 'fr',
  save: Partial<MedSAMState['save']>,
  withSegments = true,
): string {
  const s: MedSAMState = { ...createMedSAMState().get() };
  s.save = { ...s.save, ...save };
  if (withSegments)
    s.segments = [
      { segmentIndex: 1, label: 'Lesion 1', colour: [1, 2, 3], visible: true, active: true },
    ];
  return renderToStaticMarkup(
    createElement(SaveSection, { s, i18n: createI18n(language), actions: noActions }),
  );
}

function row(status: OutboxStatus) {
  return {
    id: '2.25.7',
    SeriesDescription: 'MedSAM lesions',
    StudyInstanceUID: '2.25.1',
    numberOfFrames: 3,
    createdAt: Date.now(),
    status,
  };
}

function statuses(): OutboxStatus[] {
  const retryAt = Date.now() + SECONDS_LEFT * 1000 - 100;
  return [
    { state: 'queued' },
    { state: 'sending', attempt: 2 },
    ...PACS_CODES.map(
      (code): OutboxStatus => ({
        state: 'retrying',
        attempt: 3,
        retryAt,
        error: { code, message: 'HTTP 502' },
      }),
    ),
    ...PACS_CODES.map(
      (code): OutboxStatus => ({ state: 'failed', error: { code, message: 'HTTP 400' } }),
    ),
    { state: 'stored', storedAt: Date.now() },
  ];
}

describe('SaveSection', () => {
  it.each(['en', 'fr'] as const)('has words for every state and reason (%s)', (language) => {
    for (const status of statuses()) {
      const html = render(language, { rows: [row(status)] });
      expect([status, html]).not.toEqual([status, expect.stringMatching(/save\.|\{\{/)]);
      expect(html).toContain(`data-state="${status.state}"`);
      expect(html).toContain('data-testid="medsam-outbox-download"');
      const retryable = status.state === 'retrying' || status.state === 'failed';
      expect(html.includes('data-testid="medsam-outbox-retry"')).toBe(retryable);
    }
  });

  it('counts down the retry and names the reason and the way out', () => {
    const status = statuses().find((s) => s.state === 'retrying')!;
    const en = render('en', { rows: [row(status)] });
    expect(en).toContain(`retrying in ${SECONDS_LEFT} s (attempt 3 failed)`);
    expect(en).toContain('The PACS cannot be reached');
    expect(en).toContain('download it as a file');
    const fr = render('fr', { rows: [row(status)] });
    expect(fr).toContain(`nouvel essai dans ${SECONDS_LEFT} s`);
    expect(fr).toContain('Le PACS est injoignable');
  });

  it.each(['en', 'fr'] as const)('has words for every save error (%s)', (language) => {
    for (const code of BUILD_CODES) {
      const html = render(language, {
        error: { key: `save.errors.${code}`, values: { detail: 'why' } },
      });
      expect([code, html]).not.toEqual([code, expect.stringMatching(/save\.errors|\{\{/)]);
      expect(html).toContain('role="alert"');
    }
  });

  it('offers Save only when there is a lesion, and not twice at once', () => {
    expect(render('en', {}, false)).toMatch(
      /<button[^>]*disabled=""[^>]*data-testid="medsam-save"/,
    );
    expect(render('en', {}, false)).toContain('Nothing to save yet');
    expect(render('en', {})).not.toMatch(/<button[^>]*disabled=""[^>]*data-testid="medsam-save"/);
    expect(render('en', { saving: true })).toMatch(
      /disabled=""[^>]*data-testid="medsam-save"[^>]*>Preparing/,
    );
  });
});
