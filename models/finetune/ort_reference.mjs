/**
 * Runs a SAM-style ONNX decoder with onnxruntime-node on inputs saved by
 * check_reproduction.py and writes its outputs next to them: the reference
 * our PyTorch modules must reproduce (Debian has no Python onnxruntime).
 *
 * Usage: node models/finetune/ort_reference.mjs MODEL.onnx DIR
 * DIR/feeds.json lists runs: { name: { input: { file, dims } } }; each
 * output is written as DIR/<run>.<output>.f32 with DIR/<run>.<output>.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');
const [modelPath, dir] = process.argv.slice(2);
// ORT_OPT=disabled runs the graph as written, for a look at ORT's own rounding
const session = await ort.InferenceSession.create(readFileSync(modelPath), {
  graphOptimizationLevel: process.env.ORT_OPT ?? 'all',
});
const runs = JSON.parse(readFileSync(path.join(dir, 'feeds.json'), 'utf8'));
for (const [run, inputs] of Object.entries(runs)) {
  const feeds = {};
  for (const [name, { file, dims }] of Object.entries(inputs)) {
    const bytes = readFileSync(path.join(dir, file));
    const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    feeds[name] = new ort.Tensor('float32', Float32Array.from(data), dims);
  }
  const outputs = await session.run(feeds);
  for (const [name, tensor] of Object.entries(outputs)) {
    writeFileSync(path.join(dir, `${run}.${name}.f32`), new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    writeFileSync(path.join(dir, `${run}.${name}.json`), JSON.stringify(tensor.dims));
  }
}
