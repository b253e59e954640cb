"""One image series as the viewer shows it, and its ground-truth structures.

Pixel (row ``j``, column ``i``) of slice ``k`` lies at
``origins[k] + i * col_spacing * row_dir + j * row_spacing * col_dir`` in
patient coordinates (LPS, mm), DICOM's convention: ``row_dir`` is the
direction along a row (increasing column index), ``col_dir`` the direction
down a column.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Tuple

import numpy as np


@dataclass
class ImageSeries:
    """Slices in modality units (HU, MR values, PET activity), slice order.

    Parameters
    ----------
    key : str
        Stable identity (SeriesInstanceUID or the image file's path).
    dataset : str
        Path of the image, relative to the data folder.
    modality : str
        DICOM Modality (``CT``, ``MR``, ``PT``).
    patient : str
        Patient identifier; cases of one patient stay on one side of a split.
    pixels : np.ndarray
        float32 (slices, rows, columns).
    slice_keys : list of str
        Per slice identity (SOPInstanceUID or ``<key>#<k>``).
    origins : np.ndarray
        (slices, 3) position of each slice's first pixel centre, LPS mm.
    row_dir, col_dir : np.ndarray
        Unit vectors along a row and down a column.
    spacing : tuple of float
        (row spacing, column spacing) in mm: between rows, between columns.
    source : str
        ``dicom``, ``nifti`` or ``nrrd``.
    """

    key: str
    dataset: str
    modality: str
    patient: str
    pixels: np.ndarray
    slice_keys: List[str]
    origins: np.ndarray
    row_dir: np.ndarray
    col_dir: np.ndarray
    spacing: Tuple[float, float]
    source: str
    sop_uids: List[str] = field(default_factory=list)
    frame_of_reference: str = ''
    files: List[str] = field(default_factory=list)

    @property
    def normal(self) -> np.ndarray:
        """Slice normal, row_dir x col_dir."""
        return np.cross(self.row_dir, self.col_dir)

    @property
    def shape(self) -> Tuple[int, int, int]:
        """(slices, rows, columns)."""
        k, r, c = self.pixels.shape
        return k, r, c

    def slice_positions(self) -> np.ndarray:
        """Each slice's position along the normal, mm."""
        return self.origins @ self.normal

    def slice_spacing(self) -> float:
        """Median distance between neighbouring slices (1 for one slice)."""
        positions = self.slice_positions()
        if len(positions) < 2:
            return 1.0
        return float(np.median(np.abs(np.diff(positions))))

    def pixel_centres(self, k: int) -> np.ndarray:
        """(rows, columns, 3) patient positions of slice ``k``'s pixels."""
        _, rows, cols = self.shape
        j, i = np.meshgrid(np.arange(rows), np.arange(cols), indexing='ij')
        return (self.origins[k][None, None, :]
                + (i * self.spacing[1])[..., None] * self.row_dir
                + (j * self.spacing[0])[..., None] * self.col_dir)


@dataclass
class LabelledSeries:
    """A series with its ground truth: structure name -> bool mask."""

    series: ImageSeries
    ground_truth: str
    structures: Dict[str, np.ndarray]
    truth_files: List[str] = field(default_factory=list)
