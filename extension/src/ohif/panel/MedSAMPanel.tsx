import { useSyncExternalStore } from 'react';
import type { i18n } from 'i18next';
import type { Store } from '../../core/util/store';
import { SHORTCUTS } from '../keyboardShortcuts';
import type { MedSAMState } from '../medsamState';
import { ModelSection } from './ModelSection';
import type { PanelActions } from './panelActions';
import { SaveSection } from './SaveSection';
import { Section } from './Section';
import { SegmentsSection } from './SegmentsSection';
import { WorkSection } from './WorkSection';

export type { PanelActions } from './panelActions';

interface Props {
  state: Store<MedSAMState>;
  i18n: i18n;
  actions: PanelActions;
}

/** The MedSAM panel: model and backend, the job at hand, lesions, keys, series. */
export function MedSAMPanel({ state, i18n, actions }: Props) {
  const s = useSyncExternalStore(state.subscribe, state.get);
  const t = i18n.t.bind(i18n);
  return (
    <div className="flex flex-col" data-testid="medsam-panel">
      <ModelSection s={s} i18n={i18n} actions={actions} />
      <WorkSection s={s} i18n={i18n} actions={actions} />
      <SegmentsSection s={s} i18n={i18n} actions={actions} />
      <SaveSection s={s} i18n={i18n} actions={actions} />
      <Section title={t('panel.hotkeys')} testId="medsam-panel-hotkeys">
        {/* inline: the viewer's stylesheet only carries the utility classes OHIF uses */}
        <dl className="grid gap-x-2 text-xs" style={{ gridTemplateColumns: 'max-content 1fr' }}>
          {SHORTCUTS.map((k) => (
            <div key={k.action} className="contents">
              <dt className="whitespace-nowrap font-mono">{k.label}</dt>
              <dd>{t(k.description)}</dd>
            </div>
          ))}
        </dl>
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
