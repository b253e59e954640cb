"""RTSTRUCT contours rasterised onto a series' slices.

A pixel belongs to a structure when its centre lies inside the contour
(even-odd rule, so a contour inside another on the same plane is a hole).
Contours are matched to slices by geometry: the README of our sarcoma data
notes that RTSTRUCT references point at series other than the files we
have, while the frame of reference and the planes agree.
"""
import logging
from pathlib import Path
from typing import Dict, Optional

import numpy as np
import pydicom

from .series import ImageSeries

logger = logging.getLogger(__name__)

#: A contour plane matches a slice within this fraction of the spacing.
PLANE_TOLERANCE = 0.25
#: Contours that fall on no slice, above this fraction, reject the match.
MAX_MISSED_CONTOURS = 0.1


def fill_polygon(columns: np.ndarray, rows: np.ndarray,
                 shape: tuple) -> np.ndarray:
    """Pixels whose centres lie inside the polygon, even-odd rule.

    Parameters
    ----------
    columns, rows : np.ndarray
        Vertex coordinates in pixel units (pixel centres at integers).
    shape : tuple
        (rows, columns) of the slice.
    """
    mask = np.zeros(shape, dtype=bool)
    r0 = max(int(np.ceil(rows.min())), 0)
    r1 = min(int(np.floor(rows.max())), shape[0] - 1)
    c0 = max(int(np.ceil(columns.min())), 0)
    c1 = min(int(np.floor(columns.max())), shape[1] - 1)
    if r1 < r0 or c1 < c0:
        return mask
    yy, xx = np.mgrid[r0:r1 + 1, c0:c1 + 1]
    inside = np.zeros(yy.shape, dtype=bool)
    x1, y1 = columns, rows
    x2, y2 = np.roll(columns, -1), np.roll(rows, -1)
    for ax, ay, bx, by in zip(x1, y1, x2, y2):
        if ay == by:
            continue
        crosses = (ay > yy) != (by > yy)
        x_at = ax + (yy - ay) * (bx - ax) / (by - ay)
        inside ^= crosses & (xx < x_at)
    mask[r0:r1 + 1, c0:c1 + 1] = inside
    return mask


def _slice_index(positions: np.ndarray, spacing: float,
                 value: float) -> Optional[int]:
    k = int(np.argmin(np.abs(positions - value)))
    if abs(positions[k] - value) > PLANE_TOLERANCE * spacing:
        return None
    return k


def rasterise_rtstruct(path: Path, series: ImageSeries,
                       frame_of_reference: str) -> Dict[str, np.ndarray]:
    """Structure name -> bool mask on the series, for the ROIs in the
    series' frame of reference whose planes fall on its slices."""
    ds = pydicom.dcmread(path)
    names = {
        int(roi.ROINumber): str(roi.ROIName)
        for roi in ds.get('StructureSetROISequence', [])
        if str(roi.get('ReferencedFrameOfReferenceUID', frame_of_reference))
        == frame_of_reference
    }
    positions = series.slice_positions()
    spacing = series.slice_spacing()
    normal = series.normal
    out: Dict[str, np.ndarray] = {}
    for roi in ds.get('ROIContourSequence', []):
        name = names.get(int(roi.ReferencedROINumber))
        contours = [c for c in roi.get('ContourSequence', [])
                    if c.get('ContourGeometricType', '') == 'CLOSED_PLANAR']
        if name is None or not contours:
            continue
        mask = np.zeros(series.shape, dtype=bool)
        missed = 0
        for contour in contours:
            points = np.array(contour.ContourData, float).reshape(-1, 3)
            k = _slice_index(positions, spacing, float(points[0] @ normal))
            if k is None:
                missed += 1
                continue
            offset = points - series.origins[k]
            columns = offset @ series.row_dir / series.spacing[1]
            rows = offset @ series.col_dir / series.spacing[0]
            mask[k] ^= fill_polygon(columns, rows, series.shape[1:])
        if missed > MAX_MISSED_CONTOURS * len(contours):
            logger.info('%s: %s misses %d of %d planes of %s', path.name,
                        name, missed, len(contours), series.dataset)
            continue
        if mask.any():
            out[name] = mask
    return out


def rtstruct_frames_of_reference(path: Path) -> set:
    """Frames of reference that the file's ROIs are drawn in."""
    ds = pydicom.dcmread(path, stop_before_pixels=True)
    return {str(roi.get('ReferencedFrameOfReferenceUID', ''))
            for roi in ds.get('StructureSetROISequence', [])}
