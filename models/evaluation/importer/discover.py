"""Which image goes with which ground truth, for any folder laid out like
``../shared/data``.

Rules, in order (each series takes the first kind that gives it structures):

1. A DICOM series with a SEG whose frames reference its images.
2. A DICOM series with a NIfTI or NRRD mask whose voxel grid holds the
   series' pixel centres (the image pair of that mask, if any, is then the
   same case and is not evaluated twice).
3. A DICOM series with an RTSTRUCT in its frame of reference whose contour
   planes fall on its slices.
4. A NIfTI or NRRD image with a mask of the same grid whose name starts with
   the image's name (longest such name wins). Files whose names contain
   ``mask``, ``label`` or ``seg`` are masks; the rest are images.

Multi-label masks give one structure per label, named from a JSON map of
label numbers to names beside the mask when there is one.
"""
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import numpy as np

from .dicom_files import load_series, scan_dicom
from .reslice import sample_onto_series, series_from_volume
from .rtstruct import rasterise_rtstruct, rtstruct_frames_of_reference
from .seg import read_seg, referenced_uids
from .series import ImageSeries, LabelledSeries
from .voxel_files import is_volume_file, read_volume, volume_stem

logger = logging.getLogger(__name__)

#: Stems of voxel files that hold ground truth.
MASK_NAME = re.compile(r'(mask|label|seg)', re.I)
#: Suffix of image file stems that the mask's name does not repeat.
IMAGE_SUFFIX = re.compile(r'[_-]?(image|img)$', re.I)
#: Voxel images below this value are taken as CT in HU; NIfTI and NRRD
#: carry no modality (MR and PET share the percentile preset anyway).
CT_MINIMUM_VALUE = -500.0


@dataclass
class Discovery:
    """The labelled series found, and what was passed over and why."""

    cases: List[LabelledSeries] = field(default_factory=list)
    skipped: List[Dict[str, str]] = field(default_factory=list)


def list_files(root: Path, exclude: List[str]) -> List[Path]:
    """Files under root, sorted, minus those under an excluded prefix."""
    files = []
    for path in sorted(root.rglob('*')):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and not any(
                relative.startswith(prefix) for prefix in exclude):
            files.append(path)
    return files


def label_names(mask_path: Path) -> Dict[int, str]:
    """Label number -> name from a JSON map beside the mask, if any."""
    for candidate in sorted(mask_path.parent.glob('*.json')):
        try:
            loaded = json.loads(candidate.read_text())
        except (ValueError, OSError):
            continue
        # either {"1": "spleen", ...} or that map under a "labels" key
        if isinstance(loaded, dict) and isinstance(loaded.get('labels'), dict):
            loaded = loaded['labels']
        if isinstance(loaded, dict) and loaded and all(
                str(k).isdigit() for k in loaded):
            return {int(k): str(v) for k, v in loaded.items()}
    return {}


def structures_from_labels(values: np.ndarray, stem: str,
                           names: Dict[int, str]) -> Dict[str, np.ndarray]:
    """One bool mask per non-zero label; a 0/1 mask is named after its file."""
    labels = [int(v) for v in np.unique(values) if v != 0]
    if labels == [1] and not names:
        return {stem: values == 1}
    return {names.get(v, f'label {v}'): values == v for v in labels}


def _voxel_modality(pixels: np.ndarray) -> str:
    return 'CT' if float(pixels.min()) < CT_MINIMUM_VALUE else 'MR'


def _closeness(series: ImageSeries, mask: Path, root: Path) -> tuple:
    """Sort key, nearest first: masks in or beside the series' folder, and
    a folder named like the series' (``ct`` and ``ct-nifti``), come first."""
    series_parts = Path(series.dataset).parts
    mask_parts = mask.relative_to(root).parent.parts
    shared = 0
    for a, b in zip(series_parts, mask_parts):
        if a != b:
            break
        shared += 1
    named_alike = bool(series_parts) and bool(mask_parts) and mask_parts[
        -1].startswith(series_parts[-1])
    return (-shared, not named_alike, str(mask))


def _image_name(image: Path) -> str:
    """The image's stem without an ``image``/``img`` suffix (brain1_image
    pairs with brain1_label)."""
    return IMAGE_SUFFIX.sub('', volume_stem(image))


def _pair_masks(images: List[Path], masks: List[Path]) -> List[Tuple[Path, Path]]:
    pairs = []
    for mask in masks:
        stem = volume_stem(mask)
        owners = [i for i in images if stem.startswith(_image_name(i))
                  and i.parent == mask.parent]
        if owners:
            pairs.append((max(owners, key=lambda i: len(_image_name(i))), mask))
    return pairs


