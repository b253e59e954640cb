"""Modality values to MedSAM's 8-bit grey levels, once per volume.

As the authors' pre-processing does it: clip (to the CT window, or to the
percentiles of the non-zero voxels), stretch the clipped volume's own
min..max to 0..255, set voxels that were 0 back to 0 (percentile branch
only), and truncate to uint8.
"""
import logging
from typing import Any, Dict

import numpy as np

logger = logging.getLogger(__name__)

#: Top of the 8-bit grey range.
GREY_MAX = 255.0


def _stretch(clipped: np.ndarray) -> np.ndarray:
    low, high = float(clipped.min()), float(clipped.max())
    if high == low:
        logger.warning('volume is constant after clipping; all grey 0')
        return np.zeros(clipped.shape, dtype=np.float64)
    return (clipped - low) / (high - low) * GREY_MAX


def apply_preset(volume: np.ndarray, preset: Dict[str, Any]) -> np.ndarray:
    """Map a whole volume to uint8 with a manifest intensity preset.

    Parameters
    ----------
    volume : numpy.ndarray
        Modality values (HU for CT), any shape.
    preset : dict
        ``{'kind': 'window', 'level', 'width'}`` or
        ``{'kind': 'percentile', 'lower', 'upper'}``.

    Returns
    -------
    numpy.ndarray
        uint8 grey levels, same shape.

    Raises
    ------
    ValueError
        If the preset kind is unknown, or a percentile preset meets a
        volume with no non-zero voxel.
    """
    data = volume.astype(np.float64)
    if preset['kind'] == 'window':
        half = preset['width'] / 2
        level = preset['level']
        return np.uint8(_stretch(np.clip(data, level - half, level + half)))
    if preset['kind'] == 'percentile':
        nonzero = data[data > 0]
        if nonzero.size == 0:
            raise ValueError('percentile preset: the volume has no voxel > 0')
        low = np.percentile(nonzero, preset['lower'])
        high = np.percentile(nonzero, preset['upper'])
        grey = _stretch(np.clip(data, low, high))
        grey[data == 0] = 0
        return np.uint8(grey)
    raise ValueError(f"unknown intensity preset kind {preset['kind']!r}")


def preset_for(manifest: Dict[str, Any], modality: str) -> Dict[str, Any]:
    """The manifest's preset for a DICOM Modality, else its default."""
    presets = manifest['intensity']
    return presets.get(modality, presets['default'])
