/**
 * The `load studies` command: argument parsing and printing around
 * loadStudies. Kept apart from the entry file so tests can run it in-process.
 *
 *   loadStudies [--pacs <DICOMweb root>] [--batch <n>] <file or folder>...
 *
 * Without --pacs: MEDSAM_PACS_URL, else the local Orthanc of the settings
 * (http://127.0.0.1:<orthanc.httpPort>/dicom-web). The settings' credentials are
 * used only for the settings' own PACS URL.
 */
import { loadServerConfig } from '../config';
import { isPlainHttpUrl } from '../configSchema';
import { loadStudies } from '../loadStudies';
import { maskUrlCredentials } from '../net/maskUrlCredentials';
import { LOOPBACK } from '../net/ports';
import { ServerError } from '../serverError';
import { formatLoadReport } from '../studies/formatLoadReport';

export const USAGE =
  'usage: loadStudies [--pacs <DICOMweb root URL>] [--batch <files per request>] <folder>...';

export interface CommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

interface Arguments {
  pacs: string | null;
  batchSize: number | undefined;
  paths: string[];
}

function parseArguments(argv: readonly string[]): Arguments {
  const parsed: Arguments = { pacs: null, batchSize: undefined, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--pacs' || arg === '--batch') {
      const value = argv[++i];
      if (value === undefined) throw new ServerError('bad-arguments', `${arg} needs a value`);
      if (arg === '--pacs') {
        if (!isPlainHttpUrl(value)) {
          const shown = maskUrlCredentials(value);
          throw new ServerError('bad-arguments', `--pacs: not an http(s) URL: '${shown}'`);
        }
        parsed.pacs = value.replace(/\/+$/, '');
      } else {
        if (!/^[1-9][0-9]*$/.test(value)) {
          throw new ServerError('bad-arguments', `--batch: not a positive integer: '${value}'`);
        }
        parsed.batchSize = Number(value);
      }
    } else if (arg.startsWith('--')) {
      throw new ServerError('bad-arguments', `unknown option ${arg}`);
    } else parsed.paths.push(arg);
  }
  if (parsed.paths.length === 0) throw new ServerError('bad-arguments', 'no folder given');
  return parsed;
}

/**
 * Runs the command; returns the exit status: 0 all stored or present,
 * 1 some files refused, 2 the load could not run.
 */
export async function runLoadStudiesCommand(
  argv: readonly string[],
  io: CommandIo,
): Promise<number> {
  try {
    const args = parseArguments(argv);
    const config = loadServerConfig({ env: io.env ?? process.env, baseDir: io.cwd });
    const url =
      args.pacs ?? config.pacs.url ?? `http://${LOOPBACK}:${config.orthanc.httpPort}/dicom-web`;
    const authorization = url === config.pacs.url ? config.pacs.authorization : null;
    io.out(`Loading into ${maskUrlCredentials(url)}`);
    const report = await loadStudies({
      pacs: { url, authorization, timeoutMs: config.pacs.timeoutSeconds * 1000 },
      paths: args.paths,
      batchSize: args.batchSize,
      log: io.out,
    });
    for (const line of formatLoadReport(report, io.cwd)) io.out(line);
    return report.refused.length > 0 ? 1 : 0;
  } catch (error) {
    if (!(error instanceof ServerError)) throw error;
    io.err(error.message);
    if (error.code === 'bad-arguments') io.err(USAGE);
    return 2;
  }
}
