/**
 * The SeriesNumbers the viewer lists for a study, as display sets hold them
 * (numbers, or IS strings from some data sources), other studies left out.
 */
import type { DisplaySet } from '../../../extension/src/ohif/host/hostTypes';
import { readStudySeriesNumbers } from '../../../extension/src/ohif/store/studySeriesNumbers';

function displaySet(StudyInstanceUID: string, SeriesNumber?: number | string): DisplaySet {
  return {
    displaySetInstanceUID: `${StudyInstanceUID}-${String(SeriesNumber)}`,
    StudyInstanceUID,
    SeriesInstanceUID: `series-${String(SeriesNumber)}`,
    Modality: 'CT',
    SeriesNumber,
  };
}

describe('readStudySeriesNumbers', () => {
  it('reads numbers and IS strings of the study, skips the rest', () => {
    const sets = [
      displaySet('1.2.3', 3),
      displaySet('1.2.3', ' 303 '),
      displaySet('1.2.3', ''),
      displaySet('1.2.3'),
      displaySet('1.2.3', '4.5'),
      displaySet('9.9.9', 4),
    ];
    expect(readStudySeriesNumbers(sets, '1.2.3')).toEqual([3, 303]);
  });
});
