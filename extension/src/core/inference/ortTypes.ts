/**
 * The part of ONNX Runtime's JavaScript API the engine uses, written structurally so
 * that both `onnxruntime-node` (jest, benchmarks) and `onnxruntime-web` (browser)
 * satisfy it: both follow onnxruntime-common's API. The engine receives the module
 * as a parameter instead of importing one, which keeps a single code path.
 *
 * (The repository also holds an older onnxruntime-common at the top of
 * node_modules, pulled in by the viewer's own packages: importing its types would
 * describe the wrong version.)
 */

/** A tensor as the engine reads it. */
export interface OrtTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
}

export interface OrtTensorConstructor {
  new (type: 'float32', data: Float32Array, dims: readonly number[]): OrtTensor;
}

/** Input or output metadata (onnxruntime 1.21+), used to read a box input's rank. */
export interface OrtValueMetadata {
  readonly name: string;
  readonly isTensor: boolean;
  readonly shape?: ReadonlyArray<number | string>;
}

export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata?: readonly OrtValueMetadata[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

/** Session options the engine sets; everything else stays at ORT's defaults. */
export interface OrtSessionOptions {
  executionProviders?: string[];
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
}

export interface OrtInferenceSessionFactory {
  create(model: Uint8Array, options?: OrtSessionOptions): Promise<OrtSession>;
}

/** The onnxruntime module: `import * as ort from 'onnxruntime-web'` (or `-node`). */
export interface OrtModule {
  Tensor: OrtTensorConstructor;
  InferenceSession: OrtInferenceSessionFactory;
}

/**
 * onnxruntime-web's global flags. Typed `unknown` where the library's own type is
 * wider than what the engine writes, so the real `env` is assignable.
 */
export interface OrtWebEnv {
  wasm: { wasmPaths?: unknown; numThreads?: unknown; proxy?: unknown };
}

/** onnxruntime-web: the module plus its `env`. */
export interface OrtWebModule extends OrtModule {
  env: OrtWebEnv;
}

/**
 * The typed float32 contents of an output, copied out of ORT's buffer so that it
 * outlives the session's next run.
 * @throws {TypeError} when the tensor is not float32
 */
export function readFloat32(tensor: OrtTensor, name: string): Float32Array {
  const data = tensor.data;
  // not `instanceof`: a native binding's arrays may come from another realm (jest)
  if (tensor.type !== 'float32' || Object.prototype.toString.call(data) !== FLOAT32_TAG) {
    throw new TypeError(`model output ${name} is ${tensor.type}, not float32`);
  }
  const view = data as Float32Array;
  return new Float32Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

const FLOAT32_TAG = '[object Float32Array]';
