/**
 * The manifest format describes the Transformers.js layout of a SAM-family model
 * (Xenova/medsam-vit-base style): proven on a tiny sample of that layout made by the
 * toolchain, run in onnxruntime-node through the names its manifest gives; and the
 * committed manifest of the MedSAM port describes the same layout.
 *
 * @jest-environment ./test/support/onnxNodeEnvironment.cjs
 */
import { copyFileSync, cpSync } from 'fs';
import path from 'path';
import * as ort from 'onnxruntime-node';
import { DECODER_INPUT_ROLES } from '../../extension/src/core/inference/decoderFeeds';
import { parseModelManifest } from '../../extension/src/core/inference/parseModelManifest';
import { isPinned } from '../../extension/src/core/inference/listAvailableModels';
import type { ModelManifest } from '../../extension/src/core/inference/modelManifest';
import { describeIo, makeTempDir, MODELS_DIR, readJson, runPython, runPythonOk } from './pythonTools';

const SIZE = 1024;
const MASKS = 3;
const LOW_RES = 256;
/** SAM's ImageNet statistics, 0..255 units (the layout's pre-processing). */
const MEAN = [123.675, 116.28, 103.53];
const STD = [58.395, 57.12, 57.375];

describe('Transformers.js layout', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let manifest: ModelManifest;

  beforeAll(() => {
    temp = makeTempDir('tjs-sample-');
    runPythonOk('models.toolchain.make_transformers_js', ['sample', '--out', temp.dir]);
    manifest = parseModelManifest(readJson(path.join(temp.dir, 'manifest.json')), 'sample manifest');
  });
  afterAll(() => temp.remove());

  it('names every graph input and output the sample has', async () => {
    const encoder = await ort.InferenceSession.create(path.join(temp.dir, manifest.files.encoder.path));
    const decoder = await ort.InferenceSession.create(path.join(temp.dir, manifest.files.decoder.path));
    expect(encoder.inputNames).toEqual([manifest.encoder.inputName]);
    expect(encoder.outputNames).toEqual(manifest.encoder.outputNames);
    expect(describeIo(encoder.outputMetadata)).toEqual([
      'image_embeddings:float32[1,256,64,64]',
      'image_positional_embeddings:float32[1,256,64,64]',
    ]);
    const roles = DECODER_INPUT_ROLES['transformers-js'];
    expect([...decoder.inputNames].sort()).toEqual(roles.map((role) => manifest.decoder.inputNames[role]).sort());
    expect(describeIo(decoder.inputMetadata)).toContain('input_boxes:float32[1,1,4]');
    expect(describeIo(decoder.outputMetadata)).toEqual([
      `iou_scores:float32[1,1,${MASKS}]`,
      `pred_masks:float32[1,1,${MASKS},${LOW_RES},${LOW_RES}]`,
    ]);
    expect(manifest.decoder.outputNames).toEqual({ lowResLogits: 'pred_masks', iou: 'iou_scores' });
  });

  it('runs through the manifest\'s names and answers with several masks', async () => {
    const encoder = await ort.InferenceSession.create(path.join(temp.dir, manifest.files.encoder.path));
    const decoder = await ort.InferenceSession.create(path.join(temp.dir, manifest.files.decoder.path));
    // mid-grey image (normalised 0) with a white square at 400..599 in both axes
    const pixels = new Float32Array(3 * SIZE * SIZE);
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < SIZE; y++) {
        for (let x = 0; x < SIZE; x++) {
          const grey = x >= 400 && x < 600 && y >= 400 && y < 600 ? 255 : (MEAN[c] as number);
          pixels[(c * SIZE + y) * SIZE + x] = (grey - (MEAN[c] as number)) / (STD[c] as number);
        }
      }
    }
    const encoded = await encoder.run({
      [manifest.encoder.inputName]: new ort.Tensor('float32', pixels, [1, 3, SIZE, SIZE]),
    });
    const [embeddingsName, positionsName] = manifest.encoder.outputNames;
    const names = manifest.decoder.inputNames;
    const decoded = await decoder.run({
      [names.imageEmbeddings as string]: encoded[embeddingsName as string] as ort.Tensor,
      [names.imagePositionalEmbeddings as string]: encoded[positionsName as string] as ort.Tensor,
      // box over the square's left half, in 1024 input pixels
      [names.inputBoxes as string]: new ort.Tensor('float32', Float32Array.of(300, 300, 500, 700), [1, 1, 4]),
    });
    const masks = decoded[manifest.decoder.outputNames.lowResLogits] as ort.Tensor;
    const iou = decoded[manifest.decoder.outputNames.iou] as ort.Tensor;
    expect(masks.dims).toEqual([1, 1, MASKS, LOW_RES, LOW_RES]);
    expect(iou.dims).toEqual([1, 1, MASKS]);
    // the sample's masks differ only in the brightness level they cut at (-0.5, 0, 0.5)
    const at = (mask: number, x: number, y: number): number =>
      (masks.data as Float32Array)[(mask * LOW_RES + Math.floor(y / 4)) * LOW_RES + Math.floor(x / 4)] as number;
    for (let mask = 0; mask < MASKS; mask++) {
      expect(at(mask, 450, 500)).toBeGreaterThan(0); // bright, inside the box
      expect(at(mask, 550, 500)).toBeLessThan(0); // bright, right of the box
    }
    expect(at(0, 350, 500)).toBeGreaterThan(0); // grey inside the box: above -0.5
    expect(at(2, 350, 500)).toBeLessThan(0); // but below 0.5
    expect(manifest.decoder.maskToken).toBeLessThan(MASKS);
  });

  it('the committed MedSAM port manifest describes the same layout, not yet pinned', () => {
    const port = parseModelManifest(
      readJson(path.join(MODELS_DIR, 'medsam-vit-b-transformers-js', 'manifest.json')),
      'models/medsam-vit-b-transformers-js/manifest.json',
    );
    expect(port.encoder).toEqual(manifest.encoder);
    expect(port.decoder).toEqual(manifest.decoder);
    expect(port.files.encoder.path).toBe('onnx/vision_encoder.onnx');
    expect(port.files.decoder.path).toBe('onnx/prompt_encoder_mask_decoder.onnx');
    expect(isPinned(port.files.encoder)).toBe(false);
  });

  it('pin checks a downloaded port\'s names and records its sizes and checksums', () => {
    const pinned = makeTempDir('tjs-pin-');
    try {
      runPythonOk('models.toolchain.make_transformers_js', ['port', '--out', pinned.dir]);
      // stand-in for the download: the sample's graphs have the port's names
      runPythonOk('models.toolchain.make_transformers_js', ['sample', '--out', path.join(pinned.dir, 'sample')]);
      cpSync(path.join(pinned.dir, 'sample', 'onnx'), path.join(pinned.dir, 'onnx'), { recursive: true });
      runPythonOk('models.toolchain.make_transformers_js', ['pin', '--out', pinned.dir]);
      const after = parseModelManifest(readJson(path.join(pinned.dir, 'manifest.json')), 'pinned');
      expect(isPinned(after.files.encoder)).toBe(true);
      expect(after.files.decoder.size).toBeGreaterThan(0);
      expect(after.id).toBe('medsam-vit-b-transformers-js');

      // a file lacking the layout's names is refused
      copyFileSync(
        path.join(MODELS_DIR, 'test-model', 'decoder.onnx'),
        path.join(pinned.dir, 'onnx', 'prompt_encoder_mask_decoder.onnx'),
      );
      const refused = runPython('models.toolchain.make_transformers_js', ['pin', '--out', pinned.dir]);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain("no input 'input_boxes'");
    } finally {
      pinned.remove();
    }
  });
});
