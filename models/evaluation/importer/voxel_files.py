"""NIfTI and NRRD volumes with their voxel-to-patient (LPS) affines."""
import gzip
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict

import nibabel as nib
import numpy as np

#: RAS (NIfTI) to LPS (DICOM) patient axes.
RAS_TO_LPS = np.diag([-1.0, -1.0, 1.0, 1.0])
#: NRRD element types this reader knows, as NumPy little-endian dtypes.
NRRD_TYPES: Dict[str, str] = {
    'uchar': '<u1', 'unsigned char': '<u1', 'uint8': '<u1',
    'signed char': '<i1', 'int8': '<i1', 'char': '<i1',
    'short': '<i2', 'int16': '<i2', 'signed short': '<i2',
    'ushort': '<u2', 'unsigned short': '<u2', 'uint16': '<u2',
    'int': '<i4', 'int32': '<i4', 'signed int': '<i4',
    'uint': '<u4', 'unsigned int': '<u4', 'uint32': '<u4',
    'float': '<f4', 'double': '<f8',
}
#: NRRD spaces and the sign flips that bring them to LPS.
NRRD_SPACES = {
    'left-posterior-superior': (1, 1, 1), 'LPS': (1, 1, 1),
    'right-anterior-superior': (-1, -1, 1), 'RAS': (-1, -1, 1),
}


@dataclass
class VoxelVolume:
    """A 3D array indexed (i, j, k) and the affine from index to LPS mm."""

    data: np.ndarray
    affine: np.ndarray


def is_volume_file(path: Path) -> bool:
    """NIfTI (``.nii``, ``.nii.gz``) or NRRD (``.nrrd``)."""
    name = path.name.lower()
    return name.endswith(('.nii', '.nii.gz', '.nrrd'))


def volume_stem(path: Path) -> str:
    """The file name without its volume extension."""
    return re.sub(r'\.(nii(\.gz)?|nrrd)$', '', path.name, flags=re.I)


def read_nifti(path: Path) -> VoxelVolume:
    """A NIfTI image (first 3 axes), scaled by its slope and intercept."""
    image = nib.load(str(path))
    data = np.asanyarray(image.dataobj)
    if data.ndim > 3:
        data = data[..., 0]
    return VoxelVolume(np.asarray(data), RAS_TO_LPS @ image.affine)


def _parse_vectors(text: str) -> np.ndarray:
    return np.array([
        [float(v) for v in group.split(',')]
        for group in re.findall(r'\(([^)]*)\)', text)
    ])


def read_nrrd(path: Path) -> VoxelVolume:
    """A 3D NRRD with an attached header (raw or gzip, little endian).

    Raises
    ------
    ValueError
        For a detached header, an unknown type, encoding or space, or a
        volume that is not 3D.
    """
    raw = path.read_bytes()
    end = raw.find(b'\n\n')
    if end < 0:
        raise ValueError(f'{path}: no end of NRRD header')
    fields = {}
    for line in raw[:end].decode('latin1').splitlines()[1:]:
        if line.startswith('#') or ':' not in line:
            continue
        key, value = line.split(':', 1)
        fields[key.strip()] = value.lstrip('=').strip()
    sizes = [int(v) for v in fields['sizes'].split()]
    dtype = NRRD_TYPES.get(fields.get('type', ''))
    encoding = fields.get('encoding', 'raw')
    space = NRRD_SPACES.get(fields.get('space', ''))
    if len(sizes) != 3 or dtype is None or space is None:
        raise ValueError(f'{path}: unsupported NRRD {fields}')
    if fields.get('endian', 'little') != 'little':
        raise ValueError(f'{path}: big-endian NRRD')
    payload = raw[end + 2:]
    if encoding in ('gzip', 'gz'):
        payload = gzip.decompress(payload)
    elif encoding != 'raw':
        raise ValueError(f'{path}: NRRD encoding {encoding}')
    count = int(np.prod(sizes))
    data = np.frombuffer(payload, dtype=dtype, count=count)
    # NRRD lists the fastest axis first: Fortran order gives data[i, j, k]
    data = data.reshape(sizes, order='F')
    directions = _parse_vectors(fields['space directions'])
    origin = _parse_vectors(fields.get('space origin', '(0,0,0)'))[0]
    flips = np.array(space, float)
    affine = np.eye(4)
    affine[:3, :3] = (directions * flips).T
    affine[:3, 3] = origin * flips
    return VoxelVolume(data, affine)


def read_volume(path: Path) -> VoxelVolume:
    """NIfTI or NRRD by extension."""
    if path.name.lower().endswith('.nrrd'):
        return read_nrrd(path)
    return read_nifti(path)
