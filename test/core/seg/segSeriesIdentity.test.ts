/**
 * The SEG's name in a series list: SeriesDescription within LO (64
 * characters, no backslash or control character) naming the source, and a
 * SeriesNumber within IS that the study does not use yet.
 */
import {
  SEG_SERIES_NUMBER_OFFSET,
  SERIES_DESCRIPTION_MAX_CHARACTERS,
  SERIES_NUMBER_MAX,
  chooseSegSeriesNumber,
  createSegSeriesDescription,
} from '../../../extension/src/core/seg/segSeriesIdentity';

describe('createSegSeriesDescription', () => {
  it('names what the SEG holds, the source modality and description', () => {
    expect(
      createSegSeriesDescription('MedSAM lesions', { Modality: 'CT', SeriesDescription: 'Thorax' }),
    ).toBe('MedSAM lesions · CT · Thorax');
    expect(createSegSeriesDescription('Lésions MedSAM', { Modality: 'PT' })).toBe(
      'Lésions MedSAM · PT',
    );
    expect(createSegSeriesDescription('MedSAM lesions', { SeriesDescription: '  ' })).toBe(
      'MedSAM lesions',
    );
  });

  it('makes LO text of what the source holds: no backslash, no control character', () => {
    const text = createSegSeriesDescription('MedSAM', {
      Modality: 'MR',
      SeriesDescription: 'T1\\T2\tpost\r\ncontrast',
    });
    expect(text).toBe('MedSAM · MR · T1 T2 post contrast');
  });

  it('clips at 64 characters, counted as code points, and marks the cut', () => {
    const exact = 'x'.repeat(SERIES_DESCRIPTION_MAX_CHARACTERS - 'A · CT · '.length);
    expect(createSegSeriesDescription('A', { Modality: 'CT', SeriesDescription: exact })).toBe(
      `A · CT · ${exact}`,
    );
    // 🫁 is two UTF-16 units but one character: 40 of them fit whole.
    const lungs = '🫁'.repeat(40);
    const fits = createSegSeriesDescription('A', { SeriesDescription: lungs });
    expect(Array.from(fits)).toHaveLength('A · '.length + 40);
    const clipped = createSegSeriesDescription('A', { SeriesDescription: `${lungs}${lungs}` });
    expect(Array.from(clipped)).toHaveLength(SERIES_DESCRIPTION_MAX_CHARACTERS);
    expect(clipped.endsWith('🫁…')).toBe(true);
  });
});

describe('chooseSegSeriesNumber', () => {
  it('follows the source: the offset plus its SeriesNumber', () => {
    expect(SEG_SERIES_NUMBER_OFFSET).toBe(300);
    expect(chooseSegSeriesNumber(3, [])).toBe(303);
    expect(chooseSegSeriesNumber(4, [3, 4, 303])).toBe(304);
  });

  it('uses the offset alone for an absent, negative or fractional source number', () => {
    for (const n of [undefined, -5, 2.5]) expect(chooseSegSeriesNumber(n, [])).toBe(300);
  });

  it('steps past the numbers the study has', () => {
    expect(chooseSegSeriesNumber(3, [303, 304, 306])).toBe(305);
  });

  it('stays within IS, going down at the top of the range', () => {
    expect(chooseSegSeriesNumber(SERIES_NUMBER_MAX, [])).toBe(SERIES_NUMBER_MAX);
    expect(chooseSegSeriesNumber(SERIES_NUMBER_MAX - 1, [SERIES_NUMBER_MAX])).toBe(
      SERIES_NUMBER_MAX - 1,
    );
    expect(
      chooseSegSeriesNumber(SERIES_NUMBER_MAX, [SERIES_NUMBER_MAX, SERIES_NUMBER_MAX - 1]),
    ).toBe(SERIES_NUMBER_MAX - 2);
  });
});
