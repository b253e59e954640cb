/**
 * Entry point of the study loader (bundle it with esbuild, or run it through the
 * integrator's script): `loadStudiesCli [--pacs <url>] <folder>...`.
 */
import { runLoadStudiesCommand } from './loadStudiesCommand';

runLoadStudiesCommand(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`${text}\n`);
    process.exitCode = 2;
  },
);
