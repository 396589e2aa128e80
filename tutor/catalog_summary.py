"""What the app's start path needs of the content model: load problems, the catalog summary the
home screen shows, and where the shipped content lives.

Apart from :mod:`tutor.model` (cards, questions, topics, the catalog) so that the first screen does
not create the dataclasses of the full catalog. The classes here are records (:mod:`tutor.record`), not
dataclasses: ``@dataclass`` writes and compiles its methods' source when the class is created,
~2.5 M instructions a class (benchmarks: first screen).
:mod:`tutor.model` re-exports these names.
"""

from __future__ import annotations

from pathlib import Path

from tutor.record import Record


class Problem(Record):
    """A load problem: where (file, line when known), which key, and what is wrong."""
    __slots__ = ("path", "line", "key", "message")

    def __init__(self, path: str, line: int | None, key: str, message: str) -> None:
        self.path, self.line, self.key, self.message = path, line, key, message

    def __str__(self) -> str:
        from tutor.textsafe import printable  # a file name or a YAML key may hold ESC or U+202E

        if self.line is None:
            return printable(f"{self.path}: {self.key}: {self.message}")
        return printable(f"{self.path}:{self.line}: {self.key}: {self.message}")


class TopicSummary(Record):
    """What the home screen shows of a topic."""
    __slots__ = ("id", "title", "summary", "requires", "n_cards", "n_questions")

    def __init__(self, id: str, title: dict, summary: dict | None, requires: list[str], n_cards: int,
                 n_questions: int) -> None:
        self.id, self.title, self.summary, self.requires = id, title, summary, requires
        self.n_cards, self.n_questions = n_cards, n_questions


class Summary(Record):
    """The home screen's view of the catalog: topics in curriculum order and the load problems.

    A few kB, so the app can show its first screen before the full catalog (≈1 MB of cards and
    questions) is read."""
    __slots__ = ("topics", "problems")

    def __init__(self, topics: dict[str, TopicSummary], problems: list[Problem]) -> None:
        self.topics, self.problems = topics, problems


def default_content_dir() -> Path:
    """The shipped lessons: the ``content/`` directory, installed as the package ``tutor_content``.

    A plain directory package (never zipped: pip installs it unpacked), so its ``__file__`` is
    enough; importlib.resources would cost ~10 ms of imports on the app's start path."""
    try:
        import tutor_content

        return Path(tutor_content.__file__).resolve().parent
    except (ImportError, TypeError):  # pragma: no cover - running from a source tree without install
        return Path(__file__).resolve().parent.parent / "content"
