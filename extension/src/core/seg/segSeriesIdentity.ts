/**
 * How a SEG series names itself in a study's series list. A viewer lists
 * series by SeriesDescription and SeriesNumber ("SEG MedSAM lesions S:300"),
 * so a CT SEG and a PET SEG that share both cannot be told apart: the
 * description names the source series and the number follows the source's.
 */

/** SeriesDescription is LO: at most 64 characters (PS3.5 Table 6.2-1). */
export const SERIES_DESCRIPTION_MAX_CHARACTERS = 64;

/** SeriesNumber is IS: a signed 32-bit integer (PS3.5 Table 6.2-1). */
export const SERIES_NUMBER_MAX = 2 ** 31 - 1;

/**
 * Added to the source's SeriesNumber: a SEG sorts after the acquisitions and
 * next to its source's other derived series, as many PACS number them.
 */
export const SEG_SERIES_NUMBER_OFFSET = 300;

const PART_SEPARATOR = ' · ';
/** Marks a description clipped to the LO length. */
const CLIPPED_MARK = '…';

/** The source series attributes the SEG's name is made from. */
export interface SegSeriesSource {
  Modality?: string;
  SeriesDescription?: string;
  SeriesNumber?: number;
}

/**
 * LO text: no backslash (the value delimiter) and no control character (LO
 * allows none), runs of spaces collapsed, ends trimmed.
 */
function toLongString(text: string): string {
  return text
    .replace(/[\\\u0000-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Clips to `max` characters (code points, as DICOM counts them for UTF-8). */
function clipCharacters(text: string, max: number): string {
  const characters = Array.from(text);
  if (characters.length <= max) return text;
  return characters.slice(0, max - 1).join('').trimEnd() + CLIPPED_MARK;
}

/**
 * SeriesDescription of a SEG: what it holds, the source's modality and the
 * source's own description, e.g. "MedSAM lesions · CT · Thorax 1.5 mm",
 * clipped to 64 characters (the end of the source description goes first).
 * Parts the source lacks are left out.
 * @example
 * createSegSeriesDescription('MedSAM lesions', { Modality: 'PT', SeriesDescription: 'PET WB' });
 * // 'MedSAM lesions · PT · PET WB'
 */
export function createSegSeriesDescription(what: string, source: SegSeriesSource): string {
  const parts = [what, source.Modality ?? '', source.SeriesDescription ?? '']
    .map(toLongString)
    .filter((part) => part !== '');
  return clipCharacters(parts.join(PART_SEPARATOR), SERIES_DESCRIPTION_MAX_CHARACTERS);
}

/**
 * SeriesNumber of a new SEG: SEG_SERIES_NUMBER_OFFSET plus the source's
 * SeriesNumber (the offset alone when the source has none or a negative one),
 * at most SERIES_NUMBER_MAX; if the study already has a series with that
 * number, the next free one above (or, at the top of the range, below).
 * @param taken SeriesNumbers of the study's existing series, as far as known.
 */
export function chooseSegSeriesNumber(
  sourceSeriesNumber: number | undefined,
  taken: Iterable<number>,
): number {
  const used = new Set(taken);
  const source =
    sourceSeriesNumber !== undefined &&
    Number.isInteger(sourceSeriesNumber) &&
    sourceSeriesNumber >= 0
      ? sourceSeriesNumber
      : 0;
  const wanted = Math.min(SEG_SERIES_NUMBER_OFFSET + source, SERIES_NUMBER_MAX);
  for (let n = wanted; n <= SERIES_NUMBER_MAX; n++) if (!used.has(n)) return n;
  for (let n = wanted - 1; n > 0; n--) if (!used.has(n)) return n;
  // Every positive number is taken: not a study that exists.
  throw new RangeError('No free SeriesNumber in the study');
}
