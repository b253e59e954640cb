/**
 * Lists the files under folders, recursively, in a stable order (sorted by
 * name at each level), so that a load and its report are reproducible.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

import { ServerError } from '../serverError';

async function walk(dir: string, seen: Set<string>, out: string[]): Promise<void> {
  const real = await realpath(dir);
  if (seen.has(real)) return; // a symbolic link loop, or a folder given twice
  seen.add(real);
  const names = (await readdir(dir)).sort();
  for (const name of names) {
    const entry = path.join(dir, name);
    const info = await stat(entry).catch(() => null); // a dangling link: nothing to read
    if (info?.isDirectory()) await walk(entry, seen, out);
    else if (info?.isFile()) out.push(entry);
  }
}

/**
 * Every regular file under the given files and folders (links followed).
 * @throws {ServerError} `bad-path` when a given path does not exist.
 */
export async function listFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const given of paths) {
    const info = await stat(given).catch(() => null);
    if (info === null) throw new ServerError('bad-path', `${given}: no such file or folder`);
    if (info.isDirectory()) await walk(given, seen, out);
    else out.push(given);
  }
  return out;
}
