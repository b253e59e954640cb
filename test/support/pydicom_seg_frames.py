"""Print, as JSON, what pydicom decodes from a SEG's frames.

Usage: pydicom_seg_frames.py SEG [FRACTIONAL_THRESHOLD]

Used by the jest conformance tests as an independent reader: for every frame
its SHA-256 over the unpacked pixels (one uint8 per pixel), the referenced
segment and source SOP Instance UID. Run with Debian's /usr/bin/python3.
"""
import hashlib
import json
import sys

import numpy as np
import pydicom


def frame_references(ds: pydicom.Dataset) -> list:
    """Return (segment number, source SOP Instance UID) per frame."""
    references = []
    for group in ds.PerFrameFunctionalGroupsSequence:
        segment = None
        if 'SegmentIdentificationSequence' in group:
            segment = int(
                group.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
        source = (group.DerivationImageSequence[0]
                  .SourceImageSequence[0].ReferencedSOPInstanceUID)
        references.append((segment, str(source)))
    return references


def main(path: str, threshold: float = None) -> None:
    """Decode the file at ``path`` and print the JSON summary.

    With ``threshold`` (a fraction of MaximumFractionalValue) the frames are
    binarised first, as a FRACTIONAL SEG's reader does.
    """
    ds = pydicom.dcmread(path)
    pixels = ds.pixel_array
    if threshold is not None:
        maximum = float(ds.get('MaximumFractionalValue', 255))
        pixels = (pixels >= threshold * maximum).astype(np.uint8)
    if int(ds.NumberOfFrames) == 1:
        pixels = pixels[np.newaxis, ...]
    frames = []
    for index, (segment, source) in enumerate(frame_references(ds)):
        frame = np.ascontiguousarray(pixels[index].astype(np.uint8))
        frames.append({
            'segment': segment,
            'source': source,
            'sha256': hashlib.sha256(frame.tobytes()).hexdigest(),
            'nonzero': int(np.count_nonzero(frame)),
        })
    print(json.dumps({
        'rows': int(ds.Rows),
        'columns': int(ds.Columns),
        'frames': frames,
    }))


if __name__ == '__main__':
    main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else None)