class Discoverer:
    """Walks a data folder once and pairs images with ground truth."""

    def __init__(self, root: Path, exclude: List[str],
                 patients: Dict[str, str]) -> None:
        self.root = root
        self.patients = patients
        self.files = list_files(root, exclude)
        self.result = Discovery()

    def patient_for(self, relative: str, default: str) -> str:
        """The patients table's id for the longest matching path prefix."""
        hits = [p for p in self.patients if relative.startswith(p)]
        return self.patients[max(hits, key=len)] if hits else default

    def run(self) -> Discovery:
        """Find every labelled series."""
        scan = scan_dicom(self.files, self.root)
        self.result.skipped.extend(scan.skipped)
        volumes = [f for f in self.files if is_volume_file(f)]
        masks = [f for f in volumes if MASK_NAME.search(volume_stem(f))]
        images = [f for f in volumes if f not in masks]
        used_masks: set = set()
        for uid in sorted(scan.series):
            try:
                series = load_series(scan.series[uid], self.root)
            except (ValueError, AttributeError, RuntimeError) as error:
                self._skip(scan.series[uid][0].parent, str(error))
                continue
            series.patient = self.patient_for(series.dataset, series.patient)
            labelled = (self._from_segs(series, scan.segs)
                        or self._from_voxel_masks(series, masks, used_masks)
                        or self._from_rtstructs(series, scan.rtstructs))
            if labelled:
                self.result.cases.append(labelled)
        dicom_cases = list(self.result.cases)
        for image, mask in _pair_masks(images, masks):
            if mask not in used_masks:
                self._add_voxel_pair(image, mask, dicom_cases)
        return self.result

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _skip(self, path: Path, reason: str) -> None:
        self.result.skipped.append(
            {'path': str(path.relative_to(self.root)), 'reason': reason})

    def _from_segs(self, series: ImageSeries,
                   segs: List[Path]) -> Optional[LabelledSeries]:
        structures: Dict[str, np.ndarray] = {}
        used = []
        for path in segs:
            if referenced_uids(path) & set(series.sop_uids):
                found = read_seg(path, series)
                for name, mask in found.items():
                    structures.setdefault(name, mask)
                if found:
                    used.append(self._relative(path))
        return (LabelledSeries(series, 'seg', structures, used)
                if structures else None)

    def _from_voxel_masks(self, series: ImageSeries, masks: List[Path],
                          used: set) -> Optional[LabelledSeries]:
        for path in sorted(masks, key=lambda m: _closeness(series, m, self.root)):
            values = sample_onto_series(read_volume(path), series)
            if values is None or not values.any():
                continue
            used.add(path)
            structures = structures_from_labels(
                values, volume_stem(path), label_names(path))
            kind = 'nrrd' if path.suffix == '.nrrd' else 'nifti'
            return LabelledSeries(series, kind, structures, [self._relative(path)])
        return None

    def _from_rtstructs(self, series: ImageSeries,
                        rtstructs: List[Path]) -> Optional[LabelledSeries]:
        structures: Dict[str, np.ndarray] = {}
        used = []
        for path in rtstructs:
            if series.frame_of_reference in rtstruct_frames_of_reference(path):
                found = rasterise_rtstruct(path, series, series.frame_of_reference)
                for name, mask in found.items():
                    structures.setdefault(name, mask)
                if found:
                    used.append(self._relative(path))
        return (LabelledSeries(series, 'rtstruct', structures, used)
                if structures else None)

    def _add_voxel_pair(self, image: Path, mask: Path,
                        dicom_cases: List[LabelledSeries]) -> None:
        relative = image.relative_to(self.root).as_posix()
        volume = read_volume(image)
        for case in dicom_cases:
            values = sample_onto_series(volume, case.series)
            if values is not None and np.allclose(
                    values, case.series.pixels, rtol=1e-3, atol=1e-3):
                self._skip(image, f'same image as {case.series.dataset}')
                return
        kind = 'nrrd' if image.suffix == '.nrrd' else 'nifti'
        default_patient = _image_name(image)
        series = series_from_volume(
            volume, key=relative, dataset=relative, modality='',
            patient=self.patient_for(relative, default_patient), source=kind)
        series.modality = _voxel_modality(series.pixels)
        series.files = [relative]
        values = sample_onto_series(read_volume(mask), series)
        if values is None:
            self._skip(mask, f'grid differs from {image.name}')
            return
        structures = structures_from_labels(
            values, volume_stem(mask), label_names(mask))
        if structures:
            self.result.cases.append(LabelledSeries(
                series, kind, structures, [self._relative(mask)]))
