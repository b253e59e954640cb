/**
 * A lesion row's long and short axes as the overlay draws them: endpoints in
 * patient mm, lengths labelled in the user's locale, the segment's colour.
 */
import { SHOWN_DECIMALS, type BurdenFormat } from './burdenFormat';
import type { LesionRow } from './burdenState';
import type { DiameterDrawing } from './diameterOverlay';

/** The row's axes, or null for an empty segment. */
export function createAxesDrawing(row: LesionRow, format: BurdenFormat): DiameterDrawing | null {
  const diameters = row.measurement.diameters;
  const imageId = diameters ? row.imageIds[diameters.sliceIndex] : undefined;
  if (!diameters || !imageId) return null;
  const mm = (value: number) => format.withUnit(value, SHOWN_DECIMALS.lengthMm, 'burden.units.mm');
  const [r, g, b] = row.colour;
  const { longAxis, shortAxis } = diameters;
  return {
    imageId,
    colour: `rgb(${r},${g},${b})`,
    longAxis: {
      start: longAxis.start.patientMm,
      end: longAxis.end.patientMm,
      label: mm(longAxis.lengthMm),
    },
    shortAxis: {
      start: shortAxis.start.patientMm,
      end: shortAxis.end.patientMm,
      label: mm(shortAxis.lengthMm),
    },
  };
}
