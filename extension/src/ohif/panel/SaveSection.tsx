import { useEffect, useState } from 'react';
import type { i18n } from 'i18next';
import { computeSecondsUntilRetry, type OutboxStatus } from '../../core/seg/outbox';
import type { MedSAMState } from '../medsamState';
import type { OutboxRow } from '../store/saveState';
import type { PanelActions } from './panelActions';
import { Section, buttonClass } from './Section';

/** How often "retrying in N s" is redrawn, ms. */
const COUNTDOWN_TICK_MS = 1_000;

/** The current time, redrawn every second while `ticking` (for countdowns). */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return undefined;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), COUNTDOWN_TICK_MS);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

function describeStatus(status: OutboxStatus, now: number, i18n: i18n): string {
  const t = i18n.t.bind(i18n);
  switch (status.state) {
    case 'queued':
      return t('save.status.queued');
    case 'sending':
      return t('save.status.sending', { attempt: status.attempt });
    case 'retrying':
      return t('save.status.retrying', {
        seconds: computeSecondsUntilRetry(status, now),
        attempt: status.attempt,
      });
    case 'failed':
      return t('save.status.failed');
    case 'stored': {
      const time = new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short' });
      return t('save.status.stored', { time: time.format(status.storedAt) });
    }
  }
}

/** What failed and what the radiologist can do about it. */
function FailureAdvice({ status, i18n }: { status: OutboxStatus; i18n: i18n }) {
  const t = i18n.t.bind(i18n);
  if (status.state !== 'retrying' && status.state !== 'failed') return null;
  const { code, message } = status.error;
  const advice =
    status.state === 'retrying'
      ? 'save.advice.retrying'
      : code === 'pacs-refused'
        ? 'save.advice.refused'
        : 'save.advice.gaveUp';
  return (
    <div className="text-xs" data-testid="medsam-outbox-reason">
      <p className="text-yellow-300">{t(`save.reason.${code}`)}</p>
      <p className="opacity-80">{t(advice)}</p>
      <p className="opacity-60">{t('save.technicalDetail', { detail: message })}</p>
    </div>
  );
}

function OutboxItem({
  row,
  now,
  i18n,
  actions,
}: {
  row: OutboxRow;
  now: number;
  i18n: i18n;
  actions: PanelActions;
}) {
  const t = i18n.t.bind(i18n);
  const { state } = row.status;
  const created = new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short' }).format(
    row.createdAt,
  );
  return (
    <li
      className="border-t border-secondary-light py-1"
      data-testid={`medsam-outbox-${row.id}`}
      data-state={state}
    >
      <p className="text-xs">
        {t('save.row', { description: row.SeriesDescription, time: created })}
      </p>
      <p
        className={state === 'stored' ? 'text-green-400' : state === 'failed' ? 'text-red-400' : ''}
        data-testid="medsam-outbox-status"
      >
        {describeStatus(row.status, now, i18n)}
      </p>
      <FailureAdvice status={row.status} i18n={i18n} />
      <div className="mt-1 flex gap-2">
        <button
          type="button"
          className={buttonClass}
          onClick={() => actions.downloadSeg(row.id)}
          data-testid="medsam-outbox-download"
          title={t('save.downloadHint')}
        >
          {t('save.download')}
        </button>
        {(state === 'retrying' || state === 'failed') && (
          <button
            type="button"
            className={buttonClass}
            onClick={() => actions.retrySeg(row.id)}
            data-testid="medsam-outbox-retry"
          >
            {t('save.retry')}
          </button>
        )}
      </div>
    </li>
  );
}

/** Save to PACS: the button, and each SEG on its way (or stored) with its state. */
export function SaveSection({
  s,
  i18n,
  actions,
}: {
  s: MedSAMState;
  i18n: i18n;
  actions: PanelActions;
}) {
  const t = i18n.t.bind(i18n);
  const { save } = s;
  const now = useNow(save.rows.some((row) => row.status.state === 'retrying'));
  const nothingToSave = s.segments.length === 0;
  return (
    <Section title={t('save.title')} testId="medsam-panel-save">
      <button
        type="button"
        className={buttonClass}
        onClick={actions.saveToPacs}
        disabled={nothingToSave || save.saving}
        data-testid="medsam-save"
      >
        {save.saving ? t('save.saving') : t('save.button')}
      </button>
      {nothingToSave && <p className="mt-1 text-xs opacity-80">{t('save.nothingYet')}</p>}
      {save.error && (
        <p role="alert" className="mt-1 text-red-400" data-testid="medsam-save-error">
          {t(save.error.key, save.error.values)}
        </p>
      )}
      {save.rows.length > 0 && (
        <ul className="mt-2" data-testid="medsam-outbox" aria-live="polite">
          {save.rows.map((row) => (
            <OutboxItem key={row.id} row={row} now={now} i18n={i18n} actions={actions} />
          ))}
        </ul>
      )}
    </Section>
  );
}
