/**
 * Unit labels of pixel values per modality, as the panel and CSV print them.
 */

/** CT values after rescale are Hounsfield units. */
export const HOUNSFIELD_UNIT = 'HU';
/**
 * MR and other modalities without a physical unit: the stored values after
 * any rescale, in arbitrary units.
 */
export const ARBITRARY_UNIT = 'a.u.';

/**
 * Unit label of a non-PET series' pixel values (PET units come from its
 * Units attribute, see computePetRawUnit and SUV_UNIT).
 */
export function computeIntensityUnit(modality: string): string {
  return modality === 'CT' ? HOUNSFIELD_UNIT : ARBITRARY_UNIT;
}
