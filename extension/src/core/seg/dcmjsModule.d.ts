/**
 * The part of dcmjs 0.52 that the SEG core uses; dcmjs ships no type
 * declarations. Values stay `unknown` here: `dicomCodec.ts` checks them.
 */
declare module 'dcmjs' {
  /** One element of a denaturalised data set, keyed by 8-hex-digit tag. */
  interface DcmjsElement {
    vr: string;
    Value: unknown[];
  }

  type DcmjsDict = Record<string, DcmjsElement>;

  class DicomDict {
    constructor(meta: DcmjsDict);
    meta: DcmjsDict;
    dict: DcmjsDict;
    write(options?: { allowInvalidVRLength?: boolean; fragmentMultiframe?: boolean }): ArrayBuffer;
  }

  const data: {
    DicomDict: typeof DicomDict;
    DicomMessage: {
      readFile(
        buffer: ArrayBuffer,
        options?: { ignoreErrors?: boolean; untilTag?: string | null; noCopy?: boolean },
      ): DicomDict;
    };
    DicomMetaDictionary: {
      naturalizeDataset(dict: DcmjsDict): Record<string, unknown>;
      denaturalizeDataset(dataset: Record<string, unknown>): DcmjsDict;
      /** Keyword -> { tag: '(GGGG,EEEE)', vr, name, ... }. */
      nameMap: Record<string, { tag: string; vr: string } | undefined>;
    };
    /** How OHIF turns a naturalised SEG into Part 10 (used by the benchmark). */
    datasetToDict(dataset: Record<string, unknown>): DicomDict;
  };

  /** dcmjs's loglevel logger; "validation.dcmjs" reports VR quirks. */
  const log: {
    getLogger(name: string): {
      setLevel(level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent'): void;
    };
  };

  export { data, log, DcmjsDict, DcmjsElement };
}
