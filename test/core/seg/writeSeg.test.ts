/**
 * What the writer puts in a SEG, attribute by attribute, on a real CT series.
 */
import '../../support/quietDcmjs';
import path from 'node:path';
import { computeDicomLabFromRGB } from '../../../extension/src/core/seg/cielab';
import {
  getFirstItem,
  getItems,
  getNumber,
  getNumbers,
  getString,
} from '../../../extension/src/core/seg/datasetAccess';
import {
  readDicomFile,
  tagNumberOf,
  type NaturalDataset,
} from '../../../extension/src/core/seg/dicomCodec';
import { SegWriteError } from '../../../extension/src/core/seg/segErrors';
import {
  LABEL_MAP_SEGMENTATION_STORAGE,
  SEGMENTATION_STORAGE,
} from '../../../extension/src/core/seg/segUIDs';
import { writeSeg, type WriteSegInput } from '../../../extension/src/core/seg/writeSeg';
import { loadSourceSeries, SHARED_DATA } from '../../support/loadSourceSeries';
import { createLesionSegment, createThreeLesions, TEST_EQUIPMENT } from '../../support/segFixtures';

const ct = loadSourceSeries(path.join(SHARED_DATA, 'ct-sarcoma', 'ct'));
const organs = loadSourceSeries(path.join(SHARED_DATA, 'ct-organs', 'dicom'));

function baseInput(overrides: Partial<WriteSegInput> = {}): WriteSegInput {
  return {
    source: ct.geometry,
    header: ct.header,
    segments: createThreeLesions(ct.geometry),
    equipment: TEST_EQUIPMENT,
    SeriesDescription: 'MedSAM lesions',
    ContentCreatorName: 'Doe^Jane',
    now: new Date(2026, 0, 2, 3, 4, 5, 678),
    ...overrides,
  };
}

function parse(bytes: ArrayBuffer): NaturalDataset {
  return readDicomFile(bytes).dataset;
}

