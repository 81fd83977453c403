"""Eight clients on the running app's HTTP API while another process re-indexes: no errors, right answers."""

from __future__ import annotations

import pytest

from benchmarks.load import CHANGED_DOCUMENTS, load_during_reindex

pytestmark = pytest.mark.slow

CLIENTS = 8
LOAD_SECONDS = 30  # at least; the load goes on until the re-index has finished


def test_eight_clients_during_a_reindex_get_no_errors_and_correct_answers(tmp_path):
    run = load_during_reindex(tmp_path, clients=CLIENTS, seconds=LOAD_SECONDS)
    print(f"\n{run.load.summary()}; re-index took {run.reindex_seconds:.1f}s")

    assert run.reindex.returncode == 0, run.reindex.stderr
    assert f"{len(CHANGED_DOCUMENTS)} updated" in run.reindex.stdout and "1 deleted" in run.reindex.stdout
    reindex_end = run.reindex_started + run.reindex_seconds
    assert reindex_end <= run.load.seconds, "the load must cover the whole re-index"
    assert run.load.answered_between(run.reindex_started, reindex_end) >= CLIENTS, "no load during the re-index"
    assert run.load.errors == []
    assert run.load.wrong == []  # each report answer states its fact and cites its section; notes are whole versions
    assert run.seconds_to_see_it is not None and run.seconds_to_see_it < 5, "the app kept serving the old index"
