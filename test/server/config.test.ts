import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describeServerConfig, loadServerConfig, withPacs } from '../../server/src/config';
import { DEFAULT_SETTINGS, SETTINGS } from '../../server/src/configSchema';
import { ServerError } from '../../server/src/serverError';

const repoRoot = path.resolve(__dirname, '../..');
const URL_RULE = 'an http(s) URL without user:password@, query or fragment';

function errorOf(run: () => unknown): ServerError {
  try {
    run();
  } catch (error) {
    if (error instanceof ServerError) return error;
    throw error;
  }
  throw new Error('expected a ServerError');
}

describe('loadServerConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'medsam-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function writeSettings(data: unknown): string {
    const file = path.join(dir, 'server.json');
    writeFileSync(file, JSON.stringify(data));
    return file;
  }

  it('ships config/server.json equal to the built-in defaults', () => {
    const shipped = JSON.parse(readFileSync(path.join(repoRoot, 'config/server.json'), 'utf8'));
    expect(shipped).toEqual(DEFAULT_SETTINGS);
  });

  it('gives the defaults, with folders resolved against baseDir', () => {
    const config = loadServerConfig({ baseDir: dir, env: {} });
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8000);
    expect(config.dataDir).toBe(path.join(dir, '.var'));
    expect(config.orthanc.storageDir).toBe(path.join(dir, '.var', 'orthanc'));
    expect(config.orthanc.dicomPort).toBeNull();
    expect(config.pacs).toEqual({
      url: null,
      wadoUriUrl: null,
      authorization: null,
      preserveHost: true,
      timeoutSeconds: 600,
    });
  });

  it('lets the file override the defaults and the environment override the file', () => {
    const file = writeSettings({ port: 9001, orthanc: { httpPort: 9042 } });
    const config = loadServerConfig({
      file,
      baseDir: dir,
      env: {
        MEDSAM_PORT: '9002',
        MEDSAM_HOST: '0.0.0.0',
        MEDSAM_ORTHANC_DICOM_PORT: '4242',
        MEDSAM_DATA_DIR: '/srv/medsam',
        MEDSAM_PACS_PRESERVE_HOST: 'false',
      },
    });
    expect(config.port).toBe(9002);
    expect(config.host).toBe('0.0.0.0');
    expect(config.orthanc.httpPort).toBe(9042);
    expect(config.orthanc.dicomPort).toBe(4242);
    expect(config.dataDir).toBe('/srv/medsam');
    expect(config.pacs.preserveHost).toBe(false);
  });

  it('treats an empty environment variable as unset', () => {
    const config = loadServerConfig({ baseDir: dir, env: { MEDSAM_PORT: '', MEDSAM_PACS_URL: '' } });
    expect(config.port).toBe(8000);
    expect(config.pacs.url).toBeNull();
  });

  it('names the variable and the bad value', () => {
    const error = errorOf(() => loadServerConfig({ baseDir: dir, env: { MEDSAM_PORT: 'abc' } }));
    expect(error.code).toBe('bad-config');
    expect(error.message).toContain("MEDSAM_PORT: must be an integer 1-65535, got 'abc'");
  });

  it('reports every bad value at once, from the environment and the file', () => {
    const file = writeSettings({ orthanc: { httpPort: 70000 }, pacs: { preserveHost: 'yes' } });
    const error = errorOf(() =>
      loadServerConfig({
        file,
        baseDir: dir,
        env: {
          MEDSAM_ORTHANC_DICOM_PORT: '0',
          MEDSAM_PACS_URL: 'ftp://pacs.example.org/dicom-web',
          MEDSAM_PACS_TIMEOUT_S: '1.5',
        },
      }),
    );
    expect(error.message).toContain('MEDSAM_ORTHANC_DICOM_PORT: must be an integer 1-65535, got 0');
    expect(error.message).toContain(
      "MEDSAM_PACS_URL: must be an http(s) URL without user:password@, query or fragment, got 'ftp://pacs.example.org/dicom-web'",
    );
    expect(error.message).toContain("MEDSAM_PACS_TIMEOUT_S: must be an integer 1-3600, got '1.5'");
    expect(error.message).toContain('server.json orthanc.httpPort: must be an integer 1-65535, got 70000');
    expect(error.message).toContain("server.json pacs.preserveHost: must be true or false, got 'yes'");
  });

  it('refuses credentials inside the PACS URL', () => {
    const error = errorOf(() =>
      loadServerConfig({ baseDir: dir, env: { MEDSAM_PACS_URL: 'https://u:p@pacs.example.org/dicom-web' } }),
    );
    expect(error.message).toMatch(/^ {2}MEDSAM_PACS_URL: must be an http\(s\) URL without user:password@/m);
  });

  it.each([
    ['valid', 'https://u:p4ssw0rd-9@pacs.example.org/dicom-web', 'https://***@pacs.example.org/dicom-web'],
    ['unparsable', 'https://u:p4ssw0rd-9@host:bad', 'https://***@host:bad'],
    ['scheme-less', 'u:p4ssw0rd-9@host/dicom-web', '***@host/dicom-web'],
  ])('masks the credentials of a refused %s URL, from the environment and the file', (_, url, shown) => {
    const fromEnv = errorOf(() =>
      loadServerConfig({ baseDir: dir, env: { MEDSAM_PACS_URL: url, MEDSAM_PACS_WADO_URI_URL: url } }),
    );
    const file = writeSettings({ pacs: { url, wadoUriUrl: url } });
    const fromFile = errorOf(() => loadServerConfig({ file, baseDir: dir, env: {} }));
    for (const error of [fromEnv, fromFile]) {
      expect(error.message).not.toContain('p4ssw0rd-9');
      expect(error.message).toContain(`got '${shown}'`);
    }
    expect(fromEnv.message).toContain(`MEDSAM_PACS_URL: must be ${URL_RULE}, got '${shown}'`);
    expect(fromEnv.message).toContain(`MEDSAM_PACS_WADO_URI_URL: must be ${URL_RULE}, got '${shown}'`);
    expect(fromFile.message).toContain(`server.json pacs.wadoUriUrl: must be ${URL_RULE}, got '${shown}'`);
  });

  it('quotes no part of a broken settings file, which may hold a password', () => {
    const file = path.join(dir, 'server.json');
    writeFileSync(file, '{"pacs": {"password": hunter2}}');
    const error = errorOf(() => loadServerConfig({ file, baseDir: dir, env: {} }));
    // V8 quotes a long file in part (`..."ssword": hunter2}}"`), a short one whole.
    expect(error.message).toMatch(/server\.json: not valid JSON \(Unexpected token\)$/);
    expect(error.message).not.toContain('unter2');
    writeFileSync(file, '{"p":s3}');
    const short = errorOf(() => loadServerConfig({ file, baseDir: dir, env: {} }));
    expect(short.message).toMatch(/server\.json: not valid JSON \(Unexpected token\)$/);
    // Messages with a position and no quote stay as V8 wrote them.
    writeFileSync(file, '{"port": 1,}');
    const withPosition = errorOf(() => loadServerConfig({ file, baseDir: dir, env: {} }));
    expect(withPosition.message).toMatch(/not valid JSON \(.* in JSON at position 11\)$/);
  });

  it('masks URL credentials in the start-up lines', () => {
    const config = withPacs(loadServerConfig({ baseDir: dir, env: {} }), {
      dicomWebUrl: 'https://u:p4ssw0rd-9@pacs.example.org/dicom-web',
      wadoUriUrl: 'https://u:p4ssw0rd-9@pacs.example.org/wado',
    });
    const lines = describeServerConfig(config);
    expect(lines).toContain('PACS https://***@pacs.example.org/dicom-web');
    expect(lines).toContain('WADO-URI https://***@pacs.example.org/wado');
    expect(lines.join('\n')).not.toContain('p4ssw0rd-9');
  });

  it('names unknown settings in the file', () => {
    const file = writeSettings({ prot: 1, pacs: { ur: 'x' } });
    const error = errorOf(() => loadServerConfig({ file, baseDir: dir, env: {} }));
    expect(error.message).toContain("server.json: unknown setting 'prot'");
    expect(error.message).toContain("server.json: unknown setting 'pacs.ur'");
  });

  it('fails clearly on a missing or broken file that was asked for', () => {
    expect(errorOf(() => loadServerConfig({ file: path.join(dir, 'none.json'), env: {} })).message).toMatch(
      /none\.json: settings file not found/,
    );
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{ "port": ');
    expect(errorOf(() => loadServerConfig({ file: broken, env: {} })).message).toMatch(
      /broken\.json: not valid JSON/,
    );
  });

  it('builds a basic Authorization value from user and password', () => {
    const config = loadServerConfig({
      baseDir: dir,
      env: {
        MEDSAM_PACS_URL: 'https://pacs.example.org/dicom-web/',
        MEDSAM_PACS_USER: 'alice',
        MEDSAM_PACS_PASSWORD: 's3cret',
      },
    });
    expect(config.pacs.url).toBe('https://pacs.example.org/dicom-web');
    expect(config.pacs.authorization).toBe(`Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
    expect(describeServerConfig(config).join('\n')).not.toContain(config.pacs.authorization);
  });

  it('takes a whole Authorization value', () => {
    const config = loadServerConfig({
      baseDir: dir,
      env: { MEDSAM_PACS_URL: 'http://pacs:8080/rs', MEDSAM_PACS_AUTHORIZATION: 'Bearer abc.def' },
    });
    expect(config.pacs.authorization).toBe('Bearer abc.def');
  });

  it('refuses half or double credentials, and credentials without a PACS URL', () => {
    const url = 'https://pacs.example.org/dicom-web';
    expect(
      errorOf(() => loadServerConfig({ baseDir: dir, env: { MEDSAM_PACS_URL: url, MEDSAM_PACS_USER: 'a' } }))
        .message,
    ).toContain('MEDSAM_PACS_USER and MEDSAM_PACS_PASSWORD: set both or neither');
    const both = {
      MEDSAM_PACS_URL: url,
      MEDSAM_PACS_USER: 'a',
      MEDSAM_PACS_PASSWORD: 'b',
      MEDSAM_PACS_AUTHORIZATION: 'Bearer x',
    };
    expect(errorOf(() => loadServerConfig({ baseDir: dir, env: both })).message).toContain('not both');
    expect(
      errorOf(() => loadServerConfig({ baseDir: dir, env: { MEDSAM_PACS_USER: 'a', MEDSAM_PACS_PASSWORD: 'b' } }))
        .message,
    ).toContain('MEDSAM_PACS_URL');
  });

  it('never echoes a secret in an error', () => {
    const file = writeSettings({ pacs: { url: 'http://p/rs', authorization: 42 } });
    const error = errorOf(() => loadServerConfig({ file, baseDir: dir, env: {} }));
    expect(error.message).toContain('pacs.authorization: must be');
    expect(error.message).toContain('a number (hidden)');
    expect(error.message).not.toContain('42');
  });

  it('documents every setting in config/README.md', () => {
    const readme = readFileSync(path.join(repoRoot, 'config/README.md'), 'utf8');
    for (const spec of SETTINGS) {
      expect(readme).toContain(spec.env);
      expect(readme).toContain(spec.path.join('.'));
    }
  });

  it('points the configuration at a started PACS', () => {
    const config = withPacs(loadServerConfig({ baseDir: dir, env: {} }), {
      dicomWebUrl: 'http://127.0.0.1:8042/dicom-web/',
      wadoUriUrl: 'http://127.0.0.1:8042/wado',
    });
    expect(config.pacs.url).toBe('http://127.0.0.1:8042/dicom-web');
    expect(config.pacs.wadoUriUrl).toBe('http://127.0.0.1:8042/wado');
  });
});
