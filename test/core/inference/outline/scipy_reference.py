"""Reference answers for the outline filters, from scipy.ndimage (Debian python3-scipy).

Reads {"width", "height", "mask": [0/1...], "values": [...], "sigma"} on stdin and
writes the same plane through scipy's erosion, dilation (3 x 3 square, outside
counts as background), largest 4-connected component, hole filling (4-connected
background) and Gaussian blur (mode='reflect', truncate=4) as JSON.
"""
import json
import sys

import numpy as np
from scipy import ndimage

request = json.load(sys.stdin)
shape = (request["height"], request["width"])
mask = np.array(request["mask"], dtype=bool).reshape(shape)
values = np.array(request["values"], dtype=np.float64).reshape(shape)
square = np.ones((3, 3), dtype=bool)
cross = ndimage.generate_binary_structure(2, 1)

labels, count = ndimage.label(mask, structure=cross)
if count:
    sizes = ndimage.sum(mask, labels, index=range(1, count + 1))
    largest = labels == (int(np.argmax(sizes)) + 1)
else:
    largest = mask

json.dump(
    {
        "eroded": ndimage.binary_erosion(mask, structure=square, border_value=0).astype(int).ravel().tolist(),
        "dilated": ndimage.binary_dilation(mask, structure=square, iterations=2).astype(int).ravel().tolist(),
        "largest": largest.astype(int).ravel().tolist(),
        "filled": ndimage.binary_fill_holes(mask, structure=cross).astype(int).ravel().tolist(),
        "blurred": ndimage.gaussian_filter(values, request["sigma"], mode="reflect", truncate=4.0).ravel().tolist(),
    },
    sys.stdout,
)
