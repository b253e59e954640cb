"""Finding DICOM files in a folder tree and loading single-frame series."""
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

import numpy as np
import pydicom
from pydicom.errors import InvalidDicomError

from .series import ImageSeries

logger = logging.getLogger(__name__)

#: Offset of the "DICM" marker after the 128-byte preamble.
PREAMBLE_BYTES = 128
#: Modalities whose files hold ground truth rather than images.
ANNOTATION_MODALITIES = ('SEG', 'RTSTRUCT')


@dataclass
class DicomScan:
    """Everything DICOM found under the data folder, by kind."""

    series: Dict[str, List[Path]] = field(
        default_factory=lambda: defaultdict(list))
    segs: List[Path] = field(default_factory=list)
    rtstructs: List[Path] = field(default_factory=list)
    skipped: List[Dict[str, str]] = field(default_factory=list)


def is_dicom_file(path: Path) -> bool:
    """True for a Part 10 file (preamble plus ``DICM``)."""
    try:
        with path.open('rb') as stream:
            stream.seek(PREAMBLE_BYTES)
            return stream.read(4) == b'DICM'
    except OSError:
        return False


def scan_dicom(files: List[Path], root: Path) -> DicomScan:
    """Sort DICOM files into image series, SEGs and RTSTRUCTs.

    Multi-frame images and files without a plane position are skipped and
    reported (the viewer's engine takes single-frame slices).
    """
    scan = DicomScan()
    for path in files:
        if not is_dicom_file(path):
            continue
        relative = str(path.relative_to(root))
        try:
            ds = pydicom.dcmread(path, stop_before_pixels=True)
        except (InvalidDicomError, OSError, ValueError) as error:
            scan.skipped.append({'path': relative, 'reason': str(error)})
            continue
        modality = str(ds.get('Modality', ''))
        if modality == 'SEG':
            scan.segs.append(path)
        elif modality == 'RTSTRUCT':
            scan.rtstructs.append(path)
        elif int(ds.get('NumberOfFrames', 1) or 1) != 1:
            scan.skipped.append({'path': relative, 'reason': 'multi-frame'})
        elif 'ImagePositionPatient' not in ds or not ds.get(
                'SeriesInstanceUID'):
            scan.skipped.append(
                {'path': relative, 'reason': 'no plane position or series'})
        else:
            scan.series[str(ds.SeriesInstanceUID)].append(path)
    return scan


def _unit(values: np.ndarray) -> np.ndarray:
    return values / np.linalg.norm(values)


def load_series(paths: List[Path], root: Path) -> ImageSeries:
    """Read one series' slices, rescaled to modality units, along the normal.

    Raises
    ------
    ValueError
        If the slices differ in size or orientation.
    """
    datasets = [pydicom.dcmread(p) for p in paths]
    files = [str(p.relative_to(root)) for p in paths]
    first = datasets[0]
    iop = np.array(first.ImageOrientationPatient, dtype=float)
    row_dir, col_dir = _unit(iop[:3]), _unit(iop[3:])
    normal = np.cross(row_dir, col_dir)
    order = np.argsort([
        float(np.dot(np.array(d.ImagePositionPatient, float), normal))
        for d in datasets
    ])
    datasets = [datasets[i] for i in order]
    slices = []
    for ds in datasets:
        if not np.allclose(ds.ImageOrientationPatient, first.ImageOrientationPatient,
                           atol=1e-4):
            raise ValueError(f'{paths[0].parent}: slices differ in orientation')
        slope = float(ds.get('RescaleSlope', 1) or 1)
        intercept = float(ds.get('RescaleIntercept', 0) or 0)
        slices.append(ds.pixel_array.astype(np.float64) * slope + intercept)
    if len({s.shape for s in slices}) != 1:
        raise ValueError(f'{paths[0].parent}: slices differ in size')
    folder = paths[0].parent.relative_to(root)
    row_spacing, col_spacing = (float(v) for v in first.PixelSpacing)
    return ImageSeries(
        key=str(first.SeriesInstanceUID),
        dataset=str(folder),
        modality=str(first.Modality),
        patient=str(first.get('PatientID', '') or first.StudyInstanceUID),
        pixels=np.stack(slices).astype(np.float32),
        slice_keys=[str(d.SOPInstanceUID) for d in datasets],
        sop_uids=[str(d.SOPInstanceUID) for d in datasets],
        origins=np.array([d.ImagePositionPatient for d in datasets], float),
        row_dir=row_dir, col_dir=col_dir,
        spacing=(row_spacing, col_spacing),
        source='dicom',
        frame_of_reference=str(first.get('FrameOfReferenceUID', '')),
        files=sorted(files),
    )
