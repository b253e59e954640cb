/**
 * The tumour-burden panel: totals and CSV export, one row per lesion of every
 * segmentation the viewer holds, and a chart of lesion volumes. State lives in
 * the burden store; the panel only shows it and forwards clicks.
 */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { i18n as I18n } from 'i18next';
import type { TumourBurdenTotals } from '../../core/quant';
import type { Store } from '../../core/util/store';
import { Section, buttonClass } from '../panel/Section';
import { SHOWN_DECIMALS, createBurdenFormat, type BurdenFormat } from './burdenFormat';
import type { BurdenProgress, BurdenState } from './burdenState';
import { LABEL_VALUE_GRID } from './burdenStyles';
import { LesionList } from './LesionList';
import { VolumeChart } from './VolumeChart';

export interface BurdenActions {
  /** The panel was mounted (true) or unmounted (false). */
  setVisible(visible: boolean): void;
  select(key: string | null): void;
  downloadCsv(): void;
}

interface Props {
  state: Store<BurdenState>;
  i18n: I18n;
  actions: BurdenActions;
}

function Progress({ progress, i18n }: { progress: BurdenProgress; i18n: I18n }) {
  return (
    <div className="mb-2" aria-live="polite" data-testid="burden-progress">
      <p className="text-xs">
        {i18n.t(`burden.progress.${progress.phase}`, {
          done: progress.done,
          total: progress.total,
        })}
      </p>
      <progress className="w-full" max={Math.max(progress.total, 1)} value={progress.done} />
    </div>
  );
}

function Totals({
  totals,
  format,
  i18n,
}: {
  totals: TumourBurdenTotals;
  format: BurdenFormat;
  i18n: I18n;
}) {
  const t = i18n.t.bind(i18n);
  const items: Array<[string, string, string]> = [
    ['lesions', format.numbers.format(totals.lesionCount, 0), 'burden-total-lesions'],
    [
      'volume',
      format.withUnit(totals.totalVolumeMl, SHOWN_DECIMALS.volumeMl, 'burden.units.ml'),
      'burden-total-volume',
    ],
    [
      'diameters',
      format.withUnit(totals.sumOfLongestDiametersMm, SHOWN_DECIMALS.lengthMm, 'burden.units.mm'),
      'burden-total-diameters',
    ],
  ];
  if (totals.totalMtvMl !== null) {
    items.push([
      'mtv',
      format.withUnit(totals.totalMtvMl, SHOWN_DECIMALS.volumeMl, 'burden.units.ml'),
      'burden-total-mtv',
    ]);
    items.push([
      'tlg',
      format.withUnit(totals.totalTlgG, SHOWN_DECIMALS.tlgG, 'burden.units.g'),
      'burden-total-tlg',
    ]);
  }
  return (
    <>
      <dl className="text-sm" style={LABEL_VALUE_GRID}>
        {items.map(([key, value, testId]) => (
          <div key={key} className="contents">
            <dt className="opacity-80">{t(`burden.totals.${key}`)}</dt>
            <dd className="text-right font-semibold tabular-nums" data-testid={testId}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      {totals.segmentsWithoutSuv.length > 0 && (
        <p className="mt-1 text-xs text-yellow-300">
          {t('burden.totals.tlgPartial', { segments: totals.segmentsWithoutSuv.join(', ') })}
        </p>
      )}
    </>
  );
}

export function TumourBurdenPanel({ state, i18n, actions }: Props) {
  // state.get doubles as the server snapshot, so the panel also renders to static HTML.
  const s = useSyncExternalStore(state.subscribe, state.get, state.get);
  const t = i18n.t.bind(i18n);
  const format = useMemo(() => createBurdenFormat(i18n), [i18n, i18n.language]);
  useEffect(() => {
    actions.setVisible(true);
    return () => actions.setVisible(false);
  }, [actions]);
  const hasLesions = s.rows.some((r) => r.measurement.voxelCount > 0);
  return (
    <div className="flex flex-col" data-testid="burden-panel">
      <Section title={t('burden.title')} testId="burden-panel-summary">
        {s.progress && <Progress progress={s.progress} i18n={i18n} />}
        {!s.measured && !s.progress && <p className="text-xs opacity-80">{t('burden.waiting')}</p>}
        {s.measured && s.rows.length === 0 && s.problems.length === 0 && (
          <p className="text-xs opacity-80" data-testid="burden-none">
            {t('burden.noSegmentation')}
          </p>
        )}
        {s.totals && s.rows.length > 0 && <Totals totals={s.totals} format={format} i18n={i18n} />}
        <button
          type="button"
          className={`${buttonClass} mt-2`}
          onClick={actions.downloadCsv}
          disabled={s.rows.length === 0}
          data-testid="burden-download-csv"
        >
          {t('burden.downloadCsv')}
        </button>
      </Section>
      <Section title={t('burden.lesions')} testId="burden-panel-lesions">
        <LesionList
          rows={s.rows}
          problems={s.problems}
          selectedKey={s.selectedKey}
          format={format}
          i18n={i18n}
          onSelect={actions.select}
        />
        {s.notice && (
          <p className="mt-1 text-xs text-primary-light" data-testid="burden-notice">
            {t(s.notice.key, s.notice.values)}
          </p>
        )}
      </Section>
      {hasLesions && (
        <Section title={t('burden.chart')} testId="burden-panel-chart">
          <VolumeChart
            rows={s.rows}
            format={format}
            axisTitle={t('burden.chartAxis')}
            ariaLabel={t('burden.chartDescription')}
            onSelect={actions.select}
          />
        </Section>
      )}
    </div>
  );
}
