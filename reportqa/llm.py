"""Generative answers through LangChain chat models: llama.cpp in-process (`local`) or any OpenAI-compatible server."""

from __future__ import annotations

import functools
import logging
import re
import threading
import unicodedata
from typing import Any, Iterator, Sequence

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_openai import ChatOpenAI

from .answer import Answer, Citation, is_chinese, not_found
from .citations import CitationChecker
from .config import Settings
from .errors import ModelMissingError, QuestionError, ReportQAError, SettingsError
from .extractive import ExtractiveAnswerer
from .prompts import Prompts, load_prompts
from .retrieval import Passage, Retriever, clean_question, tokenize

log = logging.getLogger(__name__)

MAX_ANSWER_TOKENS = 256
# Passages given to the model: on 2 CPU cores reading the prompt takes most of the time, and the
# top 3 already hold the evidence of every dev question (hit@3 = 1.00).
PROMPT_PASSAGES = 3
MAX_REWRITE_TOKENS = 64
MAX_TRANSLATION_TOKENS = 80
CONTEXT_TOKENS = 4096
_NOT_FOUND = re.compile(
    r"没有找到|未找到|找不到|无法找到|无法回答|没有提到|未提及|没有提及|没有相关|不包含|没有包含|"
    r"(?:do|does) not (?:contain|mention|say|include)|cannot find|can't find|could not find|not mentioned|no information",
    re.IGNORECASE,
)
# Small models name their sources in their own way: "（资料2）", "[资料 2]", "(Passage 2)".
_SOURCE_MENTION = re.compile(r"[\[【［(（]\s*(?:资料|来源|passage|source)\s*(?:编号)?\s*[:：]?\s*(\d{1,3})\s*[\]】］)）]", re.I)
# ...or put a line like "资料编号：1" or "Passage 2:" before the answer.
_SOURCE_LINE = re.compile(r"^\s*(?:根据)?(?:资料|来源|passage|source)\s*(?:编号)?\s*[:：]?\s*\[?\d{1,3}\]?\s*[:：,，]?\s*$", re.I)
_TRANSLATION_LABEL = re.compile(r"^(?:chinese translation|english translation|translation|中文翻译|英文翻译|翻译)\s*[:：]\s*", re.I)
_REWRITE_LABEL = re.compile(r"^(?:改写后的独立问题|独立的问题|独立问题|改写|问题|standalone question|question)\s*[:：]\s*", re.I)


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


