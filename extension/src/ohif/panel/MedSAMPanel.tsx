import { useSyncExternalStore } from 'react';
import type { i18n } from 'i18next';
import type { Store } from '../../core/util/store';
import type { MedSAMState, ModelListing } from '../medsamState';

const BYTES_PER_MB = 1024 * 1024;

interface Props {
  state: Store<MedSAMState>;
  i18n: i18n;
}

function Section(props: { title: string; children: React.ReactNode; testId: string }) {
  return (
    <section className="border-b border-secondary-light px-3 py-2" data-testid={props.testId}>
      <h3 className="mb-1 text-sm font-semibold text-primary-light">{props.title}</h3>
      <div className="text-sm text-white">{props.children}</div>
    </section>
  );
}

function ModelRow({ model, active, i18n }: { model: ModelListing; active: boolean; i18n: i18n }) {
  const size = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 }).format(
    model.sizeBytes / BYTES_PER_MB,
  );
  return (
    <li className={active ? 'font-semibold' : 'opacity-80'} data-testid={`medsam-model-${model.id}`}>
      {model.displayName} · {i18n.t('panel.modelSize', { size })} ·{' '}
      {i18n.t('panel.licence', { licence: model.licence })}
    </li>
  );
}

/** The MedSAM panel: model, backend and the series of the open study. */
export function MedSAMPanel({ state, i18n }: Props) {
  const s = useSyncExternalStore(state.subscribe, state.get);
  const t = i18n.t.bind(i18n);
  const available = (s.models ?? []).filter((m) => m.available);
  const active = available.find((m) => m.id === s.activeModelId);
  return (
    <div className="flex flex-col" data-testid="medsam-panel">
      <Section title={t('panel.model')} testId="medsam-panel-model">
        {s.modelError ? (
          <p role="alert" className="text-red-400">
            {t(s.modelError.key, s.modelError.values)}
          </p>
        ) : s.models === null ? (
          <p>{t('panel.modelLoading')}</p>
        ) : active ? (
          <p data-testid="medsam-active-model">{active.displayName}</p>
        ) : (
          <p>{t('panel.modelNone')}</p>
        )}
        {available.length > 0 && (
          <>
            <p className="mt-1 text-xs text-primary-light">{t('panel.modelsAvailable')}</p>
            <ul className="text-xs">
              {available.map((m) => (
                <ModelRow key={m.id} model={m} active={m.id === s.activeModelId} i18n={i18n} />
              ))}
            </ul>
          </>
        )}
      </Section>
      <Section title={t('panel.backend')} testId="medsam-panel-backend">
        {s.backend ? (
          <>
            <p data-testid="medsam-backend">{t(`backend.${s.backend.backend}`)}</p>
            <p className="text-xs opacity-80">
              {t(s.backend.reasonKey, { adapter: s.backend.adapterDescription ?? '' })}
            </p>
            {s.backend.backend === 'wasm' && (
              <p className="text-xs opacity-80">
                {s.backend.threads > 1
                  ? t('backend.threads', { count: s.backend.threads })
                  : t('backend.singleThread')}
              </p>
            )}
          </>
        ) : (
          <p>{t('panel.backendDetecting')}</p>
        )}
      </Section>
      <Section title={t('panel.series')} testId="medsam-panel-series">
        {s.series.length === 0 ? (
          <p>{t('panel.seriesEmpty')}</p>
        ) : (
          <ul className="text-xs">
            {s.series.map((row) => (
              <li key={row.displaySetInstanceUID}>
                {t('panel.seriesRow', {
                  modality: row.Modality,
                  description: row.SeriesDescription || t('panel.noDescription'),
                  count: row.imageCount,
                })}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
