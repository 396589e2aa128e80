"""Korean style checks of ``check-content``: one term per concept, attached particles, note headings.

* **Avoided terms.** Every form listed under ``avoid:`` in the ``terms:`` table (:mod:`.terms`) is
  reported where a text uses it, with the course's term. Hangul forms are looked for in the Korean
  texts; other forms (``\\otimes``) in both languages. A Hangul form counts as a word when it is
  not glued to Hangul before it and what follows is not Hangul or is a particle or ending
  (``질의는`` is the form ``질의``; ``질의점`` is another word). Naming the avoided form next to the
  course's term is allowed: ``기울기, 그래디언트``, ``기울기(그래디언트)``, ``그래디언트라고도``.
* **Detached particles.** Korean writes a particle against the word before it, numbers and
  formulas included (한글 맞춤법 제41항): ``연쇄 법칙(chain rule)은``, ``$h_t$를``, ``−1과 1``,
  ``softmax가``. Reported: a space between a word (Hangul, Latin, digits, Greek …), a closing
  ``)`` ``]`` ``}`` ``$`` or backtick, a quote, ``%`` or closing emphasis and one of
  은 는 이 가 을 를 와 과 로 으로 의 에 도 followed by a space, punctuation or the end. Not
  reported, because the syllable is then a word of its own: ``이`` after a Hangul word (the
  determiner "this": ``이 값은``), anything after ``.`` ``,`` ``:`` ``|`` and other punctuation,
  and anything inside math or code. Emphasis that ends in punctuation (``**A(B)** 은``) cannot
  take the particle (Markdown would no longer see the ``**``): the message says to move the
  punctuation out (``**A**(B)은``). A particle after a sentence end (``…다.** 이 한계``) is not one.
* **Note headings.** A card's note is shown under the heading "흔한 실수" / "Common mistake", so
  a note that starts with those words repeats it.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from tutor.model import Card, Catalog, Problem, Question

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
PARTICLES = ("으로", "은", "는", "이", "가", "을", "를", "와", "과", "로", "의", "에", "도")
# what may follow an avoided form and still be that form (particles and endings, longest first)
_ENDINGS = sorted({*PARTICLES, "에서", "에게", "만", "까지", "부터", "처럼", "보다", "라고", "이라고", "이라",
                   "이고", "이다", "입니다", "이며", "이나", "나", "과의", "와의", "으로는", "로는", "에는", "에서는",
                   "은요", "들", "들은", "들이", "들을", "들의", "들도", "를요"}, key=len, reverse=True)
_PARTICLE_RE = re.compile(r"(?P<sp>[ \t]+)(?P<p>으로|은|는|이|가|을|를|와|과|로|의|에|도)(?=[\s.,;:!?)\]]|$)")
_MATH_CODE_RE = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$|`[^`\n]+`|\{\{.*?\}\}", re.S)
_CLOSERS = set(")]}$`%\"'’”…")
_SENTENCE_END = set(".!?。")
_NOTE_HEADING_RE = re.compile(r"^\s*(?:⚠|(?:흔한 실수|(?:a )?common mistakes?)\s*[:：—–-])", re.I)


def _mask(text: str) -> str:
    """Math, code spans and placeholders blanked out (same length; the delimiters kept)."""
    def blank(m: re.Match) -> str:
        s = m.group(0)
        k = 2 if s.startswith(("$$", "{{")) else 1
        return s[:k] + "x" * (len(s) - 2 * k) + s[-k:]
    return _MATH_CODE_RE.sub(blank, text)


def _is_word_char(c: str) -> bool:
    return unicodedata.category(c)[0] in "LMN"


# ----------------------------------------------------------------------------- lines


class _Lines:
    """The file line of a character of a text: exact inside ``|`` block scalars, else the key's line."""

    def __init__(self) -> None:
        self._files: dict[str, list[str]] = {}

    def __call__(self, path: str, key_line: int | None, text: str, pos: int) -> int | None:
        if key_line is None:
            return None
        lines = self._files.get(path)
        if lines is None:
            try:
                lines = Path(path).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                lines = []
            self._files[path] = lines
        if 0 < key_line <= len(lines) and re.search(r":\s*\|[-+0-9]*\s*(#.*)?$", lines[key_line - 1]):
            return key_line + 1 + text.count("\n", 0, pos)
        return key_line


class _TopicHeader:
    """A topic's title and summary, checked like an item's texts."""

    def __init__(self, topic) -> None:
        from .yamlload import _line, parse_file

        self.id, self.path, self.fields, self.lines = topic.id, topic.path, [], {}
        for f in topic.files:
            data = parse_file(Path(f), f).data
            for key in ("title", "summary"):
                if isinstance(data, dict) and isinstance(data.get(key), dict):
                    self.path = f
                    self.fields.append((key, getattr(topic, key) or {}))
                    for lang in ("ko", "en"):
                        self.lines[f"{key}.{lang}"] = _line(data[key], lang)


def _texts(item):
    from .verify import _item_line, item_texts

    if isinstance(item, _TopicHeader):
        for fld, text in item.fields:
            for lang in ("ko", "en"):
                if isinstance(text.get(lang), str):
                    yield fld, lang, text[lang], item.lines.get(f"{fld}.{lang}")
        return
    for fld, text in item_texts(item):
        for lang in ("ko", "en"):
            s = text.get(lang) if isinstance(text, dict) else None
            if isinstance(s, str):
                yield fld, lang, s, _item_line(item, f"{fld}.{lang}")


# ----------------------------------------------------------------------------- the checks


def _avoid_patterns(glossary) -> list[tuple[re.Pattern, str, object]]:
    out = []
    for term in glossary.terms:
        for form in term.avoid:
            parts = [re.escape(w) for w in form.split()]
            out.append((re.compile(r"\s*".join(parts)), form, term))
    out.sort(key=lambda x: -len(x[1]))
    return out


