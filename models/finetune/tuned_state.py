"""Reading a fine-tuned decoder saved by ``train.py``."""
from pathlib import Path

import torch

from .prompted_decoder import PromptedDecoder


def load_tuned(path: Path) -> PromptedDecoder:
    """The decoder of a ``fold-<patient>.pt`` file, in eval mode."""
    saved = torch.load(path)
    decoder = PromptedDecoder(box_prior=bool(saved.get('box_prior', False)))
    decoder.load_state_dict(saved['state_dict'], strict=True)
    return decoder.eval()
