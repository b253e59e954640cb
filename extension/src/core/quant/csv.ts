/**
 * Tumour-burden table as CSV (RFC 4180): CRLF line ends, a header row with the
 * unit of every numeric column, fields quoted only when they contain a comma,
 * a double quote, CR or LF, quotes doubled. Numbers are locale-neutral (dot
 * decimal separator, no grouping, fixed decimals) so any spreadsheet or script
 * reads them back; the panel formats for the user's locale (formatNumber.ts).
 *
 * One row per segment, then one `total` row: its "Volume (mL)" is the total
 * volume, its "Long axis (mm)" the sum of longest diameters, its "Lesions" the
 * lesion count. Intensity statistics get one column group per unit present
 * (e.g. HU and g/mL when CT and PET lesions are mixed).
 *
 * The long-axis slice is given two ways, each named for what it is: "Diameter
 * slice (stack position)" is N of the panel's "Image N of M" (1-based place in
 * the viewer's stack, which may run opposite to the slice normal), "Diameter
 * InstanceNumber" the image's own InstanceNumber (0020,0013).
 */

import type { SegmentMeasurement } from './measureSegment';
import type { TumourBurdenTotals } from './totals';
import { SUV_UNIT } from './suv';

const LINE_END = '\r\n';
/** Characters that make a spreadsheet read a text cell as a formula. */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/** Decimals written per quantity (data export: finer than the panel shows). */
const DECIMALS = { volumeMl: 3, lengthMm: 2, suv: 4, tlgG: 3 } as const;
/** Decimals of intensity statistics per unit; others get DEFAULT_INTENSITY_DECIMALS. */
const INTENSITY_DECIMALS: Readonly<Record<string, number>> = { HU: 2, [SUV_UNIT]: 4, 'Bq/mL': 1 };
const DEFAULT_INTENSITY_DECIMALS = 4;

type Cell = string | number | null;

/** Where a reader finds a lesion's long-axis slice again. */
export interface DiameterSliceReference {
  /**
   * 1-based place of the slice in the stack of the viewport that shows the
   * series (N of the panel's "Image N of M"); null when no viewport shows it.
   */
  stackPosition: number | null;
  /** InstanceNumber (0020,0013) of that image; null when it has none. */
  InstanceNumber: number | null;
}

/** One lesion row of the CSV. */
export interface TumourBurdenCsvRow {
  measurement: SegmentMeasurement;
  /** Null for an empty segment. */
  diameterSlice: DiameterSliceReference | null;
}

interface Column {
  header: string;
  /** Decimals for numeric cells; undefined for integers and text. */
  decimals?: number;
  lesion: (m: SegmentMeasurement, row: TumourBurdenCsvRow) => Cell;
  total: (t: TumourBurdenTotals) => Cell;
}

