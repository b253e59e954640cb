/**
 * The export of a randomly initialised, full-size LiteMedSAM: the ONNX graphs have
 * the contract's names, shapes and dtypes, run in onnxruntime-node, reproduce the
 * PyTorch modules they came from, and the manifest written beside them is valid.
 * The fp16 variant halves the files and stays close to fp32.
 *
 * @jest-environment ./test/support/onnxNodeEnvironment.cjs
 */
import { statSync } from 'fs';
import path from 'path';
import * as ort from 'onnxruntime-node';
import { parseModelManifest } from '../../extension/src/core/inference/parseModelManifest';
import { readNpy, writeNpy } from '../support/npy';
import { describeIo, makeTempDir, maxAbsDiff, readJson, runPythonOk } from './pythonTools';

const SEED = '7';
/** ORT's kernels and PyTorch's differ in summation order; the encoder is deep. */
const EMBEDDING_TOLERANCE = 2e-3;
const LOGIT_TOLERANCE = 2e-2;
/** fp16 storage of the weights moves values by roughly 1e-3 relative. */
const FP16_LOGIT_TOLERANCE = 0.5;

async function runGraphs(
  folder: string,
  input: Float32Array,
  box: Float32Array,
): Promise<{ embeddings: Float32Array; logits: Float32Array; iou: Float32Array }> {
  const encoder = await ort.InferenceSession.create(path.join(folder, 'encoder.onnx'));
  const decoder = await ort.InferenceSession.create(path.join(folder, 'decoder.onnx'));
  const embedded = await encoder.run({ image: new ort.Tensor('float32', input, [1, 3, 256, 256]) });
  const embeddings = embedded.image_embeddings as ort.Tensor;
  const decoded = await decoder.run({
    image_embeddings: embeddings,
    boxes: new ort.Tensor('float32', box, [1, 4]),
  });
  const logits = decoded.low_res_logits as ort.Tensor;
  const iou = decoded.iou_predictions as ort.Tensor;
  expect(logits.dims).toEqual([1, 1, 256, 256]);
  expect(iou.dims).toEqual([1, 1]);
  return {
    embeddings: embeddings.data as Float32Array,
    logits: logits.data as Float32Array,
    iou: iou.data as Float32Array,
  };
}

