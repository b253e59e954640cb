/**
 * The models the server offers: every manifest listed in /models/index.json,
 * validated, with whether its files are present. A model whose files are
 * missing (MedSAM before the site exported it) is listed as unavailable and
 * never offered for inference.
 */
import {
  listAvailableModels,
  resolveModelFileUrl,
  type LocatedModelManifest,
} from '../../core/inference/listAvailableModels';
import { parseModelManifest } from '../../core/inference/parseModelManifest';
import type { ModelListing } from '../medsamState';

export interface ModelCatalogue {
  listings: ModelListing[];
  /** Available models with the absolute URL of their manifest. */
  available: Array<LocatedModelManifest & { manifestUrl: string }>;
}

/** Where the server publishes the site's own model folder (server/src/startStack.ts). */
const USER_MODELS_PREFIX = '/user-models/';

/** Families offered to radiologists; the tiny test model is for the test suite. */
const CLINICAL_FAMILIES = new Set(['medsam-vit-b', 'lite-medsam', 'sam']);

export async function loadModelCatalogue(
  indexUrl: string,
  fetchFn: typeof fetch,
  options: { includeTestModels?: boolean } = {},
): Promise<ModelCatalogue> {
  const response = await fetchFn(indexUrl);
  if (!response.ok) throw new Error(`${indexUrl}: HTTP ${response.status}`);
  const index = (await response.json()) as { manifests?: unknown };
  const listed = Array.isArray(index.manifests) ? index.manifests.filter((u): u is string => typeof u === 'string') : [];
  // A site's own exports override the repository's model of the same id.
  const urls = [...listed.filter((u) => u.startsWith(USER_MODELS_PREFIX)), ...listed.filter((u) => !u.startsWith(USER_MODELS_PREFIX))];
  const located = await Promise.all(
    urls.map(async (url) => {
      const manifestUrl = new URL(url, indexUrl).href;
      const manifest = parseModelManifest(await (await fetchFn(manifestUrl)).json(), url);
      return { manifest, baseUrl: new URL('.', manifestUrl).href, manifestUrl };
    }),
  );
  const offered = located.filter((m) => options.includeTestModels || CLINICAL_FAMILIES.has(m.manifest.family));
  const exists = async (url: string) => (await fetchFn(url, { method: 'HEAD' })).ok;
  const availableIds = new Set((await listAvailableModels(offered, exists)).map((m) => m.manifest.id));
  const listings = offered.map(({ manifest, baseUrl }) => ({
    id: manifest.id,
    displayName: manifest.displayName,
    description: manifest.description,
    licence: manifest.licence,
    sizeBytes: manifest.files.encoder.size + manifest.files.decoder.size,
    available: availableIds.has(manifest.id),
    encoderUrl: resolveModelFileUrl(baseUrl, manifest.files.encoder.path),
  }));
  return { listings, available: offered.filter((m) => availableIds.has(m.manifest.id)) };
}