/** A number with fixed decimals, '.' as separator; empty for null or non-finite. */
export function formatCsvNumber(value: number | null, decimals?: number): string {
  if (value === null || !Number.isFinite(value)) return '';
  const text = decimals === undefined ? String(Math.round(value)) : value.toFixed(decimals);
  // toFixed keeps the sign of values that round to zero ("-0.00").
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** One field, quoted per RFC 4180 when needed. */
export function escapeCsvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function formatTextCell(text: string): string {
  // A label typed by a user must not run as a spreadsheet formula (CSV
  // injection); a leading apostrophe makes it inert and stays visible.
  const guarded = FORMULA_TRIGGERS.has(text.charAt(0)) ? `'${text}` : text;
  return escapeCsvField(guarded);
}

const none = (): Cell => null;

function intensityColumns(unit: string): Column[] {
  const decimals = INTENSITY_DECIMALS[unit] ?? DEFAULT_INTENSITY_DECIMALS;
  const pick =
    (key: 'mean' | 'standardDeviation' | 'min' | 'max' | 'median') =>
    (m: SegmentMeasurement): Cell =>
      m.intensity && m.intensity.unit === unit ? m.intensity[key] : null;
  return [
    { header: `Mean (${unit})`, decimals, lesion: pick('mean'), total: none },
    { header: `SD population (${unit})`, decimals, lesion: pick('standardDeviation'), total: none },
    { header: `Min (${unit})`, decimals, lesion: pick('min'), total: none },
    { header: `Max (${unit})`, decimals, lesion: pick('max'), total: none },
    { header: `Median (${unit})`, decimals, lesion: pick('median'), total: none },
  ];
}

/** Keywords SUV lacked, then unusable ones (or the reason when none is named). */
function describeSuvProblems(m: SegmentMeasurement): Cell {
  if (m.pet?.status !== 'raw') return null;
  const invalid = m.pet.invalid.map((problem) => problem.keyword ?? problem.reason);
  return [...m.pet.missing, ...invalid].join('; ');
}

function petColumns(): Column[] {
  const suv = (m: SegmentMeasurement) => (m.pet?.status === 'suv' ? m.pet : null);
  const suvColumn = (name: string, value: (m: SegmentMeasurement) => Cell): Column => ({
    header: `${name} (${SUV_UNIT})`,
    decimals: DECIMALS.suv,
    lesion: value,
    total: none,
  });
  return [
    suvColumn('SUVmax', (m) => suv(m)?.suvMax ?? null),
    suvColumn('SUVmean', (m) => suv(m)?.suvMean ?? null),
    suvColumn('SUVpeak', (m) => suv(m)?.suvPeak?.value ?? null),
    {
      header: 'MTV (mL)',
      decimals: DECIMALS.volumeMl,
      lesion: (m) => m.pet?.mtvMl ?? null,
      total: (t) => t.totalMtvMl,
    },
    {
      header: 'TLG (g)',
      decimals: DECIMALS.tlgG,
      lesion: (m) => suv(m)?.tlgG ?? null,
      total: (t) => t.totalTlgG,
    },
    { header: 'SUV source', lesion: (m) => suv(m)?.source ?? null, total: none },
    { header: 'SUV missing headers', lesion: describeSuvProblems, total: none },
  ];
}

function baseColumns(): Column[] {
  return [
    { header: 'Row', lesion: () => 'lesion', total: () => 'total' },
    { header: 'Lesions', lesion: (m) => (m.voxelCount > 0 ? 1 : 0), total: (t) => t.lesionCount },
    { header: 'Segment number', lesion: (m) => m.segmentNumber, total: none },
    { header: 'Label', lesion: (m) => m.label, total: none },
    { header: 'Modality', lesion: (m) => m.Modality, total: none },
    // whose images these are, so that a file read later names its patient and study
    { header: 'Patient ID', lesion: (m) => m.PatientID, total: none },
    { header: 'Study Instance UID', lesion: (m) => m.StudyInstanceUID, total: none },
    { header: 'Series Instance UID', lesion: (m) => m.SeriesInstanceUID, total: none },
    { header: 'Voxels', lesion: (m) => m.voxelCount, total: none },
    {
      header: 'Volume (mL)',
      decimals: DECIMALS.volumeMl,
      lesion: (m) => m.volumeMl,
      total: (t) => t.totalVolumeMl,
    },
    {
      header: 'Long axis (mm)',
      decimals: DECIMALS.lengthMm,
      lesion: (m) => m.diameters?.longAxis.lengthMm ?? null,
      total: (t) => t.sumOfLongestDiametersMm,
    },
    {
      header: 'Short axis (mm)',
      decimals: DECIMALS.lengthMm,
      lesion: (m) => m.diameters?.shortAxis.lengthMm ?? null,
      total: none,
    },
    {
      header: 'Diameter slice (stack position)',
      lesion: (m, row) => (m.diameters ? (row.diameterSlice?.stackPosition ?? null) : null),
      total: none,
    },
    {
      header: 'Diameter InstanceNumber',
      lesion: (m, row) => (m.diameters ? (row.diameterSlice?.InstanceNumber ?? null) : null),
      total: none,
    },
  ];
}

function formatCell(cell: Cell, column: Column): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return formatCsvNumber(cell, column.decimals);
  return formatTextCell(cell);
}

/**
 * CSV text of the tumour-burden table (see the module comment for layout).
 * @example
 * const totals = computeTumourBurdenTotals(rows.map((r) => r.measurement));
 * const csv = createTumourBurdenCsv(rows, totals);
 */
export function createTumourBurdenCsv(
  rows: readonly TumourBurdenCsvRow[],
  totals: TumourBurdenTotals,
): string {
  const measurements = rows.map((r) => r.measurement);
  const units = [...new Set(measurements.flatMap((m) => (m.intensity ? [m.intensity.unit] : [])))];
  const hasPet = measurements.some((m) => m.pet !== null);
  const columns = [
    ...baseColumns(),
    ...units.flatMap(intensityColumns),
    ...(hasPet ? petColumns() : []),
  ];
  const lines = [
    columns.map((c) => escapeCsvField(c.header)).join(','),
    ...rows.map((r) => columns.map((c) => formatCell(c.lesion(r.measurement, r), c)).join(',')),
    columns.map((c) => formatCell(c.total(totals), c)).join(','),
  ];
  return lines.join(LINE_END) + LINE_END;
}