describe('writeSeg: identity and references', () => {
  const written = writeSeg(baseInput());
  const ds = parse(written.bytes);

  it('is a new BINARY SEG instance in a new series of the source study', () => {
    expect(getString(ds, 'SOPClassUID')).toBe(SEGMENTATION_STORAGE);
    expect(written.SOPClassUID).toBe(SEGMENTATION_STORAGE);
    expect(getString(ds, 'Modality')).toBe('SEG');
    expect(getString(ds, 'SegmentationType')).toBe('BINARY');
    expect(getString(ds, 'StudyInstanceUID')).toBe(ct.geometry.StudyInstanceUID);
    expect(getString(ds, 'FrameOfReferenceUID')).toBe(ct.geometry.FrameOfReferenceUID);
    for (const uid of [written.SOPInstanceUID, written.SeriesInstanceUID])
      expect(uid).toMatch(/^2\.25\.\d+$/);
    expect(written.SeriesInstanceUID).not.toBe(ct.geometry.SeriesInstanceUID);
    expect(getString(ds, 'SeriesDescription')).toBe('MedSAM lesions');
    expect(getString(ds, 'ContentCreatorName')).toBe('Doe^Jane');
    expect(getString(ds, 'ContentDate')).toBe('20260102');
    expect(getString(ds, 'ContentTime')).toBe('030405.678000');
  });

  it('copies patient and study attributes, clipping a StudyID that breaks SH', () => {
    expect(getString(ds, 'PatientID')).toBe(ct.header.PatientID);
    expect(getString(ds, 'StudyDate')).toBe(ct.header.StudyDate);
    expect(ct.header.StudyID!.length).toBeGreaterThan(16);
    expect(getString(ds, 'StudyID')).toBe(ct.header.StudyID!.slice(0, 16));
  });

  it('references the whole source series in ReferencedSeriesSequence', () => {
    const series = getItems(ds, 'ReferencedSeriesSequence');
    expect(series).toHaveLength(1);
    expect(getString(series[0]!, 'SeriesInstanceUID')).toBe(ct.geometry.SeriesInstanceUID);
    const instances = getItems(series[0]!, 'ReferencedInstanceSequence');
    expect(instances.map((item) => getString(item, 'ReferencedSOPInstanceUID'))).toEqual(
      ct.geometry.images.map((image) => image.SOPInstanceUID),
    );
  });

  it('gives each frame its source image, purpose, position, orientation, dimension index', () => {
    const frames = getItems(ds, 'PerFrameFunctionalGroupsSequence');
    expect(frames).toHaveLength(written.numberOfFrames);
    expect(getNumber(ds, 'NumberOfFrames')).toBe(written.numberOfFrames);
    let previous: [number, number] = [0, 0];
    for (const frame of frames) {
      const source = getFirstItem(
        getFirstItem(frame, 'DerivationImageSequence')!,
        'SourceImageSequence',
      )!;
      const uid = getString(source, 'ReferencedSOPInstanceUID');
      const index = ct.geometry.images.findIndex((image) => image.SOPInstanceUID === uid);
      const image = ct.geometry.images[index]!;
      expect(getString(source, 'ReferencedSOPClassUID')).toBe(image.SOPClassUID);
      expect(getString(getFirstItem(source, 'PurposeOfReferenceCodeSequence')!, 'CodeValue')).toBe(
        '121322',
      );
      expect(
        getNumbers(getFirstItem(frame, 'PlanePositionSequence')!, 'ImagePositionPatient'),
      ).toEqual(image.ImagePositionPatient);
      expect(
        getNumbers(getFirstItem(frame, 'PlaneOrientationSequence')!, 'ImageOrientationPatient'),
      ).toEqual(image.ImageOrientationPatient);
      const segment = getNumber(
        getFirstItem(frame, 'SegmentIdentificationSequence')!,
        'ReferencedSegmentNumber',
      )!;
      const dimension = getNumbers(
        getFirstItem(frame, 'FrameContentSequence')!,
        'DimensionIndexValues',
      );
      expect(dimension).toEqual([segment, index + 1]);
      // Ordered by segment, then along the stack.
      expect(segment > previous[0] || (segment === previous[0] && index + 1 > previous[1])).toBe(
        true,
      );
      previous = [segment, index + 1];
    }
  });

  it('declares the dimensions by segment number then image position', () => {
    const organisation = getString(
      getFirstItem(ds, 'DimensionOrganizationSequence')!,
      'DimensionOrganizationUID',
    );
    const dimensions = getItems(ds, 'DimensionIndexSequence');
    expect(dimensions.map((item) => getNumber(item, 'DimensionIndexPointer'))).toEqual([
      tagNumberOf('ReferencedSegmentNumber'),
      tagNumberOf('ImagePositionPatient'),
    ]);
    expect(tagNumberOf('ImagePositionPatient')).toBe(0x00200032);
    for (const item of dimensions)
      expect(getString(item, 'DimensionOrganizationUID')).toBe(organisation);
  });

  it('stores only frames with pixels, and says the segments overlap', () => {
    const nonEmpty = createThreeLesions(ct.geometry).reduce(
      (n, s) => n + s.masks.filter(Boolean).length,
      0,
    );
    expect(written.numberOfFrames).toBe(nonEmpty);
    expect(written.numberOfFrames).toBeLessThan(3 * ct.geometry.images.length);
    expect(getString(ds, 'SegmentsOverlap')).toBe('YES');
    expect(getNumber(ds, 'BitsAllocated')).toBe(1);
  });

  it('describes each segment with SCT codes, colour, algorithm and model checksum', () => {
    const segment = getItems(ds, 'SegmentSequence')[0]!;
    expect(getNumber(segment, 'SegmentNumber')).toBe(1);
    expect(getString(segment, 'SegmentLabel')).toBe('Lesion 1');
    const category = getFirstItem(segment, 'SegmentedPropertyCategoryCodeSequence')!;
    const type = getFirstItem(segment, 'SegmentedPropertyTypeCodeSequence')!;
    expect([
      getString(category, 'CodingSchemeDesignator'),
      getString(category, 'CodeValue'),
    ]).toEqual(['SCT', '49755003']);
    expect([getString(type, 'CodingSchemeDesignator'), getString(type, 'CodeValue')]).toEqual([
      'SCT',
      '108369006',
    ]);
    expect(getNumbers(segment, 'RecommendedDisplayCIELabValue')).toEqual(
      computeDicomLabFromRGB([230, 40, 40]),
    );
    expect(getString(segment, 'SegmentAlgorithmType')).toBe('SEMIAUTOMATIC');
    expect(getString(segment, 'SegmentAlgorithmName')).toBe('MedSAM');
    const algorithm = getFirstItem(segment, 'SegmentationAlgorithmIdentificationSequence')!;
    expect(getString(algorithm, 'AlgorithmVersion')).toBe('1.0.0-test');
    expect(getString(algorithm, 'AlgorithmParameters')).toBe(`sha256=${'a1'.repeat(32)}`);
  });

  it('copies SliceThickness and leaves out a SpacingBetweenSlices the source lacks', () => {
    const measures = getFirstItem(
      getFirstItem(ds, 'SharedFunctionalGroupsSequence')!,
      'PixelMeasuresSequence',
    )!;
    expect(getNumber(measures, 'SliceThickness')).toBeCloseTo(ct.header.SliceThickness!, 6);
    expect(ct.header.SpacingBetweenSlices).toBeUndefined();
    expect(measures.SpacingBetweenSlices).toBeUndefined();
    expect(getNumbers(measures, 'PixelSpacing')).toEqual(ct.geometry.images[0]!.PixelSpacing);
  });
});

