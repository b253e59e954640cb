"""Decode the pixel data of compressed DICOM files for the jest test helpers.

dcmjs parses compressed files but does not decode JPEG 2000, so the tests
hand those files to pydicom (with Debian's python3-gdcm as the decoder) in a
subprocess. Stored values are written unchanged, without rescale: the
TypeScript loader applies RescaleSlope and RescaleIntercept itself, as it
does for uncompressed files.

Usage: /usr/bin/python3 decode_pixel_data.py OUT_DIR FILE...
Writes OUT_DIR/<i>.raw (int32 little endian, row-major) per input file and
prints a JSON list of [rows, columns] on stdout.
"""

import json
import os
import sys

import pydicom


def decode(path: str, out_path: str) -> list:
    """Write one file's stored values as int32 and return its shape.

    Raises
    ------
    ValueError
        If the file holds more than one frame (the helpers load
        single-frame series only).
    """
    dataset = pydicom.dcmread(path)
    pixels = dataset.pixel_array
    if pixels.ndim != 2:
        raise ValueError(f"{path}: expected one frame, got shape {pixels.shape}")
    pixels.astype("<i4").tofile(out_path)
    return list(pixels.shape)


def main(argv: list) -> int:
    out_dir, paths = argv[1], argv[2:]
    shapes = [
        decode(path, os.path.join(out_dir, f"{i}.raw"))
        for i, path in enumerate(paths)
    ]
    json.dump(shapes, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
