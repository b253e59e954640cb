/**
 * Which models the viewer may offer: a manifest is only a promise, the files must
 * be there too (the MedSAM exports are made by each site from its own download,
 * so a fresh checkout has manifests, or folders, without weights).
 */
import type { ModelFile, ModelManifest } from './modelManifest';

/** A manifest and the URL of the folder it was read from. */
export interface LocatedModelManifest {
  manifest: ModelManifest;
  /** Folder URL the file paths are relative to, e.g. `/models/lite-medsam/`. */
  baseUrl: string;
}

/**
 * SHA-256 written into a manifest whose files have not been pinned yet (a
 * downloaded third-party port, see models/README.md): such a model is never
 * offered, because its checksum could never match.
 */
export const UNPINNED_SHA256 = '0'.repeat(64);

/** Answers whether a file exists (a HEAD request, a file-system check...). */
export type FileExists = (url: string) => boolean | Promise<boolean>;

const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:/i;

/**
 * URL of a model file: absolute paths are kept, relative ones joined to the folder.
 * @example resolveModelFileUrl('/models/lite-medsam', 'encoder.onnx') // '/models/lite-medsam/encoder.onnx'
 */
export function resolveModelFileUrl(baseUrl: string, path: string): string {
  if (ABSOLUTE_URL.test(path) || path.startsWith('/')) return path;
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return base + path.replace(/^\.\//, '');
}

/** True unless the file still carries the unpinned placeholder checksum. */
export function isPinned(file: ModelFile): boolean {
  return file.sha256 !== UNPINNED_SHA256;
}

/**
 * The manifests whose encoder and decoder files are pinned and present, in the
 * given order. Manifest ids are unique in the result: the first one wins, so a
 * user folder listed before the repository's can override a model.
 * @param manifests already validated manifests with their folders
 * @param fileExists asked once per file; it may answer synchronously or not
 */
export async function listAvailableModels(
  manifests: readonly LocatedModelManifest[],
  fileExists: FileExists,
): Promise<LocatedModelManifest[]> {
  const checks = manifests.map(async (located) => {
    const files = [located.manifest.files.encoder, located.manifest.files.decoder];
    if (!files.every(isPinned)) return false;
    const present = await Promise.all(
      files.map((file) => fileExists(resolveModelFileUrl(located.baseUrl, file.path))),
    );
    return present.every(Boolean);
  });
  const available = await Promise.all(checks);
  const seen = new Set<string>();
  return manifests.filter((located, index) => {
    if (!available[index] || seen.has(located.manifest.id)) return false;
    seen.add(located.manifest.id);
    return true;
  });
}
