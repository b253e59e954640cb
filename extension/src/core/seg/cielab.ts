/**
 * sRGB <-> DICOM CIELab. RecommendedDisplayCIELabValue stores L*, a*, b* under
 * the D65 illuminant, each scaled to 0..65535 (PS3.3 C.10.7.1.1): L* 0..100 and
 * a*, b* -128..127 map linearly onto the full unsigned 16-bit range.
 */

export type RGB = [number, number, number];

/** Largest value of a DICOM scaled CIELab component. */
const DICOM_LAB_MAX = 65535;
/** D65 reference white in XYZ, Y normalised to 1. */
const D65: RGB = [0.95047, 1, 1.08883];
/** CIE constants: epsilon = (6/29)^3 and kappa-based slope (1/3)(29/6)^2. */
const LAB_EPSILON = 216 / 24389;
const LAB_SLOPE = 841 / 108;
const LAB_OFFSET = 4 / 29;

function srgbToLinear(channel8: number): number {
  const c = channel8 / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function linearToSrgb(linear: number): number {
  const c = linear <= 0.0031308 ? linear * 12.92 : 1.055 * linear ** (1 / 2.4) - 0.055;
  return Math.min(255, Math.max(0, Math.round(c * 255)));
}

function labF(t: number): number {
  return t > LAB_EPSILON ? Math.cbrt(t) : LAB_SLOPE * t + LAB_OFFSET;
}

function labFInverse(f: number): number {
  const cube = f ** 3;
  return cube > LAB_EPSILON ? cube : (f - LAB_OFFSET) / LAB_SLOPE;
}

/** sRGB (0..255 per channel) to CIE L*a*b* (D65). */
export function computeLabFromRGB(rgb: RGB): RGB {
  const [r, g, b] = rgb.map(srgbToLinear) as RGB;
  // sRGB primaries to XYZ (IEC 61966-2-1 matrix).
  const x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = 0.0193339 * r + 0.119192 * g + 0.9503041 * b;
  const fx = labF(x / D65[0]);
  const fy = labF(y / D65[1]);
  const fz = labF(z / D65[2]);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** CIE L*a*b* (D65) to sRGB 0..255, clipped to the gamut. */
export function computeRGBFromLab(lab: RGB): RGB {
  const fy = (lab[0] + 16) / 116;
  const fx = fy + lab[1] / 500;
  const fz = fy - lab[2] / 200;
  const x = labFInverse(fx) * D65[0];
  const y = labFInverse(fy) * D65[1];
  const z = labFInverse(fz) * D65[2];
  const r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
  const g = -0.969266 * x + 1.8760108 * y + 0.041556 * z;
  const b = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
  return [linearToSrgb(r), linearToSrgb(g), linearToSrgb(b)];
}

/** Scales L*a*b* to the three unsigned integers DICOM stores. */
export function computeDicomLabFromRGB(rgb: RGB): RGB {
  const [l, a, b] = computeLabFromRGB(rgb);
  const scale = (value: number, min: number, max: number): number =>
    Math.min(DICOM_LAB_MAX, Math.max(0, Math.round(((value - min) / (max - min)) * DICOM_LAB_MAX)));
  return [scale(l, 0, 100), scale(a, -128, 127), scale(b, -128, 127)];
}

/** Inverse of `computeDicomLabFromRGB`, for showing a stored colour. */
export function computeRGBFromDicomLab(dicomLab: readonly number[]): RGB {
  const unscale = (value: number, min: number, max: number): number =>
    (value / DICOM_LAB_MAX) * (max - min) + min;
  return computeRGBFromLab([
    unscale(dicomLab[0] ?? 0, 0, 100),
    unscale(dicomLab[1] ?? 0, -128, 127),
    unscale(dicomLab[2] ?? 0, -128, 127),
  ]);
}
