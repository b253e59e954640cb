/**
 * `/models/index.json`: the URLs of the model manifests found on disk
 * (`<model root>/<model>/manifest.json`). It only lists them; the viewer reads
 * each manifest and decides whether the model's files are available.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export interface ModelRoot {
  /** URL prefix, starting and ending with '/', e.g. `/models/`. */
  urlPrefix: string;
  dir: string;
}

/** The listing served as JSON. */
export interface ModelIndex {
  manifests: string[];
}

const MANIFEST = 'manifest.json';

/** Lists manifests, sorted, one level below each root; missing roots list nothing. */
export async function listModelManifests(roots: readonly ModelRoot[]): Promise<ModelIndex> {
  const urls = new Set<string>();
  for (const root of roots) {
    const names = await readdir(root.dir).catch(() => [] as string[]);
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const info = await stat(path.join(root.dir, name, MANIFEST)).catch(() => null);
      if (info?.isFile()) urls.add(`${root.urlPrefix}${encodeURIComponent(name)}/${MANIFEST}`);
    }
  }
  return { manifests: [...urls].sort() };
}
