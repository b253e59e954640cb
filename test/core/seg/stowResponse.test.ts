import { tagNumberOf } from '../../../extension/src/core/seg/dicomCodec';
import { classifyHttpStatus, PacsStoreError } from '../../../extension/src/core/seg/pacsStoreError';
import { readStowResponse, STOW_RESPONSE_TAGS } from '../../../extension/src/core/seg/stowResponse';

describe('STOW response tags', () => {
  it.each(Object.entries(STOW_RESPONSE_TAGS))('%s is %s in dcmjs dictionary', (keyword, hex) => {
    expect(tagNumberOf(keyword)).toBe(parseInt(hex, 16));
  });
});

describe('readStowResponse', () => {
  const uid = '2.25.42';
  const referenced = {
    '00081199': { vr: 'SQ', Value: [{ '00081155': { vr: 'UI', Value: [uid] } }] },
  };

  it('finds our instance in ReferencedSOPSequence (text or parsed JSON)', () => {
    expect(readStowResponse(JSON.stringify(referenced), uid)).toEqual({
      referenced: true,
      failed: false,
    });
    expect(readStowResponse(referenced, '2.25.43')).toEqual({ referenced: false, failed: false });
  });

  it('reports a FailedSOPSequence with its reason', () => {
    const failed = {
      '00081198': { vr: 'SQ', Value: [{ '00081197': { vr: 'US', Value: [0xa700] } }] },
    };
    expect(readStowResponse(failed, uid)).toEqual({
      referenced: false,
      failed: true,
      failureReason: 0xa700,
    });
  });

  it('reads a non-JSON body by the failed-SOP tag', () => {
    expect(readStowResponse('<NativeDicomModel><DicomAttribute tag="00081198"/>', uid).failed).toBe(
      true,
    );
    expect(readStowResponse('', uid)).toEqual({ referenced: false, failed: false });
  });
});

describe('classifyHttpStatus', () => {
  it.each([
    [413, 'pacs-too-large', true],
    [500, 'pacs-server-error', true],
    [503, 'pacs-server-error', true],
    [429, 'pacs-server-error', true],
    [400, 'pacs-refused', false],
    [401, 'pacs-refused', false],
    [409, 'pacs-refused', false],
  ] as const)('HTTP %i is %s (retryable %s)', (status, code, retryable) => {
    expect(classifyHttpStatus(status)).toBe(code);
    expect(new PacsStoreError(code, '').retryable).toBe(retryable);
  });
});
