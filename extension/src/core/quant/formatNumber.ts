/**
 * Numbers for people: the panel shows measurements in the user's locale
 * (decimal comma, digit grouping), unlike the CSV, which stays locale-neutral.
 */

/** Shown where a value does not exist (empty segment, no SUV). */
export const MISSING_VALUE_TEXT = '–';

/** Formats numbers for one locale with a fixed number of decimals. */
export interface LocaleNumberFormatter {
  readonly locale: string;
  format(value: number | null | undefined, decimals: number): string;
}

/**
 * A formatter for `locale` (a BCP 47 tag such as 'de-DE'; the runtime's
 * default when undefined). Intl.NumberFormat instances are kept per decimals
 * count inside the formatter, so the panel can reuse one for every cell.
 *
 * @throws RangeError for an invalid locale tag.
 * @example
 * createLocaleNumberFormatter('de-DE').format(1234.5, 1); // '1.234,5'
 */
export function createLocaleNumberFormatter(locale?: string): LocaleNumberFormatter {
  const resolved = new Intl.NumberFormat(locale).resolvedOptions().locale;
  const byDecimals = new Map<number, Intl.NumberFormat>();
  return {
    locale: resolved,
    format(value, decimals) {
      if (value === null || value === undefined || !Number.isFinite(value)) {
        return MISSING_VALUE_TEXT;
      }
      let format = byDecimals.get(decimals);
      if (!format) {
        format = new Intl.NumberFormat(resolved, {
          minimumFractionDigits: decimals,
          maximumFractionDigits: decimals,
        });
        byDecimals.set(decimals, format);
      }
      // A value that rounds to zero must not show as "-0.0".
      const shown = Math.abs(value) < 0.5 * 10 ** -decimals ? 0 : value;
      return format.format(shown);
    },
  };
}
