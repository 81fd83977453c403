"""Choosing the answer backend: `none` (extractive), `local` (llama.cpp), `openai`, or `auto`."""

from __future__ import annotations

import importlib.util
import logging

from ..config import Settings
from ..errors import ModelMissingError, SettingsError
from .extractive import ExtractiveAnswerer
from ..retrieval import Retriever

log = logging.getLogger(__name__)

BACKENDS = ("auto", "none", "local", "openai")


def make_backend(settings: Settings, retriever: Retriever):
    """The backend `settings.llm` names; `auto` is `local` when llama-cpp-python and weights are installed, else `none`."""
    if settings.llm not in BACKENDS:
        raise SettingsError(f"Unknown answer backend {settings.llm!r}; choose one of {', '.join(BACKENDS)}.")
    choice = settings.llm
    if choice == "auto":
        choice = "local" if local_available(settings) else "none"
        log.info("answer backend auto -> %s", choice)
    if choice == "none":
        return ExtractiveAnswerer(settings, retriever)
    if choice == "local" and importlib.util.find_spec("llama_cpp") is None:
        raise ModelMissingError(
            "--llm local needs llama-cpp-python: run `pip install -r requirements-llm.txt`, or use --llm none."
        )
    from ..llm import local_chat_model, openai_chat_model
    from .generative import GenerativeAnswerer

    chat_model = local_chat_model(settings) if choice == "local" else openai_chat_model(settings)
    return GenerativeAnswerer(settings, retriever, chat_model, name=choice)


def local_available(settings: Settings) -> bool:
    """Whether llama-cpp-python and the configured or bundled weights are installed."""
    from ..models import weights_available

    return importlib.util.find_spec("llama_cpp") is not None and weights_available(settings)
