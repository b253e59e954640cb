import {
  MISSING_VALUE_TEXT,
  createLocaleNumberFormatter,
} from '../../../extension/src/core/quant/formatNumber';

describe('createLocaleNumberFormatter', () => {
  it('uses the locale separators and fixed decimals', () => {
    expect(createLocaleNumberFormatter('de-DE').format(1234.56, 1)).toBe('1.234,6');
    expect(createLocaleNumberFormatter('en-US').format(1234.56, 1)).toBe('1,234.6');
    expect(createLocaleNumberFormatter('fr-FR').format(0.5, 2)).toBe('0,50');
  });

  it('never shows a negative zero and marks missing values', () => {
    const format = createLocaleNumberFormatter('en-US');
    expect(format.format(-0.004, 2)).toBe('0.00');
    expect(format.format(-0.006, 2)).toBe('-0.01');
    expect(format.format(null, 2)).toBe(MISSING_VALUE_TEXT);
    expect(format.format(Infinity, 2)).toBe(MISSING_VALUE_TEXT);
  });

  it('rejects an invalid locale tag', () => {
    expect(() => createLocaleNumberFormatter('not a locale!')).toThrow(RangeError);
  });
});
