/**
 * The encoder and decoder sessions of one model, created from verified bytes with
 * whichever onnxruntime module the caller passes (node in jest, web in the browser).
 * Checks at creation that every name the manifest gives exists in the graphs, so a
 * wrong manifest fails when loading, not at the first click.
 */
import type { Box } from './boxTransform';
import {
  buildDecoderFeeds,
  computeBoxDims,
  DECODER_INPUT_ROLES,
  requireInputName,
  type EmbeddingTensor,
} from './decoderFeeds';
import { InferenceError } from './inferenceError';
import type { ModelManifest } from './modelManifest';
import {
  readFloat32,
  type OrtModule,
  type OrtSession,
  type OrtSessionOptions,
  type OrtTensor,
} from './ortTypes';

/** The decoder's answer for one prompt, still at low resolution. */
export interface DecoderOutput {
  /** Logits as the graph gives them, all mask tokens. */
  logits: Float32Array;
  dims: number[];
  /** Predicted IoU per mask token. */
  iou: Float32Array;
}

function checkNames(what: string, wanted: readonly string[], present: readonly string[]): void {
  const missing = wanted.filter((name) => !present.includes(name));
  if (missing.length > 0) {
    throw new InferenceError(
      'model-io',
      `the ${what} lacks ${missing.join(', ')} named by the manifest ` +
        `(it has ${present.join(', ')})`,
    );
  }
}

function requireOutput(outputs: Record<string, OrtTensor>, name: string): OrtTensor {
  const tensor = outputs[name];
  if (!tensor) throw new InferenceError('model-io', `the model returned no output ${name}`);
  return tensor;
}

export class ModelSessions {
  private readonly boxDims: number[];

  private constructor(
    private readonly ort: OrtModule,
    readonly manifest: ModelManifest,
    private readonly encoder: OrtSession,
    private readonly decoder: OrtSession,
  ) {
    const { decoder: spec } = manifest;
    checkNames('encoder', [manifest.encoder.inputName], encoder.inputNames);
    checkNames('encoder', manifest.encoder.outputNames, encoder.outputNames);
    const roles = DECODER_INPUT_ROLES[spec.kind];
    checkNames(
      'decoder',
      roles.map((role) => requireInputName(spec, role)),
      decoder.inputNames,
    );
    checkNames(
      'decoder',
      [spec.outputNames.lowResLogits, spec.outputNames.iou],
      decoder.outputNames,
    );
    const boxName = spec.kind === 'box-only' ? requireInputName(spec, 'boxes') : '';
    this.boxDims = computeBoxDims(decoder.inputMetadata, boxName);
  }

  /**
   * Creates both sessions. On failure the encoder session is released again.
   * @throws {InferenceError} code `model-io` when the graphs do not match the manifest;
   *   whatever ORT throws when it cannot create a session
   */
  static async create(
    ort: OrtModule,
    manifest: ModelManifest,
    bytes: { encoder: Uint8Array; decoder: Uint8Array },
    options: OrtSessionOptions,
  ): Promise<ModelSessions> {
    const encoder = await ort.InferenceSession.create(bytes.encoder, options);
    let decoder: OrtSession | undefined;
    try {
      decoder = await ort.InferenceSession.create(bytes.decoder, options);
      return new ModelSessions(ort, manifest, encoder, decoder);
    } catch (error) {
      await encoder.release();
      await decoder?.release();
      throw error;
    }
  }

  /**
   * Runs the encoder on one preprocessed slice, float32 [1,3,S,S].
   * @returns the encoder outputs the manifest lists, in its order
   */
  async encode(input: Float32Array): Promise<EmbeddingTensor[]> {
    const spec = this.manifest.encoder;
    const side = spec.inputSize;
    const feeds = { [spec.inputName]: new this.ort.Tensor('float32', input, [1, 3, side, side]) };
    const outputs = await this.encoder.run(feeds);
    return spec.outputNames.map((name) => {
      const tensor = requireOutput(outputs, name);
      return { name, dims: [...tensor.dims], data: readFloat32(tensor, name) };
    });
  }

  /** Runs the decoder for one model-space box (and, for SAM, an optional mask prompt). */
  async decode(
    embedding: readonly EmbeddingTensor[],
    modelBox: Box,
    imageWidth: number,
    imageHeight: number,
    maskInput?: Float32Array,
    singleMask?: boolean,
  ): Promise<DecoderOutput> {
    const spec = this.manifest.decoder;
    const feeds = buildDecoderFeeds(
      this.ort.Tensor,
      spec,
      embedding,
      { modelBox, imageWidth, imageHeight, maskInput, singleMask },
      this.boxDims,
    );
    const outputs = await this.decoder.run(feeds);
    const logits = requireOutput(outputs, spec.outputNames.lowResLogits);
    const iou = requireOutput(outputs, spec.outputNames.iou);
    return {
      logits: readFloat32(logits, spec.outputNames.lowResLogits),
      dims: [...logits.dims],
      iou: readFloat32(iou, spec.outputNames.iou),
    };
  }

  /** Frees both sessions (GPU buffers, WASM memory). */
  async release(): Promise<void> {
    await Promise.all([this.encoder.release(), this.decoder.release()]);
  }
}
