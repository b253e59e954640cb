/**
 * The tumour-burden panel as a radiologist reads it, rendered to HTML in both
 * languages from real core measurements: numbers in the locale's format, units
 * translated, a PET without PatientWeight names the missing header and shows
 * raw Bq/mL, every failure has words (no raw i18n key shows).
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { SeriesGeometry } from '../../../extension/src/core/dicom/seriesGeometry';
import {
  computeTumourBurdenTotals,
  measureSegments,
  type PetSuvHeaders,
  type QuantErrorCode,
} from '../../../extension/src/core/quant';
import { createI18n } from '../../../extension/src/i18n/i18n';
import type { BurdenErrorCode } from '../../../extension/src/ohif/burden/burdenError';
import {
  createBurdenState,
  type BurdenState,
  type LesionRow,
} from '../../../extension/src/ohif/burden/burdenState';
import { TumourBurdenPanel } from '../../../extension/src/ohif/burden/TumourBurdenPanel';

const SIZE = 4;
const SLICES = 3;
const QUANT_CODES: QuantErrorCode[] = [
  'quant.geometryInconsistent',
  'quant.slicesNotSorted',
  'quant.sliceSpacingUnknown',
  'quant.shapeMismatch',
];
const BURDEN_CODES: BurdenErrorCode[] = ['source.noImagePlane', 'source.imageLoadFailed'];

function geometry(Modality: string): SeriesGeometry {
  const images = Array.from({ length: SLICES }, (_, k) => ({
    Rows: SIZE,
    Columns: SIZE,
    ImagePositionPatient: [0, 0, 2.5 * k] as [number, number, number],
    ImageOrientationPatient: [1, 0, 0, 0, 1, 0] as [number, number, number, number, number, number],
    PixelSpacing: [1.25, 1.25] as [number, number],
    SOPClassUID: '1.2',
    SOPInstanceUID: `${Modality}-${k}`,
  }));
  return { StudyInstanceUID: 's', SeriesInstanceUID: Modality, FrameOfReferenceUID: 'f', Modality, images };
}

function row(Modality: string, pixelValue: number, petHeaders?: PetSuvHeaders[]): LesionRow {
  const mask = [null, Uint8Array.from({ length: SIZE * SIZE }, (_, i) => (i < 6 ? 1 : 0)), null];
  const pixels = mask.map(() => new Float32Array(SIZE * SIZE).fill(pixelValue));
  const [measurement] = measureSegments({ geometry: geometry(Modality), pixels, petHeaders }, [
    { segmentNumber: 1, label: `${Modality} lesion`, mask },
  ]);
  return {
    key: `${Modality}:1`,
    segmentationId: Modality,
    segmentationLabel: `${Modality} segmentation`,
    segmentIndex: 1,
    colour: [255, 0, 0],
    measurement: measurement!,
    imageIds: mask.map((_, k) => `${Modality}-${k}`),
    diameterSlice: { stackPosition: 2, stackLength: SLICES, InstanceNumber: 17 },
  };
}

function render(language: 'en' | 'fr', overrides: Partial<BurdenState>): string {
  const state = createBurdenState();
  const rows = overrides.rows ?? [];
  state.set((s) => ({
    ...s,
    measured: true,
    rows,
    totals: computeTumourBurdenTotals(rows.map((r) => r.measurement)),
    ...overrides,
  }));
  const actions = { setVisible: () => undefined, select: () => undefined, downloadCsv: () => undefined };
  const i18n = createI18n(language);
  return renderToStaticMarkup(createElement(TumourBurdenPanel, { state, i18n, actions }));
}

function text(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, "'").replace(/\s+/g, ' ');
}

/** A PET image without PatientWeight: SUV cannot be computed. */
const PET_WITHOUT_WEIGHT: PetSuvHeaders = {
  Units: 'BQML',
  DecayCorrection: 'START',
  CorrectedImage: ['ATTN', 'DECY'],
  RadionuclideTotalDose: 3.5e8,
  RadionuclideHalfLife: 6586,
  RadiopharmaceuticalStartTime: '100000',
  SeriesDate: '20200101',
  SeriesTime: '110000',
  AcquisitionDate: '20200101',
  AcquisitionTime: '110000',
};

describe('tumour-burden panel rendering', () => {
  const ct = row('CT', 45.25);
  const pet = row('PT', 12_345, Array.from({ length: SLICES }, () => PET_WITHOUT_WEIGHT));

  it('shows CT figures in HU with the locale decimal separator', () => {
    const en = text(render('en', { rows: [ct], selectedKey: ct.key }));
    // 6 voxels × 1.25 mm × 1.25 mm × 2.5 mm = 23.4375 mm³ = 0.0234 mL.
    expect(en).toContain('0.02 mL');
    expect(en).toContain('Intensity (HU)');
    expect(en).toContain('45.3');
    expect(en).toContain('Image 2 of 3');
    expect(en).toContain('Instance number 17');
    const fr = text(render('fr', { rows: [ct], selectedKey: ct.key }));
    expect(fr).toContain('0,02 mL');
    expect(fr).toContain('Intensité (UH)');
    expect(fr).toContain('45,3');
    expect(fr).toContain('Télécharger le CSV');
    expect(fr).toContain("Numéro d'instance 17");
  });

  it('names the missing PET header and shows raw Bq/mL', () => {
    for (const language of ['en', 'fr'] as const) {
      const html = text(render(language, { rows: [pet], selectedKey: pet.key }));
      expect(html).toContain('PatientWeight');
      expect(html).toContain('Bq/mL');
      expect(html).toMatch(/12[,\s\u202f\u00a0]?345/);
      expect(html).not.toContain('SUVmax');
    }
  });

  it('has words for every failure, in both languages', () => {
    const problems = [...QUANT_CODES, ...BURDEN_CODES, 'unexpected'].map((code) => ({
      segmentationId: code,
      segmentationLabel: 'Seg',
      message: { key: `burden.errors.${code}`, values: { detail: 'why' } },
    }));
    for (const language of ['en', 'fr'] as const) {
      const html = text(render(language, { problems }));
      expect(html).not.toMatch(/burden\.errors/);
      expect(html.match(/Seg:/g)).toHaveLength(problems.length);
    }
  });

  it('says when there is nothing to measure, and shows progress while measuring', () => {
    expect(text(render('en', {}))).toContain('No segmentation yet');
    const busy = text(render('fr', { progress: { phase: 'reading', done: 3, total: 48 } }));
    expect(busy).toContain('Lecture des images : 3 sur 48');
  });
});
