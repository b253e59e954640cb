import { useState } from 'react';
import type { i18n } from 'i18next';
import type { MedSAMState, SegmentRow } from '../medsamState';
import type { PanelActions } from './panelActions';
import { Section, buttonClass } from './Section';

function SegmentItem({ row, i18n, actions }: { row: SegmentRow; i18n: i18n; actions: PanelActions }) {
  const t = i18n.t.bind(i18n);
  const [editing, setEditing] = useState(false);
  const [label, setLabel] = useState(row.label);
  const [r, g, b] = row.colour;
  return (
    <li
      className={`flex items-center gap-1 py-0.5 ${row.active ? 'font-semibold' : ''}`}
      data-testid={`medsam-segment-${row.segmentIndex}`}
    >
      <span aria-hidden className="inline-block h-3 w-3 rounded-sm" style={{ background: `rgb(${r},${g},${b})` }} />
      {editing ? (
        <input
          className="flex-1 bg-black text-white"
          aria-label={t('segments.rename')}
          value={label}
          autoFocus
          onChange={(e) => setLabel(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              actions.renameSegment(row.segmentIndex, label);
              setEditing(false);
            }
            if (e.key === 'Escape') setEditing(false);
          }}
        />
      ) : (
        <button type="button" className="flex-1 text-left" onClick={() => actions.setActiveSegment(row.segmentIndex)}>
          {row.label}
        </button>
      )}
      <button type="button" className={buttonClass} title={t('segments.jump')} onClick={() => actions.jumpToSegment(row.segmentIndex)}>
        {t('segments.jumpShort')}
      </button>
      <button
        type="button"
        className={buttonClass}
        title={row.visible ? t('segments.hide') : t('segments.show')}
        onClick={() => actions.toggleSegmentVisibility(row.segmentIndex)}
      >
        {row.visible ? t('segments.hideShort') : t('segments.showShort')}
      </button>
      <button type="button" className={buttonClass} title={t('segments.rename')} onClick={() => setEditing(true)}>
        {t('segments.renameShort')}
      </button>
      <button type="button" className={buttonClass} title={t('segments.delete')} onClick={() => actions.removeSegment(row.segmentIndex)}>
        {t('segments.deleteShort')}
      </button>
    </li>
  );
}

/** The lesions of the segmentation our results go into. */
export function SegmentsSection({ s, i18n, actions }: { s: MedSAMState; i18n: i18n; actions: PanelActions }) {
  const t = i18n.t.bind(i18n);
  return (
    <Section title={t('panel.segments')} testId="medsam-panel-segments">
      {s.segments.length === 0 ? (
        <p className="text-xs opacity-80">{t('segments.none')}</p>
      ) : (
        <ul className="text-xs">
          {s.segments.map((row) => (
            <SegmentItem key={`${row.segmentIndex}:${row.label}`} row={row} i18n={i18n} actions={actions} />
          ))}
        </ul>
      )}
    </Section>
  );
}
