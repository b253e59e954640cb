"""Tracing modules to ONNX and proving the files carry the contract's I/O.

``torch.onnx.export`` silently drops an input that does not reach an
output, so every export is read back and its input and output names,
shapes and element types are compared with what the caller expected.
"""
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

logger = logging.getLogger(__name__)

#: Highest opset that Debian's onnx 1.12 and torch 1.13 both support.
ONNX_OPSET = 17
#: Initialisers smaller than this stay float32 in fp16 files (biases,
#: norms: too small to matter for size, and kept exact).
FP16_MIN_ELEMENTS = 1024


class ExportError(RuntimeError):
    """An exported graph does not have the inputs or outputs we asked for."""


@dataclass(frozen=True)
class TensorSpec:
    """Name, static shape and ONNX element type of a graph input/output."""

    name: str
    shape: Tuple[int, ...]
    elem_type: int = TensorProto.FLOAT


def _describe(value: onnx.ValueInfoProto) -> TensorSpec:
    tensor = value.type.tensor_type
    dims = tuple(
        d.dim_value if d.HasField('dim_value') else -1
        for d in tensor.shape.dim
    )
    return TensorSpec(value.name, dims, tensor.elem_type)


def graph_io(path: Path) -> Tuple[List[TensorSpec], List[TensorSpec]]:
    """Inputs and outputs of an ONNX file, without loading its weights."""
    model = onnx.load(str(path), load_external_data=False)
    return (
        [_describe(v) for v in model.graph.input],
        [_describe(v) for v in model.graph.output],
    )


def check_io(
    path: Path, inputs: Sequence[TensorSpec], outputs: Sequence[TensorSpec]
) -> None:
    """Compare a file's graph inputs and outputs with the expected ones.

    Raises
    ------
    ExportError
        If names, order, shapes or element types differ.
    """
    found_in, found_out = graph_io(path)
    for kind, found, wanted in (
        ('inputs', found_in, list(inputs)), ('outputs', found_out,
                                             list(outputs)),
    ):
        if found != wanted:
            raise ExportError(
                f'{path.name}: {kind} are {found}, expected {wanted}'
            )


def _pin_output_shapes(path: Path, outputs: Sequence[TensorSpec]) -> None:
    """Write the expected static shapes where tracing left dims unknown.

    The tracer's shape inference gives up on some windowed reshapes (the
    ViT-B encoder); the graph still computes the contract's shape for our
    fixed-size input, so the declared output type is completed. Dims it
    did infer must agree, or ``check_io`` refuses the file afterwards.
    """
    model = onnx.load(str(path))
    changed = False
    for value, spec in zip(model.graph.output, outputs):
        dims = value.type.tensor_type.shape.dim
        if len(dims) != len(spec.shape):
            continue
        for dim, size in zip(dims, spec.shape):
            if not dim.HasField('dim_value'):
                dim.Clear()
                dim.dim_value = size
                changed = True
    if changed:
        logger.info('declared static output shapes of %s', path.name)
        onnx.save(model, str(path))


def export_module(
    module: torch.nn.Module,
    example: Tuple[torch.Tensor, ...],
    path: Path,
    inputs: Sequence[TensorSpec],
    outputs: Sequence[TensorSpec],
) -> None:
    """Trace ``module`` on ``example`` to ``path`` and check its I/O.

    Raises
    ------
    ExportError
        If the written graph's inputs or outputs are not the expected ones.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    module.eval()
    with torch.no_grad():
        torch.onnx.export(
            module, example, str(path),
            input_names=[spec.name for spec in inputs],
            output_names=[spec.name for spec in outputs],
            opset_version=ONNX_OPSET,
            do_constant_folding=True,
        )
    _pin_output_shapes(path, outputs)
    onnx.checker.check_model(str(path))
    check_io(path, inputs, outputs)
    logger.info('wrote %s (%d bytes)', path, path.stat().st_size)


def store_weights_as_fp16(source: Path, target: Path) -> None:
    """Rewrite large float32 initialisers as float16 plus a Cast node.

    Computation stays float32 (the graph's I/O and arithmetic are
    unchanged), so any backend runs the file; only the stored weights lose
    precision, which halves the download.

    Raises
    ------
    ExportError
        If the rewritten model fails the ONNX checker.
    """
    model = onnx.load(str(source))
    graph = model.graph
    kept, casts = [], []
    for tensor in graph.initializer:
        array = numpy_helper.to_array(tensor)
        if tensor.data_type != TensorProto.FLOAT or \
                array.size < FP16_MIN_ELEMENTS:
            kept.append(tensor)
            continue
        half_name = tensor.name + '__fp16'
        kept.append(numpy_helper.from_array(
            array.astype(np.float16), half_name
        ))
        casts.append(helper.make_node(
            'Cast', [half_name], [tensor.name], to=TensorProto.FLOAT,
            name=tensor.name + '__cast',
        ))
    del graph.initializer[:]
    graph.initializer.extend(kept)
    nodes = casts + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    try:
        onnx.checker.check_model(model)
    except onnx.checker.ValidationError as error:
        raise ExportError(f'fp16 rewrite of {source.name}: {error}') from error
    onnx.save(model, str(target))
    logger.info('wrote %s with %d fp16 weights', target, len(casts))


def io_table(path: Path) -> Dict[str, List[Dict[str, object]]]:
    """Inputs and outputs as plain data, for the ``inspect`` command."""
    found_in, found_out = graph_io(path)

    def plain(specs: List[TensorSpec]) -> List[Dict[str, object]]:
        return [{
            'name': s.name,
            'shape': list(s.shape),
            'type': TensorProto.DataType.Name(s.elem_type).lower(),
        } for s in specs]
    return {'inputs': plain(found_in), 'outputs': plain(found_out)}
