"""Brute-force numpy references for the TypeScript quantification tests.

Reads one JSON request on stdin and writes one JSON answer on stdout.
Requests (see the jest tests for their exact shape):

``masks``
    For NIfTI labels on a DICOM series: voxel counts per slice, volume
    (sum over slices of count x row spacing x column spacing x slab, the
    slab from numpy.gradient of the slice positions), intensity statistics
    (float64; population SD), the longest distance between boundary voxel
    centres on every slice (all pairs), the short axis for a given long axis
    and optionally SUVpeak and the Dice with an RTSTRUCT ROI.
``pull``
    Writes the NIfTI values at every DICOM voxel centre as raw float32
    (slices, rows, cols), to check the TypeScript mapping voxel by voxel.
``pet-raw``
    Rasterises an RTSTRUCT ROI on a BQML PET series, writes the mask as raw
    uint8 (slices, rows, cols) and computes SUVbw by hand from the headers.
"""

import json
import sys

import numpy as np

from dicom_series import Series, pull_nifti
from rtstruct_mask import rasterise_roi

#: 1 mL sphere radius of SUVpeak (PERCIST), mm.
SUV_PEAK_RADIUS_MM = (3 * 1000 / (4 * np.pi)) ** (1 / 3)
#: Rows of the pair matrix computed at once, to bound memory.
PAIR_CHUNK = 512


def boundary(mask2d: np.ndarray) -> np.ndarray:
    """Inside pixels with a 4-neighbour outside the mask or the image."""
    padded = np.pad(mask2d, 1, constant_values=False)
    interior = (padded[:-2, 1:-1] & padded[2:, 1:-1]
                & padded[1:-1, :-2] & padded[1:-1, 2:])
    return mask2d & ~interior


def boundary_mm(series: Series, mask2d: np.ndarray) -> np.ndarray:
    rows, cols = np.nonzero(boundary(mask2d))
    return np.stack([cols * series.col_spacing, rows * series.row_spacing], axis=1)


def longest_pair(points: np.ndarray) -> float:
    best = 0.0
    for start in range(0, len(points), PAIR_CHUNK):
        chunk = points[start:start + PAIR_CHUNK]
        d = np.sqrt(((chunk[:, None, :] - points[None, :, :]) ** 2).sum(-1))
        best = max(best, float(d.max()))
    return best


def short_axis(points: np.ndarray, a: np.ndarray, b: np.ndarray, tol: float) -> dict:
    """Pair with |offset along a->b| <= tol maximising the extent across it."""
    u = (b - a) / np.linalg.norm(b - a)
    along = points @ u
    across = points @ np.array([-u[1], u[0]])
    best = (0.0, 0.0, 0.0)  # extent, -|offset|, length
    for start in range(0, len(points), PAIR_CHUNK):
        d_along = np.abs(along[start:start + PAIR_CHUNK, None] - along[None, :])
        d_across = np.abs(across[start:start + PAIR_CHUNK, None] - across[None, :])
        ok = d_along <= tol
        if not ok.any():
            continue
        extent = np.where(ok, d_across, -1.0)
        i, j = np.unravel_index(np.argmax(extent), extent.shape)
        top = extent[i, j]
        ties = ok & (np.abs(d_across - top) <= 1e-9)
        k, m = np.unravel_index(np.argmin(np.where(ties, d_along, np.inf)), ties.shape)
        cand = (float(d_across[k, m]), -float(d_along[k, m]),
                float(np.hypot(d_along[k, m], d_across[k, m])))
        if cand[:2] > best[:2]:
            best = cand
    return {"extent": best[0], "length": best[2]}


def suv_peak(series: Series, mask: np.ndarray, suv: np.ndarray) -> dict:
    """Max over lesion voxel centres of the mean SUV within the 1 mL sphere."""
    r = SUV_PEAK_RADIUS_MM
    dr = int(np.ceil(r / series.row_spacing))
    dc = int(np.ceil(r / series.col_spacing))
    best = {"value": -np.inf}
    for s, row, col in zip(*np.nonzero(mask)):
        total, count = 0.0, 0
        for t in np.nonzero(np.abs(series.positions - series.positions[s]) <= r)[0]:
            r0, r1 = max(row - dr, 0), min(row + dr + 1, series.rows)
            c0, c1 = max(col - dc, 0), min(col + dc + 1, series.columns)
            rr, cc = np.meshgrid(np.arange(r0, r1), np.arange(c0, c1), indexing="ij")
            dist2 = (((rr - row) * series.row_spacing) ** 2
                     + ((cc - col) * series.col_spacing) ** 2
                     + (series.positions[t] - series.positions[s]) ** 2)
            inside = dist2 <= r * r
            total += float(suv[t, r0:r1, c0:c1][inside].sum())
            count += int(inside.sum())
        if total / count > best["value"]:
            best = {"value": total / count, "centre": [int(s), int(row), int(col)],
                    "count": count}
    return best


