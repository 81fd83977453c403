"""Progress of an index build on the page's Re-index: chunks done go to the progress bar."""

from __future__ import annotations

from reportqa.indexing import IndexReport, Progress
from reportqa.ui import documents


def test_reindex_on_the_page_reports_chunks_to_the_progress_bar_and_documents_to_the_status(two_doc_settings):
    shown: list[tuple[tuple[int, int], str]] = []
    steps = list(documents.reindex(two_doc_settings, progress=lambda done, desc, unit: shown.append((done, desc))))
    assert [(step.action, step.source) for step in steps[:-1]] == [("indexing", "battery.md"), ("indexing", "logistics.txt")]
    assert isinstance(steps[-1], IndexReport) and steps[-1].chunks_added == 2
    assert shown[-1][0] == (2, 2) and "2/2 chunks" in shown[-1][1] and "chunks/s" in shown[-1][1]
    assert all(isinstance(step, (Progress, IndexReport)) for step in steps)


def test_reindex_outside_a_page_event_needs_no_progress_bar(two_doc_settings):
    steps = list(documents.reindex(two_doc_settings))
    assert steps[-1].documents_added == 2