def _named_beside(text: str, start: int, end: int, preferred: str) -> bool:
    before = text[max(0, start - len(preferred) - 3):start]
    if re.search(re.escape(preferred) + r"\s*[,/(·]\s*$", before):
        return True
    return bool(re.match(r"\)?\s*(이)?라고도", text[end:end + 8]))


def avoided_terms(item: Card | Question, glossary, lines: _Lines) -> list[Problem]:
    probs = []
    pats = _avoid_patterns(glossary)
    if not pats:
        return probs
    for fld, lang, text, key_line in _texts(item):
        taken: list[tuple[int, int]] = []
        for rx, form, term in pats:
            hangul = bool(_HANGUL.search(form))
            if hangul and lang != "ko":
                continue
            for m in rx.finditer(text):
                s, e = m.span()
                if any(s < b and a < e for a, b in taken):
                    continue
                if hangul:
                    if s > 0 and _HANGUL.match(text[s - 1]):
                        continue
                    rest = re.match(r"[\uac00-\ud7a3]*", text[e:]).group(0)
                    if rest and rest not in _ENDINGS:
                        continue
                if _named_beside(text, s, e, term.ko):
                    continue
                taken.append((s, e))
                probs.append(Problem(item.path, lines(item.path, key_line, text, s), f"{item.id}.{fld}.{lang}",
                                     f"avoid {form!r}: the course writes {term.ko!r} ({term.en}) "
                                     "(terms: in glossary.yaml)"))
    return probs


def particle_hits(text: str) -> list[tuple[int, int, str, str]]:
    """Detached particles of a Korean text: (start, end of the space, particle, kind), kind
    ``attach`` (remove the space) or ``emphasis`` (emphasis ending in punctuation: move it out)."""
    out = []
    masked = _mask(text)
    for m in _PARTICLE_RE.finditer(masked):
        s = m.start()
        if s == 0:
            continue
        prev = eff = masked[s - 1]
        p = m.group("p")
        kind = "attach"
        if prev in "*_":
            k = s - 1
            while k > 0 and masked[k - 1] in "*_":
                k -= 1
            eff = masked[k - 1] if k > 0 else " "
            if eff in _SENTENCE_END or eff.isspace() or not (_is_word_char(eff) or eff in _CLOSERS):
                continue
            # Markdown sees placeholders and math already rendered (a number, a letter), so only
            # a punctuation mark typed before the closing ** keeps it from closing
            if eff not in "$}" and (unicodedata.category(eff)[0] == "P" or eff in "`%"):
                kind = "emphasis"
        elif not (_is_word_char(prev) or prev in _CLOSERS):
            continue
        if p == "이" and _HANGUL.match(eff):
            continue        # the determiner 이 ("이 값은")
        out.append((s, m.end("sp"), p, kind))
    return out


def detached_particles(item: Card | Question, lines: _Lines) -> list[Problem]:
    probs = []
    for fld, lang, text, key_line in _texts(item):
        if lang != "ko":
            continue
        for s, e, p, kind in particle_hits(text):
            before = text[:s].split()
            word = before[-1][-12:] if before else ""
            shown = f"{word}{text[s:e]}{p}"
            if kind == "emphasis":
                msg = (f"detached particle {p!r} in {shown!r}: emphasis that ends in punctuation cannot take it "
                       f"(Markdown would show the asterisks); move the punctuation out: **A**(B){p}")
            else:
                msg = f"detached particle {p!r} in {shown!r}: write it against the word before ({word}{p})"
            probs.append(Problem(item.path, lines(item.path, key_line, text, s), f"{item.id}.{fld}.{lang}", msg))
    return probs


def note_headings(item: Card | Question, lines: _Lines) -> list[Problem]:
    if not isinstance(item, Card) or not item.note:
        return []
    from .verify import _item_line

    probs = []
    for lang in ("ko", "en"):
        if _NOTE_HEADING_RE.match(item.note.get(lang) or ""):
            probs.append(Problem(item.path, _item_line(item, f"note.{lang}"), f"{item.id}.note.{lang}",
                                 "the note is already shown under the heading 흔한 실수 / Common mistake; "
                                 "don't start it with the heading again"))
    return probs


def style_problems(catalog: Catalog, glossary=None) -> list[Problem]:
    """Every style problem of the catalog's items (the catalog is not changed)."""
    from .terms import catalog_glossary

    if glossary is None:
        glossary = catalog_glossary(catalog)
    lines = _Lines()
    out: list[Problem] = []
    headers = [_TopicHeader(t) for t in catalog.topics.values()]
    for it in [*headers, *catalog.items()]:
        out += avoided_terms(it, glossary, lines)
        out += detached_particles(it, lines)
        out += note_headings(it, lines)
        out += wrong_answers_unexplained(it)
    out.sort(key=lambda p: (p.path, p.line or 0))
    return out


def wrong_answers_unexplained(item) -> list[Problem]:
    """A choice/multi question must explain every wrong option (``why``), a numeric one the wrong
    answers learners give (``mistakes:``): a miss then says what was probably thought, not only
    "not right"."""
    from .catalog import wrong_explained

    if getattr(item, "kind", None) is None or wrong_explained(item) is not False:
        return []
    if item.kind == "numeric":
        return [Problem(item.path, item.line, f"{item.id}.mistakes",
                        "missing: list the wrong values learners give, each with its why (see mistakes: "
                        "in docs/CONTENT_FORMAT.md)")]
    return [Problem(item.path, item.line, f"{item.id}.choices",
                    "every wrong option needs a why: {ko, en} saying what a learner who picks it probably "
                    "thought")]