def statistics(values: np.ndarray) -> dict:
    return {"mean": float(values.mean()), "sd": float(values.std(ddof=0)),
            "min": float(values.min()), "max": float(values.max()),
            "median": float(np.median(values))}


def volume_ml(series: Series, mask: np.ndarray) -> float:
    per_slice = mask.sum(axis=(1, 2))
    area = series.row_spacing * series.col_spacing
    return float((per_slice * area * series.slab_thickness()).sum() / 1000)


def measure_case(series: Series, labels: np.ndarray, case: dict) -> dict:
    mask = labels > 0 if case["label"] is None else labels == case["label"]
    per_slice = mask.sum(axis=(1, 2))
    out = {"label": case["label"], "voxelCount": int(per_slice.sum()),
           "perSlice": per_slice.tolist(),
           "volumeMl": volume_ml(series, mask),
           "stats": statistics(series.pixels[mask] * case.get("scale", 1.0)),
           "longestPerSlice": [longest_pair(boundary_mm(series, m)) if m.any() else 0.0
                               for m in mask]}
    axis = case.get("longAxis")
    if axis:
        points = boundary_mm(series, mask[axis["slice"]])
        ends = [np.array([c * series.col_spacing, r * series.row_spacing])
                for r, c in (axis["start"], axis["end"])]
        out["shortAxis"] = short_axis(points, ends[0], ends[1], axis["tolerance"])
    if case.get("suvPeak"):
        out["suvPeak"] = suv_peak(series, mask, series.pixels * case.get("scale", 1.0))
    return out


def run_masks(request: dict) -> dict:
    series = Series(request["dicom"])
    labels = pull_nifti(series, request["nifti"])
    answer = {"slab": series.slab_thickness().tolist(),
              "rowSpacing": series.row_spacing, "colSpacing": series.col_spacing,
              "cases": [measure_case(series, labels, c) for c in request["cases"]]}
    rt = request.get("rtstruct")
    if rt:
        contour = rasterise_roi(series, rt["path"], rt["roi"])
        nifti = labels > 0
        answer["rtstruct"] = {
            "voxelCount": int(contour.sum()),
            "dice": float(2 * (contour & nifti).sum() / (contour.sum() + nifti.sum())),
            "slices": np.nonzero(contour.any(axis=(1, 2)))[0].tolist()}
    return answer


def run_pull(request: dict) -> dict:
    series = Series(request["dicom"])
    values = pull_nifti(series, request["nifti"])
    values.astype("<f4").tofile(request["out"])
    counts = (values > 0).sum(axis=(1, 2))
    return {"shape": list(values.shape), "nonzeroPerSlice": counts.tolist()}


def seconds(tm: str) -> float:
    return int(tm[0:2]) * 3600 + int(tm[2:4]) * 60 + float(tm[4:])


def run_pet_raw(request: dict) -> dict:
    series = Series(request["dicom"])
    mask = rasterise_roi(series, request["rtstruct"], request["roi"])
    mask.astype(np.uint8).tofile(request["maskOut"])
    first = series.datasets[0]
    drug = first.RadiopharmaceuticalInformationSequence[0]
    if first.SeriesDate != first.AcquisitionDate:
        raise ValueError("the hand computation assumes one day")
    elapsed = seconds(first.SeriesTime) - seconds(drug.RadiopharmaceuticalStartTime)
    half_life = float(drug.RadionuclideHalfLife)
    decayed_dose = float(drug.RadionuclideTotalDose) * 2 ** (-elapsed / half_life)
    factor = float(first.PatientWeight) * 1000 / decayed_dose
    suv = series.pixels * factor
    return {"voxelCount": int(mask.sum()), "factor": factor, "elapsedS": elapsed,
            "units": first.Units, "decayCorrection": first.DecayCorrection,
            "stats": statistics(suv[mask]), "suvPeak": suv_peak(series, mask, suv),
            "volumeMl": volume_ml(series, mask),
            "perSlice": mask.sum(axis=(1, 2)).tolist()}


def main() -> int:
    request = json.load(sys.stdin)
    handlers = {"masks": run_masks, "pull": run_pull, "pet-raw": run_pet_raw}
    json.dump(handlers[request["command"]](request), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
