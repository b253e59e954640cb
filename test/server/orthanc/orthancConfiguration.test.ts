import { readFileSync } from 'node:fs';
import path from 'node:path';

import { createOrthancConfiguration } from '../../../server/src/orthanc/orthancConfiguration';
import { DEBIAN_DICOMWEB_PLUGIN } from '../../../server/src/orthanc/orthancInstallation';

const run = { httpPort: 18042, storageDir: '/data/orthanc', dicomWebPlugin: DEBIAN_DICOMWEB_PLUGIN };

describe('createOrthancConfiguration', () => {
  it('keeps Orthanc on loopback, without authentication, DICOM off, storage under storageDir', () => {
    const configuration = createOrthancConfiguration(run);
    expect(configuration.RemoteAccessAllowed).toBe(false);
    expect(configuration.AuthenticationEnabled).toBe(false);
    expect(configuration.DicomServerEnabled).toBe(false);
    expect(configuration).not.toHaveProperty('DicomPort');
    expect(configuration.HttpPort).toBe(18042);
    expect(configuration.StorageDirectory).toBe(path.join('/data/orthanc', 'db'));
    expect(configuration.IndexDirectory).toBe(path.join('/data/orthanc', 'db'));
    expect(configuration.Plugins).toEqual([DEBIAN_DICOMWEB_PLUGIN]);
  });

  it('enables DICOMweb at /dicom-web/ and WADO-URI at /wado, and never pins DicomWeb.Host', () => {
    const { DicomWeb } = createOrthancConfiguration(run);
    expect(DicomWeb).toMatchObject({
      Enable: true,
      Root: '/dicom-web/',
      EnableWado: true,
      WadoRoot: '/wado',
    });
    expect(DicomWeb).not.toHaveProperty('Host');
    const template = readFileSync(path.resolve(__dirname, '../../../config/orthanc.json'), 'utf8');
    expect(template).not.toMatch(/"Host"/);
  });

  it('turns the DICOM server on only with a DICOM port', () => {
    const configuration = createOrthancConfiguration({ ...run, dicomPort: 4242 });
    expect(configuration.DicomServerEnabled).toBe(true);
    expect(configuration.DicomPort).toBe(4242);
  });

  it('does not alter the template between runs', () => {
    createOrthancConfiguration({ ...run, dicomPort: 4242 });
    expect(createOrthancConfiguration(run).DicomServerEnabled).toBe(false);
  });
});
