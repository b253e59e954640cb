"""Training prompts: jittered boxes from the ground truth, in model space.

Every box starts as the truth's bounding box on the slice. Then one of
three things happens to it, drawn per box:

- it stays exact (``exact_probability``): a radiologist's tight box;
- each side moves outwards by a whole number of model pixels drawn from
  0..20, as MedSAM's training did (../shared/docs/model-contract.md);
- it is first grown by 0..10 image pixels per side (``loose_probability``),
  the loose boxes of the evaluation, and then jittered as above. On a small
  image that is far more than 20 model pixels (5 pixels of a 30-pixel PET
  slice are 170 model pixels), which the model-space jitter alone never shows.
"""
from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

import numpy as np
import torch

from .samples import SliceSample, model_scale

#: Largest outward shift of each box side, model pixels.
MODEL_JITTER_PX = 20
#: Largest extra margin of a loose box, image pixels, and how often.
LOOSE_MARGIN_PX = 10
LOOSE_PROBABILITY = 0.5


@dataclass(frozen=True)
class JitterSettings:
    """How training boxes vary (see the module note)."""

    model_jitter_px: int = MODEL_JITTER_PX
    loose_margin_px: int = LOOSE_MARGIN_PX
    loose_probability: float = LOOSE_PROBABILITY
    exact_probability: float = 0.0


def jittered_box(sample: SliceSample, rng: np.random.Generator,
                 settings: JitterSettings) -> np.ndarray:
    """A model-space box [x0, y0, x1, y1] for one training step."""
    h, w = sample.size
    box = sample.pixel_box()
    scale = model_scale(h, w)
    draw = rng.random()
    if draw < settings.exact_probability:
        return box * scale
    if (settings.loose_margin_px
            and draw < settings.exact_probability + settings.loose_probability):
        grow = rng.integers(0, settings.loose_margin_px + 1, size=4)
        box = np.array([max(0, box[0] - grow[0]), max(0, box[1] - grow[1]),
                        min(w - 1, box[2] + grow[2]),
                        min(h - 1, box[3] + grow[3])], float)
    limit = np.array([w, h, w, h]) * scale - 1
    shift = rng.integers(0, settings.model_jitter_px + 1, size=4)
    jittered = box * scale + shift * np.array([-1, -1, 1, 1])
    return np.clip(jittered, 0, limit)


def structure_weights(samples: Sequence[SliceSample]) -> np.ndarray:
    """Sampling probability per slice: each structure weighs the square root
    of its slice count, so a 77-slice spinal cord does not drown a 3-slice
    lesion and still counts for more than one slice."""
    counts: Dict[Tuple[str, str], int] = {}
    for s in samples:
        counts[(s.case, s.structure)] = counts.get((s.case, s.structure), 0) + 1
    weights = np.array([1 / np.sqrt(counts[(s.case, s.structure)])
                        for s in samples])
    return weights / weights.sum()


def draw_batch(samples: Sequence[SliceSample], weights: np.ndarray,
               size: int, rng: np.random.Generator,
               settings: JitterSettings) -> List[Tuple[SliceSample, torch.Tensor]]:
    """``size`` slices drawn with replacement, each with its box."""
    picks = rng.choice(len(samples), size=size, p=weights)
    return [(samples[i], torch.tensor(jittered_box(samples[i], rng, settings),
                                      dtype=torch.float32)) for i in picks]
