/**
 * 3D from one box, slice by slice, as all MedSAM tools do it
 * (../shared/docs/model-contract.md, "3D, slice by slice"): segment the start slice
 * with the drawn box, then walk up (increasing index) and then down; each next
 * slice is prompted with the previous slice's mask box plus a margin in model
 * pixels, or with the drawn box when the previous mask is empty. A direction stops
 * at the first empty mask, at the range's end, or after `maxSlicesEachWay`; on
 * request also where the tissue under the mask drifts or where the model rates its
 * own answer below `minIou`.
 *
 * The authors take the box of the previous mask resized to model space; we take
 * the previous mask's pixel box and map it, which agrees within one model pixel
 * and saves a resize per slice.
 */
import { computeMaskBox, type Box } from './boxTransform';
import { throwIfAborted } from './inferenceError';
import { computeMaskIntensity, hasDrifted } from './intensityDrift';
import { limitGrowth } from './limitGrowth';
import type { SegmentationEngine, SegmentOptions, SegmentResult } from './segmentationEngine';
import type { VolumeAccessor } from './volumeAccessor';

/** Margin around the previous mask's box, model pixels (the authors use 3 to 5). */
export const DEFAULT_PROPAGATION_MARGIN = 4;

export type PropagationDirection = 'start' | 'up' | 'down';

/** Why one direction stopped. */
export type PropagationStop = 'empty' | 'range' | 'limit' | 'drift' | 'quality';

export interface PropagationEvent {
  sliceIndex: number;
  direction: PropagationDirection;
  result: SegmentResult;
  /** Slices segmented so far, this one included. */
  done: number;
  /** Slices in the range: an upper bound of the work. */
  total: number;
}

export interface PropagationRequest {
  /** Slice the box was drawn on (or the middle of the user's range). */
  startIndex: number;
  /** Drawn box on the start slice, pixel box. */
  box: Box;
  /** Inclusive slice limits; the whole volume by default. */
  range?: [number, number];
  /** Most slices segmented on each side of the start. */
  maxSlicesEachWay?: number;
  marginModel?: number;
  /**
   * Stop a direction when the mean value under the mask leaves the start mask's
   * mean by more than this many standard deviations (intensityDrift.ts); 0 or
   * absent: never.
   */
  intensityDriftSd?: number;
  /**
   * Stop a direction at the first slice whose answer the model's own IoU estimate
   * rates below this (that slice is not kept); 0 or absent: never.
   */
  minIou?: number;
  /** How each slice's decoder answer is taken (mask choice, refinement), as for one box. */
  decoding?: Pick<SegmentOptions, 'maskChoice' | 'refinePasses' | 'fusion'>;
  /** Feed the previous slice's logits to SAM's decoder as its mask prompt. */
  previousMaskPrompt?: boolean;
  /**
   * Drop what lies farther from the previous slice's mask than this fraction of
   * its equivalent radius (limitGrowth.ts); 0 or absent: no limit.
   */
  growthLimit?: number;
  signal?: AbortSignal;
  /** Called after each slice, in walking order, so a viewer can paint as it goes. */
  onSlice?: (event: PropagationEvent) => void;
}

export interface PropagationResult {
  /** Mask per slice index: the start slice (even if empty) and every non-empty one. */
  masks: Map<number, Uint8Array>;
  width: number;
  height: number;
  stopped: { up: PropagationStop; down: PropagationStop };
}

interface WalkState {
  done: number;
  total: number;
  masks: Map<number, Uint8Array>;
}

function checkRequest(volume: VolumeAccessor, request: PropagationRequest): [number, number] {
  const [first, last] = request.range ?? [0, volume.sliceCount - 1];
  if (!(first >= 0 && last < volume.sliceCount && first <= last)) {
    throw new RangeError(
      `slice range ${first}..${last} is outside the volume of ${volume.sliceCount}`,
    );
  }
  const { startIndex } = request;
  if (!(Number.isInteger(startIndex) && startIndex >= first && startIndex <= last)) {
    throw new RangeError(`start slice ${startIndex} is outside the range ${first}..${last}`);
  }
  return [first, last];
}

/**
 * Propagates a box through the volume.
 * @throws {InferenceError} code `cancelled` when the signal fires (masks so far were
 *   already reported through `onSlice`)
 * @throws {RangeError} for a start slice or range outside the volume
 */
export async function propagateVolume(
  engine: SegmentationEngine,
  volume: VolumeAccessor,
  request: PropagationRequest,
): Promise<PropagationResult> {
  const [first, last] = checkRequest(volume, request);
  const mapping = await engine.intensityFor(volume);
  const margin = request.marginModel ?? DEFAULT_PROPAGATION_MARGIN;
  const limit = request.maxSlicesEachWay ?? Infinity;
  const state: WalkState = { done: 0, total: last - first + 1, masks: new Map() };

  const segment = async (
    index: number,
    previous: SegmentResult | undefined,
    direction: PropagationDirection,
  ) => {
    throwIfAborted(request.signal, 'propagation');
    const image = await volume.getSlice(index);
    const previousBox = previous && computeMaskBox(previous.mask, previous.width, previous.height);
    const raw = await engine.segmentImage(image, mapping, previousBox ?? request.box, {
      ...request.decoding,
      modality: volume.modality,
      signal: request.signal,
      marginModel: previousBox ? margin : 0,
      maskPrompt: previousBox && request.previousMaskPrompt ? previous?.lowResLogits : undefined,
    });
    const result =
      previousBox && previous && request.growthLimit
        ? { ...raw, mask: limitGrowth(raw.mask, previous.mask, raw.width, raw.height, request.growthLimit) }
        : raw;
    state.done++;
    request.onSlice?.({
      sliceIndex: index,
      direction,
      result,
      done: state.done,
      total: state.total,
    });
    return result;
  };

  const start = await segment(request.startIndex, undefined, 'start');
  state.masks.set(request.startIndex, start.mask);
  const maxDrift = request.intensityDriftSd ?? 0;
  const reference = computeMaskIntensity(start.mask, (await volume.getSlice(request.startIndex)).pixels);

  const walk = async (step: 1 | -1): Promise<PropagationStop> => {
    let previous = start;
    for (let taken = 1; ; taken++) {
      const index = request.startIndex + step * taken;
      if (index < first || index > last) return 'range';
      if (taken > limit) return 'limit';
      const result = await segment(index, previous, step > 0 ? 'up' : 'down');
      if (!result.mask.includes(1)) return 'empty';
      if (request.minIou && result.iou < request.minIou) return 'quality';
      if (maxDrift > 0) {
        const current = computeMaskIntensity(result.mask, (await volume.getSlice(index)).pixels);
        if (hasDrifted(reference, current, maxDrift)) return 'drift';
      }
      state.masks.set(index, result.mask);
      previous = result;
    }
  };

  const up = await walk(1);
  const down = await walk(-1);
  return { masks: state.masks, width: start.width, height: start.height, stopped: { up, down } };
}
