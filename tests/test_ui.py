"""The UI's functions, called directly: rendering, document management, chat and source panel."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import shutil
from pathlib import Path

import pytest

from reportqa.answer import Answer, Assistant, Citation, SentenceSupport
from reportqa.config import Settings
from reportqa.errors import DocumentError, QuestionError, SettingsError
from reportqa.index import Index
from reportqa.retrieval import Retriever
from reportqa.ui import documents
from reportqa.ui.handlers import ReportUI
from reportqa.ui.labels import language_of, t
from reportqa.ui.render import Turn, answer_html, conversation_html, documents_html, source_html

DOCUMENT = "前言\n一、合作背景\n- 资质\n小米汽车初期面临挑战。小米 SU7 通过北汽越野车有限公司完成申报。这节省了时间。\n二、下一节\n别的内容。\n"
PASSAGE = "小米汽车初期面临挑战。小米 SU7 通过北汽越野车有限公司完成申报。这节省了时间。"


def citation(marker: int = 1, *, text: str = PASSAGE, quote: str = "小米 SU7 通过北汽越野车有限公司完成申报。") -> Citation:
    start = DOCUMENT.find(text)
    return Citation(marker, f"c{marker}", "report.txt", "一、合作背景 › 资质", text, start, start + len(text), quote)


class HashEmbeddings:
    """A deterministic stand-in for the embedding model: bag of characters, hashed into 64 dimensions."""

    def embed_documents(self, texts):
        return [self._vector(text) for text in texts]

    def embed_query(self, text):
        return self._vector(text)

    @staticmethod
    def _vector(text):
        vector = [0.0] * 64
        for char in text:
            vector[hashlib.md5(char.encode()).digest()[0] % 64] += 1.0
        norm = sum(v * v for v in vector) ** 0.5 or 1.0
        return [v / norm for v in vector]


@pytest.fixture
def small_settings(tmp_path, monkeypatch) -> Settings:
    """A one-document corpus whose index uses real Chroma and the hashing embeddings."""
    monkeypatch.setattr("reportqa.index.load_embeddings", lambda settings: HashEmbeddings())
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "report.txt").write_text(DOCUMENT, encoding="utf-8")
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index", model_cache_dir=tmp_path / "cache", llm="none")


# Rendering


def test_answer_markers_become_citation_buttons_and_text_is_escaped():
    html = answer_html("答案 <b>粗</b> [1] 以及 [7]", [citation(1)], turn=2)
    assert '<button type="button" class="cite" data-turn="2" data-marker="1"' in html
    assert "[7]" in html and 'data-marker="7"' not in html  # a marker with no citation stays text
    assert "&lt;b&gt;粗&lt;/b&gt;" in html and "<b>" not in html


def test_list_answers_render_as_a_bulleted_list_with_their_citation_buttons():
    html = answer_html("公司面临以下风险:[1]\n- 原材料 <波动>[1]\n- 海外政策[2]", [citation(1), citation(2)], turn=0)
    assert html.startswith("<p>公司面临以下风险:") and '<ul class="points"><li>原材料 &lt;波动&gt;' in html
    assert html.count("<li>") == 2 and html.endswith("</li></ul>")
    assert html.count('class="cite"') == 3


def test_the_documents_words_under_a_translated_line_render_as_a_quote_inside_its_item():
    html = answer_html("Translated:\n- Battery supply: <CATL>[1]\n  > 动力电池:宁德时代\n- Logistics[2]\n  > 物流仓储",
                       [citation(1), citation(2)], turn=0)
    assert '<li>Battery supply: &lt;CATL&gt;' in html and html.count("<li>") == 2
    assert '<blockquote class="original">动力电池:宁德时代</blockquote></li><li>Logistics' in html, html
    assert "&gt; 动力电池" not in html and html.endswith('<blockquote class="original">物流仓储</blockquote></li></ul>')


def test_the_evidence_quoted_under_an_answer_renders_as_quotes():
    html = answer_html("赵鹏是后卫。[1]\n原文：\n  > 赵鹏，中国足球运动员，司职后卫。[1]", [citation(1)], turn=0)
    assert html.startswith("<p>赵鹏是后卫。") and '<blockquote class="original">赵鹏，中国足球运动员' in html, html
    assert "blockquote" not in answer_html("- 占比:\n> 50% 的客户[1]", [citation(1)], turn=0)  # the document's own ">"


def test_source_panel_highlights_the_supporting_sentence_inside_its_document():
    html = source_html(citation(), DOCUMENT, "zh")
    assert "<mark>小米 SU7 通过北汽越野车有限公司完成申报。</mark>" in html
    assert '<span class="passage">小米汽车初期面临挑战。<mark>' in html
    assert "- 资质" in html and "二、下一节" in html  # the surrounding document text
    assert '<div class="source-text">前言\n一、合作背景' in html and "…" not in html  # from the first line on
    shifted = dataclasses.replace(citation(), start=citation().start + 2, end=citation().end + 2)
    assert '<div class="source-text">前言' in source_html(shifted, "\n\n" + DOCUMENT, "zh")  # no blank lines first
    assert "一、合作背景</span> › <span>资质" in html
    assert "report.txt" in html and t("zh", "source_changed") not in html


def test_source_panel_marks_left_out_text_with_an_ellipsis_on_its_own_line():
    document = "很长的前文。" * 80 + "\n\n" + DOCUMENT + "\n" + "很长的后文。" * 80
    start = document.find(PASSAGE)
    cited = Citation(1, "c1", "report.txt", "一、合作背景 › 资质", PASSAGE, start, start + len(PASSAGE), PASSAGE[:11])
    text = re.search(r'<div class="source-text">(.*?)</div>', source_html(cited, document, "en"), re.S).group(1)
    assert text.startswith("…\n前言\n") and text.endswith("二、下一节\n别的内容。\n…")


def test_source_panel_of_a_changed_document_shows_the_indexed_passage_and_says_to_reindex():
    html = source_html(citation(), DOCUMENT.replace("前言", "新的前言很长"), "en")
    assert t("en", "source_changed") in html
    assert "<mark>小米 SU7 通过北汽越野车有限公司完成申报。</mark>" in html
    assert "二、下一节" not in html


def test_source_panel_marks_the_whole_passage_when_the_quote_is_not_in_it():
    html = source_html(citation(quote="不在段落里的句子。"), DOCUMENT, "en")
    assert f"<mark>{PASSAGE}</mark>" in html


def test_document_text_with_markup_is_shown_as_text():
    hostile = '<script>alert(1)</script> <img src=x onerror="alert(2)"> ${alert(3)}'
    document = DOCUMENT.replace("这节省了时间。", hostile)
    cited = citation(text=PASSAGE.replace("这节省了时间。", hostile))
    cited = Citation(1, "c1", 'a"<b>.txt', "<i>节</i>", cited.text, document.find(cited.text),
                     document.find(cited.text) + len(cited.text), cited.quote)
    turns = [Turn("<img src=y onerror=alert(4)>?", Answer("q", hostile + " [1]", (cited,)))]
    for html in (source_html(cited, document, "en"), conversation_html(turns, "en", corpus="corpus/")):
        assert "<script" not in html and "<img" not in html and "<i>" not in html
        assert "&lt;script&gt;" in html and "&lt;img src=" in html


def test_generated_sentences_the_sources_do_not_support_are_flagged():
    sentences = (
        SentenceSupport("小米 SU7 通过北汽越野车有限公司完成申报。[1]", (1,), True, 0.9),
        SentenceSupport("这为小米节省了 <b>五年</b>。[1]", (1,), False, 0.2),
    )
    text = "".join(sentence.text for sentence in sentences)
    html = conversation_html([Turn("q", Answer("q", text, (citation(),), backend="local", sentences=sentences))], "en", corpus="c/")
    flagged = re.search(r'<div class="note unsupported">(.*?)</div>', html).group(1)
    assert t("en", "unsupported_note") in flagged
    assert "<li>这为小米节省了 &lt;b&gt;五年&lt;/b&gt;。</li>" in flagged and "北汽越野车" not in flagged
    supported = conversation_html([Turn("q", Answer("q", text, (citation(),), sentences=sentences[:1]))], "en", corpus="c/")
    assert "unsupported" not in supported


def test_empty_states_say_what_to_do():
    assert "corpus/" in conversation_html([], "en", corpus="corpus/")
    assert t("zh", "source_empty") in source_html(None, None, "zh")
    assert "Upload" in documents_html([], "en", corpus="corpus/")


def test_language_follows_the_browser_locale():
    assert language_of("zh-CN") == "zh" and language_of("zh-TW") == "zh"
    assert language_of("en-US") == "en" and language_of("fr") == "en" and language_of(None) == "en"


# Documents


@pytest.mark.parametrize(
    ("uploaded", "stored"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\报告.MD", "报告.md"),
        ("/abs/path/年度 报告.txt", "年度 报告.txt"),
        ('a<b>:c|d?.txt', "a_b__c_d_.txt"),
        ("...hidden.txt", "hidden.txt"),
        ("..", "document"),
    ],
)
def test_uploaded_file_names_are_made_safe(uploaded, stored):
    assert documents.safe_filename(uploaded) == stored


def test_upload_is_stored_in_the_corpus_under_its_safe_name(small_settings, tmp_path):
    upload = tmp_path / "upload" / "纪要.md"
    upload.parent.mkdir()
    upload.write_text("# 纪要\n常州工厂投资 37 亿元。\n", encoding="utf-8")
    assert documents.save_upload(small_settings, upload, "../../纪要.md") == ("纪要.md", False)
    assert (small_settings.corpus_dir / "纪要.md").read_text(encoding="utf-8").startswith("# 纪要")
    assert documents.save_upload(small_settings, upload, "纪要.md") == ("纪要.md", True)
    assert not list(tmp_path.glob("*.md")) and not list(tmp_path.glob("etc*"))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ", "unsupported file type"),
        ("empty.txt", b"", "is empty"),
        ("binary.txt", b"\x00\x01\x02" * 50, "binary"),
        ("blank.md", b"   \n\n", "no text"),
    ],
)
def test_uploads_of_the_wrong_kind_are_refused_with_a_reason(small_settings, tmp_path, name, content, message):
    upload = tmp_path / name
    upload.write_bytes(content)
    with pytest.raises(DocumentError, match=message):
        documents.save_upload(small_settings, upload)
    assert not (small_settings.corpus_dir / name).exists()


def test_word_pdf_and_html_uploads_are_stored_and_a_broken_one_is_refused(small_settings, tmp_path):
    import docx

    word = docx.Document()
    word.add_heading("会议纪要", level=1)
    word.add_paragraph("常州工厂投资 37 亿元。")
    word.save(tmp_path / "纪要.docx")
    (tmp_path / "page.html").write_text("<h1>标题</h1><p>正文内容。</p>", encoding="utf-8")
    shutil.copyfile(Path(__file__).parent / "data" / "report_embedded.pdf", tmp_path / "report.pdf")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    names = ["纪要.docx", "page.html", "report.pdf", "broken.docx"]
    status = ReportUI(small_settings).upload([str(tmp_path / name) for name in names], "zh")
    assert all(f"已保存 {name}" in status for name in names[:3])
    assert "无法读取 broken.docx,未保存" in status
    assert sorted(path.name for path in small_settings.corpus_dir.iterdir()) == sorted(["report.txt", *names[:3]])


def test_uploads_over_the_size_limit_are_refused(small_settings, tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_UPLOAD_BYTES", 10)
    upload = tmp_path / "big.txt"
    upload.write_text("这是一份超过大小限制的文档。", encoding="utf-8")
    with pytest.raises(DocumentError, match="limit"):
        documents.save_upload(small_settings, upload)


def test_delete_refuses_anything_but_a_listed_document(small_settings, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me", encoding="utf-8")
    for name in ("../outside.txt", "missing.txt", str(outside)):
        with pytest.raises(DocumentError):
            documents.delete_document(small_settings, name)
    assert outside.exists()
    documents.delete_document(small_settings, "report.txt")
    assert not (small_settings.corpus_dir / "report.txt").exists()


def test_document_rows_show_what_needs_reindexing_and_reindex_reports_progress(small_settings):
    ui = ReportUI(small_settings)
    assert [(r.name, r.status, r.chunks) for r in documents.document_rows(small_settings)] == [("report.txt", "new", None)]
    steps = list(ui.reindex("en"))
    assert "Re-indexing" in steps[0] and "indexing report.txt" in steps[1]
    assert "1 added, 0 updated, 0 unchanged, 0 deleted" in steps[-1]
    (row,) = documents.document_rows(small_settings)
    assert row.status == "indexed" and row.chunks >= 1 and row.indexed_at

    (small_settings.corpus_dir / "new.md").write_text("新的文档内容。", encoding="utf-8")
    (small_settings.corpus_dir / "report.txt").write_text(DOCUMENT + "追加。\n", encoding="utf-8")
    statuses = {r.name: r.status for r in documents.document_rows(small_settings)}
    assert statuses == {"new.md": "new", "report.txt": "changed"}
    (small_settings.corpus_dir / "new.md").unlink()
    assert "[1/1] 正在索引 report.txt" in list(ui.reindex("zh"))[1]
    (small_settings.corpus_dir / "report.txt").unlink()
    table, deletable = ui.documents("zh")
    assert t("zh", "status_removed") in table and deletable == []


def test_deleting_every_document_in_the_page_then_reindexing_empties_the_index(small_settings):
    ui = ReportUI(small_settings)
    list(ui.reindex("en"))
    documents.delete_document(small_settings, "report.txt")

    steps = list(ui.reindex("en"))

    assert "0 added, 0 updated, 0 unchanged, 1 deleted" in steps[-1]
    assert Index(small_settings).documents() == {}
    html, turns, _ = list(ui.ask("谁完成了申报?", [], "en"))[-1]
    assert turns[0].error and "report.txt" not in html


def test_a_question_right_after_a_reindex_in_the_page_is_answered_from_the_new_index(small_settings):
    retriever = Retriever(small_settings, embeddings=HashEmbeddings())
    ui = ReportUI(small_settings, assistant=Assistant(small_settings, retriever=retriever))
    list(ui.reindex("en"))
    assert ui.assistant().retriever.retrieve("谁完成了申报?")  # the retriever has read the index
    (small_settings.corpus_dir / "plant.md").write_text("# 常州工厂\n常州第二座电池工厂投资 37 亿元。\n", encoding="utf-8")

    assert "1 added" in list(ui.reindex("en"))[-1]

    passages = ui.assistant().retriever.retrieve("常州第二座电池工厂的投资额是多少?")
    assert passages and passages[0].source == "plant.md"


def test_a_second_reindex_while_one_runs_is_refused(small_settings):
    running = documents.reindex(small_settings)
    next(running)  # holds the lock until the generator finishes
    assert t("en", "reindex_busy") in list(ReportUI(small_settings).reindex("en"))[-1]
    list(running)


def test_upload_and_delete_handlers_report_each_file(small_settings, tmp_path):
    good, bad = tmp_path / "ok.txt", tmp_path / "bad.exe"
    good.write_text("内容。", encoding="utf-8")
    bad.write_bytes(b"MZ")
    ui = ReportUI(small_settings)
    status = ui.upload([str(good), str(bad)], "en")
    saved, refused = status.split('<div class="status error">')
    assert 'class="status ok"' in saved and "Saved ok.txt" in saved and "bad.exe: unsupported file type" in refused
    empty = tmp_path / "空.txt"
    empty.write_bytes(b"")
    chinese = ui.upload([str(bad), str(empty)], "zh")  # refusals in the page's language
    assert "bad.exe:不支持的文件类型" in chinese and "空.txt 是空文件" in chinese
    assert "Deleted ok.txt" in ui.delete("ok.txt", "en")
    assert t("en", "delete_none") in ui.delete(None, "en")


# Chat


class FakeBackend:
    name = "none"


class FakeAssistant:
    """Streams a fixed answer citing the DOCUMENT passage; fails for the question 'fail'."""

    backend = FakeBackend()
    retriever = None  # other backends get their own retriever

    def __init__(self):
        self.histories = []

    def stream(self, question, *, history=(), k=None, documents=None):
        self.histories.append(list(history))
        if question == "fail":
            raise QuestionError("The question is empty. Type a question about the documents.")
        yield "小米 SU7 通过北汽越野车"
        yield "有限公司完成申报。[1]"
        yield Answer(question, "小米 SU7 通过北汽越野车有限公司完成申报。[1]", (citation(),), backend="none")


def test_ask_streams_then_shows_clickable_citations_and_the_source(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "report.txt").write_text(DOCUMENT, encoding="utf-8")
    ui = ReportUI(Settings(corpus_dir=corpus, index_dir=tmp_path / "index", llm="none"), assistant=FakeAssistant())
    steps = list(ui.ask("谁完成了申报?", [], "zh"))
    assert "正在检索文档" in steps[0][0]
    streamed = steps[1][0]
    assert "bubble streaming" in streamed and "小米 SU7 通过北汽越野车" in streamed and 'class="cite"' not in streamed
    html, turns, box = steps[-1]
    assert box == "" and len(turns) == 1 and turns[0].answer.citations[0].marker == 1
    assert 'class="cite" data-turn="0" data-marker="1"' in html and "一、合作背景 › 资质" in html
    assert "<mark>小米 SU7 通过北汽越野车有限公司完成申报。</mark>" in ui.show_source(turns, "zh", 0, 1)
    assert t("en", "source_missing") in ui.show_source(turns, "en", 0, 9)

    html, turns, _ = list(ui.ask("那时间呢?", turns, "zh"))[-1]
    assert ui.assistant().histories[-1] == [("谁完成了申报?", "小米 SU7 通过北汽越野车有限公司完成申报。[1]")]
    html, turns, _ = list(ui.ask_example("时代北汽的总投资是多少？", turns, "zh"))[-1]
    assert ui.assistant().histories[-1] == []  # an example question is not a follow-up
    assert len(turns) == 3 and 'data-turn="2" data-marker="1"' in html


def test_ask_shows_a_fixable_error_in_the_conversation_and_ignores_blank_questions(tmp_path):
    ui = ReportUI(Settings(corpus_dir=tmp_path, index_dir=tmp_path / "index", llm="none"), assistant=FakeAssistant())
    html, turns, _ = list(ui.ask("fail", [], "en"))[-1]
    assert turns[0].error and 'class="bubble error"' in html and "Type a question" in html
    assert list(ui.ask("   ", turns, "en"))[-1][1] == turns


def test_ask_uses_the_backend_and_number_of_passages_chosen_in_settings(tmp_path):
    fake = RecordingAssistant()
    ui = ReportUI(Settings(corpus_dir=tmp_path, index_dir=tmp_path / "index", llm="local"), assistant=fake)
    html, turns, _ = list(ui.ask("谁完成了申报?", [], "en", "local", 2))[-1]
    assert fake.ks == [2] and "Answered by: local LLM" in html


class LocalChatModel:
    model_path = "/models/qwen2.5-coder-0.5b-instruct-q4.gguf"


class LocalBackend:
    name = "local"
    chat_model = LocalChatModel()


class RecordingAssistant(FakeAssistant):
    """A FakeAssistant for the local backend that records the number of passages asked for."""

    backend = LocalBackend()

    def __init__(self):
        super().__init__()
        self.ks = []

    def stream(self, question, *, history=(), k=None, documents=None):
        self.ks.append(k)
        for piece in super().stream(question, history=history, k=k):
            yield Answer(piece.question, piece.text, piece.citations, backend="local") if isinstance(piece, Answer) else piece


def test_a_number_of_passages_out_of_range_is_refused(tmp_path):
    ui = ReportUI(Settings(corpus_dir=tmp_path, index_dir=tmp_path / "index", llm="none"), assistant=FakeAssistant())
    for k in (0, -1, 21):
        with pytest.raises(SettingsError, match="1 to 20 passages"):
            ui.api_retrieve("时代北汽的总投资是多少？", k)


def test_settings_name_the_active_backend_and_its_models(tmp_path):
    ui = ReportUI(Settings(corpus_dir=tmp_path, index_dir=tmp_path / "index", llm="local"), assistant=RecordingAssistant())
    assert "回答方式:本地模型" in ui.backend_badge(None, "zh")
    models = ui.models(None, "en")
    assert "qwen2.5-coder-0.5b-instruct-q4.gguf" in models and "multilingual-e5-small" in models
    assert "local LLM" in models and "/models/" not in models
    openai = ui.backend_badge("openai", "en")  # not configured: the badge says what to set
    assert 'class="badge error"' in openai and "REPORTQA_OPENAI_MODEL" in openai


def test_a_question_before_any_indexing_says_where_to_index(small_settings):
    html, turns, _ = list(ReportUI(small_settings).ask("谁完成了申报?", [], "zh"))[-1]
    assert turns[0].error == t("zh", "no_index") and "重新索引" in html


@pytest.mark.slow
def test_real_answer_cites_the_passage_that_the_source_panel_highlights(report_settings, report_assistant):
    ui = ReportUI(report_settings, assistant=report_assistant)
    html, turns, _ = list(ui.ask("小米SU7是通过哪家公司完成工信部申报的？", [], "zh"))[-1]
    answer = turns[0].answer
    assert "北汽越野车" in answer.text and answer.citations
    assert f'data-marker="{answer.citations[0].marker}"' in html
    panel = ui.show_source(turns, "zh", 0, answer.citations[0].marker)
    marked = re.search(r"<mark>(.*?)</mark>", panel).group(1)
    assert "北汽越野车有限公司完成工信部申报" in marked
    assert "资质与产能的互补" in panel and "xiaomi-baic-cooperation-report.txt" in panel
    assert ui.api_ask("小米SU7是通过哪家公司完成工信部申报的？", 3)["citations"]
    assert len(ui.api_retrieve("时代北汽的总投资是多少？", 2)["passages"]) == 2


# Evidence and feedback


def answer_with_passages() -> Answer:
    """An answer citing the first of two retrieved passages; the second holds markup."""
    from reportqa.retrieval import Passage

    cited = citation()
    passages = (
        Passage(cited.id, cited.text, cited.source, cited.section, 0.8123, cited.start, cited.end),
        Passage("c9", "别的内容 <script>alert(1)</script>", "other.md", "二、下一节", 0.4, 0, 30),
    )
    return Answer("谁完成了申报?", "小米 SU7 通过北汽越野车有限公司完成申报。[1]", (cited,), passages=passages)


def test_all_retrieved_passages_show_collapsed_with_scores_and_which_are_cited():
    html = conversation_html([Turn("谁完成了申报?", answer_with_passages())], "zh", corpus="corpus/")
    evidence = re.search(r'<details class="evidence">.*?</details>', html).group(0)
    assert "<summary>所有检索到的段落(2)</summary>" in evidence
    cited, uncited = re.findall(r'<li class="(cited|uncited)">', evidence)
    assert (cited, uncited) == ("cited", "uncited")
    assert "已引用 [1]" in evidence and "得分 0.812" in evidence and "一、合作背景 › 资质" in evidence
    assert "未引用" in evidence and "other.md" in evidence and "得分 0.400" in evidence
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in evidence and "<script>" not in html
    english = conversation_html([Turn("q", answer_with_passages())], "en", corpus="corpus/")
    assert "All retrieved passages (2)" in english and "not cited" in english and "cited [1]" in english


def test_an_answer_without_passages_shows_no_evidence_list():
    html = conversation_html([Turn("q", Answer("q", "a", ()))], "en", corpus="corpus/")
    assert "evidence" not in html and 'class="vote' in html  # feedback is still possible


def test_a_vote_with_a_comment_is_appended_to_the_feedback_file_and_confirmed(tmp_path):
    from reportqa.feedback import feedback_path, read_feedback

    settings = Settings(corpus_dir=tmp_path, index_dir=tmp_path / "index", llm="none")
    ui = ReportUI(settings, assistant=FakeAssistant())
    turns = [Turn("谁完成了申报?", answer_with_passages()), Turn("那时间呢?", error="出错了")]
    html, turns, status = ui.feedback(turns, "zh", 0, "down", "  应该是北汽越野车  ")
    assert 'class="status ok"' in status and "👎" in status and "谢谢" in status
    assert turns[0].vote == "down" and 'class="vote active" data-turn="0" data-vote="down"' in html
    html, turns, status = ui.feedback(turns, "en", 0.0, "up", None)
    assert "Thanks: your 👍 is recorded." in status and turns[0].vote == "up"
    rows = read_feedback(feedback_path(settings))
    assert [row["vote"] for row in rows] == ["down", "up"]
    assert rows[0]["question"] == "谁完成了申报?" and rows[0]["comment"] == "应该是北汽越野车"
    assert rows[0]["answer"].endswith("[1]") and rows[0]["citations"][0]["section"] == "一、合作背景 › 资质"
    assert rows[0]["backend"] == "none" and rows[0]["via"] == "web" and rows[0]["time"]


@pytest.mark.parametrize("turn", [None, "x", -1, 1, 5, float("inf"), True])
def test_feedback_on_no_answer_gets_a_one_line_message_and_writes_nothing(tmp_path, turn):
    from reportqa.feedback import feedback_path

    settings = Settings(corpus_dir=tmp_path, index_dir=tmp_path / "index", llm="none")
    ui = ReportUI(settings, assistant=FakeAssistant())
    turns = [Turn("谁完成了申报?", answer_with_passages()), Turn("那时间呢?", error="出错了")]
    html, kept, status = ui.feedback(turns, "en", turn, "down", "")
    assert kept == turns and status == f'<div class="status error"><div>{t("en", "feedback_no_answer")}</div></div>'
    _, _, status = ui.feedback([], "zh", 0, "up", "")
    assert "请先提问" in status
    assert not feedback_path(settings).exists()


def test_feedback_with_a_bad_vote_or_an_overlong_comment_is_refused(tmp_path):
    from reportqa.feedback import MAX_COMMENT_CHARS, feedback_path

    settings = Settings(corpus_dir=tmp_path, index_dir=tmp_path / "index", llm="none")
    ui = ReportUI(settings, assistant=FakeAssistant())
    turns = [Turn("谁完成了申报?", answer_with_passages())]
    _, kept, status = ui.feedback(turns, "en", 0, "maybe", "")
    assert 'class="status error"' in status and "not one of up, down" in status and kept[0].vote == ""
    _, _, status = ui.feedback(turns, "zh", 0, "down", "长" * (MAX_COMMENT_CHARS + 1))
    assert f"请控制在 {MAX_COMMENT_CHARS} 个以内" in status
    assert not feedback_path(settings).exists()
