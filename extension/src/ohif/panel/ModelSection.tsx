import type { i18n } from 'i18next';
import type { MedSAMState } from '../medsamState';
import type { PanelActions } from './panelActions';
import { Section } from './Section';

const BYTES_PER_MB = 1024 * 1024;

/** The model in use, the models available (size, licence) and the backend. */
export function ModelSection({ s, i18n, actions }: { s: MedSAMState; i18n: i18n; actions: PanelActions }) {
  const t = i18n.t.bind(i18n);
  const mb = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 });
  const models = s.models ?? [];
  const available = models.filter((m) => m.available);
  return (
    <>
      <Section title={t('panel.model')} testId="medsam-panel-model">
        {s.modelError ? (
          <p role="alert" className="text-red-400">{t(s.modelError.key, s.modelError.values)}</p>
        ) : s.models === null ? (
          <p>{t('panel.modelLoading')}</p>
        ) : available.length === 0 ? (
          <p>{t('panel.modelNone')}</p>
        ) : (
          <select
            className="w-full rounded bg-black p-1 text-white"
            data-testid="medsam-model-select"
            aria-label={t('panel.model')}
            value={s.activeModelId ?? ''}
            onChange={(e) => actions.selectModel(e.target.value)}
          >
            {available.map((m) => (
              <option key={m.id} value={m.id}>{m.displayName}</option>
            ))}
          </select>
        )}
        <ul className="mt-1 text-xs" data-testid="medsam-model-list">
          {models.map((m) => (
            <li key={m.id} className={m.available ? '' : 'opacity-60'} data-testid={`medsam-model-${m.id}`}>
              {m.displayName} · {t('panel.modelSize', { size: mb.format(m.sizeBytes / BYTES_PER_MB) })} ·{' '}
              {t('panel.licence', { licence: m.licence })}
              {m.available ? '' : ` · ${t('panel.modelMissingFiles')}`}
            </li>
          ))}
        </ul>
      </Section>
      <Section title={t('panel.backend')} testId="medsam-panel-backend">
        {s.backend ? (
          <>
            <p data-testid="medsam-backend">{t(`backend.${s.loadedBackend?.backend ?? s.backend.backend}`)}</p>
            <p className="text-xs opacity-80">
              {s.loadedBackend && s.loadedBackend.backend !== s.backend.backend
                ? t('backend.reasonWebgpuFailed')
                : t(s.backend.reasonKey, { adapter: s.backend.adapterDescription ?? '' })}
            </p>
            {(s.loadedBackend?.backend ?? s.backend.backend) === 'wasm' && (
              <p className="text-xs opacity-80">
                {(s.loadedBackend?.threads ?? s.backend.threads) > 1
                  ? t('backend.threads', { count: s.loadedBackend?.threads ?? s.backend.threads })
                  : t('backend.singleThread')}
              </p>
            )}
          </>
        ) : (
          <p>{t('panel.backendDetecting')}</p>
        )}
      </Section>
    </>
  );
}
