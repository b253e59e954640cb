/**
 * Loads the server's settings: built-in defaults, then `config/server.json`, then
 * environment variables, checked with ajv. Every error names the variable or the
 * file entry at fault and the value it got (secrets hidden, URL credentials masked).
 */
import Ajv, { type ErrorObject } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import {
  DEFAULT_SETTINGS,
  HTTP_URL_FORMAT,
  SETTINGS,
  SETTINGS_SCHEMA,
  isPlainHttpUrl,
  type ServerSettings,
  type SettingSpec,
} from './configSchema';
import { maskUrlCredentials } from './net/maskUrlCredentials';
import { ServerError } from './serverError';

/** Where and how the proxy reaches the PACS. */
export interface PacsTarget {
  /** DICOMweb root (QIDO/WADO-RS/STOW-RS), no trailing slash; null: our own Orthanc. */
  url: string | null;
  /** WADO-URI endpoint; null: `/wado` is not proxied. */
  wadoUriUrl: string | null;
  /** Authorization header value the proxy adds; never sent to the browser. */
  authorization: string | null;
  /** Pass the browser's Host header to the PACS (see config/README.md). */
  preserveHost: boolean;
  timeoutSeconds: number;
}

export interface ServerConfig {
  host: string;
  port: number;
  /** Absolute folder for everything the server writes. */
  dataDir: string;
  pacs: PacsTarget;
  orthanc: {
    httpPort: number;
    /** DICOM (DIMSE) port; null keeps Orthanc's DICOM server off. */
    dicomPort: number | null;
    startupTimeoutSeconds: number;
    /** Absolute folder of Orthanc's database, configuration and log. */
    storageDir: string;
  };
}

export interface LoadServerConfigOptions {
  /** Settings file; default `<baseDir>/config/server.json` (skipped if absent). */
  file?: string;
  /** Environment; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Folder that relative paths start from; default `process.cwd()`. */
  baseDir?: string;
}

/** Relative location of the settings file in the repository. */
export const DEFAULT_CONFIG_FILE = path.join('config', 'server.json');

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pointerOf(spec: SettingSpec): string {
  return `/${spec.path.join('/')}`;
}

/**
 * V8's JSON.parse message, without the piece of the file it quotes for some
 * errors (`Unexpected token 'x', ..."..."... is not valid JSON`), token included:
 * the file may hold a password or a PACS URL with credentials.
 */
function describeJsonError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '')
    .replace(/^Unexpected token '.*'$/s, 'Unexpected token');
}

function readSettingsFile(file: string, required: boolean): Json {
  if (!existsSync(file)) {
    if (required) throw new ServerError('bad-config', `${file}: settings file not found`);
    return {};
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ServerError('bad-config', `${file}: not valid JSON (${describeJsonError(error)})`, {
      cause: error,
    });
  }
  if (!isObject(data)) throw new ServerError('bad-config', `${file}: must hold a JSON object`);
  return data;
}

/** Deep merge of the file over the defaults; unknown keys are kept for ajv to name. */
function mergeOver(defaults: Json, override: Json): Json {
  const merged: Json = { ...defaults };
  for (const [key, value] of Object.entries(override)) {
    const base = defaults[key];
    merged[key] = isObject(base) && isObject(value) ? mergeOver(base, value) : value;
  }
  return merged;
}

/** Turns an environment string into the setting's JSON type when it parses. */
function coerceEnv(kind: SettingSpec['kind'], raw: string): unknown {
  if ((kind === 'port' || kind === 'seconds') && /^[0-9]+$/.test(raw)) return Number(raw);
  if (kind === 'boolean') {
    if (/^(true|1|yes|on)$/i.test(raw)) return true;
    if (/^(false|0|no|off)$/i.test(raw)) return false;
  }
  return raw;
}

function getAt(root: Json, keys: readonly string[]): unknown {
  let node: unknown = root;
  for (const key of keys) node = isObject(node) ? node[key] : undefined;
  return node;
}

function setAt(root: Json, keys: readonly string[], value: unknown): void {
  let node = root;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (!isObject(next)) return; // a broken file structure; ajv reports it
    node = next;
  }
  node[keys[keys.length - 1] as string] = value;
}

function showValue(value: unknown, spec: SettingSpec): string {
  if (spec.secret && value !== '') return `a ${typeof value} (hidden)`;
  if (typeof value !== 'string') return JSON.stringify(value);
  // A URL refused for carrying user:password@ must not print the password.
  return `'${spec.kind === 'url' ? maskUrlCredentials(value) : value}'`;
}

function describeAjvErrors(
  errors: ErrorObject[],
  merged: Json,
  sources: Map<string, string>,
  fileLabel: string,
): string[] {
  const lines = new Map<string, string>();
  for (const error of errors) {
    if (error.keyword === 'additionalProperties') {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const where = `${error.instancePath}/${key}`;
      lines.set(where, `${fileLabel}: unknown setting '${where.slice(1).replace(/\//g, '.')}'`);
      continue;
    }
    const pointer = error.instancePath;
    if (lines.has(pointer)) continue;
    const spec = SETTINGS.find((s) => pointerOf(s) === pointer);
    const source = sources.get(pointer) ?? `${fileLabel} ${pointer.slice(1).replace(/\//g, '.')}`;
    if (!spec) {
      lines.set(pointer, `${source}: ${error.message ?? 'invalid'}`);
      continue;
    }
    const value = getAt(merged, spec.path);
    lines.set(
      pointer,
      `${source}: must be ${spec.expectation}, got ${showValue(value, spec)}`,
    );
  }
  return [...lines.values()];
}

