"""Voxel volumes as slice stacks, and voxel masks sampled onto a series."""
from typing import List, Optional, Tuple

import numpy as np

from .series import ImageSeries
from .voxel_files import VoxelVolume

#: Spacings within this fraction of each other count as equal.
SPACING_TIE = 0.01
#: A pixel centre must fall this close (voxels) to a voxel centre.
ALIGN_TOLERANCE = 0.1
#: LPS axes: 0 = L, 1 = P, 2 = S.
AXIS_S = 2
#: Display directions (row_dir, col_dir) per slice normal, DICOM's usual
#: views: axial L/P, coronal L/I, sagittal P/I.
DISPLAY_DIRECTIONS = {
    2: (np.array([1.0, 0, 0]), np.array([0, 1.0, 0])),
    1: (np.array([1.0, 0, 0]), np.array([0, 0, -1.0])),
    0: (np.array([0, 1.0, 0]), np.array([0, 0, -1.0])),
}


def choose_slice_axis(affine: np.ndarray) -> int:
    """The voxel axis to slice along: the coarsest one; on a tie, the one
    closest to the patient's head-foot axis (so isotropic data is axial)."""
    spacing = np.linalg.norm(affine[:3, :3], axis=0)
    coarsest = spacing.max()
    ties = [a for a in range(3) if spacing[a] >= coarsest * (1 - SPACING_TIE)]
    unit = affine[:3, :3] / spacing
    return max(ties, key=lambda a: abs(unit[AXIS_S, a]))


def _arrange(affine: np.ndarray, slice_axis: int) -> Tuple[List[int], List[int]]:
    """Axis order (slice, row, column) and the sign of each for display."""
    unit = affine[:3, :3] / np.linalg.norm(affine[:3, :3], axis=0)
    patient_axis = int(np.argmax(np.abs(unit[:, slice_axis])))
    row_target, col_target = DISPLAY_DIRECTIONS[patient_axis]
    rest = [a for a in range(3) if a != slice_axis]
    # the in-plane axis closest to the display's row direction runs along rows
    column_axis = max(rest, key=lambda a: abs(unit[:, a] @ row_target))
    row_axis = rest[0] if rest[1] == column_axis else rest[1]
    signs = [
        1,
        1 if unit[:, row_axis] @ col_target >= 0 else -1,
        1 if unit[:, column_axis] @ row_target >= 0 else -1,
    ]
    # slices go along the normal row x column, as DICOM sorts them
    normal = np.cross(signs[2] * unit[:, column_axis],
                      signs[1] * unit[:, row_axis])
    signs[0] = 1 if normal @ unit[:, slice_axis] >= 0 else -1
    return [slice_axis, row_axis, column_axis], signs


def series_from_volume(volume: VoxelVolume, key: str, dataset: str,
                       modality: str, patient: str, source: str) -> ImageSeries:
    """The volume as display-oriented slices along its slice axis."""
    axes, signs = _arrange(volume.affine, choose_slice_axis(volume.affine))
    data = np.transpose(volume.data, axes)
    start = np.zeros(3)
    steps = np.zeros((3, 3))
    for n, (axis, sign) in enumerate(zip(axes, signs)):
        if sign < 0:
            data = np.flip(data, axis=n)
            start[axis] = volume.data.shape[axis] - 1
        steps[n, axis] = sign
    linear = volume.affine[:3, :3]
    origin0 = volume.affine[:3, :3] @ start + volume.affine[:3, 3]
    slice_step, row_step, col_step = (linear @ s for s in steps)
    count = data.shape[0]
    return ImageSeries(
        key=key, dataset=dataset, modality=modality, patient=patient,
        pixels=np.ascontiguousarray(data, dtype=np.float32),
        slice_keys=[f'{key}#{k}' for k in range(count)],
        origins=origin0[None, :] + np.arange(count)[:, None] * slice_step,
        row_dir=col_step / np.linalg.norm(col_step),
        col_dir=row_step / np.linalg.norm(row_step),
        spacing=(float(np.linalg.norm(row_step)),
                 float(np.linalg.norm(col_step))),
        source=source,
    )


def sample_onto_series(volume: VoxelVolume,
                       series: ImageSeries) -> Optional[np.ndarray]:
    """The volume's values at the series' pixel centres (nearest voxel), or
    None when the grids do not line up voxel for pixel or the series leaves
    the volume."""
    inverse = np.linalg.inv(volume.affine)
    out = np.zeros(series.shape, dtype=volume.data.dtype)
    for k in range(series.shape[0]):
        positions = series.pixel_centres(k).reshape(-1, 3)
        index = positions @ inverse[:3, :3].T + inverse[:3, 3]
        rounded = np.rint(index)
        if np.abs(index - rounded).max() > ALIGN_TOLERANCE:
            return None
        rounded = rounded.astype(int)
        if (rounded < 0).any() or (rounded >= volume.data.shape).any():
            return None
        values = volume.data[rounded[:, 0], rounded[:, 1], rounded[:, 2]]
        out[k] = values.reshape(series.shape[1:])
    return out
