/**
 * Deflated Image Frame Compression (1.2.840.10008.1.2.8.1, Supplement 244):
 * each frame is one raw DEFLATE stream (RFC 1951, no zlib header). Inflated
 * with the platform's DecompressionStream (browsers, Node 18+), so no
 * compression library is bundled.
 */
import { SegReadError } from './segErrors';

async function inflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  // A copy: Blob wants an ArrayBuffer-backed view, and compressed frames are small.
  const stream = new Blob([new Uint8Array(bytes)])
    .stream()
    .pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Inflates one frame.
 *
 * @throws SegReadError `seg-invalid-deflate` when the stream is not valid DEFLATE.
 */
export async function inflateFrame(frame: Uint8Array): Promise<Uint8Array> {
  try {
    return await inflateRaw(frame);
  } catch (cause) {
    // Fragments are padded to an even length. Some engines refuse that one
    // trailing byte after the end of the stream ("junk"), so retry without it.
    if (frame.length % 2 === 0 && frame[frame.length - 1] === 0) {
      try {
        return await inflateRaw(frame.subarray(0, frame.length - 1));
      } catch {
        // Report the first failure below: it describes the data as stored.
      }
    }
    throw new SegReadError('seg-invalid-deflate', 'A deflated frame could not be inflated', {
      cause,
    });
  }
}
