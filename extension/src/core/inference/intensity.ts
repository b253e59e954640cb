/**
 * From the modality's real values (HU for CT, MR's stored values, PET activity or
 * SUV) to MedSAM's 8-bit grey levels, once per volume, exactly as the authors'
 * pre-processing does (../shared/docs/model-contract.md, "Intensity, per 3D volume"):
 *
 * - window: clip to level ± width/2, then stretch the clipped volume's own min..max
 *   to 0..255. For a typical CT (air below and bone above the window) that range is
 *   the window itself; a cropped volume that never reaches a bound keeps its own
 *   extreme, as the authors' `(x - min) / (max - min)` on the clipped array does.
 * - percentile: clip to the lower..upper percentile of the volume's voxels above 0
 *   and stretch that to 0..255; voxels that were exactly 0 stay 0. (The contract
 *   says "non-zero"; the authors' code selects `> 0`, which is the same set for the
 *   non-negative MR and PET values it was written for, and is what we follow.)
 *
 * The 0..255 value is truncated to an integer, because the authors store it as
 * uint8 before any resize.
 */
import type { IntensityPreset, ModelManifest } from './modelManifest';

/** What `applyIntensityMapping` needs: fixed per volume. */
export interface IntensityMapping {
  /** Modality value mapped to 0. */
  low: number;
  /** Modality value mapped to 255; equal to `low` for a flat volume, all grey 0. */
  high: number;
  /** Voxels exactly 0 give 0 (the percentile branch). */
  zeroStaysZero: boolean;
}

/** Top of the 8-bit range the model was trained on. */
export const GREY_MAX = 255;

/**
 * The preset for a DICOM Modality, or the manifest's default.
 * @example presetForModality(manifest, 'CT') // { kind: 'window', level: 40, width: 400 }
 */
export function presetForModality(manifest: ModelManifest, modality: string): IntensityPreset {
  return manifest.intensity[modality] ?? manifest.intensity.default;
}

/**
 * Linear-interpolated percentile of sorted values (NumPy's default method):
 * position p/100 * (n - 1) between the two nearest ranks, interpolated from the
 * nearer rank as NumPy does, so that the result matches it to the bit.
 * @throws {RangeError} on an empty array or p outside 0..100
 */
export function computePercentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of an empty set');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside 0..100`);
  const position = (p / 100) * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const fraction = position - below;
  const a = sorted[below] as number;
  const b = sorted[above] as number;
  const difference = b - a;
  return fraction >= 0.5 ? b - difference * (1 - fraction) : a + difference * fraction;
}

function collectPositive(slices: readonly ArrayLike<number>[]): Float64Array {
  let count = 0;
  for (const slice of slices) {
    for (let i = 0; i < slice.length; i++) if ((slice[i] as number) > 0) count++;
  }
  const values = new Float64Array(count);
  let next = 0;
  for (const slice of slices) {
    for (let i = 0; i < slice.length; i++) {
      const v = slice[i] as number;
      if (v > 0) values[next++] = v;
    }
  }
  return values.sort();
}

function computeExtremes(slices: readonly ArrayLike<number>[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const slice of slices) {
    for (let i = 0; i < slice.length; i++) {
      const v = slice[i] as number;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return [min, max];
}

/**
 * The volume's mapping for a preset. `slices` are all slices of the volume in
 * modality units: the window branch needs their extremes, the percentile branch
 * their values above 0.
 * @throws {RangeError} when the volume has no voxel (or, for percentiles, no
 *   voxel above 0)
 */
export function computeIntensityMapping(
  preset: IntensityPreset,
  slices: readonly ArrayLike<number>[],
): IntensityMapping {
  if (preset.kind === 'window') {
    const [min, max] = computeExtremes(slices);
    if (min > max) throw new RangeError('intensity mapping of an empty volume');
    const windowLow = preset.level - preset.width / 2;
    const windowHigh = preset.level + preset.width / 2;
    // min and max of the clipped volume, as the authors compute them
    const low = Math.min(Math.max(min, windowLow), windowHigh);
    const high = Math.max(Math.min(max, windowHigh), windowLow);
    return { low, high, zeroStaysZero: false };
  }
  const values = collectPositive(slices);
  if (values.length === 0) throw new RangeError('percentile mapping of a volume with no voxel > 0');
  return {
    low: computePercentileOfSorted(values, preset.lower),
    high: computePercentileOfSorted(values, preset.upper),
    zeroStaysZero: true,
  };
}

/**
 * One slice (or any array) of modality values to integer grey levels 0..255.
 * @example applyIntensityMapping([-1000, 40, 1000], {low: -160, high: 240, zeroStaysZero: false})
 *   // Uint8Array [0, 127, 255]
 */
export function applyIntensityMapping(
  values: ArrayLike<number>,
  mapping: IntensityMapping,
): Uint8Array {
  const out = new Uint8Array(values.length);
  const span = mapping.high - mapping.low;
  // a volume that is flat after clipping is all 0, as the authors' stretch leaves it
  if (!(span > 0)) return out;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (mapping.zeroStaysZero && v === 0) continue;
    const clipped = v < mapping.low ? mapping.low : v > mapping.high ? mapping.high : v;
    // divide before multiplying and truncate, in the authors' order: the other order
    // can put a value a rounding error below an integer and truncate it one lower
    out[i] = Math.trunc(((clipped - mapping.low) / span) * GREY_MAX);
  }
  return out;
}
