"""DICOM SEG frames onto the slices of the series they were made on."""
import logging
from pathlib import Path
from typing import Dict, Optional

import numpy as np
import pydicom

from .series import ImageSeries

logger = logging.getLogger(__name__)

#: SOP Class UID of the Label Map Segmentation Storage.
LABEL_MAP_SEG_CLASS = '1.2.840.10008.5.1.4.1.1.66.7'
#: A fractional pixel belongs to the segment above this fraction.
FRACTION_THRESHOLD = 0.5


def _first(item: pydicom.Dataset, keyword: str) -> Optional[pydicom.Dataset]:
    sequence = item.get(keyword) if item is not None else None
    return sequence[0] if sequence else None


def _frame_source(ds: pydicom.Dataset, frame: int) -> tuple:
    """(segment number, referenced SOPInstanceUID, plane position)."""
    shared = _first(ds, 'SharedFunctionalGroupsSequence')
    per = ds.PerFrameFunctionalGroupsSequence[frame]
    segment = None
    ident = _first(per, 'SegmentIdentificationSequence') or _first(
        shared, 'SegmentIdentificationSequence')
    if ident is not None:
        segment = int(ident.ReferencedSegmentNumber)
    uid = None
    derivation = _first(per, 'DerivationImageSequence')
    source = _first(derivation, 'SourceImageSequence')
    if source is not None:
        uid = str(source.ReferencedSOPInstanceUID)
    plane = _first(per, 'PlanePositionSequence')
    position = (np.array(plane.ImagePositionPatient, float)
                if plane is not None else None)
    return segment, uid, position


def _slice_of(series: ImageSeries, uid: Optional[str],
              position: Optional[np.ndarray]) -> Optional[int]:
    if uid is not None and uid in series.sop_uids:
        return series.sop_uids.index(uid)
    if position is None:
        return None
    distances = np.linalg.norm(series.origins - position, axis=1)
    k = int(np.argmin(distances))
    return k if distances[k] < 0.01 * max(series.spacing) + 1e-3 else None


def referenced_uids(path: Path) -> set:
    """SOPInstanceUIDs of the source images the SEG's frames name."""
    ds = pydicom.dcmread(path, stop_before_pixels=True)
    uids = set()
    for series in ds.get('ReferencedSeriesSequence', []):
        for item in series.get('ReferencedInstanceSequence', []):
            uids.add(str(item.ReferencedSOPInstanceUID))
    for frame in range(int(ds.get('NumberOfFrames', 1))):
        _, uid, _ = _frame_source(ds, frame)
        if uid:
            uids.add(uid)
    return uids


def read_seg(path: Path, series: ImageSeries) -> Dict[str, np.ndarray]:
    """Segment label -> bool mask on the series (empty when no frame maps)."""
    ds = pydicom.dcmread(path)
    frames = ds.pixel_array
    if frames.ndim == 2:
        frames = frames[None]
    labels = {int(s.SegmentNumber): str(s.get('SegmentLabel', s.SegmentNumber))
              for s in ds.SegmentSequence}
    label_map = str(ds.SOPClassUID) == LABEL_MAP_SEG_CLASS
    fractional = str(ds.get('SegmentationType', 'BINARY')) == 'FRACTIONAL'
    maximum = float(ds.get('MaximumFractionalValue', 1) or 1)
    out: Dict[str, np.ndarray] = {}
    for frame in range(frames.shape[0]):
        segment, uid, position = _frame_source(ds, frame)
        k = _slice_of(series, uid, position)
        if k is None or frames[frame].shape != series.shape[1:]:
            continue
        values = frames[frame]
        if label_map:
            present = [(n, values == n) for n in labels if n > 0]
        elif fractional:
            present = [(segment, values / maximum > FRACTION_THRESHOLD)]
        else:
            present = [(segment, values > 0)]
        for number, mask in present:
            name = labels.get(number, str(number))
            target = out.setdefault(name, np.zeros(series.shape, bool))
            target[k] |= mask
    return {name: m for name, m in out.items() if m.any()}
