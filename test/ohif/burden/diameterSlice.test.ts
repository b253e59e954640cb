/**
 * The panel's "Image N of M" and the CSV give the same long-axis slice, on a
 * series where no two numberings agree: the viewer lists its images from the
 * top slice down (reverse of the normal the measurement indexes along), and
 * their InstanceNumbers start at 101 and run with z. Taking the
 * measurement's index, the stack position or the InstanceNumber for one
 * another gives a different number, so each confusion fails here.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import {
  computeTumourBurdenTotals,
  createTumourBurdenCsv,
} from '../../../extension/src/core/quant';
import { createI18n } from '../../../extension/src/i18n/i18n';
import { createBurdenState, type LesionRow } from '../../../extension/src/ohif/burden/burdenState';
import {
  locateDiameterSlice,
  readInstanceNumber,
  toCsvRow,
} from '../../../extension/src/ohif/burden/diameterSlice';
import type { LabelmapSegmentation } from '../../../extension/src/ohif/burden/labelmapSegments';
import { measureSegmentation } from '../../../extension/src/ohif/burden/measureSegmentation';
import { TumourBurdenPanel } from '../../../extension/src/ohif/burden/TumourBurdenPanel';
import {
  addAxialSeries,
  createFakeViewer,
  pixelImage,
  setMetadata,
  stackViewport,
  type FakeViewer,
} from './fakeViewer';

const ROWS = 6;
const COLUMNS = 6;
const SLICES = 6;
/** InstanceNumber of the image at z index 0: neither 0 nor 1, as some scanners write. */
const FIRST_INSTANCE_NUMBER = 101;
/** z index of the slice with the lesion's longest diameter; z 1 holds a shorter part. */
const LONG_AXIS_Z = 4;
const SHORT_PART_Z = 1;

const hooks = {
  onProgress: () => undefined,
  isStale: () => false,
  yieldToPage: async () => undefined,
};

/** The viewer's series (ids from the top slice down) with offset InstanceNumbers. */
function createSeries(viewer: FakeViewer): string[] {
  const ids = addAxialSeries(viewer, {
    prefix: 'ct',
    count: SLICES,
    rows: ROWS,
    columns: COLUMNS,
    sliceMm: 2,
    pixelMm: 1,
    modality: 'CT',
  });
  for (const id of ids) {
    const z = Number(id.split(':')[1]);
    setMetadata(viewer, 'generalImageModule', id, { instanceNumber: FIRST_INSTANCE_NUMBER + z });
    viewer.loadable.set(id, pixelImage(new Float32Array(ROWS * COLUMNS).fill(40)));
  }
  return ids;
}

/** Segment 1: a 4 × 4 square on z 4 (long axis there), a 2-pixel line on z 1. */
function addLesion(viewer: FakeViewer, sourceIds: string[]): LabelmapSegmentation {
  const bySource = new Map<string, string>();
  for (const source of sourceIds) {
    const z = Number(source.split(':')[1]);
    const values = new Uint8Array(ROWS * COLUMNS);
    if (z === LONG_AXIS_Z) {
      for (let r = 1; r < 5; r++) values.fill(1, r * COLUMNS + 1, r * COLUMNS + 5);
    }
    if (z === SHORT_PART_Z) values.fill(1, 2 * COLUMNS + 2, 2 * COLUMNS + 4);
    viewer.cache.set(`lm-${source}`, pixelImage(values, { referencedImageId: source }));
    bySource.set(source, `lm-${source}`);
  }
  return {
    segmentationId: 'seg',
    label: 'Lesions',
    segments: [{ segmentIndex: 1, label: 'Lesion 1' }],
    sourceImageIds: sourceIds,
    layers: [{ bySource, valueToSegment: null }],
  };
}

async function measureRow(viewer: FakeViewer, ids: string[]): Promise<LesionRow> {
  const result = await measureSegmentation(viewer.libraries, addLesion(viewer, ids), hooks);
  const measurement = result!.measurements[0]!;
  return {
    key: 'seg:1',
    segmentationId: 'seg',
    segmentationLabel: 'Lesions',
    segmentIndex: 1,
    colour: [255, 0, 0],
    measurement,
    imageIds: result!.series.imageIds,
    diameterSlice: null,
  };
}

