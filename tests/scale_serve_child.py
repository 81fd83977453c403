"""`python -m benchmarks.scale serve` with the bag-of-words embedding for questions (no model): the serving child of
tests/test_serving_while_reindexing.py."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # (run as a script from the checkout)

import benchmarks.run  # noqa: E402
from benchmarks import scale  # noqa: E402
from fakes import BagOfWordsEmbeddings  # noqa: E402


class QuestionEmbeddings(BagOfWordsEmbeddings):
    """The fake as the benchmark's embedding cache, which embeds the questions ahead."""

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        return [self.embed_query(text) for text in texts]


if __name__ == "__main__":
    benchmarks.run.cached_embeddings = lambda settings: QuestionEmbeddings()
    sys.exit(scale.main(["serve", *sys.argv[1:]]))
