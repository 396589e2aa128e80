"""Lesson content: the YAML loader, the schema checks, placeholders and engine-checked numbers.

Content is data only: one YAML file per topic (``content/<topic>.yaml``) or a folder of files
merged into one topic (``content/<topic>/*.yaml``).  The format is documented for authors in
``docs/CONTENT_FORMAT.md``; this package is its reference implementation.

Loading never throws at the first error.  Every problem is collected as a :class:`Problem`
(``path:line: key: message``; the line is the parser's, never guessed) and loading goes on:

* a **file** that cannot be read or parsed, or whose header (``topic``, ``order``, ``title``,
  ``summary``, ``requires``, ``source``, unknown top-level keys) is wrong, is skipped and listed
  in :attr:`Catalog.skipped`; its cards and questions are still checked, so all of its problems
  are reported in one run;
* a **card or question** with a problem is skipped (listed in :attr:`Catalog.skipped_items`);
  the rest of its file loads;
* a prerequisite that is unknown or closes a cycle is reported and that edge is dropped; the
  topic still loads;
* a duplicate id (topic, card or question) is reported at both places; the first one in file
  order is kept.

YAML is read by :class:`ContentLoader`, a safe loader (``CSafeLoader`` when libyaml is there,
else ``SafeLoader``) that builds the data straight from the parser's events, without Python
recursion, so that hostile files stay cheap:

* the file size is checked with ``stat`` before reading (:data:`MAX_FILE_BYTES`), and at most
  that many bytes are read;
* non-UTF-8 bytes are reported with their line; tabs in indentation get a clear message;
* only plain data tags are accepted (``!!python/...`` and other tags are refused);
* aliases are counted as expanded (:data:`MAX_NODES` values per file; an alias bomb aborts the
  file) and nesting is capped (:data:`MAX_DEPTH`);
* duplicate keys are reported with both lines.

``verify_numbers=True`` runs every ``compute`` with the engine and resolves every placeholder,
``show`` key and numeric/matrix answer, and draws one variant (seed 0) of every exercise, so
that every number a lesson states is the engine's.

One module per job: :mod:`.spec` (the format's constants), :mod:`.yamlload` (reading a file),
:mod:`.placeholder` (``{{run.path:fmt}}``), :mod:`.compute` (engine runs), :mod:`.schema` and
:mod:`.schema_kinds` (the checks), :mod:`.catalog` (:func:`load_catalog`) and :mod:`.verify`
(the numeric checks of ``check-content``). Every name is re-exported here; the names of
:mod:`.verify` are imported on first use, so a plain :func:`load_catalog` never imports it.
"""

from __future__ import annotations

from typing import Any

# the public types are defined in tutor.model, which the app can import without yaml
from tutor.model import Card, Catalog, Problem, Question, Topic, default_content_dir

from .catalog import _find_cycle, clear_cache, load_catalog, summary  # noqa: F401  (_find_cycle: tests)
from .compute import ComputeError, expected_answer, run_compute, run_one, tolerance_of
from .placeholder import PlaceholderError, format_value, parse_path, placeholders, render, resolve_path
from .spec import (  # noqa: F401  (the format constants, as before the split)
    BLANK_RE,
    BRACES_RE,
    CARD_KEYS,
    FMT_RE,
    HEADER_KEYS,
    ITEM_RE,
    KEY_RE,
    KIND_KEYS,
    KINDS,
    LANGS,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_NODES,
    NAME_RE,
    PATH_TOKEN_RE,
    PLACEHOLDER_RE,
    QUESTION_KEYS,
    TOLERANCE_KEYS,
    TOP_KEYS,
    TOPIC_RE,
)
from .yamlload import ContentLoader, LineDict, LineList, cache_info, parse_file  # noqa: F401

_LAZY = {"check_catalog", "item_texts", "verify_item"}   # from .verify, imported on first use


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import verify

        return getattr(verify, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "Card", "Catalog", "ComputeError", "ContentLoader", "KINDS", "LANGS", "MAX_DEPTH", "MAX_FILE_BYTES",
    "MAX_NODES", "PlaceholderError", "Problem", "Question", "Topic", "cache_info", "check_catalog",
    "clear_cache", "default_content_dir", "expected_answer", "format_value", "item_texts", "load_catalog",
    "parse_file", "parse_path", "placeholders", "render", "resolve_path", "run_compute", "run_one", "summary",
    "tolerance_of", "verify_item",
]
