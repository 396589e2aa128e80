"""The content format in constants: languages, limits, question kinds, id patterns, allowed keys."""

from __future__ import annotations

import re

LANGS = ("ko", "en")
MAX_FILE_BYTES = 2 * 1024 * 1024   # bigger files are refused unread
MAX_NODES = 20_000                 # values per file, aliases counted as expanded
MAX_DEPTH = 60                     # nesting of mappings/lists

KINDS = ("choice", "multi", "order", "text", "cloze", "numeric", "matrix", "exercise")

TOPIC_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ITEM_RE = re.compile(r"^[a-z0-9][a-z0-9-]*(?:\.[a-z0-9][a-z0-9_-]*)+$")
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
FMT_RE = re.compile(r"^(?:\.(\d{1,2})([fg%])|d)$")
# {{ ... }}: a placeholder {{run.path:fmt}} or a cloze blank {{1}}
BRACES_RE = re.compile(r"\{\{(.*?)\}\}", re.S)
BLANK_RE = re.compile(r"^\s*(\d+)\s*$")
PLACEHOLDER_RE = re.compile(
    r"^\s*(?P<path>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[-?\d+\])*)\s*(?::\s*(?P<fmt>[^\s}]*)\s*)?$")
PATH_TOKEN_RE = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_-]*)|\[(-?\d+)\]")

HEADER_KEYS = ("order", "title", "summary", "requires", "source")
TOP_KEYS = {"topic", *HEADER_KEYS, "cards", "questions", "terms"}   # terms: see .terms
CARD_KEYS = {"id", "title", "body", "compute", "show", "note"}
QUESTION_KEYS = {"id", "kind", "prompt", "compute", "explain", "hints"}
KIND_KEYS: dict[str, tuple[set[str], set[str]]] = {   # kind -> (required, optional) own keys
    "choice": ({"choices", "answer"}, {"shuffle"}),
    "multi": ({"choices", "answer"}, {"shuffle"}),
    "order": ({"items"}, set()),
    "text": ({"answers"}, set()),
    "cloze": ({"blanks"}, set()),
    "numeric": ({"answer"}, {"tolerance", "mistakes"}),
    "matrix": ({"answer"}, {"tolerance", "rows", "cols"}),
    "exercise": ({"generator"}, {"params"}),
}
TOLERANCE_KEYS = ("rtol", "atol", "sig", "decimals")
