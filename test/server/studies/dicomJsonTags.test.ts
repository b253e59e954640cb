// @ts-ignore -- dcmjs 0.52 ships no type declarations; only its dictionary is read here.
import dcmjs from 'dcmjs';

import { DICOM_JSON_TAGS, firstString, valuesOf } from '../../../server/src/studies/dicomJsonTags';

const nameMap = (dcmjs as { data: { DicomMetaDictionary: { nameMap: Record<string, { tag: string }> } } })
  .data.DicomMetaDictionary.nameMap;

describe('DICOM_JSON_TAGS', () => {
  it.each(Object.entries(DICOM_JSON_TAGS))('%s is %s in the DICOM dictionary', (keyword, tag) => {
    const entry = nameMap[keyword];
    expect(entry).toBeDefined();
    expect(entry?.tag.replace(/[(),]/g, '')).toBe(tag);
  });

  it('reads values defensively', () => {
    const dataset = { '00080018': { vr: 'UI', Value: ['1.2.3'] }, '00081197': { vr: 'US', Value: [272] } };
    expect(firstString(dataset, 'SOPInstanceUID')).toBe('1.2.3');
    expect(firstString(dataset, 'FailureReason')).toBe('272');
    expect(valuesOf(dataset, 'ReferencedSOPSequence')).toEqual([]);
    expect(valuesOf('not an object', 'SOPInstanceUID')).toEqual([]);
    expect(firstString({ '00080018': { vr: 'UI' } }, 'SOPInstanceUID')).toBeNull();
  });
});
