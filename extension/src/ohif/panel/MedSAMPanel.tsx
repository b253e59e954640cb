import { Fragment, useSyncExternalStore } from 'react';
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

const KEY_LIST_STYLE = { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: '0.5rem' } as const;

/** The viewer's own keys that act on our results (its undo history holds our writes). */
const VIEWER_KEYS = [
  { id: 'undo', label: 'Ctrl Z', description: 'hotkeys.undo' },
  { id: 'redo', label: 'Ctrl Y', description: 'hotkeys.redo' },
] as const;

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
        {/* Inline layout: the viewer's stylesheet carries only the utility classes
            OHIF itself uses (not `contents`, not arbitrary grid columns). */}
        <dl className="text-xs" style={KEY_LIST_STYLE}>
          {[...SHORTCUTS.map((k) => ({ ...k, id: k.action })), ...VIEWER_KEYS].map((k) => (
            <Fragment key={k.id}>
              <dt className="font-mono" style={{ whiteSpace: 'nowrap' }}>{k.label}</dt>
              <dd style={{ margin: 0 }}>{t(k.description)}</dd>
            </Fragment>
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
