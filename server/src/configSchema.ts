/**
 * The settings of the local server: their shape in `config/server.json`, the
 * environment variable that overrides each one, and the ajv schema that checks
 * them. One table, so the file, the environment and the error messages never
 * disagree about a setting's name or its allowed values.
 */
import type { SchemaObject } from 'ajv';

/** The settings exactly as `config/server.json` spells them. */
export interface ServerSettings {
  host: string;
  port: number;
  dataDir: string;
  pacs: {
    url: string | null;
    wadoUriUrl: string | null;
    user: string | null;
    password: string | null;
    authorization: string | null;
    preserveHost: boolean;
    timeoutSeconds: number;
  };
  orthanc: {
    httpPort: number;
    dicomPort: number | null;
    startupTimeoutSeconds: number;
  };
}

/** How a setting's value is read from an environment variable. */
export type SettingKind = 'text' | 'port' | 'url' | 'boolean' | 'seconds';

export interface SettingSpec {
  /** Path in ServerSettings, e.g. ['pacs', 'url']. */
  path: readonly string[];
  /** The environment variable that overrides it. */
  env: string;
  kind: SettingKind;
  /** Completes "must be ...", for error messages and the README. */
  expectation: string;
  /** A secret is never echoed in an error message. */
  secret?: boolean;
}

const PORT = 'an integer 1-65535';
const URL_RULE = 'an http(s) URL without user:password@, query or fragment';

/** Every setting, with its environment variable. */
export const SETTINGS: readonly SettingSpec[] = [
  { path: ['host'], env: 'MEDSAM_HOST', kind: 'text', expectation: 'a host name or IP address' },
  { path: ['port'], env: 'MEDSAM_PORT', kind: 'port', expectation: PORT },
  { path: ['dataDir'], env: 'MEDSAM_DATA_DIR', kind: 'text', expectation: 'a non-empty path' },
  { path: ['pacs', 'url'], env: 'MEDSAM_PACS_URL', kind: 'url', expectation: URL_RULE },
  {
    path: ['pacs', 'wadoUriUrl'],
    env: 'MEDSAM_PACS_WADO_URI_URL',
    kind: 'url',
    expectation: URL_RULE,
  },
  { path: ['pacs', 'user'], env: 'MEDSAM_PACS_USER', kind: 'text', expectation: 'a user name' },
  {
    path: ['pacs', 'password'],
    env: 'MEDSAM_PACS_PASSWORD',
    kind: 'text',
    expectation: 'a password',
    secret: true,
  },
  {
    path: ['pacs', 'authorization'],
    env: 'MEDSAM_PACS_AUTHORIZATION',
    kind: 'text',
    expectation: 'a whole Authorization header value, e.g. "Bearer <token>"',
    secret: true,
  },
  {
    path: ['pacs', 'preserveHost'],
    env: 'MEDSAM_PACS_PRESERVE_HOST',
    kind: 'boolean',
    expectation: 'true or false',
  },
  {
    path: ['pacs', 'timeoutSeconds'],
    env: 'MEDSAM_PACS_TIMEOUT_S',
    kind: 'seconds',
    expectation: 'an integer 1-3600',
  },
  {
    path: ['orthanc', 'httpPort'],
    env: 'MEDSAM_ORTHANC_HTTP_PORT',
    kind: 'port',
    expectation: PORT,
  },
  {
    path: ['orthanc', 'dicomPort'],
    env: 'MEDSAM_ORTHANC_DICOM_PORT',
    kind: 'port',
    expectation: PORT,
  },
  {
    path: ['orthanc', 'startupTimeoutSeconds'],
    env: 'MEDSAM_ORTHANC_STARTUP_TIMEOUT_S',
    kind: 'seconds',
    expectation: 'an integer 1-3600',
  },
];

/** The defaults; `config/server.json` repeats them (a test keeps the two equal). */
export const DEFAULT_SETTINGS: ServerSettings = {
  host: '127.0.0.1',
  port: 8000,
  dataDir: '.var',
  pacs: {
    url: null,
    wadoUriUrl: null,
    user: null,
    password: null,
    authorization: null,
    preserveHost: true,
    timeoutSeconds: 600,
  },
  orthanc: { httpPort: 8042, dicomPort: null, startupTimeoutSeconds: 60 },
};

/** Name of the ajv format that `isPlainHttpUrl` implements. */
export const HTTP_URL_FORMAT = 'plain-http-url';

/**
 * True for an absolute http(s) URL that carries no credentials, query or
 * fragment: credentials belong in their own settings (so they are never logged
 * as part of a URL), and the proxy appends the browser's own path and query.
 */
export function isPlainHttpUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.username === '' &&
    url.password === '' &&
    url.search === '' &&
    url.hash === '' &&
    !value.includes('?') &&
    !value.includes('#')
  );
}

const port = { type: 'integer', minimum: 1, maximum: 65535 } as const;
const seconds = { type: 'integer', minimum: 1, maximum: 3600 } as const;
const nullableText = { type: 'string', minLength: 1, nullable: true } as const;
const nullableUrl = { type: 'string', format: HTTP_URL_FORMAT, nullable: true } as const;

/**
 * Schema of the merged settings (the shape of ServerSettings); every object is
 * closed, so typos are caught. Typed as SchemaObject because ajv's
 * JSONSchemaType rejects required `string | null` members.
 */
export const SETTINGS_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['host', 'port', 'dataDir', 'pacs', 'orthanc'],
  properties: {
    host: { type: 'string', pattern: '^[A-Za-z0-9.:\\[\\]-]+$' },
    port,
    dataDir: { type: 'string', minLength: 1 },
    pacs: {
      type: 'object',
      additionalProperties: false,
      required: [
        'url',
        'wadoUriUrl',
        'user',
        'password',
        'authorization',
        'preserveHost',
        'timeoutSeconds',
      ],
      properties: {
        url: nullableUrl,
        wadoUriUrl: nullableUrl,
        user: nullableText,
        password: nullableText,
        authorization: nullableText,
        preserveHost: { type: 'boolean' },
        timeoutSeconds: seconds,
      },
    },
    orthanc: {
      type: 'object',
      additionalProperties: false,
      required: ['httpPort', 'dicomPort', 'startupTimeoutSeconds'],
      properties: {
        httpPort: port,
        dicomPort: { ...port, nullable: true },
        startupTimeoutSeconds: seconds,
      },
    },
  },
};