class GenerativeAnswerer:
    """Answers in the model's own words from the retrieved passages, then checks every citation."""

    def __init__(self, settings: Settings, retriever: Retriever, chat_model: BaseChatModel, *,
                 name: str, prompts: dict[str, Prompts] | None = None):
        self.settings = settings
        self.retriever = retriever
        self.chat_model = chat_model
        self.name = name
        self.prompts = prompts or load_prompts()
        self.extractive = ExtractiveAnswerer(settings, retriever)
        self._checker: CitationChecker | None = None

    @property
    def checker(self) -> CitationChecker:
        """The citation checker, on the retriever's embedding model (loaded on first use)."""
        if self._checker is None:
            self._checker = CitationChecker(self.retriever.embeddings, idf=self._word_weights)
        return self._checker

    def rewrite(self, question: str, history: Sequence[tuple[str, str]]) -> str:
        """The follow-up made standalone by the model; the simple rule when the model's reply is unusable."""
        if not history:
            return question
        prompts = self._prompts(question)
        try:
            reply = self.chat_model.invoke(prompts.rewrite_messages(question, history), max_tokens=MAX_REWRITE_TOKENS)
            candidate = _question_in(reply.text, _REWRITE_LABEL)
        except (QuestionError, *_llm_errors()) as exc:
            log.warning("follow-up rewrite by the model failed (%s); using the rule", exc)
            return self.extractive.rewrite(question, history)
        if len(candidate) > max(200, 4 * len(question) + len(history[-1][0])) or not _keeps_words(question, candidate):
            log.info("the model's rewrite %r of %r is unusable; using the rule", candidate, question)
            return self.extractive.rewrite(question, history)
        log.info("rewrote %r as %r", question, candidate)
        return candidate

    def translate(self, question: str, *, to_chinese: bool) -> str:
        """The question in the documents' language, by the model; the question itself when the reply is unusable."""
        try:
            reply = self.chat_model.invoke(self._prompts(question).translate_messages(question),
                                           max_tokens=MAX_TRANSLATION_TOKENS)
            candidate = _question_in(reply.text, _TRANSLATION_LABEL)
        except (QuestionError, *_llm_errors()) as exc:
            log.warning("translating the question failed (%s); searching with it as asked", exc)
            return question
        if is_chinese(candidate) != to_chinese or len(candidate) > 3 * len(question) + 20:
            log.info("the model's translation %r of %r is unusable; searching with the question as asked", candidate, question)
            return question
        log.info("translated %r as %r", question, candidate)
        return candidate

    def answer(self, question: str, passages: Sequence[Passage]) -> Answer:
        """The checked answer (the streamed pieces are dropped)."""
        *_, result = self.stream(question, passages)
        return result

    def stream(self, question: str, passages: Sequence[Passage]) -> Iterator[str | Answer]:
        """Yield the model's text as it is generated, then the checked Answer; no model answers on weak evidence.

        A question in another language than the passages is first translated by the model and searched
        again: the evidence is weighed on the translation, and the answer is written in the asker's language.
        """
        search = question
        if passages and is_chinese(question) != any(is_chinese(p.text) for p in passages):
            search = self.translate(question, to_chinese=not is_chinese(question))
            if search != question:
                passages = self.retriever.retrieve(search, k=len(passages))
        evidence = self.extractive.score_sentences(search, passages) if passages else []
        if not evidence or evidence[0].score < self.settings.abstain_threshold:
            result = not_found(question, self.name, passages)
            yield result.text
            yield result
            return
        passages = passages[:PROMPT_PASSAGES]
        pieces = []
        try:
            for chunk in self.chat_model.stream(self._prompts(question).answer_messages(question, passages)):
                if chunk.text:
                    pieces.append(chunk.text)
                    yield chunk.text
        except _llm_errors() as exc:
            raise ReportQAError(
                f"The {self.name} model failed: {exc}. Check the LLM settings, or answer with --llm none."
            ) from None
        yield self.check("".join(pieces), question, passages)

    def check(self, generated: str, question: str, passages: Sequence[Passage]) -> Answer:
        """The Answer for the model's text: citations verified and repaired, the not-found reply recognised."""
        generated = _tidy(unicodedata.normalize("NFC", generated))
        checked = self.checker.check(generated, [passage.text for passage in passages])
        if not checked.sentences or (_NOT_FOUND.search(generated) and not any(s.supported for s in checked.sentences)):
            return not_found(question, self.name, passages)
        used = list(dict.fromkeys(marker for sentence in checked.sentences for marker in sentence.markers))
        citations = tuple(
            Citation(marker, p.id, p.source, p.section, p.text, p.start, p.end, checked.quotes.get(marker, ""))
            for marker in used
            for p in (passages[marker - 1],)
        )
        return Answer(question, checked.text, citations, False, self.name, tuple(passages), checked.sentences)

    def _prompts(self, question: str) -> Prompts:
        return self.prompts["zh" if is_chinese(question) else "en"]

    def _word_weights(self, tokens: set[str]) -> dict[str, float]:
        bm25 = self.retriever.snapshot().bm25
        known = bm25.idf if bm25 is not None else {}
        unseen = max(max(known.values(), default=1.0), 0.7)
        return {token: max(known.get(token, unseen), 0.05) for token in tokens}


def _tidy(generated: str) -> str:
    """The model's text with its passage references written as [n] and lines that only name a passage dropped."""
    generated = _SOURCE_MENTION.sub(lambda match: f"[{match.group(1)}]", generated)
    return "\n".join(line for line in generated.splitlines() if not _SOURCE_LINE.match(line)).strip()


def _question_in(reply: str, label: re.Pattern) -> str:
    """The first line of the model's reply, without its label and quotes, as a clean question."""
    lines = (label.sub("", line).strip().strip("\"'“”「」") for line in reply.splitlines())
    return clean_question(next((line for line in lines if line), ""))


def _keeps_words(question: str, rewritten: str) -> bool:
    """Whether the rewrite still names everything the follow-up asks about (北汽 in 那北汽呢？)."""
    haystack = unicodedata.normalize("NFKC", rewritten).lower()
    return all(token in haystack for token in tokenize(question))


def _llm_errors() -> tuple[type[BaseException], ...]:
    """What a failing model or endpoint raises: llama.cpp's ValueError/RuntimeError, the OpenAI client's APIError."""
    import openai

    return (ValueError, RuntimeError, openai.APIError)
