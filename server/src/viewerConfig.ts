/**
 * The viewer's `window.config`, served as /app-config.js. The data source is
 * same-origin: the browser talks only to our server, which proxies DICOMweb to
 * the PACS (Orthanc has no CORS, and credentials stay server-side). Settings
 * are those checked against Orthanc 1.10 in ../shared/docs/ohif-host.md.
 */

export interface ViewerConfigOptions {
  /** URL path of our bundles, e.g. `/medsam-ext`. */
  bundlesPath: string;
  /** Cache-busting token appended to the bundle URLs (build time). */
  buildId: string;
  /** Whether the PACS offers WADO-URI at /wado (Orthanc does). */
  wadoUri: boolean;
}

export function createViewerConfig(options: ViewerConfigOptions): Record<string, unknown> {
  const bundle = (name: string) => `${options.bundlesPath}/${name}?v=${options.buildId}`;
  return {
    routerBasename: '/',
    extensions: [bundle('medsam-extension.mjs')],
    modes: [bundle('medsam-mode.mjs')],
    showStudyList: true,
    maxNumberOfWebWorkers: 3,
    showWarningMessageForCrossOrigin: false,
    showCPUFallbackMessage: true,
    showLoadingIndicator: true,
    strictZSpacingForVolumeViewport: true,
    defaultDataSourceName: 'pacs',
    dataSources: [
      {
        namespace: '@ohif/extension-default.dataSourcesModule.dicomweb',
        sourceName: 'pacs',
        configuration: {
          friendlyName: 'PACS (DICOMweb)',
          name: 'pacs',
          qidoRoot: '/dicom-web',
          wadoRoot: '/dicom-web',
          wadoUriRoot: options.wadoUri ? '/wado' : '/dicom-web',
          qidoSupportsIncludeField: false,
          imageRendering: 'wadors',
          thumbnailRendering: 'wadors',
          enableStudyLazyLoad: true,
          supportsFuzzyMatching: false,
          supportsWildcard: true,
          omitQuotationForMultipartRequest: true,
          bulkDataURI: { enabled: true },
          supportsStow: true,
          dicomUploadEnabled: true,
        },
      },
    ],
  };
}

/** The script body: one assignment, JSON-encoded so no value can inject code. */
export function renderViewerConfigScript(options: ViewerConfigOptions): string {
  return `window.config = ${JSON.stringify(createViewerConfig(options), null, 2)};\n`;
}
