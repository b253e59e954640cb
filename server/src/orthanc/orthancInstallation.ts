/**
 * Finds the Debian Orthanc and its DICOMweb plugin, and installs them when they
 * are missing and we may (root). Only Debian's packages are supported: the
 * configuration names the plugin by its Debian path.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';

import { ServerError, type LogLine } from '../serverError';

/** Where Debian's `orthanc` package puts the server. */
export const DEBIAN_ORTHANC_EXECUTABLE = '/usr/sbin/Orthanc';
/** Where Debian's `orthanc-dicomweb` package puts the plugin. */
export const DEBIAN_DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';
/** The one command a user without root runs. */
export const INSTALL_COMMAND = 'sudo apt-get install -y orthanc orthanc-dicomweb';

/** Debian's hook that tells maintainer scripts not to start services. */
const POLICY_RC_D = '/usr/sbin/policy-rc.d';
/** policy-rc.d exit status meaning "action forbidden". */
const POLICY_FORBID = 101;

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The Orthanc executable: first on PATH, then Debian's /usr/sbin; null if neither. */
export function findOrthancExecutable(envPath: string = process.env.PATH ?? ''): string | null {
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'Orthanc');
    if (isExecutable(candidate)) return candidate;
  }
  return isExecutable(DEBIAN_ORTHANC_EXECUTABLE) ? DEBIAN_ORTHANC_EXECUTABLE : null;
}

export interface OrthancInstallation {
  executable: string;
  dicomWebPlugin: string;
}

/** What ensureOrthancInstalled may do; tests replace the parts that touch the system. */
export interface InstallEnvironment {
  findExecutable: () => string | null;
  pluginExists: () => boolean;
  isRoot: () => boolean;
  /** Runs apt-get; throws on failure. */
  aptInstall: (log: LogLine) => void;
}

function runApt(args: string[], log: LogLine): void {
  log(`apt-get ${args.join(' ')}`);
  const result = spawnSync('apt-get', args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0) {
    const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-10);
    throw new ServerError(
      'orthanc-install-failed',
      `apt-get ${args.join(' ')} failed (exit ${result.status ?? result.signal}):\n` +
        `  ${tail.join('\n  ')}`,
      { cause: result.error },
    );
  }
}

/**
 * Installs orthanc and orthanc-dicomweb without starting Debian's own Orthanc
 * service: a temporary policy-rc.d forbids service starts during the install
 * (our Orthanc runs with our configuration, never the stock one).
 */
function aptInstallOrthanc(log: LogLine): void {
  const ownPolicy = !existsSync(POLICY_RC_D);
  if (ownPolicy) writeFileSync(POLICY_RC_D, `#!/bin/sh\nexit ${POLICY_FORBID}\n`, { mode: 0o755 });
  try {
    runApt(['update'], log);
    runApt(['install', '-y', '--no-install-recommends', 'orthanc', 'orthanc-dicomweb'], log);
  } finally {
    if (ownPolicy) rmSync(POLICY_RC_D, { force: true });
  }
}

const systemEnvironment: InstallEnvironment = {
  findExecutable: () => findOrthancExecutable(),
  pluginExists: () => existsSync(DEBIAN_DICOMWEB_PLUGIN),
  isRoot: () => typeof process.getuid === 'function' && process.getuid() === 0,
  aptInstall: aptInstallOrthanc,
};

/**
 * Makes sure Orthanc and its DICOMweb plugin are installed. As root, installs
 * the Debian packages when either is missing; otherwise throws with the command.
 * @throws {ServerError} `orthanc-not-installed` (not root), `orthanc-install-failed`
 */
export function ensureOrthancInstalled(
  options: { log?: LogLine; environment?: Partial<InstallEnvironment> } = {},
): OrthancInstallation {
  const env = { ...systemEnvironment, ...options.environment };
  const log = options.log ?? (() => undefined);
  const missing = (): string[] => [
    ...(env.findExecutable() === null ? ['Orthanc (package orthanc)'] : []),
    ...(env.pluginExists() ? [] : [`${DEBIAN_DICOMWEB_PLUGIN} (package orthanc-dicomweb)`]),
  ];
  const absent = missing();
  if (absent.length > 0) {
    if (!env.isRoot()) {
      throw new ServerError(
        'orthanc-not-installed',
        `Missing: ${absent.join(', ')}. Install them with: ${INSTALL_COMMAND}`,
      );
    }
    log(`Missing: ${absent.join(', ')}; installing them with apt-get`);
    env.aptInstall(log);
  }
  const executable = env.findExecutable();
  const stillAbsent = missing();
  if (executable === null || stillAbsent.length > 0) {
    throw new ServerError(
      'orthanc-install-failed',
      `Still missing after apt-get: ${stillAbsent.join(', ')}`,
    );
  }
  return { executable, dicomWebPlugin: DEBIAN_DICOMWEB_PLUGIN };
}
