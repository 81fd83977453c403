"""The LangChain chat models behind generative answers: llama.cpp in-process (`local`) or any OpenAI-compatible server."""

from __future__ import annotations

import functools
import logging
import threading
from typing import Any, Iterator

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_openai import ChatOpenAI

from .config import Settings
from .errors import ModelMissingError, SettingsError

log = logging.getLogger(__name__)

MAX_ANSWER_TOKENS = 256
CONTEXT_TOKENS = 4096


class LlamaCppChat(BaseChatModel):
    """A GGUF model run in this process by llama-cpp-python, as a LangChain chat model."""

    model_path: str
    n_ctx: int = CONTEXT_TOKENS
    n_threads: int = 2
    max_tokens: int = MAX_ANSWER_TOKENS
    temperature: float = 0.0
    seed: int = 0

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    def _generate(
        self, messages: list[BaseMessage], stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any,
    ) -> ChatResult:
        text = "".join(chunk.text for chunk in self._stream(messages, stop, run_manager, **kwargs))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(
        self, messages: list[BaseMessage], stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        llama, lock = _load_llama(self.model_path, self.n_ctx, self.n_threads)
        # One llama.cpp context serves one generation at a time; the UI may ask several questions at once.
        with lock:
            parts = llama.create_chat_completion(
                messages=[{"role": _ROLES.get(m.type, "user"), "content": m.text} for m in messages],
                stream=True, max_tokens=kwargs.get("max_tokens", self.max_tokens),
                temperature=self.temperature, seed=self.seed, stop=stop,
            )
            for part in parts:
                delta = part["choices"][0]["delta"].get("content")
                if delta:
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=delta))
                    if run_manager:
                        run_manager.on_llm_new_token(delta, chunk=chunk)
                    yield chunk

    def get_num_tokens(self, text: str) -> int:
        """The number of model tokens in the text."""
        llama, _ = _load_llama(self.model_path, self.n_ctx, self.n_threads)
        return len(llama.tokenize(text.encode("utf-8"), add_bos=False))


_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


@functools.lru_cache(maxsize=2)
def _load_llama(model_path: str, n_ctx: int, n_threads: int):
    try:
        from llama_cpp import Llama
    except ImportError:
        raise ModelMissingError(
            "llama-cpp-python is not installed. Run `pip install -r requirements-llm.txt`, or use --llm none."
        ) from None
    log.info("loading %s", model_path)
    try:
        llama = Llama(model_path=model_path, n_ctx=n_ctx, n_threads=n_threads, n_threads_batch=n_threads, verbose=False)
    except ValueError as exc:
        raise ModelMissingError(f"llama.cpp cannot load {model_path} ({exc}). Give a valid GGUF file.") from None
    return llama, threading.Lock()


def local_chat_model(settings: Settings) -> LlamaCppChat:
    """The local llama.cpp model the settings name (the bundled weights are assembled on first use)."""
    from .models import model_path

    path = model_path(settings)
    return LlamaCppChat(model_path=str(path), n_threads=settings.embedding_threads)


def openai_chat_model(settings: Settings) -> BaseChatModel:
    """LangChain's ChatOpenAI against the OpenAI-compatible endpoint the settings name."""
    if not settings.openai_model:
        raise SettingsError("Set REPORTQA_OPENAI_MODEL to the model name the endpoint serves (and OPENAI_BASE_URL).")
    if not settings.openai_base_url and not settings.openai_api_key:
        raise SettingsError("Set OPENAI_BASE_URL to the OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1.")
    return CompatibleChatOpenAI(
        model=settings.openai_model,
        base_url=settings.openai_base_url or None,
        api_key=settings.openai_api_key or "not-needed",  # local servers accept any key
        temperature=0.0,
        max_tokens=MAX_ANSWER_TOKENS,
        timeout=120,
        max_retries=1,
    )


class CompatibleChatOpenAI(ChatOpenAI):
    """ChatOpenAI that sends the answer length as `max_tokens`, which every OpenAI-compatible server reads.

    ChatOpenAI sends `max_completion_tokens`, which llama.cpp's and older vLLM and Ollama servers ignore,
    so answers there would run on until the context is full.
    """

    def _get_request_payload(self, input_, *, stop: list[str] | None = None, **kwargs: Any) -> dict:
        payload = super()._get_request_payload(input_, stop=stop, **kwargs)
        if "max_completion_tokens" in payload:
            payload["max_tokens"] = payload.pop("max_completion_tokens")
        return payload