describe('writeSeg: options and refusals', () => {
  it('keeps thickness and spacing apart when they differ (3 mm slices 2 mm apart)', () => {
    const lesion = createThreeLesions(organs.geometry).slice(0, 1);
    const header = { ...organs.header, SpacingBetweenSlices: 2 };
    const ds = parse(
      writeSeg(baseInput({ source: organs.geometry, header, segments: lesion })).bytes,
    );
    const measures = getFirstItem(
      getFirstItem(ds, 'SharedFunctionalGroupsSequence')!,
      'PixelMeasuresSequence',
    )!;
    expect(getNumber(measures, 'SliceThickness')).toBe(3);
    expect(getNumber(measures, 'SpacingBetweenSlices')).toBe(2);
  });

  it('writes a Label Map SEG with one frame per image holding segment numbers', () => {
    const lesions = createThreeLesions(ct.geometry);
    const written = writeSeg(
      baseInput({ segments: [lesions[0]!, lesions[2]!], storage: 'labelmap' }),
    );
    const ds = parse(written.bytes);
    expect(written.SOPClassUID).toBe(LABEL_MAP_SEGMENTATION_STORAGE);
    expect(getString(ds, 'SegmentationType')).toBe('LABELMAP');
    expect(getNumber(ds, 'BitsAllocated')).toBe(8);
    const slicesWithLesion = ct.geometry.images.filter(
      (_, k) => lesions[0]!.masks[k] || lesions[2]!.masks[k],
    );
    expect(written.numberOfFrames).toBe(slicesWithLesion.length);
    expect(getItems(ds, 'DimensionIndexSequence')).toHaveLength(1);
  });

  it('writes pseudo-binary FRACTIONAL: 8 bits of 0 or 255, all else as BINARY', () => {
    const writeWith = (storage: 'binary' | 'fractional'): ArrayBuffer => {
      let uid = 0;
      // Same UIDs and no added frame in both, so that only the encoding differs.
      const createUID = (): string => `2.25.${++uid}`;
      return writeSeg(baseInput({ storage, createUID, evenPackedLength: false })).bytes;
    };
    const binary = readDicomFile(writeWith('binary'));
    const fractional = readDicomFile(writeWith('fractional'));
    const ds = fractional.dataset;
    expect(getString(ds, 'SOPClassUID')).toBe(SEGMENTATION_STORAGE);
    expect(getString(ds, 'SegmentationType')).toBe('FRACTIONAL');
    expect(getString(ds, 'SegmentationFractionalType')).toBe('PROBABILITY');
    expect(getNumber(ds, 'MaximumFractionalValue')).toBe(255);
    expect([getNumber(ds, 'BitsAllocated'), getNumber(ds, 'BitsStored')]).toEqual([8, 8]);
    expect(getNumber(ds, 'HighBit')).toBe(7);
    const pixels = new Uint8Array(fractional.pixelData[0]!);
    const frames = getNumber(ds, 'NumberOfFrames')!;
    const { Rows, Columns } = ct.geometry.images[0]!;
    expect(pixels.length).toBe(frames * Rows * Columns + ((frames * Rows * Columns) % 2));
    expect([...new Set(pixels)].sort((a, b) => a - b)).toEqual([0, 255]);
    const encoding = [
      'SegmentationType',
      'SegmentationFractionalType',
      'MaximumFractionalValue',
      'BitsAllocated',
      'BitsStored',
      'HighBit',
    ];
    const rest = (dataset: NaturalDataset): NaturalDataset =>
      Object.fromEntries(Object.entries(dataset).filter(([key]) => !encoding.includes(key)));
    expect(rest(ds)).toEqual(rest(binary.dataset));
    expect(getNumber(binary.dataset, 'NumberOfFrames')).toBe(frames);
  });

  it('refuses overlapping segments in a Label Map', () => {
    expect(() => writeSeg(baseInput({ storage: 'labelmap' }))).toThrow(
      expect.objectContaining({ code: 'seg-overlap-in-labelmap' }) as SegWriteError,
    );
  });

  it('refuses an empty segmentation, a wrong mask size and no segments', () => {
    const empty = createLesionSegment('Empty', [1, 2, 3], []);
    expect(() => writeSeg(baseInput({ segments: [empty] }))).toThrow(
      expect.objectContaining({ code: 'seg-empty' }) as Error,
    );
    const wrong = createLesionSegment('Wrong', [1, 2, 3], [new Uint8Array(5)]);
    expect(() => writeSeg(baseInput({ segments: [wrong] }))).toThrow(
      expect.objectContaining({ code: 'seg-mask-size' }) as Error,
    );
    expect(() => writeSeg(baseInput({ segments: [] }))).toThrow(
      expect.objectContaining({ code: 'seg-no-segments' }) as Error,
    );
  });

  it('needs an algorithm for a SEMIAUTOMATIC segment, and a short label', () => {
    const [lesion] = createThreeLesions(ct.geometry);
    expect(() => writeSeg(baseInput({ segments: [{ ...lesion!, algorithm: undefined }] }))).toThrow(
      TypeError,
    );
    expect(() =>
      writeSeg(baseInput({ segments: [{ ...lesion!, label: 'x'.repeat(65) }] })),
    ).toThrow(RangeError);
    const manual = writeSeg(
      baseInput({ segments: [{ ...lesion!, algorithmType: 'MANUAL', algorithm: undefined }] }),
    );
    const segment = getItems(parse(manual.bytes), 'SegmentSequence')[0]!;
    expect(segment.SegmentAlgorithmName).toBeUndefined();
  });
});
