import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  DEBIAN_DICOMWEB_PLUGIN,
  INSTALL_COMMAND,
  ensureOrthancInstalled,
  findOrthancExecutable,
} from '../../../server/src/orthanc/orthancInstallation';
import { ServerError } from '../../../server/src/serverError';

/** A system where apt-get "installs" by flipping the two presence flags. */
function fakeSystem(initial: { executable: boolean; plugin: boolean; root: boolean; aptWorks?: boolean }) {
  const state = { ...initial, aptRuns: 0 };
  return {
    state,
    environment: {
      findExecutable: () => (state.executable ? '/usr/sbin/Orthanc' : null),
      pluginExists: () => state.plugin,
      isRoot: () => state.root,
      aptInstall: () => {
        state.aptRuns += 1;
        if (initial.aptWorks ?? true) {
          state.executable = true;
          state.plugin = true;
        }
      },
    },
  };
}

function thrown(run: () => unknown): ServerError {
  try {
    run();
  } catch (error) {
    if (error instanceof ServerError) return error;
    throw error;
  }
  throw new Error('expected a ServerError');
}

describe('ensureOrthancInstalled', () => {
  it('does nothing when Orthanc and the plugin are there', () => {
    const { state, environment } = fakeSystem({ executable: true, plugin: true, root: true });
    expect(ensureOrthancInstalled({ environment })).toEqual({
      executable: '/usr/sbin/Orthanc',
      dicomWebPlugin: DEBIAN_DICOMWEB_PLUGIN,
    });
    expect(state.aptRuns).toBe(0);
  });

  it('without root, names what is missing and the one command, and installs nothing', () => {
    const { state, environment } = fakeSystem({ executable: true, plugin: false, root: false });
    const error = thrown(() => ensureOrthancInstalled({ environment }));
    expect(error.code).toBe('orthanc-not-installed');
    expect(error.message).toContain('orthanc-dicomweb');
    expect(error.message).toContain(INSTALL_COMMAND);
    expect(error.message).not.toContain('package orthanc)');
    expect(state.aptRuns).toBe(0);
  });

  it('as root, installs with apt-get once', () => {
    const { state, environment } = fakeSystem({ executable: false, plugin: false, root: true });
    const lines: string[] = [];
    const installation = ensureOrthancInstalled({ environment, log: (l) => lines.push(l) });
    expect(installation.executable).toBe('/usr/sbin/Orthanc');
    expect(state.aptRuns).toBe(1);
    expect(lines[0]).toMatch(/Missing: Orthanc \(package orthanc\).*installing them with apt-get/);
  });

  it('fails clearly when apt-get did not provide them', () => {
    const { environment } = fakeSystem({ executable: false, plugin: true, root: true, aptWorks: false });
    const error = thrown(() => ensureOrthancInstalled({ environment }));
    expect(error.code).toBe('orthanc-install-failed');
    expect(error.message).toContain('Still missing after apt-get: Orthanc');
  });
});

describe('findOrthancExecutable', () => {
  it('prefers an Orthanc on PATH, and skips files that are not executable', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'medsam-path-'));
    const other = mkdtempSync(path.join(tmpdir(), 'medsam-path-'));
    try {
      writeFileSync(path.join(other, 'Orthanc'), '#!/bin/sh\n');
      chmodSync(path.join(other, 'Orthanc'), 0o644);
      writeFileSync(path.join(dir, 'Orthanc'), '#!/bin/sh\n');
      chmodSync(path.join(dir, 'Orthanc'), 0o755);
      expect(findOrthancExecutable([other, dir].join(path.delimiter))).toBe(path.join(dir, 'Orthanc'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(other, { recursive: true, force: true });
    }
  });

  it("falls back to Debian's /usr/sbin/Orthanc", () => {
    // This machine has Debian's package (see ../shared/docs/ARCHITECTURE.md).
    expect(findOrthancExecutable('/nonexistent')).toBe('/usr/sbin/Orthanc');
  });
});