function validateSettings(merged: Json, sources: Map<string, string>, fileLabel: string) {
  const ajv = new Ajv({ allErrors: true, strict: true });
  ajv.addFormat(HTTP_URL_FORMAT, isPlainHttpUrl);
  const validate = ajv.compile<ServerSettings>(SETTINGS_SCHEMA);
  if (validate(merged)) return merged;
  const lines = describeAjvErrors(validate.errors ?? [], merged, sources, fileLabel);
  throw new ServerError('bad-config', `Invalid settings:\n  ${lines.join('\n  ')}`);
}

/** Checks that concern two settings at once and builds the Authorization value. */
function resolveAuthorization(pacs: ServerSettings['pacs']): string | null {
  const problems: string[] = [];
  const { user, password, authorization } = pacs;
  if ((user === null) !== (password === null)) {
    problems.push('MEDSAM_PACS_USER and MEDSAM_PACS_PASSWORD: set both or neither');
  }
  if (user !== null && user.includes(':')) {
    problems.push("MEDSAM_PACS_USER: must not contain ':' (HTTP basic authentication)");
  }
  if (authorization !== null && user !== null) {
    problems.push('MEDSAM_PACS_AUTHORIZATION: set it or MEDSAM_PACS_USER/PASSWORD, not both');
  }
  if (authorization !== null && /[\r\n\0]/.test(authorization)) {
    problems.push('MEDSAM_PACS_AUTHORIZATION: must be one line');
  }
  const hasCredentials = authorization !== null || user !== null;
  if (pacs.url === null && (hasCredentials || pacs.wadoUriUrl !== null)) {
    problems.push(
      'MEDSAM_PACS_URL: credentials or a WADO-URI URL were given for an external PACS ' +
        'but no PACS URL (without one the server starts its own Orthanc)',
    );
  }
  if (problems.length > 0) {
    throw new ServerError('bad-config', `Invalid settings:\n  ${problems.join('\n  ')}`);
  }
  if (authorization !== null) return authorization;
  if (user !== null && password !== null) {
    return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
  }
  return null;
}

/**
 * Reads the settings: defaults < settings file < environment. An empty
 * environment variable counts as unset.
 * @throws {ServerError} `bad-config`, naming every bad value at once.
 */
export function loadServerConfig(options: LoadServerConfigOptions = {}): ServerConfig {
  const baseDir = path.resolve(options.baseDir ?? process.cwd());
  const env = options.env ?? process.env;
  const file = path.resolve(baseDir, options.file ?? DEFAULT_CONFIG_FILE);
  const fileData = readSettingsFile(file, options.file !== undefined);
  // A deep copy: the environment is written into `merged`, never into the defaults.
  const merged = mergeOver(structuredClone(DEFAULT_SETTINGS) as unknown as Json, fileData);

  const sources = new Map<string, string>();
  for (const spec of SETTINGS) {
    const raw = env[spec.env];
    if (raw === undefined || raw === '') continue;
    setAt(merged, spec.path, coerceEnv(spec.kind, raw));
    sources.set(pointerOf(spec), spec.env);
  }

  const settings = validateSettings(merged, sources, path.relative(baseDir, file) || file);
  const authorization = resolveAuthorization(settings.pacs);
  const dataDir = path.resolve(baseDir, settings.dataDir);
  return {
    host: settings.host,
    port: settings.port,
    dataDir,
    pacs: {
      url: settings.pacs.url?.replace(/\/+$/, '') ?? null,
      wadoUriUrl: settings.pacs.wadoUriUrl?.replace(/\/+$/, '') ?? null,
      authorization,
      preserveHost: settings.pacs.preserveHost,
      timeoutSeconds: settings.pacs.timeoutSeconds,
    },
    orthanc: { ...settings.orthanc, storageDir: path.join(dataDir, 'orthanc') },
  };
}

/** The configuration with the PACS set to a started Orthanc (or any DICOMweb server). */
export function withPacs(
  config: ServerConfig,
  target: { dicomWebUrl: string; wadoUriUrl: string | null },
): ServerConfig {
  return {
    ...config,
    pacs: {
      ...config.pacs,
      url: target.dicomWebUrl.replace(/\/+$/, ''),
      wadoUriUrl: target.wadoUriUrl,
    },
  };
}

/**
 * One line per setting for the start-up log, with the credentials masked: the
 * Authorization value is never shown, and a URL's userinfo (possible through
 * withPacs, which does not validate) is replaced by `***`.
 */
export function describeServerConfig(config: ServerConfig): string[] {
  const { url, wadoUriUrl, authorization } = config.pacs;
  return [
    `viewer address http://${config.host}:${config.port}`,
    `data folder ${config.dataDir}`,
    `PACS ${url === null ? '(local Orthanc, not started yet)' : maskUrlCredentials(url)}` +
      (authorization ? ' with credentials (hidden)' : ''),
    `WADO-URI ${wadoUriUrl === null ? 'not proxied' : maskUrlCredentials(wadoUriUrl)}`,
  ];
}
