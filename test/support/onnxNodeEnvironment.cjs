/**
 * Jest environment for tests that run onnxruntime-node. The native binding makes
 * its output arrays in Node's own realm, while onnxruntime-common, loaded inside
 * jest's sandbox, checks them with `instanceof` against the sandbox's typed-array
 * classes and refuses them. Handing the sandbox Node's own classes removes the
 * mismatch. Use with the docblock `@jest-environment ./test/support/onnxNodeEnvironment.cjs`.
 */
const { TestEnvironment } = require('jest-environment-node');

const SHARED_CLASSES = [
  'ArrayBuffer',
  'Float32Array',
  'Float64Array',
  'Int8Array',
  'Uint8Array',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
];

class OnnxNodeEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED_CLASSES) this.global[name] = globalThis[name];
  }
}

module.exports = OnnxNodeEnvironment;
