/**
 * The results as markdown: one table with a row per structure and method, then
 * a summary per method. Figures are rounded to 3 decimals; nothing in the text
 * depends on the time or the machine, so a rerun can be compared with `diff`.
 */
import { BOX_MARGINS_PX } from './evaluateStructure';
import type { ResultRow } from './runEvaluation';

/** Decimals of every Dice in the tables. */
export const DICE_DECIMALS = 3;

export interface ReportContext {
  dataDir: string;
  /** One line per method: label, model id, description. */
  methods: string[];
  notes: string[];
}

function format(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '–' : value.toFixed(DICE_DECIMALS);
}

function marginHeader(margin: number): string {
  return margin === 0 ? 'tight' : `+${margin} px`;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Rows of the full table. */
export function formatResultTable(rows: readonly ResultRow[]): string[] {
  const header = [
    'case',
    'structure',
    'modality',
    'patient',
    'truth',
    'voxels',
    'slices',
    'method',
    ...BOX_MARGINS_PX.map(marginHeader),
    '3D from one box',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) {
    const cells = [
      row.caseId,
      row.structure,
      row.modality,
      row.patient,
      row.groundTruth,
      String(row.voxels),
      String(row.labelledSlices),
      row.method,
      ...row.scores.byMargin.map(format),
      format(row.scores.propagation),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines;
}

/** Per method: mean Dice per column and, per column, structures where it beats the ellipse. */
export function formatSummaryTable(rows: readonly ResultRow[]): string[] {
  const methods = [...new Set(rows.map((r) => r.method))];
  const ellipse = new Map(
    rows.filter((r) => r.method === 'ellipse in box').map((r) => [`${r.caseId}|${r.structure}`, r]),
  );
  const header = ['method', 'structures', ...BOX_MARGINS_PX.map(marginHeader), '3D from one box', 'beats ellipse (tight / +5 / +10)'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const method of methods) {
    const own = rows.filter((r) => r.method === method);
    const columns = BOX_MARGINS_PX.map((_, m) => mean(own.map((r) => r.scores.byMargin[m] ?? Number.NaN)));
    const propagated = own.flatMap((r) => (r.scores.propagation === undefined ? [] : [r.scores.propagation]));
    const wins = BOX_MARGINS_PX.map(
      (_, m) =>
        own.filter((r) => {
          const base = ellipse.get(`${r.caseId}|${r.structure}`);
          return base !== undefined && (r.scores.byMargin[m] ?? 0) > (base.scores.byMargin[m] ?? 0);
        }).length,
    );
    lines.push(
      `| ${[
        method,
        String(own.length),
        ...columns.map(format),
        format(propagated.length ? mean(propagated) : undefined),
        wins.map((w) => `${w}/${own.length}`).join(' / '),
      ].join(' | ')} |`,
    );
  }
  return lines;
}

/** The whole markdown report. */
export function formatReport(rows: readonly ResultRow[], context: ReportContext): string {
  return [
    '# Segmentation evaluation',
    '',
    `Data: \`${context.dataDir}\`. 3D Dice over each whole structure. Box columns: a box on every`,
    'labelled slice, the ground truth\'s bounding box on that slice ("tight") or that box grown by',
    '5 or 10 image pixels on every side (clipped to the image); unlabelled slices get no box and',
    'count as empty predictions. "3D from one box": the tight box on the structure\'s middle',
    'labelled slice, then the engine\'s slice-to-slice propagation through the whole series.',
    '',
    'Methods:',
    '',
    ...context.methods.map((m) => `- ${m}`),
    '',
    ...formatResultTable(rows),
    '',
    '## Summary (mean over structures)',
    '',
    ...formatSummaryTable(rows),
    '',
    ...context.notes,
    '',
  ].join('\n');
}
