"""Independent readers for the quantification references (pydicom, nibabel).

Nothing here shares code with the TypeScript loaders: the DICOM series is
read with pydicom, and NIfTI voxels are pulled onto the DICOM grid (for every
DICOM voxel centre, the inverse NIfTI affine gives the NIfTI index), whereas
the TypeScript helper pushes NIfTI voxels onto DICOM indices.
"""

import glob
import os

import nibabel
import numpy as np
import pydicom

#: NIfTI world coordinates are RAS+, DICOM patient coordinates LPS+.
RAS_TO_LPS = np.array([-1.0, -1.0, 1.0])
#: A DICOM voxel centre must land this close (in NIfTI voxels) to a NIfTI one.
GRID_TOLERANCE_VOXELS = 0.05


class Series:
    """A sorted single-frame series with float64 rescaled pixel values."""

    def __init__(self, folder: str) -> None:
        paths = [p for p in glob.glob(os.path.join(folder, "*")) if os.path.isfile(p)]
        datasets = [pydicom.dcmread(p) for p in paths]
        datasets = [d for d in datasets if "PixelData" in d]
        first = datasets[0]
        orientation = np.array(first.ImageOrientationPatient, dtype=float)
        self.row_dir = orientation[:3]
        self.col_dir = orientation[3:]
        self.normal = np.cross(self.row_dir, self.col_dir)
        datasets.sort(key=lambda d: float(np.dot(d.ImagePositionPatient, self.normal)))
        self.datasets = datasets
        self.rows = int(first.Rows)
        self.columns = int(first.Columns)
        self.row_spacing, self.col_spacing = (float(v) for v in first.PixelSpacing)
        self.origins = np.array([d.ImagePositionPatient for d in datasets], dtype=float)
        self.positions = self.origins @ self.normal
        self.pixels = np.stack([self._rescaled(d) for d in datasets])

    @staticmethod
    def _rescaled(dataset) -> np.ndarray:
        slope = float(dataset.get("RescaleSlope", 1) or 1)
        intercept = float(dataset.get("RescaleIntercept", 0) or 0)
        return dataset.pixel_array.astype(np.float64) * slope + intercept

    def slab_thickness(self) -> np.ndarray:
        """Slab of each slice along the normal, mm: numpy's central
        differences inside, one-sided at the ends (the midpoint rule)."""
        if len(self.positions) < 2:
            raise ValueError("a single slice has no gap")
        return np.gradient(self.positions)

    def voxel_centres(self, s: int) -> np.ndarray:
        """LPS centres of slice s, shape (rows, columns, 3)."""
        r, c = np.meshgrid(np.arange(self.rows), np.arange(self.columns), indexing="ij")
        return (self.origins[s]
                + c[..., None] * self.col_spacing * self.row_dir
                + r[..., None] * self.row_spacing * self.col_dir)


def pull_nifti(series: Series, nifti_path: str) -> np.ndarray:
    """NIfTI values at every DICOM voxel centre, shape (slices, rows, cols).

    Raises
    ------
    ValueError
        If a DICOM voxel centre is not on a NIfTI voxel centre, or falls
        outside the NIfTI volume.
    """
    image = nibabel.load(nifti_path)
    data = np.asarray(image.dataobj)
    inverse = np.linalg.inv(image.affine)
    out = np.empty((len(series.positions), series.rows, series.columns), data.dtype)
    for s in range(len(series.positions)):
        ras = series.voxel_centres(s).reshape(-1, 3) * RAS_TO_LPS
        ijk = ras @ inverse[:3, :3].T + inverse[:3, 3]
        rounded = np.rint(ijk).astype(int)
        if np.abs(ijk - rounded).max() > GRID_TOLERANCE_VOXELS:
            raise ValueError(f"slice {s} is off the NIfTI grid")
        if (rounded < 0).any() or (rounded >= np.array(data.shape[:3])).any():
            raise ValueError(f"slice {s} leaves the NIfTI volume")
        values = data[rounded[:, 0], rounded[:, 1], rounded[:, 2]]
        out[s] = values.reshape(series.rows, series.columns)
    return out
