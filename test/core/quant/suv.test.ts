import {
  readPetSuvHeaders,
  type PetSuvHeaders,
} from '../../../extension/src/core/quant/petHeaders';
import { computeSuvScaling } from '../../../extension/src/core/quant/suv';

/** The pet-raw headers (README: 71 kg, 388.8 MBq at 10:35:00, series 11:20:11). */
const bqml: PetSuvHeaders = {
  Units: 'BQML',
  CorrectedImage: ['DECY', 'ATTN', 'SCAT'],
  DecayCorrection: 'START',
  PatientWeight: 71,
  PatientSize: 1.63,
  PatientSex: 'M',
  RadionuclideTotalDose: 388777472,
  RadionuclideHalfLife: 6588,
  RadiopharmaceuticalStartTime: '103500.00',
  SeriesDate: '20000907',
  SeriesTime: '112011.00',
  AcquisitionDate: '20000907',
  AcquisitionTime: '112011.00',
};

describe('computeSuvScaling', () => {
  it('decays the dose from injection to series time (hand computation)', () => {
    const scaling = computeSuvScaling([bqml, bqml]);
    const elapsedS = (11 * 3600 + 20 * 60 + 11) - (10 * 3600 + 35 * 60);
    const decayedDose = 388777472 * 2 ** (-elapsedS / 6588);
    const expected = (71 * 1000) / decayedDose;
    expect(scaling).toMatchObject({ status: 'available', source: 'computed' });
    if (scaling.status !== 'available') return;
    expect(scaling.factors).toHaveLength(2);
    for (const factor of scaling.factors) {
      expect(Math.abs(factor / expected - 1)).toBeLessThan(1e-9);
    }
  });

  it('does not convert stored SUV (Units GML) again, whatever else is missing', () => {
    const scaling = computeSuvScaling([{ Units: 'GML' }, { Units: 'GML' }]);
    expect(scaling).toEqual({ status: 'available', source: 'stored', factors: [1, 1] });
  });

  it('lists every missing header and keeps the raw unit', () => {
    const {
      PatientWeight: _weight,
      RadionuclideHalfLife: _halfLife,
      RadiopharmaceuticalStartTime: _start,
      ...rest
    } = bqml;
    const scaling = computeSuvScaling([rest, { ...rest, PatientWeight: 0 }]);
    expect(scaling).toEqual({
      status: 'unavailable',
      rawUnit: 'Bq/mL',
      missing: ['PatientWeight', 'RadionuclideHalfLife', 'RadiopharmaceuticalStartTime'],
      invalid: [],
    });
    expect(computeSuvScaling([])).toMatchObject({ status: 'unavailable', missing: ['Units'] });
  });

  it('does not decay the dose when the pixels are decay corrected to injection', () => {
    const scaling = computeSuvScaling([{ ...bqml, DecayCorrection: 'ADMIN' }]);
    const factors = [71000 / 388777472];
    expect(scaling).toEqual({ status: 'available', source: 'computed', factors });
  });

  it('reports unusable values with their keyword or the reason', () => {
    const notCorrected = computeSuvScaling([
      { ...bqml, CorrectedImage: ['ATTN'], DecayCorrection: 'NONE' },
    ]);
    expect(notCorrected).toMatchObject({ status: 'unavailable', missing: [] });
    if (notCorrected.status === 'unavailable') {
      const keywords = notCorrected.invalid.map((p) => p.keyword);
      expect(keywords).toEqual(['CorrectedImage', 'DecayCorrection']);
    }
    // Injected after the scan: calculate-suv refuses, the reason is surfaced.
    const late = computeSuvScaling([{ ...bqml, RadiopharmaceuticalStartTime: '120000' }]);
    const reason = expect.stringMatching(/decay/i);
    expect(late).toMatchObject({ status: 'unavailable', invalid: [{ reason }] });
    expect(computeSuvScaling([{ Units: 'PROPCNT' }])).toMatchObject({
      rawUnit: 'PROPCNT',
      invalid: [{ keyword: 'Units' }],
    });
  });
});

describe('readPetSuvHeaders', () => {
  it('reads a naturalized dataset, including the radiopharmaceutical item', () => {
    const headers = readPetSuvHeaders({
      Units: 'BQML',
      CorrectedImage: 'DECY\\ATTN',
      PatientWeight: '71',
      SeriesTime: '112011.00',
      RadiopharmaceuticalInformationSequence: [
        {
          RadionuclideTotalDose: 388777472,
          RadionuclideHalfLife: '6588',
          RadiopharmaceuticalStartTime: '103500',
        },
      ],
    });
    expect(headers).toEqual({
      Units: 'BQML',
      CorrectedImage: ['DECY', 'ATTN'],
      PatientWeight: 71,
      SeriesTime: '112011.00',
      RadionuclideTotalDose: 388777472,
      RadionuclideHalfLife: 6588,
      RadiopharmaceuticalStartTime: '103500',
    });
  });
});
