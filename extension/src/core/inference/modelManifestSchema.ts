/**
 * JSON schema of `manifest.json` (see modelManifest.ts for what each field means).
 * Typed as `JSONSchemaType<ModelManifest>`, so the compiler rejects a schema that
 * drifts from the TypeScript type; the rules a schema cannot state (decoder roles
 * per kind, mask token per kind) live in parseModelManifest.ts.
 */
import type { JSONSchemaType } from 'ajv';
import type {
  DecoderSpec,
  EncoderSpec,
  IntensityPreset,
  ModelFile,
  ModelManifest,
  Normalisation,
  PropagationSpec,
  FusionSpec,
} from './modelManifest';

/** Lower-case kebab identifier: also a cache key prefix and a folder name. */
const ID_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*$';
/** Lower-case hex SHA-256. */
export const SHA256_PATTERN = '^[0-9a-f]{64}$';
/** SAM-family decoders have four mask tokens (0 for one mask, 1..3 for three). */
export const SAM_MASK_TOKEN_COUNT = 4;

const propagationSchema: JSONSchemaType<PropagationSpec> = {
  type: 'object',
  properties: {
    marginModel: { type: 'number', minimum: 0 },
    intensityDriftSd: { type: 'number', minimum: 0 },
  },
  required: ['marginModel', 'intensityDriftSd'],
  additionalProperties: false,
};

const fusionSchema: JSONSchemaType<FusionSpec> = {
  type: 'object',
  properties: {
    modalities: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
    logitWeight: { type: 'number', minimum: 0 },
    appearanceWeight: { type: 'number', minimum: 0 },
    ellipseWeight: { type: 'number', minimum: 0 },
    centreRadius: { type: 'number', exclusiveMinimum: 0 },
    ringFraction: { type: 'number', exclusiveMinimum: 0 },
  },
  required: ['modalities', 'logitWeight', 'appearanceWeight', 'ellipseWeight', 'centreRadius', 'ringFraction'],
  additionalProperties: false,
};

const modelFileSchema: JSONSchemaType<ModelFile> = {
  type: 'object',
  properties: {
    path: { type: 'string', minLength: 1 },
    size: { type: 'integer', minimum: 0 },
    sha256: { type: 'string', pattern: SHA256_PATTERN },
  },
  required: ['path', 'size', 'sha256'],
  additionalProperties: false,
};

const rgbSchema = {
  type: 'array',
  items: [{ type: 'number' }, { type: 'number' }, { type: 'number' }],
  minItems: 3,
  maxItems: 3,
} as const;

const normalisationSchema: JSONSchemaType<Normalisation> = {
  type: 'object',
  discriminator: { propertyName: 'kind' },
  required: ['kind'],
  oneOf: [
    {
      properties: { kind: { const: 'min-max' } },
      required: ['kind'],
      additionalProperties: false,
    },
    {
      properties: {
        kind: { const: 'mean-std' },
        mean: rgbSchema,
        std: { ...rgbSchema, items: [{ type: 'number', exclusiveMinimum: 0 }, { type: 'number', exclusiveMinimum: 0 }, { type: 'number', exclusiveMinimum: 0 }] },
      },
      required: ['kind', 'mean', 'std'],
      additionalProperties: false,
    },
  ],
};

const intensityPresetSchema: JSONSchemaType<IntensityPreset> = {
  type: 'object',
  discriminator: { propertyName: 'kind' },
  required: ['kind'],
  oneOf: [
    {
      properties: {
        kind: { const: 'window' },
        level: { type: 'number' },
        width: { type: 'number', exclusiveMinimum: 0 },
      },
      required: ['kind', 'level', 'width'],
      additionalProperties: false,
    },
    {
      properties: {
        kind: { const: 'percentile' },
        lower: { type: 'number', minimum: 0, maximum: 100 },
        upper: { type: 'number', minimum: 0, maximum: 100 },
      },
      required: ['kind', 'lower', 'upper'],
      additionalProperties: false,
    },
  ],
};

const encoderSchema: JSONSchemaType<EncoderSpec> = {
  type: 'object',
  properties: {
    inputName: { type: 'string', minLength: 1 },
    outputNames: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
    inputSize: { type: 'integer', minimum: 1 },
    resize: { type: 'string', enum: ['stretch', 'longest-side-pad'] },
    interpolation: { type: 'string', enum: ['bicubic-antialias', 'area', 'bilinear'] },
    normalisation: normalisationSchema,
  },
  required: ['inputName', 'outputNames', 'inputSize', 'resize', 'interpolation', 'normalisation'],
  additionalProperties: false,
};

const decoderSchema: JSONSchemaType<DecoderSpec> = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['box-only', 'sam', 'transformers-js'] },
    inputNames: {
      type: 'object',
      additionalProperties: { type: 'string', minLength: 1 },
      required: [],
    },
    outputNames: {
      type: 'object',
      properties: {
        lowResLogits: { type: 'string', minLength: 1 },
        iou: { type: 'string', minLength: 1 },
      },
      required: ['lowResLogits', 'iou'],
      additionalProperties: false,
    },
    lowResSize: { type: 'integer', minimum: 1 },
    maskToken: { type: 'integer', minimum: 0, maximum: SAM_MASK_TOKEN_COUNT - 1 },
    threshold: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    sigmoid: { type: 'string', enum: ['before-resize', 'after-resize'] },
    boxRounding: { type: 'string', enum: ['none', 'truncate'] },
  },
  required: [
    'kind',
    'inputNames',
    'outputNames',
    'lowResSize',
    'maskToken',
    'threshold',
    'sigmoid',
    'boxRounding',
  ],
  additionalProperties: false,
};

/** The whole manifest. */
export const modelManifestSchema: JSONSchemaType<ModelManifest> = {
  type: 'object',
  properties: {
    schemaVersion: { type: 'integer', const: 1 },
    id: { type: 'string', pattern: ID_PATTERN },
    displayName: { type: 'string', minLength: 1 },
    description: { type: 'string', minLength: 1 },
    family: { type: 'string', enum: ['medsam-vit-b', 'lite-medsam', 'sam', 'test'] },
    licence: { type: 'string', minLength: 1 },
    provenance: { type: 'string', minLength: 1 },
    version: { type: 'string', minLength: 1 },
    files: {
      type: 'object',
      properties: { encoder: modelFileSchema, decoder: modelFileSchema },
      required: ['encoder', 'decoder'],
      additionalProperties: false,
    },
    encoder: encoderSchema,
    decoder: decoderSchema,
    intensity: {
      type: 'object',
      properties: { default: intensityPresetSchema },
      additionalProperties: intensityPresetSchema,
      required: ['default'],
    },
    propagation: { ...propagationSchema, nullable: true },
    fusion: { ...fusionSchema, nullable: true },
  },
  required: [
    'schemaVersion',
    'id',
    'displayName',
    'description',
    'family',
    'licence',
    'provenance',
    'version',
    'files',
    'encoder',
    'decoder',
    'intensity',
  ],
  additionalProperties: false,
};
