/**
 * The chart's bar names: a lesion on the CT and one on the PET are both
 * "Lesion 1" in their own segmentations (seen in the viewer); the chart must
 * still tell every bar apart.
 */
import { createChartLabels } from '../../../extension/src/ohif/burden/chartLabels';

describe('the bar names of the lesion-volume chart', () => {
  it('keeps names that are already distinct', () => {
    expect(createChartLabels([
      { label: 'Lesion 1', Modality: 'CT' },
      { label: 'Lesion 2', Modality: 'CT' },
    ])).toEqual(['Lesion 1', 'Lesion 2']);
  });

  it('adds the modality to a name two series share', () => {
    expect(createChartLabels([
      { label: 'Lesion 1', Modality: 'CT' },
      { label: 'Lesion 1', Modality: 'PT' },
      { label: 'Lesion 2', Modality: 'CT' },
    ])).toEqual(['Lesion 1 · CT', 'Lesion 1 · PT', 'Lesion 2']);
  });

  it('numbers names that stay shared (two segmentations of one series)', () => {
    expect(createChartLabels([
      { label: 'Lesion 1', Modality: 'CT' },
      { label: 'Lesion 1', Modality: 'CT' },
      { label: 'Lesion 1', Modality: 'PT' },
    ])).toEqual(['Lesion 1 · CT (1)', 'Lesion 1 · CT (2)', 'Lesion 1 · PT']);
  });
});
