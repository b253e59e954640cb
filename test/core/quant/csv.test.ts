import {
  createTumourBurdenCsv,
  escapeCsvField,
  formatCsvNumber,
} from '../../../extension/src/core/quant/csv';
import { measureSegments } from '../../../extension/src/core/quant/measureSegment';
import { computeTumourBurdenTotals } from '../../../extension/src/core/quant/totals';
import { createSyntheticGeometry, drawMask, fillPixels } from '../../support/syntheticSeries';

/** 1 mm × 1 mm pixels. */
const UNIT_SPACING: [number, number] = [1, 1];

/** RFC 4180 reader written for this test, independent of the writer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

function measureMixed() {
  const ct = { rows: 8, columns: 8, slicePositions: [0, 2], pixelSpacing: UNIT_SPACING };
  const pet = { ...ct, Modality: 'PT' };
  const box = (x: number, y: number): boolean => x >= 2 && x < 5 && y >= 2 && y < 4;
  const ctRows = measureSegments(
    {
      geometry: { ...createSyntheticGeometry(ct), PatientID: 'STS_002', StudyInstanceUID: '1.2.3' },
      pixels: fillPixels(ct, (x) => -1000.5 + x),
    },
    [{ segmentNumber: 1, label: 'liver, "left"\nlobe', mask: drawMask(ct, box) }],
  );
  const petRows = measureSegments(
    {
      geometry: createSyntheticGeometry(pet),
      pixels: fillPixels(pet, () => 2.5),
      petHeaders: [{ Units: 'GML' }, { Units: 'GML' }],
    },
    [{ segmentNumber: 1, label: '=cmd()', mask: drawMask(pet, box) }],
  );
  return [...ctRows, ...petRows];
}

describe('createTumourBurdenCsv', () => {
  it('writes RFC 4180 rows with units in the header and a totals row', () => {
    const measured = measureMixed();
    // The CT's long-axis slice is 7th in the viewer's stack and has InstanceNumber 42;
    // no viewport shows the PET and its image has no InstanceNumber.
    const rows = [
      { measurement: measured[0]!, diameterSlice: { stackPosition: 7, InstanceNumber: 42 } },
      { measurement: measured[1]!, diameterSlice: { stackPosition: null, InstanceNumber: null } },
    ];
    const csv = createTumourBurdenCsv(rows, computeTumourBurdenTotals(measured));
    expect(csv.endsWith('\r\n')).toBe(true);
    const table = parseCsv(csv);
    const [header, ct, pet, total] = table;
    if (!header || !ct || !pet || !total) throw new Error('expected four rows');
    expect(table).toHaveLength(4);
    for (const row of table) expect(row).toHaveLength(header.length);
    const cell = (row: string[], name: string): string => row[header.indexOf(name)] ?? 'absent';
    const units = ['Volume (mL)', 'Long axis (mm)', 'Mean (HU)', 'Mean (g/mL)', 'TLG (g)'];
    expect(header).toEqual(expect.arrayContaining([...units, 'SUVpeak (g/mL)']));
    expect(cell(ct, 'Label')).toBe('liver, "left"\nlobe');
    expect(cell(pet, 'Label')).toBe("'=cmd()");
    expect(cell(ct, 'Volume (mL)')).toBe('0.024');
    expect(cell(ct, 'Mean (HU)')).toBe('-997.50');
    expect(cell(ct, 'Mean (g/mL)')).toBe('');
    expect(cell(pet, 'SUVmax (g/mL)')).toBe('2.5000');
    expect(cell(pet, 'SUV source')).toBe('stored');
    expect(cell(total, 'Row')).toBe('total');
    expect(cell(total, 'Lesions')).toBe('2');
    expect(cell(total, 'Volume (mL)')).toBe('0.048');
    expect(Number(cell(total, 'Long axis (mm)'))).toBeCloseTo(2 * Math.hypot(2, 1), 2);
    expect(cell(total, 'TLG (g)')).toBe('0.060');
    // The slice as given, never the measurement's own 0-based index along the normal.
    expect(measured[0]!.diameters?.sliceIndex).toBe(0);
    expect(cell(ct, 'Diameter slice (stack position)')).toBe('7');
    expect(cell(ct, 'Diameter InstanceNumber')).toBe('42');
    expect(cell(pet, 'Diameter slice (stack position)')).toBe('');
    expect(cell(pet, 'Diameter InstanceNumber')).toBe('');
    expect(cell(total, 'Diameter InstanceNumber')).toBe('');
    expect(header).not.toContain('Diameter image number');
    // whose images: the patient and study the lesion was measured on (empty when unknown)
    expect(cell(ct, 'Patient ID')).toBe('STS_002');
    expect(cell(ct, 'Study Instance UID')).toBe('1.2.3');
    expect(cell(pet, 'Patient ID')).toBe('');
    expect(cell(total, 'Patient ID')).toBe('');
  });
});

describe('CSV cells', () => {
  it('formats numbers locale-neutrally and quotes only when needed', () => {
    expect(formatCsvNumber(1234567.891, 2)).toBe('1234567.89');
    expect(formatCsvNumber(-0.0001, 2)).toBe('0.00');
    expect(formatCsvNumber(12.6)).toBe('13');
    expect(formatCsvNumber(NaN, 2)).toBe('');
    expect(escapeCsvField('plain')).toBe('plain');
    expect(escapeCsvField('a"b')).toBe('"a""b"');
  });
});
