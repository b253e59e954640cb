/**
 * The local server in front of a real Orthanc (started once for this file):
 * STOW-RS, QIDO-RS, WADO-RS and WADO-URI through the proxy, bulk-data URLs on
 * the proxy's own origin, and Orthanc's own API out of reach.
 */
import '../support/quietDcmjs';

import { readFileSync } from 'node:fs';
import path from 'node:path';

import { loadStudies } from '../../server/src/loadStudies';
import { INDEX_HTML, rawRequest, startProxyToOrthanc, type ProxyToOrthanc } from '../server/httpTestSupport';
import { findStudies, qido } from './dicomWebQueries';

const ctOrgans = path.resolve(__dirname, '../../../shared/data/ct-organs/dicom');
/** PatientID the shared data README gives the ct-organs copy. */
const CT_ORGANS_PATIENT = 'CT-ORGANS-EXAMPLE';

let proxy: ProxyToOrthanc;
let port: number;
let proxyRoot: string;
let StudyInstanceUID: string;

beforeAll(async () => {
  proxy = await startProxyToOrthanc();
  port = proxy.port;
  proxyRoot = `http://127.0.0.1:${port}/dicom-web`;
});

afterAll(async () => {
  await proxy?.stop();
});

describe('DICOMweb through the proxy, against Orthanc', () => {
  it('stores a series with STOW-RS through the proxy, idempotently', async () => {
    const first = await loadStudies({ pacs: { url: proxyRoot }, paths: [ctOrgans] });
    expect(first.stored).toHaveLength(20);
    expect(first.refused).toEqual([]);
    StudyInstanceUID = first.StudyInstanceUIDs[0] as string;
    const second = await loadStudies({ pacs: { url: proxyRoot }, paths: [ctOrgans] });
    expect(second.stored).toHaveLength(0);
    expect(second.alreadyPresent).toHaveLength(20);
  });

  it('finds the study with QIDO-RS through the proxy', async () => {
    expect(await findStudies(proxyRoot, `PatientID=${CT_ORGANS_PATIENT}`)).toEqual([StudyInstanceUID]);
    expect(await findStudies(proxyRoot, 'PatientID=NOBODY')).toEqual([]);
  });

  it("gives WADO-RS metadata whose bulk-data URLs are on the proxy's origin, and they work", async () => {
    const response = await rawRequest(port, 'GET', `/dicom-web/studies/${StudyInstanceUID}/metadata`, {
      headers: { accept: 'application/dicom+json' },
    });
    expect(response.status).toBe(200);
    const text = response.body.toString();
    const uris = [...text.matchAll(/"BulkDataURI"\s*:\s*"([^"]+)"/g)].map((m) => m[1] as string);
    // ct-organs carries a Siemens private OB element that Orthanc offers as bulk data.
    expect(uris.length).toBeGreaterThanOrEqual(20);
    for (const uri of uris) expect(uri.startsWith(`${proxyRoot}/studies/${StudyInstanceUID}/`)).toBe(true);
    expect(text).not.toContain(`:${new URL(proxy.orthanc.url).port}`);
    const bulk = await rawRequest(port, 'GET', new URL(uris[0] as string).pathname);
    expect(bulk.status).toBe(200);
    expect(bulk.headers['content-type']).toMatch(/^multipart\/related/);
  });

  it('passes the browser Host through: Orthanc writes URLs on whatever origin the viewer used', async () => {
    const response = await rawRequest(port, 'GET', `/dicom-web/studies/${StudyInstanceUID}/metadata`, {
      headers: { host: 'viewer.example:8443' },
    });
    const uris = [...response.body.toString().matchAll(/"BulkDataURI"\s*:\s*"([^"]+)"/g)];
    expect(uris.length).toBeGreaterThan(0);
    for (const [, uri] of uris) expect(uri?.startsWith('http://viewer.example:8443/dicom-web/')).toBe(true);
  });

  it('serves frames (WADO-RS) and whole instances (WADO-URI) through the proxy', async () => {
    const [series] = await qido(`${proxyRoot}/studies/${StudyInstanceUID}/series`);
    const SeriesInstanceUID = String(series?.['0020000E']?.Value?.[0]);
    const [instance] = await qido(`${proxyRoot}/studies/${StudyInstanceUID}/series/${SeriesInstanceUID}/instances`);
    const SOPInstanceUID = String(instance?.['00080018']?.Value?.[0]);
    const base = `/dicom-web/studies/${StudyInstanceUID}/series/${SeriesInstanceUID}/instances/${SOPInstanceUID}`;
    const frame = await rawRequest(port, 'GET', `${base}/frames/1`, {
      headers: { accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=*' },
    });
    expect(frame.status).toBe(200);
    expect(frame.body.length).toBeGreaterThan(1000);
    const wado = await rawRequest(
      port,
      'GET',
      `/wado?requestType=WADO&studyUID=${StudyInstanceUID}&seriesUID=${SeriesInstanceUID}` +
        `&objectUID=${SOPInstanceUID}&contentType=application/dicom`,
    );
    expect(wado.status).toBe(200);
    expect(wado.body.toString('latin1', 128, 132)).toBe('DICM');
    expect(wado.headers['cross-origin-embedder-policy']).toBe('require-corp');
  });

  it("keeps Orthanc's own API out of reach", async () => {
    for (const target of ['/system', '/instances', '/statistics', '/app/explorer.html']) {
      const response = await rawRequest(port, 'GET', target);
      expect(response.body.toString()).not.toContain('"ApiVersion"');
      expect(response.body.toString()).not.toContain('CountInstances');
      if (response.status === 200) expect(response.body.toString()).toBe(INDEX_HTML);
    }
    expect((await rawRequest(port, 'GET', '/dicom-web/servers')).status).toBe(404);
    expect((await rawRequest(port, 'GET', '/dicom-web/../system')).status).toBe(403);
  });

  it('ran Orthanc with a configuration that does not pin DicomWeb.Host', () => {
    const configuration = JSON.parse(readFileSync(path.join(proxy.storage, 'orthanc.json'), 'utf8'));
    expect(configuration.DicomWeb.Host).toBeUndefined();
    expect(configuration.RemoteAccessAllowed).toBe(false);
    expect(configuration.DicomServerEnabled).toBe(false);
  });
});
