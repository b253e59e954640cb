"""Rasterise RTSTRUCT closed planar contours onto a DICOM series.

A voxel is inside when its centre is inside an odd number of the ROI's
contours on that slice (even-odd rule, so holes drawn as inner contours stay
holes). Contours are matched to slices by position along the slice normal.
"""

import numpy as np
import pydicom

from dicom_series import Series

#: A contour plane must lie this close (mm) to a slice position.
PLANE_TOLERANCE_MM = 0.5


def _inside_polygon(px: np.ndarray, py: np.ndarray, poly: np.ndarray) -> np.ndarray:
    """Even-odd ray casting of points (px, py) against one polygon."""
    inside = np.zeros(px.shape, dtype=bool)
    xs, ys = poly[:, 0], poly[:, 1]
    xj, yj = np.roll(xs, 1), np.roll(ys, 1)
    for x0, y0, x1, y1 in zip(xs, ys, xj, yj):
        crosses = (y0 > py) != (y1 > py)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_at = x0 + (py - y0) * (x1 - x0) / (y1 - y0)
        inside ^= crosses & (px < x_at)
    return inside


def rasterise_roi(series: Series, rtstruct_path: str, roi_name: str) -> np.ndarray:
    """Boolean mask (slices, rows, cols) of the named ROI.

    Raises
    ------
    ValueError
        If the ROI is absent or a contour plane is not on a slice.
    """
    rt = pydicom.dcmread(rtstruct_path)
    numbers = [r.ROINumber for r in rt.StructureSetROISequence if r.ROIName == roi_name]
    if not numbers:
        raise ValueError(f"no ROI named {roi_name}")
    roi = next(c for c in rt.ROIContourSequence if c.ReferencedROINumber == numbers[0])
    mask = np.zeros((len(series.positions), series.rows, series.columns), dtype=bool)
    r, c = np.meshgrid(np.arange(series.rows), np.arange(series.columns), indexing="ij")
    for contour in roi.ContourSequence:
        points = np.array(contour.ContourData, dtype=float).reshape(-1, 3)
        plane = float(np.mean(points @ series.normal))
        s = int(np.argmin(np.abs(series.positions - plane)))
        if abs(series.positions[s] - plane) > PLANE_TOLERANCE_MM:
            raise ValueError(f"contour plane {plane} is between slices")
        relative = points - series.origins[s]
        polygon = np.stack([relative @ series.row_dir / series.col_spacing,
                            relative @ series.col_dir / series.row_spacing], axis=1)
        mask[s] ^= _inside_polygon(c.astype(float), r.astype(float), polygon)
    return mask
