import type { i18n } from 'i18next';
import type { IntensityChoice } from '../../core/inference/intensityChoices';
import type { MedSAMState } from '../medsamState';
import type { PanelActions } from './panelActions';
import { Section } from './Section';

const BYTES_PER_MB = 1024 * 1024;

/** "Soft tissue (L40 / W400)": the choice's name and its numbers. */
function describeWindow(choice: IntensityChoice, i18n: i18n): string {
  const name = i18n.t(`intensity.${choice.id}`);
  const { preset } = choice;
  return preset.kind === 'window'
    ? i18n.t('intensity.window', { name, level: preset.level, width: preset.width })
    : i18n.t('intensity.percentile', { name, lower: preset.lower, upper: preset.upper });
}

/** The model in use, the models available (size, licence), its CT window and the backend. */
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
        {s.ctWindows.length > 1 && (
          <label className="mt-2 block text-xs">
            {t('intensity.label')}
            <select
              className="mt-1 w-full rounded bg-black p-1 text-white"
              data-testid="medsam-ct-window-select"
              value={s.ctWindow}
              onChange={(e) => actions.selectCtWindow(e.target.value)}
            >
              {s.ctWindows.map((c) => (
                <option key={c.id} value={c.id}>{describeWindow(c, i18n)}</option>
              ))}
            </select>
            <span className="mt-1 block opacity-80">{t('intensity.help')}</span>
          </label>
        )}
        <ul className="mt-1 text-xs" data-testid="medsam-model-list">
          {models.map((m) => (
            <li key={m.id} className={m.available ? '' : 'opacity-60'} data-testid={`medsam-model-${m.id}`}>
              {/* a model whose files are not installed has no size to tell (its manifest says 0) */}
              {m.displayName} ·{' '}
              {m.available ? `${t('panel.modelSize', { size: mb.format(m.sizeBytes / BYTES_PER_MB) })} · ` : ''}
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
