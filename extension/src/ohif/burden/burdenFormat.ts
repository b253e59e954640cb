/**
 * How the panel writes numbers and units: the user's locale (decimal comma in
 * French), fixed decimals per quantity, unit names through i18n ("HU" is "UH"
 * in French). The CSV keeps the core's locale-neutral format.
 */
import type { i18n as I18n } from 'i18next';
import {
  ARBITRARY_UNIT,
  HOUNSFIELD_UNIT,
  SUV_UNIT,
  createLocaleNumberFormatter,
  type LocaleNumberFormatter,
} from '../../core/quant';

/** Decimals shown per quantity (the CSV carries more). */
export const SHOWN_DECIMALS = { volumeMl: 2, lengthMm: 1, tlgG: 1, suv: 2 } as const;

/** Decimals of intensity values per unit; others get DEFAULT_INTENSITY_DECIMALS. */
const INTENSITY_DECIMALS: Readonly<Record<string, number>> = {
  [HOUNSFIELD_UNIT]: 1,
  [SUV_UNIT]: 2,
  'Bq/mL': 0,
};
const DEFAULT_INTENSITY_DECIMALS = 2;

/** i18n keys of the units the core reports; any other unit is shown as it is. */
const UNIT_KEYS: Readonly<Record<string, string>> = {
  [HOUNSFIELD_UNIT]: 'burden.units.hu',
  [ARBITRARY_UNIT]: 'burden.units.arbitrary',
  [SUV_UNIT]: 'burden.units.suv',
  'Bq/mL': 'burden.units.bqml',
  counts: 'burden.units.counts',
};

export interface BurdenFormat {
  numbers: LocaleNumberFormatter;
  unit(unit: string): string;
  intensity(value: number | null | undefined, unit: string): string;
  /** Value, no-break space, unit: "53,12 mL". */
  withUnit(value: number | null | undefined, decimals: number, unitKey: string): string;
}

export function intensityDecimals(unit: string): number {
  return INTENSITY_DECIMALS[unit] ?? DEFAULT_INTENSITY_DECIMALS;
}

/** A formatter for the panel's current language. */
export function createBurdenFormat(i18n: I18n): BurdenFormat {
  let numbers: LocaleNumberFormatter;
  try {
    numbers = createLocaleNumberFormatter(i18n.language);
  } catch {
    // An odd language tag from storage must not break the panel.
    numbers = createLocaleNumberFormatter();
  }
  const unit = (name: string) => {
    const key = UNIT_KEYS[name];
    return key ? i18n.t(key) : name;
  };
  return {
    numbers,
    unit,
    intensity: (value, name) => numbers.format(value, intensityDecimals(name)),
    withUnit: (value, decimals, unitKey) =>
      `${numbers.format(value, decimals)}\u00a0${i18n.t(unitKey)}`,
  };
}
