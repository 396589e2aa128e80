"""The content model: what the loader produces and the app, the session and the cache use.

Plain dataclasses, importable without yaml or the engine. The app's start path needs only the
summary and the load problems (:mod:`tutor.catalog_summary`, re-exported here); the classes
below only once a screen needs the full catalog.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from tutor.catalog_summary import Problem, Summary, TopicSummary, default_content_dir

__all__ = ["Card", "Catalog", "Problem", "Question", "Summary", "Topic", "TopicSummary", "default_content_dir"]


@dataclass
class Card:
    id: str
    topic: str
    title: dict
    body: dict
    compute: dict
    show: list
    note: dict | None
    line: int
    path: str
    lines: dict = field(default_factory=dict, repr=False, compare=False)  # field key -> line


@dataclass
class Question:
    id: str
    topic: str
    kind: str
    prompt: dict | None          # None only for an exercise without an intro (the generator writes it)
    data: dict                   # the kind-specific fields, as written (plain dicts/lists)
    explain: dict | None         # None only for an exercise (its worked solution explains)
    hints: list
    compute: dict
    line: int
    path: str
    lines: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def literal(self) -> bool:
        """A numeric/matrix answer typed into the file (``value:``) instead of computed."""
        return self.kind in ("numeric", "matrix") and "value" in (self.data.get("answer") or {})


@dataclass
class Topic:
    id: str
    order: int
    title: dict
    summary: dict | None
    requires: list[str]
    source: list[str]
    cards: list[Card]
    questions: list[Question]
    path: str                    # the file, or the folder of a merged topic
    line: int | None = None      # line of ``topic:`` in the header file
    files: list[str] = field(default_factory=list)


@dataclass
class Catalog:
    topics: dict[str, Topic]     # curriculum order: (order, id)
    problems: list[Problem]
    skipped: list[str]           # files not loaded
    skipped_items: list[str] = field(default_factory=list)   # ids (or path:line) of items not loaded
    verified: bool = False       # the engine checks ran (load_catalog(verify_numbers=True))
    deep_problems: list[Problem] = field(default_factory=list)
    _index: dict = field(default_factory=dict, repr=False)

    def item(self, item_id: str) -> Card | Question:
        if not self._index or len(self._index) != sum(len(t.cards) + len(t.questions) for t in self.topics.values()):
            self._reindex()
        return self._index[item_id]

    def items_by_topic(self) -> dict[str, list[str]]:
        return {tid: [c.id for c in t.cards] + [q.id for q in t.questions] for tid, t in self.topics.items()}

    def items(self) -> Iterator[Card | Question]:
        for t in self.topics.values():
            yield from t.cards
            yield from t.questions

    @property
    def literal_answers(self) -> list[str]:
        """Ids of numeric/matrix questions whose answer is typed into the file."""
        return [q.id for t in self.topics.values() for q in t.questions if q.literal]

    def _reindex(self) -> None:
        self._index = {it.id: it for it in self.items()}

    def summary(self) -> Summary:
        return Summary(topics={tid: TopicSummary(id=t.id, title=t.title, summary=t.summary, requires=list(t.requires),
                                                 n_cards=len(t.cards), n_questions=len(t.questions))
                               for tid, t in self.topics.items()},
                       problems=list(self.problems))
