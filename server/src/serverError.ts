/**
 * The one error type the local server, the Orthanc lifecycle and the study loader
 * throw on purpose. `code` is stable: the orchestrator branches on it and prints
 * `message`, which always names the setting, file or port at fault.
 */

/**
 * - `bad-config`: a setting (file or environment variable) is missing or invalid.
 * - `bad-arguments`: a command line could not be understood.
 * - `orthanc-not-installed`: the Orthanc executable or its DICOMweb plugin is absent.
 * - `orthanc-install-failed`: installing them with apt-get failed.
 * - `orthanc-start-failed`: Orthanc exited or never answered during start-up.
 * - `orthanc-stop-failed`: Orthanc did not exit, even after SIGKILL.
 * - `port-in-use`: a TCP port we must listen on is taken.
 * - `storage-in-use`: another running Orthanc holds the storage folder.
 * - `pacs-unreachable`: the PACS did not answer a DICOMweb request.
 * - `pacs-refused`: the PACS refused a request for a reason that concerns every
 *   file alike (authentication, wrong URL, STOW not supported).
 * - `bad-path`: a folder or file given to a loader does not exist.
 */
export type ServerErrorCode =
  | 'bad-config'
  | 'bad-arguments'
  | 'orthanc-not-installed'
  | 'orthanc-install-failed'
  | 'orthanc-start-failed'
  | 'orthanc-stop-failed'
  | 'port-in-use'
  | 'storage-in-use'
  | 'pacs-unreachable'
  | 'pacs-refused'
  | 'bad-path';

export class ServerError extends Error {
  override readonly name = 'ServerError';

  constructor(
    readonly code: ServerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A function that takes one finished log line (no trailing newline). */
export type LogLine = (line: string) => void;

/** Default log sink: one line to stdout. */
export const logToStdout: LogLine = (line) => {
  process.stdout.write(`${line}\n`);
};
