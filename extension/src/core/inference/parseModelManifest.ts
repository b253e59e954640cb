/**
 * Reading a `manifest.json` from untrusted JSON into a `ModelManifest`. The schema
 * (modelManifestSchema.ts) checks shapes and vocabularies; the checks here add the
 * rules that depend on other fields. Every problem is reported at once, each naming
 * its field by JSON pointer, so that one edit-and-reload fixes a broken file.
 */
import Ajv, { type ErrorObject } from 'ajv';
import { DECODER_INPUT_ROLES } from './decoderFeeds';
import type { DecoderKind, ModelManifest } from './modelManifest';
import { modelManifestSchema } from './modelManifestSchema';

/**
 * How many masks each decoder kind's graph outputs, so which `maskToken` values
 * (indices into that output) exist: our box-only export answers with one mask, the
 * Transformers.js layout with SAM's three multi-mask outputs, and the official SAM
 * decoder with all four tokens (or one, selected in the graph, in single-mask mode).
 */
export const DECODER_MASK_COUNT: Record<DecoderKind, number> = {
  'box-only': 1,
  'transformers-js': 3,
  sam: 4,
};

/** Extra encoder outputs each decoder kind consumes (after the embeddings). */
const ENCODER_OUTPUTS_NEEDED: Record<DecoderKind, number> = {
  'box-only': 1,
  'transformers-js': 2,
  sam: 1,
};

/** Stable code of every manifest problem; also the i18n key of its message. */
export type ModelManifestErrorCode = 'model-manifest-invalid';

/** A manifest failed validation; `problems` lists each bad field. */
export class ModelManifestError extends Error {
  override readonly name = 'ModelManifestError';
  readonly code: ModelManifestErrorCode = 'model-manifest-invalid';

  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}: ${problems.join('; ')}`);
  }
}

// strictRequired is off only because a discriminated union requires its tag at the
// top and defines it in each branch, which that rule cannot see
const ajv = new Ajv({ allErrors: true, discriminator: true, strict: true, strictRequired: false });
const validateSchema = ajv.compile(modelManifestSchema);

/** One ajv error as "<field> <what is wrong>", the field always named. */
function describeSchemaError(error: ErrorObject): string {
  const at = error.instancePath === '' ? '/' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${joinPointer(error.instancePath, String(params.missingProperty))} is required`;
    case 'additionalProperties':
      return `${joinPointer(error.instancePath, String(params.additionalProperty))} is not allowed`;
    case 'enum':
      return `${at} must be one of ${JSON.stringify(params.allowedValues)}`;
    case 'const':
      return `${at} must be ${JSON.stringify(params.allowedValue)}`;
    case 'discriminator':
      return `${joinPointer(error.instancePath, String(params.tag))} is missing or unknown`;
    default:
      return `${at} ${error.message ?? 'is invalid'}`;
  }
}

function joinPointer(base: string, key: string): string {
  // JSON pointer escaping (RFC 6901) keeps odd keys unambiguous
  return `${base}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Rules across fields, on a manifest that already fits the schema. */
function findSemanticProblems(manifest: ModelManifest): string[] {
  const problems: string[] = [];
  const { decoder, encoder } = manifest;
  for (const role of DECODER_INPUT_ROLES[decoder.kind]) {
    if (decoder.inputNames[role] === undefined) {
      problems.push(`/decoder/inputNames/${role} is required for a '${decoder.kind}' decoder`);
    }
  }
  const masks = DECODER_MASK_COUNT[decoder.kind];
  if (decoder.maskToken >= masks) {
    problems.push(
      `/decoder/maskToken must be below ${masks}: a '${decoder.kind}' decoder outputs ${masks} mask(s)`,
    );
  }
  const outputs = ENCODER_OUTPUTS_NEEDED[decoder.kind];
  if (encoder.outputNames.length < outputs) {
    problems.push(`/encoder/outputNames must list ${outputs} outputs for a '${decoder.kind}' decoder`);
  }
  return problems;
}

/**
 * Validates parsed JSON as a model manifest.
 * @param json the parsed file (`JSON.parse` output), untrusted
 * @param source where it came from (path or URL), put in front of every message
 * @throws {ModelManifestError} code `model-manifest-invalid`, naming each bad field
 * @example parseModelManifest(await response.json(), '/models/lite-medsam/manifest.json')
 */
export function parseModelManifest(json: unknown, source: string): ModelManifest {
  if (!validateSchema(json)) {
    const errors = validateSchema.errors ?? [];
    throw new ModelManifestError(source, dedupe(errors.map(describeSchemaError)));
  }
  const problems = findSemanticProblems(json);
  if (problems.length > 0) throw new ModelManifestError(source, problems);
  return json;
}

function dedupe(messages: string[]): string[] {
  return [...new Set(messages)];
}
