"""The UI's words in Chinese and English; the page follows the browser's language until the user picks one."""

from __future__ import annotations

LANGUAGES = {"zh": "中文", "en": "English"}

TEXT = {
    "zh": {
        "title": "报告问答",
        "subtitle": "离线回答关于公司报告的问题,每个答案都附可核对的出处。",
        "tab_chat": "对话",
        "tab_documents": "文档",
        "tab_settings": "设置",
        "question": "问题",
        "question_placeholder": "输入关于文档的问题,按回车发送",
        "send": "发送",
        "new_chat": "新对话",
        "examples": "示例问题",
        "language": "语言",
        "backend": "回答方式",
        "backend_badge": "回答方式:{name}",
        "welcome": "就 {corpus} 中的文档提问。答案中的 [1] 等标记可以点击,在右侧查看原文出处。",
        "sources": "出处",
        "answered_by": "回答方式:{name}",
        "thinking": "正在检索文档…",
        "no_index": "还没有建立索引。请在“文档”页上传文档并点击“重新索引”。",
        "not_found_note": "文档中没有足够的依据,因此未给出答案。",
        "unsupported_note": "以下内容在引用的段落中找不到明确依据,使用前请核对:",
        "source_empty": "点击答案中的 [1] 等标记,在此查看引用的原文段落,支持句会高亮显示。",
        "source_title": "原文出处",
        "source_file": "文件",
        "source_section": "章节",
        "source_changed": "该文档在建立索引后已被修改或删除;下面显示的是索引时的段落。请重新建立索引。",
        "source_missing": "找不到这个出处,请重新提问。",
        "documents_heading": "语料库中的文档",
        "documents_empty": "语料库 {corpus} 中还没有文档。请在下方上传 .txt、.md 等文件,然后点击“重新索引”。",
        "col_name": "文件",
        "col_size": "大小",
        "col_chunks": "段落数",
        "col_indexed": "最近索引",
        "col_status": "状态",
        "status_indexed": "已索引",
        "status_new": "未索引",
        "status_changed": "已修改,待重新索引",
        "status_removed": "已删除,重新索引后移除",
        "upload": "上传文档({types},每个不超过 {size})",
        "upload_saved": "已保存 {name}。点击“重新索引”后即可用于回答。",
        "upload_replaced": "已替换 {name}。点击“重新索引”后生效。",
        "upload_unsupported": "{name}:不支持的文件类型。请上传以下类型之一:{types}。",
        "upload_too_large": "{name} 大小为 {size} MB,超过每个文件 {limit} MB 的上限。请拆分成较小的文件。",
        "upload_empty": "{name} 是空文件。请上传包含文字的文档。",
        "upload_no_text": "{name} 中没有文字。请上传包含文字的文档。",
        "upload_unreadable": "无法读取 {name},未保存:{error}",
        "upload_bad_name": "{name} 不是有效的文件名。请重命名后再上传。",
        "delete_choice": "选择要删除的文档",
        "delete": "删除",
        "delete_done": "已删除 {name}。点击“重新索引”后它将不再出现在答案中。",
        "delete_none": "请先选择要删除的文档。",
        "reindex": "重新索引",
        "reindex_running": "正在重新索引…",
        "reindex_busy": "已有一次重新索引正在进行,请稍候。",
        "reindex_done": "索引完成:新增 {added},更新 {updated},未变 {unchanged},删除 {deleted} 篇文档(用时 {seconds:.1f} 秒)。",
        "reindex_skipped": "跳过:{error}",
        "reindex_indexing": "[{number}/{total}] 正在索引 {source}",
        "reindex_removing": "正在移除 {source}",
        "settings_backend": "回答方式",
        "settings_k": "检索的段落数",
        "settings_models": "正在使用的模型",
        "settings_backend_changed": "已切换回答方式:{name}",
        "model_embedding": "向量模型",
        "model_llm": "生成模型",
        "model_none": "无(抽取式回答,直接引用原文句子)",
        "corpus_folder": "语料库目录",
        "index_folder": "索引目录",
    },
    "en": {
        "title": "Report QA",
        "subtitle": "Answers questions about your company's reports offline, with sources you can check.",
        "tab_chat": "Chat",
        "tab_documents": "Documents",
        "tab_settings": "Settings",
        "question": "Question",
        "question_placeholder": "Ask a question about the documents and press Enter",
        "send": "Send",
        "new_chat": "New chat",
        "examples": "Example questions",
        "language": "Language",
        "backend": "Answer backend",
        "backend_badge": "Answer backend: {name}",
        "welcome": "Ask about the documents in {corpus}. Click a marker such as [1] in an answer to see the source passage.",
        "sources": "Sources",
        "answered_by": "Answered by: {name}",
        "thinking": "Searching the documents…",
        "no_index": "No documents are indexed yet. Add documents in the Documents tab and click Re-index.",
        "not_found_note": "The documents hold too little evidence, so no answer was given.",
        "unsupported_note": "Not clearly supported by the cited passages; check before relying on it:",
        "source_empty": "Click a marker such as [1] in an answer to see the cited passage here, with the supporting sentence highlighted.",
        "source_title": "Source",
        "source_file": "File",
        "source_section": "Section",
        "source_changed": "This document has changed or been removed since it was indexed; showing the indexed passage. Re-index to refresh.",
        "source_missing": "This source is no longer available; ask the question again.",
        "documents_heading": "Documents in the corpus",
        "documents_empty": "The corpus {corpus} has no documents yet. Upload .txt, .md or other files below, then click Re-index.",
        "col_name": "File",
        "col_size": "Size",
        "col_chunks": "Passages",
        "col_indexed": "Last indexed",
        "col_status": "Status",
        "status_indexed": "indexed",
        "status_new": "not indexed yet",
        "status_changed": "changed, re-index to update",
        "status_removed": "deleted, re-index to remove",
        "upload": "Upload documents ({types}, up to {size} each)",
        "upload_saved": "Saved {name}. Click Re-index to use it in answers.",
        "upload_replaced": "Replaced {name}. Click Re-index to use the new version.",
        "upload_unsupported": "{name}: unsupported file type. Upload one of: {types}.",
        "upload_too_large": "{name} is {size} MB; the limit is {limit} MB per file. Split it into smaller files.",
        "upload_empty": "{name} is empty. Upload a document with text in it.",
        "upload_no_text": "{name} has no text in it. Upload a document with text.",
        "upload_unreadable": "{name} was not saved: {error}",
        "upload_bad_name": "{name} is not a valid file name. Rename the file and upload it again.",
        "delete_choice": "Document to delete",
        "delete": "Delete",
        "delete_done": "Deleted {name}. Click Re-index to remove it from answers.",
        "delete_none": "Choose a document to delete first.",
        "reindex": "Re-index",
        "reindex_running": "Re-indexing…",
        "reindex_busy": "A re-index is already running; wait for it to finish.",
        "reindex_done": "Index updated: {added} added, {updated} updated, {unchanged} unchanged, {deleted} deleted documents ({seconds:.1f}s).",
        "reindex_skipped": "Skipped: {error}",
        "reindex_indexing": "[{number}/{total}] indexing {source}",
        "reindex_removing": "removing {source}",
        "settings_backend": "Answer backend",
        "settings_k": "Passages to retrieve",
        "settings_models": "Models in use",
        "settings_backend_changed": "Answer backend is now: {name}",
        "model_embedding": "Embedding model",
        "model_llm": "Language model",
        "model_none": "none (extractive: answers quote the documents' sentences)",
        "corpus_folder": "Corpus folder",
        "index_folder": "Index folder",
    },
}

BACKEND_NAMES = {
    "zh": {"none": "抽取式(无生成模型)", "local": "本地模型", "openai": "OpenAI 兼容接口", "auto": "自动"},
    "en": {"none": "extractive (no LLM)", "local": "local LLM", "openai": "OpenAI-compatible API", "auto": "automatic"},
}


def language_of(locale: str | None) -> str:
    """'zh' for a Chinese browser locale such as zh-CN, else 'en'."""
    return "zh" if (locale or "").lower().startswith("zh") else "en"


def t(lang: str, key: str, **values) -> str:
    """The text for key in lang (English when lang is unknown), with values filled in."""
    text = TEXT.get(lang, TEXT["en"])[key]
    return text.format(**values) if values else text


def backend_name(lang: str, name: str) -> str:
    """A backend's name as users read it, e.g. 'extractive (no LLM)' for `none`."""
    names = BACKEND_NAMES.get(lang, BACKEND_NAMES["en"])
    for key, label in names.items():
        if name == key or name.startswith(key + ":"):
            return label + name[len(key):]
    return name
