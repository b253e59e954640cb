/**
 * `npm start` after the build: reads the settings, starts the stack, prints the
 * one URL to open, and stops everything it started on Ctrl-C.
 */
import path from 'node:path';
import { describeServerConfig, loadServerConfig } from './config';
import { ServerError, logToStdout } from './serverError';
import { startStack } from './startStack';

export async function main(paths: { repoRoot: string; viewerRoot: string; bundlesRoot: string }): Promise<void> {
  const config = loadServerConfig({ baseDir: paths.repoRoot });
  for (const line of describeServerConfig(config)) logToStdout(line);
  const stack = await startStack(config, {
    ...paths,
    sharedDataDir: path.resolve(paths.repoRoot, '..', 'shared', 'data'),
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logToStdout(`${signal}: stopping the server and Orthanc...`);
    await stack.stop();
    logToStdout('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  console.log(`\nMedSAM for OHIF is ready: open ${stack.url}/\n`);
}

export function reportStartFailure(error: unknown): never {
  if (error instanceof ServerError) {
    console.error(`Cannot start: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
}
