/**
 * The SeriesNumbers a study's series already use, as the viewer lists them, so
 * that a new SEG takes one of its own (core/seg/segSeriesIdentity.ts).
 */
import type { DisplaySet } from '../host/hostTypes';

/** Integer SeriesNumbers (numbers or IS strings) of the study's display sets. */
export function readStudySeriesNumbers(
  displaySets: readonly DisplaySet[],
  StudyInstanceUID: string,
): number[] {
  return displaySets.flatMap((displaySet) => {
    if (displaySet.StudyInstanceUID !== StudyInstanceUID) return [];
    const raw = displaySet.SeriesNumber;
    const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    return typeof n === 'number' && Number.isInteger(n) ? [n] : [];
  });
}
