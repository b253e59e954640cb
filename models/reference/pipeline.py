"""Slice to encoder input, box to model space, low-res logits to a mask.

Every switch comes from the model manifest (``encoder.resize``,
``encoder.interpolation``, ``encoder.normalisation``,
``decoder.boxRounding``, ``decoder.sigmoid``, ``decoder.threshold``), so
one code path serves MedSAM (stretch, bicubic, sigmoid then resize) and
LiteMedSAM (longest side, area, pad, crop, resize then sigmoid).
"""
import logging
from dataclasses import asdict, dataclass
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import torch
from torch.nn import functional as F

from .resize import resize_area, resize_bicubic_antialias, resize_bilinear

logger = logging.getLogger(__name__)

#: Lower bound of the min-max divisor, as in the authors' code.
MIN_MAX_EPS = 1e-8


@dataclass
class SliceGeometry:
    """Sizes that post-processing needs from pre-processing."""

    imageHeight: int
    imageWidth: int
    resizedHeight: int
    resizedWidth: int
    inputSize: int

    def to_json(self) -> Dict[str, int]:
        """Plain dict for ``meta.json``."""
        return asdict(self)


def resized_size(height: int, width: int, manifest: Dict[str, Any]
                 ) -> Tuple[int, int]:
    """(h, w) of the resized image inside the S x S input.

    Longest side: S / max(H, W) times each side, rounded half up (the
    authors' ``int(x + 0.5)``).
    """
    size = manifest['encoder']['inputSize']
    if manifest['encoder']['resize'] == 'stretch':
        return size, size
    scale = size / max(height, width)
    return int(height * scale + 0.5), int(width * scale + 0.5)


def _to_rgb(image: np.ndarray) -> np.ndarray:
    if image.dtype != np.uint8:
        raise TypeError(
            f'image must be uint8 grey levels (run intensity), got '
            f'{image.dtype}'
        )
    if image.ndim == 2:
        return np.repeat(image[:, :, None], 3, axis=-1)
    if image.ndim == 3 and image.shape[2] == 3:
        return image
    raise ValueError(f'image must be (H, W) or (H, W, 3), got {image.shape}')


def _resize(rgb: np.ndarray, size: Tuple[int, int], rule: str
            ) -> np.ndarray:
    if rule == 'bicubic-antialias':
        return resize_bicubic_antialias(rgb, size)
    planes = {'area': resize_area, 'bilinear': resize_bilinear}
    if rule not in planes:
        raise ValueError(f'unknown interpolation {rule!r}')
    return np.stack(
        [planes[rule](rgb[:, :, c], size) for c in range(3)], axis=-1
    )


def _normalise(resized: np.ndarray, spec: Dict[str, Any]) -> np.ndarray:
    data = resized.astype(np.float64)
    if spec['kind'] == 'min-max':
        low = data.min()
        return (data - low) / np.clip(data.max() - low, MIN_MAX_EPS, None)
    if spec['kind'] == 'mean-std':
        return (data - np.array(spec['mean'])) / np.array(spec['std'])
    raise ValueError(f"unknown normalisation {spec['kind']!r}")


def preprocess_image(image: np.ndarray, manifest: Dict[str, Any]
                     ) -> Tuple[np.ndarray, SliceGeometry]:
    """uint8 slice -> float32 encoder input [1, 3, S, S] and its geometry.

    Raises
    ------
    TypeError
        If the image is not uint8.
    ValueError
        If its shape or a manifest rule is not understood.
    """
    rgb = _to_rgb(image)
    height, width = rgb.shape[:2]
    size = manifest['encoder']['inputSize']
    new_h, new_w = resized_size(height, width, manifest)
    resized = _resize(rgb, (new_h, new_w), manifest['encoder']['interpolation'])
    normalised = _normalise(resized, manifest['encoder']['normalisation'])
    padded = np.zeros((size, size, 3), dtype=np.float64)
    padded[:new_h, :new_w] = normalised
    tensor = padded.transpose(2, 0, 1)[None].astype(np.float32)
    return tensor, SliceGeometry(height, width, new_h, new_w, size)


def map_box(box: List[float], geometry: SliceGeometry,
            manifest: Dict[str, Any]) -> np.ndarray:
    """Pixel box [x0, y0, x1, y1] -> model-space box, float32 [1, 4]."""
    values = np.asarray(box, dtype=np.float64)
    size, h, w = geometry.inputSize, geometry.imageHeight, geometry.imageWidth
    if manifest['encoder']['resize'] == 'stretch':
        mapped = values / np.array([w, h, w, h]) * size
    else:
        mapped = values * (size / max(h, w))
    if manifest['decoder']['boxRounding'] == 'truncate':
        mapped = np.trunc(mapped)
    return mapped[None].astype(np.float32)


def select_plane(logits: np.ndarray, manifest: Dict[str, Any]
                 ) -> np.ndarray:
    """The chosen mask's [L, L] plane from a [..., M, L, L] output.

    Raises
    ------
    ValueError
        If the array is not square in its last two axes or lacks the mask.
    """
    size = manifest['decoder']['lowResSize']
    if logits.ndim < 2 or logits.shape[-2:] != (size, size):
        raise ValueError(f'logits of shape {logits.shape} are not [..., '
                         f'{size}, {size}]')
    planes = logits.reshape(-1, size, size)
    token = manifest['decoder']['maskToken'] if len(planes) > 1 else 0
    if token >= len(planes):
        raise ValueError(f'mask {token} wanted, logits hold {len(planes)}')
    return planes[token].astype(np.float32)


def _bilinear(plane: torch.Tensor, size: Tuple[int, int]) -> torch.Tensor:
    return F.interpolate(plane, size=size, mode='bilinear',
                         align_corners=False)


def postprocess_logits(
    low_res: np.ndarray, geometry: SliceGeometry, manifest: Dict[str, Any]
) -> Tuple[np.ndarray, np.ndarray, Optional[np.ndarray]]:
    """Low-res logits -> (probabilities, mask, logits) at image size.

    ``logits`` is None when the sigmoid comes before the resize (MedSAM):
    then only probabilities are resized.
    """
    plane = torch.from_numpy(select_plane(low_res, manifest))[None, None]
    image_size = (geometry.imageHeight, geometry.imageWidth)
    threshold = manifest['decoder']['threshold']
    if manifest['decoder']['sigmoid'] == 'before-resize':
        probabilities = _bilinear(torch.sigmoid(plane), image_size)
        logits = None
    else:
        size = geometry.inputSize
        if plane.shape[-1] != size:
            # SAM's order: logits up to the input size before the crop
            plane = _bilinear(plane, (size, size))
        cropped = plane[..., :geometry.resizedHeight, :geometry.resizedWidth]
        logits = _bilinear(cropped, image_size)
        probabilities = torch.sigmoid(logits)
    probs = probabilities[0, 0].numpy()
    mask = (probs > threshold).astype(np.uint8)
    return probs, mask, None if logits is None else logits[0, 0].numpy()
