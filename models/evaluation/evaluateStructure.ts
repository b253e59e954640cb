/**
 * One structure, one method: 3D Dice with a box on every labelled slice (tight,
 * and grown by each margin) and, for models, with 3D propagation from one tight
 * box on the structure's middle slice, with the settings of the model's manifest
 * (as the viewer's worker applies them).
 */
import { segmentWithBoxCandidates } from '../../extension/src/core/inference/boxCandidates';
import { computeMaskBox, type Box } from '../../extension/src/core/inference/boxTransform';
import type { IntensityMapping } from '../../extension/src/core/inference/intensity';
import { propagateVolume } from '../../extension/src/core/inference/propagateVolume';
import type { SegmentationEngine } from '../../extension/src/core/inference/segmentationEngine';
import type { SliceImage, VolumeAccessor } from '../../extension/src/core/inference/volumeAccessor';
import { createInscribedEllipse, growPixelBox } from './boxPrompts';
import type { InferenceVariant, VariantPropagation } from './inferenceVariants';
import { addSliceOverlap, computeDice, createOverlapCounts } from './overlap';

/** Box margins evaluated, image pixels per side: tight, +5, +10. */
export const BOX_MARGINS_PX = [0, 5, 10] as const;

/** How one method answers a box on one slice. */
export interface SliceMethod {
  /** Column label in the table. */
  label: string;
  /** The engine behind it, when it is a model (enables propagation). */
  engine?: SegmentationEngine;
  /** Propagation settings over the manifest's (an inference variant's). */
  propagation?: VariantPropagation;
  /**
   * The method whose box columns this one shares (a variant that changes only
   * propagation answers every box as its base model does): they are copied, not rerun.
   */
  boxScoresOf?: string;
  segment(image: SliceImage, mapping: IntensityMapping, box: Box, modality: string): Promise<Uint8Array>;
}

/** Dice per box margin, and with propagation (undefined for the ellipse). */
export interface StructureScores {
  byMargin: number[];
  propagation?: number;
  /** Slices the propagation segmented. */
  propagatedSlices?: number;
}

/** A volume whose slices are prepared (embedding warmed) as they are read. */
export interface PreparedVolume {
  volume: VolumeAccessor;
  mapping: IntensityMapping;
  /** Ground truth per slice. */
  truth: Uint8Array[];
}

/** The ellipse inscribed in the box: the model-free baseline. */
export function createEllipseMethod(): SliceMethod {
  return {
    label: 'ellipse in box',
    segment: async (image, _mapping, box) => createInscribedEllipse(box, image.width, image.height),
  };
}

/**
 * A model through the engine: the mask the viewer would show for that box, or
 * with an inference variant's settings (inferenceVariants.ts).
 */
export function createEngineMethod(
  label: string,
  engine: SegmentationEngine,
  variant?: InferenceVariant,
): SliceMethod {
  return {
    label,
    engine,
    propagation: variant && { ...variant.propagation, decoding: variant.segment },
    boxScoresOf: variant && Object.keys(variant.segment).length === 0 ? engine.manifest.id : undefined,
    segment: async (image, mapping, box, modality) =>
      (await engine.segmentImage(image, mapping, box, { modality, ...variant?.segment })).mask,
  };
}

/**
 * A model with box candidates (boxCandidates.ts) for each drawn box; its 3D
 * column is the engine's propagation as for the plain model (the start box is
 * tight there, and later boxes come from the previous mask).
 */
export function createBoxCandidatesMethod(label: string, engine: SegmentationEngine): SliceMethod {
  return {
    label,
    engine,
    segment: async (image, mapping, box, modality) =>
      (await segmentWithBoxCandidates(engine, image, mapping, box, undefined, { modality })).mask,
  };
}

/** The labelled slice nearest the middle of the structure's slice range. */
export function findMiddleSlice(truth: readonly Uint8Array[]): number {
  const labelled = truth.flatMap((mask, k) => (mask.includes(1) ? [k] : []));
  const first = labelled[0];
  const last = labelled[labelled.length - 1];
  if (first === undefined || last === undefined) throw new RangeError('structure has no labelled slice');
  const middle = (first + last) / 2;
  return labelled.reduce((best, k) => (Math.abs(k - middle) < Math.abs(best - middle) ? k : best), first);
}

async function scoreWithBoxes(method: SliceMethod, prepared: PreparedVolume, margin: number): Promise<number> {
  const counts = createOverlapCounts();
  for (let k = 0; k < prepared.truth.length; k++) {
    const truth = prepared.truth[k] as Uint8Array;
    const image = await prepared.volume.getSlice(k);
    const tight = computeMaskBox(truth, image.width, image.height);
    if (!tight) {
      // no box is drawn on an unlabelled slice: nothing predicted there
      addSliceOverlap(counts, undefined, truth);
      continue;
    }
    const box = growPixelBox(tight, margin, image.width, image.height);
    addSliceOverlap(counts, await method.segment(image, prepared.mapping, box, prepared.volume.modality), truth);
  }
  return computeDice(counts);
}

async function scorePropagation(
  engine: SegmentationEngine,
  prepared: PreparedVolume,
  overrides: VariantPropagation = {},
): Promise<{ dice: number; slices: number }> {
  const start = findMiddleSlice(prepared.truth);
  const first = await prepared.volume.getSlice(start);
  const box = computeMaskBox(prepared.truth[start] as Uint8Array, first.width, first.height) as Box;
  // the model's own propagation settings, as the viewer's worker passes them
  const settings = engine.manifest.propagation;
  const result = await propagateVolume(engine, prepared.volume, {
    startIndex: start,
    box,
    marginModel: settings?.marginModel,
    intensityDriftSd: settings?.intensityDriftSd,
    ...overrides,
  });
  const counts = createOverlapCounts();
  prepared.truth.forEach((truth, k) => addSliceOverlap(counts, result.masks.get(k), truth));
  return { dice: computeDice(counts), slices: result.masks.size };
}

/** Scores one method on one structure (box columns from `knownByMargin` when given). */
export async function evaluateStructure(
  method: SliceMethod,
  prepared: PreparedVolume,
  knownByMargin?: readonly number[],
): Promise<StructureScores> {
  const byMargin: number[] = knownByMargin ? [...knownByMargin] : [];
  if (!knownByMargin) {
    for (const margin of BOX_MARGINS_PX) byMargin.push(await scoreWithBoxes(method, prepared, margin));
  }
  if (!method.engine) return { byMargin };
  const propagation = await scorePropagation(method.engine, prepared, method.propagation);
  return { byMargin, propagation: propagation.dice, propagatedSlices: propagation.slices };
}
