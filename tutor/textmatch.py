"""Matching typed words against the accepted answers of a text question or a cloze blank.

Answers are compared the way people write them, not character by character:

* :func:`normalise` applies NFKC and case folding and drops spaces, middle dots, underscores,
  apostrophes and hyphens (a hyphen right before a digit is a minus sign and stays), so
  ``지도 학습`` = ``지도학습``, ``Forget-Gate`` = ``forgetgate``, ``f_t`` = ``ft``; periods stay
  (``1.0`` is not ``10``).
* A glossary term (``terms:`` in ``content/glossary.yaml``, see :class:`Glossary`) widens the
  accepted forms: when an accepted answer is a form of a term, every form of that term is
  accepted too (its Korean and English names, the author's variants and transliterations, and
  word-by-word mixes such as ``망각 gate``), limited to the languages the question accepts (a
  question that asks for the English term does not accept the Korean one).
* ``한글(English)``, ``English(한글)`` and ``한글 English`` are accepted when one part is a right
  answer and the other part is a right answer or a name of the same term.
* One trailing particle or polite copula (``지도학습이다``, ``망각 게이트요``, ``softmax를``) is
  dropped when what is left is exactly an accepted form of at least two characters.
* A miss by one edit (insert, delete, replace or swap two neighbours) of an accepted form of at
  least 5 letters is a *near miss*: graded as a format error (free), never as right, and not when
  the typed word is itself another term of the glossary (``비지도학습`` for ``지도학습``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

_DROP_RE = re.compile(r"[\s·・･‧∙_'’`]+|[-‐‑‒–—―](?!\d)")
_HANGUL_RE = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_LATIN_RE = re.compile(r"[A-Za-z]")
_PAREN_RE = re.compile(r"^\s*([^()\[\]]+?)\s*[(\[]\s*([^()\[\]]+?)\s*[)\]]\s*$")

# one trailing particle or copula a learner may type after the term; longest first
ENDINGS = ("입니다", "이에요", "이예요", "이고요", "이다", "이고", "이며", "이요", "예요", "에요", "으로",
           "은", "는", "이", "가", "을", "를", "와", "과", "의", "로", "도", "에", "요")

NEAR_MIN_LETTERS = 5
MAX_SHAPED = 200   # longer answers are only compared whole (the splits and slips are for terms, not essays)


def normalise(s: str) -> str:
    s = unicodedata.normalize("NFKC", s or "").casefold()
    return _DROP_RE.sub("", s)


def has_hangul(s: str) -> bool:
    return bool(_HANGUL_RE.search(s))


def has_latin(s: str) -> bool:
    return bool(_LATIN_RE.search(unicodedata.normalize("NFKC", s)))


def _lang(s: str) -> str | None:
    """'ko' for a form with Hangul, 'en' for one with Latin letters (and no Hangul), else None."""
    if has_hangul(s):
        return "ko"
    if has_latin(s):
        return "en"
    return None


def edit_distance_at_most_one(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one insertion, deletion, substitution or
    swap of two neighbouring characters."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (len(diff) == 2 and diff[1] == diff[0] + 1
                and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]


# --------------------------------------------------------------------------- glossary


@dataclass(frozen=True)
class Term:
    """One concept: the course's Korean and English names, other accepted forms, forms to avoid."""

    ko: str
    en: str
    accept: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    line: int | None = None

    def mixes(self) -> list[str]:
        """Word-by-word mixes of the Korean and English names of the same length (``망각 gate``)."""
        kw, ew = self.ko.split(), self.en.split()
        if len(kw) != len(ew) or len(kw) < 2 or len(kw) > 4:
            return []
        return [" ".join(ws) for ws in product(*zip(kw, ew))]

    def forms(self) -> list[str]:
        """Every accepted form (the avoided ones too: they are ours to avoid, not the learner's)."""
        return [self.ko, self.en, *self.accept, *self.avoid, *self.mixes()]