/** The CSV's lesion row as header → cell (no quoted fields in this table). */
function csvCells(row: LesionRow): Record<string, string> {
  const totals = computeTumourBurdenTotals([row.measurement]);
  const [header, lesion] = createTumourBurdenCsv([toCsvRow(row)], totals)
    .split('\r\n')
    .map((line) => line.split(','));
  return Object.fromEntries(header!.map((name, i) => [name, lesion![i] ?? '']));
}

/** The panel's details of the selected row, as text. */
function panelText(row: LesionRow): string {
  const state = createBurdenState();
  state.set((s) => ({
    ...s,
    measured: true,
    rows: [row],
    totals: computeTumourBurdenTotals([row.measurement]),
    selectedKey: row.key,
  }));
  const actions = {
    setVisible: () => undefined,
    select: () => undefined,
    downloadCsv: () => undefined,
  };
  const html = renderToStaticMarkup(
    createElement(TumourBurdenPanel, { state, i18n: createI18n('en'), actions }),
  );
  return html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describe('the long-axis slice in the panel and in the CSV', () => {
  it('is the same viewer stack position in both, and the image InstanceNumber', async () => {
    const viewer = createFakeViewer();
    const ids = createSeries(viewer);
    viewer.viewports.push(stackViewport('viewport-1', ids));
    const measured = await measureRow(viewer, ids);
    const { sliceIndex } = measured.measurement.diameters!;
    // The measurement counts along the normal: its slice 4 is the z 4 image...
    expect(measured.imageIds[sliceIndex]).toBe(`ct:${LONG_AXIS_Z}`);
    expect(sliceIndex).toBe(LONG_AXIS_Z);
    // ...which the viewer, listing from the top down, shows as its 2nd image.
    const expectedPosition = ids.indexOf(`ct:${LONG_AXIS_Z}`) + 1;
    expect(expectedPosition).toBe(2);
    const expectedInstanceNumber = FIRST_INSTANCE_NUMBER + LONG_AXIS_Z;

    const row = { ...measured, diameterSlice: locateDiameterSlice(viewer.libraries, measured) };
    expect(row.diameterSlice).toEqual({
      stackPosition: expectedPosition,
      stackLength: SLICES,
      InstanceNumber: expectedInstanceNumber,
    });
    const cells = csvCells(row);
    expect(cells['Diameter slice (stack position)']).toBe(String(expectedPosition));
    expect(cells['Diameter InstanceNumber']).toBe(String(expectedInstanceNumber));
    const panel = panelText(row);
    expect(panel).toContain(`Image ${expectedPosition} of ${SLICES}`);
    expect(panel).toContain(`Instance number ${expectedInstanceNumber}`);
    // The number the panel shows is the CSV's, whatever it is.
    const shown = /Image (\d+) of/.exec(panel)?.[1];
    expect(shown).toBe(cells['Diameter slice (stack position)']);
  });

  it('leaves the stack position empty when no viewport shows the series', async () => {
    const viewer = createFakeViewer();
    const ids = createSeries(viewer);
    viewer.viewports.push(stackViewport('other-series', ['pt:0', 'pt:1']));
    const measured = await measureRow(viewer, ids);
    const row = { ...measured, diameterSlice: locateDiameterSlice(viewer.libraries, measured) };
    expect(row.diameterSlice).toEqual({
      stackPosition: null,
      stackLength: null,
      InstanceNumber: FIRST_INSTANCE_NUMBER + LONG_AXIS_Z,
    });
    const cells = csvCells(row);
    expect(cells['Diameter slice (stack position)']).toBe('');
    expect(cells['Diameter InstanceNumber']).toBe(String(FIRST_INSTANCE_NUMBER + LONG_AXIS_Z));
    expect(panelText(row)).not.toMatch(/Image \d+ of/);
  });

  it('reads an InstanceNumber the viewer holds only on the instance, as IS text', () => {
    const viewer = createFakeViewer();
    setMetadata(viewer, 'instance', 'x', { InstanceNumber: ' 7 ' });
    setMetadata(viewer, 'instance', 'y', { InstanceNumber: '7.5' });
    expect(readInstanceNumber(viewer.libraries, 'x')).toBe(7);
    expect(readInstanceNumber(viewer.libraries, 'y')).toBeNull();
    expect(readInstanceNumber(viewer.libraries, 'none')).toBeNull();
  });
});
