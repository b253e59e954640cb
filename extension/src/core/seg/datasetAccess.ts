/**
 * Checked reads from a naturalised data set, whose values are `unknown` until
 * looked at: dcmjs gives a single value or an array, numbers or strings, and a
 * sequence as an array of items (or, in some versions, one bare item).
 */
import type { NaturalDataset } from './dicomCodec';

function isDataset(value: unknown): value is NaturalDataset {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof ArrayBuffer)
  );
}

/** The items of a sequence; [] when absent. */
export function getItems(ds: NaturalDataset, keyword: string): NaturalDataset[] {
  const value = ds[keyword];
  if (Array.isArray(value)) return value.filter(isDataset);
  return isDataset(value) ? [value] : [];
}

/** The first item of a sequence, if any. */
export function getFirstItem(ds: NaturalDataset, keyword: string): NaturalDataset | undefined {
  return getItems(ds, keyword)[0];
}

/** A single string value (the first of several), trimmed; undefined when empty. */
export function getString(ds: NaturalDataset, keyword: string): string | undefined {
  const raw = ds[keyword];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value === 'number') return String(value);
  if (isDataset(value) && typeof value.Alphabetic === 'string') return value.Alphabetic;
  if (typeof value !== 'string') return undefined;
  const trimmed = value.replace(/\0/g, '').trim();
  return trimmed === '' ? undefined : trimmed;
}

/** All numeric values (DS and IS arrive as numbers or numeric strings). */
export function getNumbers(ds: NaturalDataset, keyword: string): number[] {
  const raw = ds[keyword];
  const list = Array.isArray(raw)
    ? raw
    : raw === undefined || raw === null || raw === ''
      ? []
      : [raw];
  return list.map(Number).filter((n) => Number.isFinite(n));
}

/** The first numeric value. */
export function getNumber(ds: NaturalDataset, keyword: string): number | undefined {
  return getNumbers(ds, keyword)[0];
}
