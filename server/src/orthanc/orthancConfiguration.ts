/**
 * Builds the configuration file of the Orthanc we start, from the template in
 * config/orthanc.json plus the ports and folders of this run.
 */
import path from 'node:path';

import template from '../../../config/orthanc.json';

export interface OrthancRunSettings {
  httpPort: number;
  /** DICOM (DIMSE) port; undefined keeps Orthanc's DICOM server off. */
  dicomPort?: number;
  /** Folder holding the database (db/), the configuration and the log. */
  storageDir: string;
  /** Path of the DICOMweb plugin. */
  dicomWebPlugin: string;
}

/** Orthanc's configuration: the template's keys plus the run's, as plain JSON. */
export type OrthancConfiguration = typeof template & {
  HttpPort: number;
  DicomPort?: number;
  StorageDirectory: string;
  IndexDirectory: string;
};

/** Folder of Orthanc's database and DICOM files inside storageDir. */
export const DATABASE_FOLDER = 'db';

/**
 * The configuration for one run. It never sets `DicomWeb.Host`: the plugin then
 * builds its bulk-data URLs from each request's Host (or X-Forwarded-Host), which
 * behind our proxy is the proxy's origin.
 */
export function createOrthancConfiguration(run: OrthancRunSettings): OrthancConfiguration {
  const database = path.join(run.storageDir, DATABASE_FOLDER);
  const configuration: OrthancConfiguration = {
    ...structuredClone(template),
    HttpPort: run.httpPort,
    StorageDirectory: database,
    IndexDirectory: database,
    Plugins: [run.dicomWebPlugin],
    DicomServerEnabled: run.dicomPort !== undefined,
  };
  if (run.dicomPort !== undefined) configuration.DicomPort = run.dicomPort;
  return configuration;
}
