/**
 * Opt-in (minutes, about 4 GB of memory): a real export of a randomly initialised
 * MedSAM ViT-B, checked like the LiteMedSAM one: the contract's I/O, a run in
 * onnxruntime-node, and agreement with the PyTorch modules. Not part of `npm test`;
 * run with `npx jest --testMatch '**' + '/test/models/*.slow.ts'` (see models/README.md).
 *
 * @jest-environment ./test/support/onnxNodeEnvironment.cjs
 */
import path from 'path';
import * as ort from 'onnxruntime-node';
import { parseModelManifest } from '../../extension/src/core/inference/parseModelManifest';
import { readNpy, writeNpy } from '../support/npy';
import { describeIo, makeTempDir, maxAbsDiff, readJson, runPythonOk } from './pythonTools';

const SEED = '3';
const SLOW_TIMEOUT_MS = 900_000;
const EMBEDDING_TOLERANCE = 5e-3;
const LOGIT_TOLERANCE = 5e-2;

describe('MedSAM ViT-B export (random weights, full size)', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeAll(() => {
    temp = makeTempDir('vitb-export-');
  });
  afterAll(() => temp.remove());

  it(
    'has the contract\'s I/O and reproduces the PyTorch modules',
    async () => {
      const out = path.join(temp.dir, 'model');
      runPythonOk('models.toolchain.export', ['--family', 'medsam-vit-b', '--random-init', SEED, '--out', out]);
      const manifestPath = path.join(out, 'manifest.json');
      const manifest = parseModelManifest(readJson(manifestPath), 'vit-b export');
      expect(manifest.encoder).toMatchObject({ inputSize: 1024, resize: 'stretch' });

      const image = new Uint8Array(512 * 512);
      for (let i = 0; i < image.length; i++) image[i] = (i * 7919) % 251;
      writeNpy(path.join(temp.dir, 'slice.npy'), { descr: '|u1', shape: [512, 512], data: image });
      const pre = path.join(temp.dir, 'pre');
      runPythonOk('models.reference', ['preprocess', '--manifest', manifestPath, '--image', path.join(temp.dir, 'slice.npy'), '--box', '100,120,300,330', '--out-dir', pre]);
      runPythonOk('models.toolchain.torch_run', ['--family', 'medsam-vit-b', '--random-init', SEED, '--input', path.join(pre, 'input.npy'), '--box', path.join(pre, 'box.npy'), '--out-dir', path.join(temp.dir, 'torch')]);

      const encoder = await ort.InferenceSession.create(path.join(out, 'encoder.onnx'));
      const decoder = await ort.InferenceSession.create(path.join(out, 'decoder.onnx'));
      expect(describeIo(encoder.inputMetadata)).toEqual(['image:float32[1,3,1024,1024]']);
      expect(describeIo(encoder.outputMetadata)).toEqual(['image_embeddings:float32[1,256,64,64]']);
      expect(describeIo(decoder.inputMetadata)).toEqual(['image_embeddings:float32[1,256,64,64]', 'boxes:float32[1,4]']);
      expect(describeIo(decoder.outputMetadata)).toEqual([
        'low_res_logits:float32[1,1,256,256]',
        'iou_predictions:float32[1,1]',
      ]);
      const input = readNpy(path.join(pre, 'input.npy')).data as Float32Array;
      const box = readNpy(path.join(pre, 'box.npy')).data as Float32Array;
      const { image_embeddings: embeddings } = await encoder.run({ image: new ort.Tensor('float32', input, [1, 3, 1024, 1024]) });
      const decoded = await decoder.run({
        image_embeddings: embeddings as ort.Tensor,
        boxes: new ort.Tensor('float32', box, [1, 4]),
      });
      const torchDir = path.join(temp.dir, 'torch');
      expect(maxAbsDiff((embeddings as ort.Tensor).data as Float32Array, readNpy(path.join(torchDir, 'image_embeddings.npy')).data)).toBeLessThan(EMBEDDING_TOLERANCE);
      expect(maxAbsDiff((decoded.low_res_logits as ort.Tensor).data as Float32Array, readNpy(path.join(torchDir, 'low_res_logits.npy')).data)).toBeLessThan(LOGIT_TOLERANCE);
    },
    SLOW_TIMEOUT_MS,
  );
});
