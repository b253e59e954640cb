"""The three image resizes of the manifests, each as its authors' library.

- ``bicubic-antialias``: scikit-image ``transform.resize(order=3,
  anti_aliasing=True, preserve_range=True)`` as MedSAM calls it, restated
  with SciPy (Gaussian pre-filter with sigma = (factor - 1) / 2 when
  shrinking, cubic-spline zoom on the pixel-area grid, mirror edges, output
  clipped to the input's range), then ``astype(uint8)`` (truncation).
- ``area``: OpenCV ``INTER_AREA`` on uint8 as LiteMedSAM calls it: mean of
  the covered input area; OpenCV's 2x fast path rounds half up, its other
  paths round to nearest.
- ``bilinear``: Pillow ``BILINEAR`` (Hugging Face's SAM processor).
"""
import math
from typing import List, Tuple

import numpy as np
from PIL import Image
from scipy import ndimage

#: OpenCV ignores input slivers thinner than this (pixels) in INTER_AREA.
AREA_SLIVER = 1e-3
#: Spline order of scikit-image's bicubic.
CUBIC_ORDER = 3


def resize_bicubic_antialias(
    image: np.ndarray, size: Tuple[int, int]
) -> np.ndarray:
    """scikit-image's anti-aliased order-3 resize of (H, W, C) uint8.

    Returns
    -------
    numpy.ndarray
        (h, w, C) uint8, truncated as MedSAM's ``astype(np.uint8)`` does.
    """
    data = image.astype(np.float64)
    out_shape = (size[0], size[1], data.shape[2])
    factors = np.divide(data.shape, out_shape)
    sigma = np.maximum(0, (factors - 1) / 2)
    filtered = ndimage.gaussian_filter(data, sigma, mode='mirror') \
        if np.any(sigma > 0) else data
    zoomed = ndimage.zoom(
        filtered, [1 / f for f in factors], order=CUBIC_ORDER,
        mode='mirror', grid_mode=True,
    )
    return np.clip(zoomed, data.min(), data.max()).astype(np.uint8)


def _area_taps(size_in: int, size_out: int) -> List[List[Tuple[int, float]]]:
    """OpenCV's area weights: input index and weight per output index."""
    scale = size_in / size_out
    taps = []
    for out in range(size_out):
        start, end = out * scale, out * scale + scale
        cell = min(scale, size_in - start)
        first, last = math.ceil(start), math.floor(end)
        row: List[Tuple[int, float]] = []
        if first - start > AREA_SLIVER:
            row.append((first - 1, (first - start) / cell))
        row.extend((i, 1 / cell) for i in range(first, min(last, size_in)))
        if end - last > AREA_SLIVER and last < size_in:
            row.append((last, min(end - last, 1.0) / cell))
        taps.append(row)
    return taps


def _linear_taps(size_in: int, size_out: int
                 ) -> List[List[Tuple[int, float]]]:
    """OpenCV's INTER_AREA weights when enlarging (overlap of the cells)."""
    scale, inverse = size_in / size_out, size_out / size_in
    taps = []
    for out in range(size_out):
        sx = math.floor(out * scale)
        fx = (out + 1) - (sx + 1) * inverse
        fx = 0.0 if fx <= 0 else fx - math.floor(fx)
        if sx >= size_in - 1:
            sx, fx = size_in - 1, 0.0
        row = [(sx, 1 - fx)]
        if fx > 0:
            row.append((sx + 1, fx))
        taps.append(row)
    return taps


def _tap_matrix(taps: List[List[Tuple[int, float]]], size_in: int
                ) -> np.ndarray:
    matrix = np.zeros((len(taps), size_in))
    for out, row in enumerate(taps):
        for index, weight in row:
            matrix[out, index] += weight
    return matrix


def resize_area(image: np.ndarray, size: Tuple[int, int]) -> np.ndarray:
    """OpenCV ``INTER_AREA`` of a (H, W) uint8 plane to ``size`` (h, w)."""
    h_in, w_in = image.shape
    h_out, w_out = size
    if (h_in, w_in) == (h_out, w_out):
        return image.copy()
    fy, fx = h_in / h_out, w_in / w_out
    if fx.is_integer() and fy.is_integer():
        blocks = image.reshape(h_out, int(fy), w_out, int(fx))
        total = blocks.sum(axis=(1, 3), dtype=np.int64)
        if fx == 2 and fy == 2:
            return ((total + 2) >> 2).astype(np.uint8)
        # OpenCV multiplies the integer sum by a float32 1/area, then rounds
        inverse = np.float32(1 / (fx * fy))
        return np.rint(total.astype(np.float32) * inverse).astype(np.uint8)
    shrink = fx >= 1 and fy >= 1
    make = _area_taps if shrink else _linear_taps
    rows = _tap_matrix(make(h_in, h_out), h_in)
    cols = _tap_matrix(make(w_in, w_out), w_in)
    result = rows @ image.astype(np.float64) @ cols.T
    return np.clip(np.rint(result), 0, 255).astype(np.uint8)


def resize_bilinear(image: np.ndarray, size: Tuple[int, int]) -> np.ndarray:
    """Pillow ``BILINEAR`` of a (H, W) uint8 plane to ``size`` (h, w)."""
    resized = Image.fromarray(image).resize(
        (size[1], size[0]), Image.BILINEAR
    )
    return np.asarray(resized)