@dataclass
class Glossary:
    terms: list[Term] = field(default_factory=list)
    _index: dict[str, list[int]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for i, term in enumerate(self.terms):
            for f in term.forms():
                k = normalise(f)
                if k and i not in self._index.setdefault(k, []):
                    self._index[k].append(i)

    def terms_of(self, form: str) -> list[Term]:
        return [self.terms[i] for i in self._index.get(normalise(form), [])]

    def is_term(self, form: str) -> bool:
        return normalise(form) in self._index

    @classmethod
    def from_data(cls, rows: Any) -> Glossary:
        """From a parsed ``terms:`` list (entries that are not well formed are left out: the
        content checker reports them)."""
        terms = []
        for row in rows if isinstance(rows, list) else []:
            if not isinstance(row, Mapping) or not isinstance(row.get("ko"), str) or not isinstance(row.get("en"), str):
                continue
            lists = {k: tuple(str(x) for x in (row.get(k) or []) if isinstance(x, (str, int, float)))
                     if isinstance(row.get(k) or [], list) else () for k in ("accept", "avoid")}
            line = getattr(row, "line", None)
            terms.append(Term(row["ko"], row["en"], lists["accept"], lists["avoid"], line))
        return cls(terms)


_DEFAULT: list[Glossary] = []


def default_glossary() -> Glossary:
    """The ``terms:`` table of the shipped ``glossary.yaml`` (read once; empty if it cannot be read)."""
    if not _DEFAULT:
        _DEFAULT.append(load_glossary(_shipped_glossary_path()))
    return _DEFAULT[0]


def _shipped_glossary_path() -> Path:
    from tutor.model import default_content_dir

    return default_content_dir() / "glossary.yaml"


def load_glossary(path: Path) -> Glossary:
    try:
        from tutor.content.yamlload import parse_file

        data = parse_file(Path(path), str(path)).data
    except Exception:   # noqa: BLE001 - grading must work without a glossary
        data = None
    return Glossary.from_data(data.get("terms") if isinstance(data, Mapping) else None)


# --------------------------------------------------------------------------- matching


@dataclass
class Match:
    ok: bool
    near: bool = False           # one edit from an accepted form (a free "check the spelling")


@dataclass
class Accepted:
    """The accepted forms of one answer: as written by the author, widened by the glossary."""

    given: list[str]
    langs: set[str]
    strict: set[str]             # normalised forms in the languages the question accepts
    loose: set[str]              # also the other language's names of the same terms

    @classmethod
    def build(cls, given: Sequence[str], glossary: Glossary | None) -> Accepted:
        given = [str(a) for a in given]
        langs = {lang for a in given if (lang := _lang(a))}
        strict = {normalise(a) for a in given}
        loose = set(strict)
        both = langs >= {"ko", "en"}
        for a in given:
            for term in glossary.terms_of(a) if glossary else []:
                for f in term.forms():
                    loose.add(normalise(f))
                    mixed = has_hangul(f) and has_latin(f)
                    if (mixed and both) or (not mixed and (_lang(f) in langs or _lang(f) is None)):
                        strict.add(normalise(f))
        strict.discard("")
        loose.discard("")
        return cls(given, langs, strict, loose)

    def shown(self, lang: str = "ko") -> str:
        """The expected answer for feedback: the author's first form in each language, the
        UI language first (``망각 게이트 / forget gate``)."""
        out = []
        for want in (lang, "en" if lang == "ko" else "ko"):
            f = next((a for a in self.given if _lang(a) == want), None)
            if f is not None:
                out.append(f)
        if not out and self.given:
            out.append(self.given[0])
        return " / ".join(out)


def _strip_ending(s: str) -> str | None:
    """The term without one trailing particle or copula: at least two letters must remain, or a
    number ("1입니다" is 1; a single Korean letter is too short to tell a particle from the word)."""
    t = s.rstrip()
    for e in ENDINGS:
        if t.endswith(e):
            rest = normalise(t[: -len(e)])
            if len(rest) >= 2 or (rest and any(c.isdigit() for c in rest) and not has_hangul(rest)):
                return t[: -len(e)]
    return None


def _splits(s: str) -> list[tuple[str, str]]:
    """``A(B)``, and ``A B`` where one side is Korean and the other English."""
    out = []
    m = _PAREN_RE.match(s)
    if m:
        out.append((m.group(1), m.group(2)))
    words = s.split()
    for k in range(1, len(words)):
        left, right = " ".join(words[:k]), " ".join(words[k:])
        if (has_hangul(left) and not has_latin(left) and has_latin(right) and not has_hangul(right)) or \
           (has_latin(left) and not has_hangul(left) and has_hangul(right) and not has_latin(right)):
            out.append((left, right))
    return out


def _exact(text: str, acc: Accepted) -> bool:
    if normalise(text) in acc.strict:
        return True
    for a, b in _splits(text):
        na, nb = normalise(a), normalise(b)
        if (na in acc.strict and nb in acc.loose) or (nb in acc.strict and na in acc.loose):
            return True
    return False


def match(text: str, accepted: Sequence[str] | Accepted, glossary: Glossary | None = None) -> Match:
    acc = accepted if isinstance(accepted, Accepted) else Accepted.build(accepted, glossary)
    text = unicodedata.normalize("NFKC", text or "").strip()
    if len(text) > MAX_SHAPED:
        return Match(normalise(text) in acc.strict)
    if _exact(text, acc):
        return Match(True)
    stem = _strip_ending(text)
    if stem is not None and _exact(stem, acc):
        return Match(True)
    got = normalise(text)
    if glossary is not None and glossary.is_term(got) and got not in acc.loose:
        return Match(False)     # another term, not a misspelling
    letters = got.isalpha()
    near = letters and any(len(f) >= NEAR_MIN_LETTERS and f.isalpha() and edit_distance_at_most_one(got, f)
                           for f in acc.strict)
    return Match(False, near=near)


def matches(text: str, accepted: Iterable[str], glossary: Glossary | None = None) -> bool:
    return match(text, list(accepted), glossary).ok
