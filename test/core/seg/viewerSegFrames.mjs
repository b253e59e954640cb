/**
 * Decodes a SEG file's frames with the viewer's own code and prints, as JSON,
 * what each frame holds. Usage: node viewerSegFrames.mjs SEG
 *
 * The code is OHIF 3.13.2's: @cornerstonejs/adapters 5.6.8 and the dcmjs it
 * resolves (0.52.0), both ES modules, hence a Node script rather than a jest
 * import (jest runs CommonJS). Two readers:
 * - buffer: what the adapter's createLabelmapsFromDICOMBuffer does before it
 *   paints labelmaps: dcmjs DicomMessage.readFile, naturalise, normalise, then
 *   the adapter's frame decoder (one PixelData chunk split by frame length).
 * - stream: dcmjs's AsyncDicomReader, which splits PixelData into frames
 *   itself (readUncompressed, readUncompressedBitFrame); each frame is then
 *   unpacked as the adapter does (unpackBinaryFrameFromPacked, LSB first).
 * Per frame: the distinct values, the count of non-zero ones, the SHA-256 of
 * the values (one byte each) and of the mask the viewer paints (value
 * non-zero -> segment, insertPixelDataPlanar).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPOSITORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ADAPTER_DIR = path.join(
  REPOSITORY,
  'node_modules/@cornerstonejs/adapters/dist/esm/adapters/Cornerstone3D',
);
const encodePixelData = await import(
  pathToFileURL(path.join(ADAPTER_DIR, 'encodePixelData.js')).href
);
const segmentation = await import(
  pathToFileURL(path.join(ADAPTER_DIR, 'Segmentation/labelmapImagesFromBuffer.js')).href
);
// The dcmjs the adapter itself imports, not the project's own copy.
const requireFromAdapter = createRequire(path.join(ADAPTER_DIR, 'encodePixelData.js'));
const dcmjs = await import(pathToFileURL(requireFromAdapter.resolve('dcmjs')).href);
const { DicomMessage, DicomMetaDictionary } = dcmjs.data;
const { Normalizer } = dcmjs.normalizers;
const PIXEL_DATA_TAG = '7FE00010';
const BUFFER_SEG_IMAGE_ID = 'viewer-seg-frames:0';

function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

function describeFrame(values) {
  const bytes = Uint8Array.from(values);
  return {
    length: values.length,
    values: [...new Set(values)].sort((a, b) => a - b),
    nonzero: bytes.reduce((n, v) => n + (v ? 1 : 0), 0),
    sha256: sha256(bytes),
    maskSha256: sha256(bytes.map((v) => (v ? 1 : 0))),
  };
}

async function readAsBuffer(arrayBuffer) {
  const dicomData = DicomMessage.readFile(arrayBuffer);
  const dataset = DicomMetaDictionary.naturalizeDataset(dicomData.dict);
  dataset._meta = DicomMetaDictionary.namifyDataset(dicomData.meta);
  const multiframe = Normalizer.normalizeToDataset([dataset]);
  const numberOfFrames = encodePixelData.getSegNumberOfFramesFromDataset(multiframe);
  const pixelDataChunks = Array.isArray(multiframe.PixelData) ? multiframe.PixelData.length : 1;
  const { pixelDataChunks: frames } = await segmentation.decodeSegPixelDataFromFrameIds({
    segImageId: BUFFER_SEG_IMAGE_ID,
    multiframe,
    frameImageIds: Array.from(
      { length: numberOfFrames },
      (_, i) => `${BUFFER_SEG_IMAGE_ID}#frame=${i + 1}`,
    ),
    decodeImageData: encodePixelData.createDecodeImageDataFromMultiframe(multiframe),
  });
  const pseudoBinary = frames.every((frame) =>
    segmentation.isPseudoBinaryFractional(frame, multiframe.MaximumFractionalValue),
  );
  return {
    pixelDataChunks,
    pseudoBinary,
    frames: frames.map((frame) => describeFrame(Array.from(frame))),
  };
}

async function readAsStream(arrayBuffer) {
  const reader = new dcmjs.async.AsyncDicomReader();
  reader.stream.addBuffer(arrayBuffer);
  reader.stream.setComplete();
  const { dict } = await reader.readFile({ listener: new dcmjs.utilities.DicomMetadataListener() });
  const number = (tag) => Number(dict[tag]?.Value?.[0]);
  const pixels = number('00280010') * number('00280011');
  const bitsStored = number('00280101');
  return {
    frames: dict[PIXEL_DATA_TAG].Value.map((chunks) => {
      const parts = (Array.isArray(chunks) ? chunks : [chunks]).map((c) => new Uint8Array(c));
      const frame = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      parts.reduce((offset, part) => (frame.set(part, offset), offset + part.length), 0);
      const values =
        bitsStored === 1 && frame.length < pixels
          ? encodePixelData.unpackBinaryFrameFromPacked(frame, pixels)
          : frame;
      return describeFrame(Array.from(values));
    }),
  };
}

async function attempt(read, arrayBuffer) {
  try {
    return await read(arrayBuffer);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

const file = readFileSync(process.argv[2]);
const arrayBuffer = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
console.log(
  JSON.stringify({
    buffer: await attempt(readAsBuffer, arrayBuffer.slice(0)),
    stream: await attempt(readAsStream, arrayBuffer.slice(0)),
  }),
);
