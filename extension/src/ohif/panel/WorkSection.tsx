import type { i18n } from 'i18next';
import type { MedSAMState } from '../medsamState';
import type { PanelActions } from './panelActions';
import { Section, buttonClass } from './Section';

/** Progress of the running job, the preview's Accept/Discard, Propagate, messages. */
export function WorkSection({ s, i18n, actions }: { s: MedSAMState; i18n: i18n; actions: PanelActions }) {
  const t = i18n.t.bind(i18n);
  const percent = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 });
  const { work, preview } = s;
  return (
    <Section title={t('panel.work')} testId="medsam-panel-work">
      {work.phase === 'idle' && !preview && <p className="text-xs opacity-80">{t('work.idleHint')}</p>}
      {work.phase !== 'idle' && (
        <div data-testid="medsam-progress" aria-live="polite">
          <p>{t(`work.${work.phase}`)}</p>
          <progress className="w-full" max={1} value={work.fraction ?? undefined} />
          {work.detail && <p className="text-xs opacity-80">{t(work.detail.key, work.detail.values)}</p>}
          {work.fraction !== null && <p className="text-xs opacity-80">{percent.format(work.fraction)}</p>}
          {work.cancellable && (
            <button type="button" className={buttonClass} onClick={actions.discard} data-testid="medsam-cancel">
              {t('actions.cancel')}
            </button>
          )}
        </div>
      )}
      {preview && (
        <div data-testid="medsam-preview-actions">
          <p>{t('work.previewReady', { count: preview.voxels })}</p>
          <div className="mt-1 flex gap-2">
            <button type="button" className={buttonClass} onClick={actions.accept} data-testid="medsam-accept">
              {t('actions.accept')}
            </button>
            <button type="button" className={buttonClass} onClick={actions.discard} data-testid="medsam-discard">
              {t('actions.discard')}
            </button>
          </div>
        </div>
      )}
      <div className="mt-2 flex gap-2">
        <button
          type="button"
          className={buttonClass}
          onClick={actions.propagate}
          disabled={work.phase !== 'idle' || s.segments.length === 0}
          data-testid="medsam-propagate"
        >
          {t('actions.propagate')}
        </button>
        <button
          type="button"
          className={buttonClass}
          onClick={actions.newSegment}
          disabled={s.segmentationId === null}
          data-testid="medsam-new-segment"
        >
          {t('actions.newSegment')}
        </button>
      </div>
      {s.error && (
        // a SHA-256 in a refusal is one 64-character word: let it wrap inside the panel
        <p role="alert" className="mt-2 text-red-400" style={{ overflowWrap: 'anywhere' }} data-testid="medsam-error">
          {t(s.error.key, s.error.values)}
        </p>
      )}
      {s.notice && (
        <p className="mt-2 text-xs text-primary-light" data-testid="medsam-notice">
          {t(s.notice.key, s.notice.values)}
        </p>
      )}
    </Section>
  );
}
