/**
 * One row per segment, grouped by segmentation. A row shows the volume and the
 * two diameters; selecting it jumps the viewer to the lesion, draws the axes
 * and opens the row's details.
 */
import type { i18n as I18n } from 'i18next';
import { SHOWN_DECIMALS, type BurdenFormat } from './burdenFormat';
import type { LesionRow, SegmentationProblem } from './burdenState';
import { LesionDetails } from './LesionDetails';

interface Props {
  rows: LesionRow[];
  problems: SegmentationProblem[];
  selectedKey: string | null;
  format: BurdenFormat;
  i18n: I18n;
  onSelect(key: string | null): void;
}

function LesionItem({
  row,
  selected,
  format,
  i18n,
  onSelect,
}: {
  row: LesionRow;
  selected: boolean;
  format: BurdenFormat;
  i18n: I18n;
  onSelect(key: string | null): void;
}) {
  const t = i18n.t.bind(i18n);
  const m = row.measurement;
  const [r, g, b] = row.colour;
  const mm = (v: number | undefined) => format.numbers.format(v, SHOWN_DECIMALS.lengthMm);
  const size =
    m.voxelCount === 0
      ? t('burden.empty')
      : t('burden.axes', {
          long: mm(m.diameters?.longAxis.lengthMm),
          short: mm(m.diameters?.shortAxis.lengthMm),
        });
  return (
    <li
      className={`rounded ${selected ? 'bg-primary-dark' : ''}`}
      data-testid="burden-row"
      data-segment-index={row.segmentIndex}
      data-selected={selected}
    >
      <button
        type="button"
        className="flex w-full items-center gap-2 px-1 py-1 text-left hover:bg-primary-dark"
        aria-expanded={selected}
        title={t('burden.rowTitle')}
        onClick={() => onSelect(selected ? null : row.key)}
      >
        <span
          aria-hidden
          className="inline-block h-3 w-3 shrink-0 rounded-sm"
          style={{ background: `rgb(${r},${g},${b})` }}
        />
        <span className="min-w-0 flex-1 truncate" data-testid="burden-label">
          {m.label}
        </span>
        <span className="shrink-0 text-right tabular-nums">
          <span className="block" data-testid="burden-volume">
            {format.withUnit(
              m.voxelCount > 0 ? m.volumeMl : null,
              SHOWN_DECIMALS.volumeMl,
              'burden.units.ml',
            )}
          </span>
          <span className="block text-xs opacity-70">{size}</span>
        </span>
      </button>
      {selected && (
        <LesionDetails
          measurement={m}
          diameterSlice={row.diameterSlice}
          format={format}
          i18n={i18n}
        />
      )}
    </li>
  );
}

export function LesionList({ rows, problems, selectedKey, format, i18n, onSelect }: Props) {
  const groups = new Map<string, LesionRow[]>();
  for (const row of rows)
    groups.set(row.segmentationId, [...(groups.get(row.segmentationId) ?? []), row]);
  return (
    <>
      {[...groups.values()].map((group) => (
        <div key={group[0]?.segmentationId} className="mb-1" data-testid="burden-segmentation">
          <p className="truncate text-xs uppercase tracking-wide opacity-70">
            {group[0]?.segmentationLabel}
          </p>
          <ul className="text-sm">
            {group.map((row) => (
              <LesionItem
                key={row.key}
                row={row}
                selected={row.key === selectedKey}
                format={format}
                i18n={i18n}
                onSelect={onSelect}
              />
            ))}
          </ul>
        </div>
      ))}
      {problems.map((p) => (
        <p
          key={p.segmentationId}
          role="alert"
          className="text-xs text-red-400"
          data-testid="burden-problem"
        >
          {p.segmentationLabel}: {i18n.t(p.message.key, p.message.values)}
        </p>
      ))}
    </>
  );
}
