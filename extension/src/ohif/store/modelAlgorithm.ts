/**
 * How a SEG names the model that outlined its segments: the manifest's
 * display name and version, and the SHA-256 of both model files, so a reader
 * can tell exactly which weights were used (two exports of one version can
 * differ).
 */
import type { ModelManifest } from '../../core/inference/modelManifest';
import type { SegmentAlgorithm } from '../../core/seg/segTypes';

/** Longest LO value, characters (PS3.5 Table 6.2-1). */
const MAX_LO_LENGTH = 64;

function fitLO(value: string): string {
  // LO forbids backslash and control characters; a manifest may hold neither,
  // but a site's own manifest is not ours to trust.
  return value
    .replace(/[\\\r\n]+/g, ' ')
    .trim()
    .slice(0, MAX_LO_LENGTH)
    .trimEnd();
}

/**
 * The SEG's algorithm identification for a model. `modelSha256` lists the
 * encoder's then the decoder's checksum, comma-separated (AlgorithmParameters
 * then reads `sha256=<encoder>,<decoder>`).
 */
export function createSegAlgorithm(manifest: ModelManifest): SegmentAlgorithm {
  return {
    name: fitLO(manifest.displayName) || manifest.id,
    version: fitLO(manifest.version) || manifest.id,
    modelSha256: `${manifest.files.encoder.sha256},${manifest.files.decoder.sha256}`,
  };
}