describe('LiteMedSAM export (random weights, full size)', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let fp32: string;
  let fp16: string;
  let input: Float32Array;
  let box: Float32Array;

  beforeAll(() => {
    temp = makeTempDir('lite-export-');
    fp32 = path.join(temp.dir, 'fp32');
    fp16 = path.join(temp.dir, 'fp16');
    runPythonOk('models.toolchain.export', ['--family', 'lite-medsam', '--random-init', SEED, '--out', fp32]);
    runPythonOk('models.toolchain.export', ['--family', 'lite-medsam', '--random-init', SEED, '--out', fp16, '--fp16']);
    // a real pre-processed slice: 300 x 200 image, bright square, LiteMedSAM rules
    const image = new Uint8Array(300 * 200);
    for (let y = 100; y < 200; y++) for (let x = 50; x < 150; x++) image[y * 200 + x] = 200;
    const slice = path.join(temp.dir, 'slice.npy');
    writeNpy(slice, { descr: '|u1', shape: [300, 200], data: image });
    runPythonOk('models.reference', [
      'preprocess',
      '--manifest',
      path.join(fp32, 'manifest.json'),
      '--image',
      slice,
      '--box',
      '40,90,160,210',
      '--out-dir',
      path.join(temp.dir, 'pre'),
    ]);
    input = readNpy(path.join(temp.dir, 'pre', 'input.npy')).data as Float32Array;
    box = readNpy(path.join(temp.dir, 'pre', 'box.npy')).data as Float32Array;
    runPythonOk('models.toolchain.torch_run', [
      '--family',
      'lite-medsam',
      '--random-init',
      SEED,
      '--input',
      path.join(temp.dir, 'pre', 'input.npy'),
      '--box',
      path.join(temp.dir, 'pre', 'box.npy'),
      '--out-dir',
      path.join(temp.dir, 'torch'),
    ]);
  });
  afterAll(() => temp.remove());

  it('writes graphs with the contract\'s inputs and outputs', async () => {
    const encoder = await ort.InferenceSession.create(path.join(fp32, 'encoder.onnx'));
    const decoder = await ort.InferenceSession.create(path.join(fp32, 'decoder.onnx'));
    expect(describeIo(encoder.inputMetadata)).toEqual(['image:float32[1,3,256,256]']);
    expect(describeIo(encoder.outputMetadata)).toEqual(['image_embeddings:float32[1,256,64,64]']);
    expect(describeIo(decoder.inputMetadata)).toEqual([
      'image_embeddings:float32[1,256,64,64]',
      'boxes:float32[1,4]',
    ]);
    expect(describeIo(decoder.outputMetadata)).toEqual([
      'low_res_logits:float32[1,1,256,256]',
      'iou_predictions:float32[1,1]',
    ]);
  });

  it('writes a valid manifest whose sizes and names match the files', () => {
    const manifest = parseModelManifest(readJson(path.join(fp32, 'manifest.json')), 'lite export');
    expect(manifest.id).toBe('lite-medsam');
    expect(manifest.version).toBe('random-init seed 7');
    expect(manifest.encoder).toMatchObject({ inputSize: 256, resize: 'longest-side-pad', interpolation: 'area' });
    expect(manifest.decoder).toMatchObject({ kind: 'box-only', sigmoid: 'after-resize', boxRounding: 'truncate' });
    expect(manifest.files.encoder.size).toBe(statSync(path.join(fp32, 'encoder.onnx')).size);
    expect(manifest.files.decoder.size).toBe(statSync(path.join(fp32, 'decoder.onnx')).size);
    // the LiteMedSAM encoder holds 5,726,740 float32 parameters
    expect(manifest.files.encoder.size).toBeGreaterThan(5_726_740 * 4);
  });

  it('reproduces the PyTorch modules in onnxruntime-node', async () => {
    const got = await runGraphs(fp32, input, box);
    const torchDir = path.join(temp.dir, 'torch');
    const embeddings = readNpy(path.join(torchDir, 'image_embeddings.npy'));
    const logits = readNpy(path.join(torchDir, 'low_res_logits.npy'));
    const iou = readNpy(path.join(torchDir, 'iou_predictions.npy'));
    expect(embeddings.shape).toEqual([1, 256, 64, 64]);
    expect(maxAbsDiff(got.embeddings, embeddings.data)).toBeLessThan(EMBEDDING_TOLERANCE);
    expect(maxAbsDiff(got.logits, logits.data)).toBeLessThan(LOGIT_TOLERANCE);
    expect(maxAbsDiff(got.iou, iou.data)).toBeLessThan(LOGIT_TOLERANCE);
    // random weights still give a non-trivial answer: the comparison is not vacuous
    expect(Math.max(...got.logits) - Math.min(...got.logits)).toBeGreaterThan(0.1);
  });

  it('fp16 variant halves the files and stays close to fp32', async () => {
    const manifest = parseModelManifest(readJson(path.join(fp16, 'manifest.json')), 'fp16 export');
    expect(manifest.id).toBe('lite-medsam-fp16');
    const ratio = statSync(path.join(fp16, 'encoder.onnx')).size / statSync(path.join(fp32, 'encoder.onnx')).size;
    expect(ratio).toBeGreaterThan(0.45);
    expect(ratio).toBeLessThan(0.6);
    const full = await runGraphs(fp32, input, box);
    const half = await runGraphs(fp16, input, box);
    expect(maxAbsDiff(full.logits, half.logits)).toBeLessThan(FP16_LOGIT_TOLERANCE);
    expect(maxAbsDiff(full.logits, half.logits)).toBeGreaterThan(0);
  });
});
