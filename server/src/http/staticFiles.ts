/**
 * Maps a URL path onto a file inside a served folder, refusing anything that
 * would leave it: dot segments are refused earlier (requestPath.ts); here the
 * real path (links resolved) must still lie inside the folder's real path, so a
 * symbolic link pointing out of it is not followed.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** Content types set explicitly: module scripts and WASM must be exact. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.onnx': 'application/octet-stream',
  '.map': 'application/json; charset=utf-8',
};

/** The content type we force for a file name, or null to let send decide. */
export function contentTypeFor(file: string): string | null {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? null;
}

export interface ResolvedFile {
  /** Real folder (links resolved). */
  root: string;
  /** Path of the file relative to `root`, with forward slashes. */
  relative: string;
}

function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * The regular file a decoded URL path names inside `root`, or null when there
 * is none (absent, a folder, or outside the folder once links are resolved).
 */
export async function resolveStaticFile(
  root: string,
  urlPath: string,
): Promise<ResolvedFile | null> {
  const realRoot = await realpath(root).catch(() => null);
  if (realRoot === null) return null;
  const segments = urlPath.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '.' || segment === '..')) return null;
  const real = await realpath(path.join(realRoot, ...segments)).catch(() => null);
  if (real === null || !isInside(realRoot, real)) return null;
  const info = await stat(real).catch(() => null);
  if (!info?.isFile()) return null;
  return { root: realRoot, relative: path.relative(realRoot, real).split(path.sep).join('/') };
}

/** A real file path if it exists as a regular file, else null. */
export async function resolveSingleFile(file: string): Promise<ResolvedFile | null> {
  const real = await realpath(file).catch(() => null);
  if (real === null) return null;
  const info = await stat(real).catch(() => null);
  if (!info?.isFile()) return null;
  return { root: path.dirname(real), relative: path.basename(real) };
}
