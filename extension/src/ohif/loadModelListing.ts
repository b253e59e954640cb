/**
 * Lists the models the server offers and whether their files are present.
 * A model whose files are missing (MedSAM before the user exported it) is
 * listed as unavailable, never offered for inference.
 */
import type { ModelListing } from './medsamState';

interface ManifestSummary {
  id: string;
  displayName: string;
  licence: string;
  files: Record<string, { path: string; size: number }>;
}

export async function loadModelListing(indexUrl: string, fetchFn: typeof fetch): Promise<ModelListing[]> {
  const response = await fetchFn(indexUrl);
  if (!response.ok) throw new Error(`${indexUrl}: HTTP ${response.status}`);
  const index = (await response.json()) as { manifests?: string[] } | string[];
  const urls = Array.isArray(index) ? index : (index.manifests ?? []);
  const listings = await Promise.all(
    urls.map(async (url) => {
      const manifestUrl = new URL(url, new URL(indexUrl, globalThis.location?.href)).href;
      const manifest = (await (await fetchFn(manifestUrl)).json()) as ManifestSummary;
      const files = Object.values(manifest.files);
      const present = await Promise.all(
        files.map(async (f) => (await fetchFn(new URL(f.path, manifestUrl).href, { method: 'HEAD' })).ok),
      );
      return {
        id: manifest.id,
        displayName: manifest.displayName,
        licence: manifest.licence,
        sizeBytes: files.reduce((sum, f) => sum + f.size, 0),
        available: present.every(Boolean),
      };
    }),
  );
  return listings;
}
