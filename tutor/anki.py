"""The curriculum as Anki notes: an ``.apkg`` (genanki) or the rows of a TSV, in HTML.

Every lesson card and every question becomes one note, in one deck per topic under one parent
(``ML Tutor::EM 알고리즘``), rendered the way the tutor shows it:

* placeholders ``{{run.path:fmt}}`` are filled by the engine (:func:`tutor.content.render`,
  strict); an item whose compute or placeholders fail is reported in :attr:`Export.failed` and
  left out, never exported with raw braces;
* Markdown becomes HTML (markdown-it, CommonMark + tables; raw HTML in content is escaped);
* math ``$…$`` / ``$$…$$`` (and ``\\(…\\)`` / ``\\[…\\]``) becomes Anki's MathJax ``\\(…\\)`` /
  ``\\[…\\]``; code spans, fenced code and ``\\$`` are left alone. Math is cut out before the
  Markdown pass, so ``_`` and ``*`` inside it are never read as emphasis;
* cloze questions are Anki cloze notes: the content's blanks ``{{1}}`` become ``{{c1::answer}}``
  with the first accepted answer of the language (the others are listed under "Also accepted");
* choice/multi/order show their options on the front (order: shuffled, labelled A, B, …) and the
  answer on the back; text/numeric/matrix show the answer on the back; an engine exercise is
  exported as one fixed variant (its seed derived from the item id, so stable) with the worked
  solution on the back and the tag ``fresh-variants-in-tutor``;
* GUIDs come from the item id and the language, so importing a new export updates the notes
  already in Anki instead of adding copies. Deck and note type ids are fixed as well.

``lang="both"`` puts Korean, then English, on each side (and gets its own GUIDs and decks).
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterable, Mapping

from tutor.anki_html import (  # noqa: F401 - re-exported: tests and callers use tutor.anki
    _BLANK_TOKEN_RE,
    cloze_answer,
    extract_math,
    fill_blanks,
    md_html,
    plain_html,
)

PARENT_DECK = "ML Tutor"
LANG_CHOICES = ("ko", "en", "both")
FRESH_TAG = "fresh-variants-in-tutor"
BASIC_MODEL_ID = 1736204801
CLOZE_MODEL_ID = 1736204802

_L: dict[str, dict[str, str]] = {
    "answer": {"en": "Answer", "ko": "정답"},
    "also": {"en": "Also accepted", "ko": "다른 정답"},
    "explain": {"en": "Explanation", "ko": "해설"},
    "solution": {"en": "Worked solution", "ko": "풀이"},
    "find": {"en": "Find", "ko": "구할 값"},
    "select_all": {"en": "Select every right option.", "ko": "옳은 것을 모두 고르세요."},
    "select_one": {"en": "Select one option.", "ko": "하나를 고르세요."},
    "put_in_order": {"en": "Put these in order.", "ko": "순서대로 놓으세요."},
    "fresh": {"en": "One fixed variant: in the tutor every attempt draws new numbers.",
              "ko": "고정된 한 가지 변형입니다. 튜터에서는 시도할 때마다 새 숫자가 나옵니다."},
}

CSS = """\
.card { font-family: -apple-system, "Apple SD Gothic Neo", "Noto Sans KR", "Malgun Gothic", sans-serif;
  font-size: 18px; line-height: 1.5; text-align: left; color: black; background-color: white;
  max-width: 46em; margin: 0 auto; }
.nightMode.card, .nightMode .card { color: #eee; background-color: #222; }
.title { font-size: 1.2em; font-weight: bold; }
.topic, .item-id { color: #888; font-size: 0.7em; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #999; padding: 2px 8px; }
caption { text-align: left; font-weight: bold; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.note { background: #fff6d5; border-left: 4px solid #e0b000; padding: 0.3em 0.8em; margin: 0.5em 0; }
.nightMode .note { background: #4a3f10; }
hr.lang { border: 0; border-top: 1px dashed #999; margin: 1em 0; }
.label { font-weight: bold; }
.solution { font-family: ui-monospace, monospace; font-size: 0.9em; }
.cloze { font-weight: bold; color: blue; }
.nightMode .cloze { color: lightblue; }
"""



# --------------------------------------------------------------------------- notes


class ExportError(ValueError):
    """An item that cannot be exported (compute failed, a placeholder did not resolve)."""


@dataclass
class AnkiNote:
    item_id: str
    topic: str
    kind: str                 # "lesson" for a card, else the question kind
    lang: str                 # "ko", "en" or "both"
    cloze: bool
    front: str                # basic: Front; cloze: Text (with {{cN::…}})
    back: str                 # basic: Back; cloze: Back Extra
    tags: list[str] = field(default_factory=list)

    @property
    def guid(self) -> str:
        return note_guid(self.item_id, self.lang)


@dataclass
class Export:
    notes: list[AnkiNote]
    failed: list[tuple[str, str]]            # (item id, why)
    decks: dict[str, str]                    # topic id -> deck name (topics exported, curriculum order)

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(self.decks.values(), 0)
        for note in self.notes:
            out[self.decks[note.topic]] += 1
        return out


def note_guid(item_id: str, lang: str) -> str:
    import genanki

    return genanki.guid_for("ml-tutor", item_id, lang)


def _stable_int(*parts: str, lo: int = 1 << 30, hi: int = 1 << 31) -> int:
    h = int.from_bytes(hashlib.sha256("\x1f".join(parts).encode()).digest()[:8], "big")
    return lo + h % (hi - lo)


def variant_seed(item_id: str) -> int:
    """The fixed seed of an exercise's exported variant (from its id, so the same every export)."""
    return _stable_int("variant", item_id, lo=1, hi=2**31 - 1)


def deck_name(title: Mapping[str, str], lang: str) -> str:
    t = title["ko"] + " · " + title["en"] if lang == "both" and title["ko"] != title["en"] else title[
        "ko" if lang == "both" else lang]
    return f"{PARENT_DECK}::{' '.join(t.replace('::', ':').split())}"


def _langs(lang: str) -> tuple[str, ...]:
    if lang not in LANG_CHOICES:
        raise ValueError(f"unknown language {lang!r} (ko, en or both)")
    return ("ko", "en") if lang == "both" else (lang,)


def _join(parts: list[str]) -> str:
    return '\n<hr class="lang">\n'.join(parts)


def _tag(s: str) -> str:
    return "_".join(str(s).split())


def _has_hangul(s: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" or "\u3131" <= ch <= "\u318e" for ch in s)


def primary_answer(answers: list[str], lang: str) -> str:
    """The answer to show: the first one written, or for English the first without Hangul."""
    if lang == "en":
        for a in answers:
            if not _has_hangul(a):
                return a
    return answers[0]


def _section(label: str, lang: str, html_body: str) -> str:
    return f'<div class="label">{_L[label][lang]}</div>\n{html_body}'


def _table_html(title: str, header: list[str], rows: list[list[str]]) -> str:
    """An HTML table from already-escaped cells; the first column is the row label."""
    out = ["<table>"]
    if title:
        out.append(f"<caption>{title}</caption>")
    if header:
        out.append("<tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr>")
    for r in rows:
        cells = [f"<th>{r[0]}</th>"] + [f'<td class="num">{c}</td>' for c in r[1:]]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "".join(out)


def _spec_html(tab) -> str:
    """A trace table (:class:`tutor.tables.TableSpec`) as HTML."""
    header = [plain_html(h) for h in tab.headers] if tab.show_header else []
    rows = [[plain_html(x) for x in row] for row in tab.rows]
    return _table_html(plain_html(tab.title) if tab.title else "", header, rows)


def _ask_tables_html(tables, lang: str, blanks: set[str], values: Mapping[str, Any] | None) -> str:
    """Engine tables of an Ask: a blank is ``?`` on the front, its value on the back."""
    from tutor.tables import fmt_value

    out = []
    for tb in tables:
        header = [""] + [plain_html(c[lang] if isinstance(c, Mapping) else str(c)) for c in tb.cols]
        rows = []
        for r, row in zip(tb.rows, tb.cells):
            cells = []
            for c in row:
                if isinstance(c, str) and c in blanks:
                    cells.append("?" if values is None else html.escape(fmt_value(values.get(c))))
                else:
                    cells.append(plain_html(fmt_value(c)))
            rows.append([plain_html(r[lang] if isinstance(r, Mapping) else str(r)), *cells])
        out.append(_table_html(plain_html(tb.title[lang]), header, rows))
    return "\n".join(out)


def _check(*texts: str) -> None:
    """No ``{{`` may be left in a field (a cloze's ``{{cN::…}}`` are taken out before the check)."""
    for s in texts:
        k = s.find("{{")
        if k >= 0:
            raise ExportError(f"unfilled placeholder {s[k:k + 40]!r}")


def _strict(text: Mapping[str, str] | None, runs: Mapping, lang: str) -> str:
    from tutor.content import render

    return render(text[lang], runs, strict=True) if text else ""


def card_note(card, topic, lang: str) -> AnkiNote:
    """A lesson card: its title on the front; body, engine tables and note on the back."""
    from engine.core import jsonable
    from tutor.content import run_compute
    from tutor.tables import trace_tables

    runs = run_compute(card.compute) if card.compute else {}
    fronts, backs = [], []
    for lg in _langs(lang):
        fronts.append(f'<div class="topic">{html.escape(topic.title[lg])}</div>\n'
                      f'<div class="title">{md_html(_strict(card.title, runs, lg), inline=True)}</div>')
        parts = [md_html(_strict(card.body, runs, lg))]
        for spec in card.show or []:
            res = runs.get(spec["run"])
            if res is None:
                continue
            if spec.get("title"):
                parts.append(f'<div class="label">{md_html(_strict(spec["title"], runs, lg), inline=True)}</div>')
            parts.extend(_spec_html(t) for t in trace_tables(jsonable(res), keys=spec.get("keys"), lang=lg))
        if card.note:
            parts.append(f'<div class="note">{md_html(_strict(card.note, runs, lg))}</div>')
        backs.append("\n".join(parts))
    note = AnkiNote(card.id, topic.id, "lesson", lang, False, _join(fronts), _join(backs),
                    ["ml-tutor", f"topic::{_tag(topic.id)}", "kind::lesson"])
    _check(note.front, note.back)
    return note


def question_note(study, q, topic, lang: str) -> AnkiNote:
    """A question as a note (see the module docstring for what goes on each side)."""
    from tutor.content import render, run_compute
    from tutor.session import _accepted

    runs = run_compute(q.compute) if q.compute else {}
    for text in [q.prompt, q.explain, *(q.data.get("choices") or []), *(q.data.get("items") or [])]:
        for lg in ("ko", "en"):
            if text:
                render(text[lg], runs, strict=True)   # raises PlaceholderError: reported, not exported
    ask = study.ask(q.id, seed=variant_seed(q.id))
    d = q.data
    kind = q.kind
    fronts, backs = [], []
    for lg in _langs(lang):
        study.lang = lg
        front = [md_html(ask.prompt[lg])]
        back: list[str] = []
        if kind in ("choice", "multi"):
            front.append(f'<div class="label">{_L["select_all" if kind == "multi" else "select_one"][lg]}</div>')
            front.append("<ol>" + "".join(f"<li>{md_html(o[lg], inline=True)}</li>" for o in ask.options) + "</ol>")
            right = [int(d["answer"])] if kind == "choice" else [int(i) for i in d["answer"]]
            shown = sorted(ask.shown_position(i) for i in right)
            back.append(_section("answer", lg, "<ul>" + "".join(
                f"<li>{j + 1}. {md_html(ask.options[j][lg], inline=True)}</li>" for j in shown) + "</ul>"))
        elif kind == "order":
            letters = [chr(ord("A") + k) for k in range(len(ask.options))]
            front.append(f'<div class="label">{_L["put_in_order"][lg]}</div>')
            front.append("<ul>" + "".join(f"<li>{letters[k]}. {md_html(o[lg], inline=True)}</li>"
                                          for k, o in enumerate(ask.options)) + "</ul>")
            back.append(_section("answer", lg, "<ol>" + "".join(
                f"<li>{letters[ask.shown_position(k)]}. {md_html(ask.options[ask.shown_position(k)][lg], inline=True)}"
                "</li>" for k in range(len(ask.options))) + "</ol>"))
        elif kind == "text":
            answers = _accepted(d["answers"])
            first = primary_answer(answers, lg)
            back.append(_section("answer", lg, f"<b>{html.escape(first)}</b>"))
            others = [a for a in answers if a != first]
            if others:
                back.append(f'<div>{_L["also"][lg]}: {html.escape(", ".join(others))}</div>')
        elif kind == "cloze":
            blanks = [_accepted(b) for b in d["blanks"]]

            def fill(k: int, lg=lg, blanks=blanks) -> str:
                return f"{{{{c{k}::{cloze_answer(primary_answer(blanks[k - 1], lg))}}}}}"

            front = [fill_blanks(front[0], fill)]
            also = []
            for k, b in enumerate(blanks, 1):
                first = primary_answer(b, lg)
                rest = [a for a in b if a != first]
                if rest:
                    also.append(f"<li>{k}: {html.escape(', '.join(rest))}</li>")
            if also:
                back.append(f'<div>{_L["also"][lg]}:</div><ul>{"".join(also)}</ul>')
        elif kind == "numeric":
            lines = [s for s, _ in study.solution()]
            back.append(_section("answer", lg, f"<b>{plain_html(lines[0])}</b>"))
        elif kind == "matrix":
            blanks = {f.name for f in ask.fields}
            values = _matrix_values(study, q)
            front.append(_ask_tables_html(ask.tables, lg, blanks, None))
            back.append(_section("answer", lg, _ask_tables_html(ask.tables, lg, blanks, values)))
        elif kind == "exercise":
            from engine.registry import get_generator

            gen = get_generator(d["generator"])
            values = gen.expected(ask.variant)
            blanks = {f.name for f in ask.fields}
            if ask.tables:
                front.append(_ask_tables_html(ask.tables, lg, blanks, None))
            in_tables = {c for tb in ask.tables for row in tb.cells for c in row if isinstance(c, str)}
            loose = [f for f in ask.fields if f.name not in in_tables]
            if loose:
                front.append(_section("find", lg, "<ul>" + "".join(
                    f"<li>{plain_html(f.label[lg])}</li>" for f in loose) + "</ul>"))
            from tutor.tables import fmt_value

            if ask.tables:
                back.append(_section("answer", lg, _ask_tables_html(ask.tables, lg, blanks, values)))
            if loose:
                rows = [[plain_html(f.label[lg]), html.escape(fmt_value(values.get(f.name)))] for f in loose]
                table = _table_html("", [], rows)
                back.append(table if ask.tables else _section("answer", lg, table))
            back.append(_section("solution", lg, '<div class="solution">' + "<br>\n".join(
                plain_html(s) for s, _ in study.solution()) + "</div>"))
            back.append(f'<div class="note">{_L["fresh"][lg]}</div>')
        else:  # pragma: no cover - the loader rejects unknown kinds
            raise ExportError(f"unknown kind {kind!r}")
        if ask.explain and ask.explain.get(lg):
            back.append(_section("explain", lg, md_html(ask.explain[lg])))
        fronts.append("\n".join(front))
        backs.append("\n".join(back))
    tags = ["ml-tutor", f"topic::{_tag(topic.id)}", f"kind::{kind}"] + ([FRESH_TAG] if kind == "exercise" else [])
    note = AnkiNote(q.id, topic.id, kind, lang, kind == "cloze", _join(fronts), _join(backs), tags)
    _check(_CLOZE_RE.sub("", note.front) if note.cloze else note.front, note.back)
    if note.cloze and not _CLOZE_RE.search(note.front):
        raise ExportError("a cloze question without blanks")
    return note


_CLOZE_RE = re.compile(r"\{\{c\d+::[^{}]*?\}\}")


def _matrix_values(study, q) -> dict[str, float]:
    from tutor.session import _matrix_cells

    cells = _matrix_cells(study._answer_value(q, study._compute(q)))
    return {f"m[{i}][{j}]": x for i, row in enumerate(cells) for j, x in enumerate(row)}


class UnknownTopic(ValueError):
    """An export asked for a topic id the catalog does not have (``name``; ``known``: the ids)."""

    def __init__(self, name: str, known: str):
        super().__init__(f"unknown topic {name!r} (topics: {known})")
        self.name, self.known = name, known


def select_topics(catalog, topics: Iterable[str] | None) -> list:
    """The topics to export, in curriculum order; :class:`UnknownTopic` names an unknown id."""
    if not topics:
        return list(catalog.topics.values())
    wanted = [t.strip() for t in topics if t.strip()]
    unknown = [t for t in wanted if t not in catalog.topics]
    if unknown:
        raise UnknownTopic(unknown[0], ", ".join(catalog.topics))
    return [t for tid, t in catalog.topics.items() if tid in set(wanted)]


def build_notes(catalog, lang: str = "en", topics: Iterable[str] | None = None) -> Export:
    """Every card and question of the chosen topics as notes; failures are collected, not raised."""
    from tutor.content import ComputeError, PlaceholderError
    from tutor.session import Study

    _langs(lang)
    chosen = select_topics(catalog, topics)
    study = Study(catalog, lang="en")
    notes: list[AnkiNote] = []
    failed: list[tuple[str, str]] = []
    for topic in chosen:
        for card in topic.cards:
            try:
                notes.append(card_note(card, topic, lang))
            except (ComputeError, PlaceholderError, ExportError) as e:
                failed.append((card.id, str(e)))
        for q in topic.questions:
            try:
                notes.append(question_note(study, q, topic, lang))
            except (ComputeError, PlaceholderError, ExportError) as e:
                failed.append((q.id, str(e)))
            except Exception as e:  # an engine or generator bug skips one item, never the export
                failed.append((q.id, f"{type(e).__name__}: {e}"))
    return Export(notes, failed, {t.id: deck_name(t.title, lang) for t in chosen})


# --------------------------------------------------------------------------- .apkg


def _models():
    import genanki

    basic = genanki.Model(
        BASIC_MODEL_ID, "ML Tutor (basic)",
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Item"}],
        templates=[{"name": "Card 1", "qfmt": '<div class="front">{{Front}}</div>',
                    "afmt": '{{FrontSide}}\n<hr id="answer">\n{{Back}}\n<div class="item-id">{{Item}}</div>'}],
        css=CSS)
    cloze = genanki.Model(
        CLOZE_MODEL_ID, "ML Tutor (cloze)", model_type=genanki.Model.CLOZE,
        fields=[{"name": "Text"}, {"name": "Back Extra"}, {"name": "Item"}],
        templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}",
                    "afmt": '{{cloze:Text}}\n<hr id="answer">\n{{Back Extra}}\n<div class="item-id">{{Item}}</div>'}],
        css=CSS)
    return basic, cloze


def package(export: Export, lang: str):
    """A genanki Package: the parent deck, one subdeck per topic, every note with its GUID."""
    import genanki

    basic, cloze = _models()
    parent = genanki.Deck(_stable_int("deck", PARENT_DECK), PARENT_DECK,
                          description="ML/DL tutor: lesson cards and questions (tutor export --format apkg)")
    decks = {tid: genanki.Deck(_stable_int("deck", tid, lang), name) for tid, name in export.decks.items()}
    for note in export.notes:
        decks[note.topic].add_note(genanki.Note(
            model=cloze if note.cloze else basic, fields=[note.front, note.back, html.escape(note.item_id)],
            tags=note.tags, guid=note.guid))
    return genanki.Package([parent, *decks.values()])


def write_apkg(export: Export, lang: str, path: Path | str | IO[bytes]) -> None:
    """Write the .apkg to ``path`` atomically (temp file + rename), or to a binary stream.

    OSError when the file cannot be written."""
    pkg = package(export, lang)
    if hasattr(path, "write"):
        import io

        buf = io.BytesIO()
        pkg.write_to_file(buf)
        path.write(buf.getvalue())  # type: ignore[union-attr]
        return
    path = Path(path).expanduser()
    if path.is_dir():
        raise IsADirectoryError(21, "is a directory")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(path.parent))
    os.close(fd)
    try:
        pkg.write_to_file(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def export_apkg(catalog, path: Path | str | IO[bytes], *, lang: str = "en",
                topics: Iterable[str] | None = None) -> Export:
    """Build the notes and write the .apkg; returns the :class:`Export` (its ``failed`` items were left out)."""
    export = build_notes(catalog, lang, topics)
    write_apkg(export, lang, path)
    return export


# --------------------------------------------------------------------------- TSV rows


def html_to_text(s: str) -> str:
    """An HTML field as plain text (for CSV): tags dropped, lines kept, math as Unicode."""
    from tutor.mathtext import latex_to_unicode

    s = re.sub(r"\\\((.+?)\\\)|\\\[(.+?)\\\]",
               lambda m: latex_to_unicode(html.unescape(m.group(1) or m.group(2))), s, flags=re.S)
    s = re.sub(r"<br\s*/?>|</p>|</li>|</tr>|</div>|</caption>|<hr[^>]*>|</table>", "\n", s)
    s = re.sub(r"<li>", "- ", s)
    s = re.sub(r"</t[dh]>", "  ", s)
    s = html.unescape(re.sub(r"<[^>]+>", "", s))
    lines = [ln.rstrip() for ln in s.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def tsv_cards(export: Export, *, as_html: bool = True) -> list[dict[str, Any]]:
    """Rows for :func:`tutor.backup.export_cards`: HTML front/back (``as_html=False``: plain text,
    for CSV); a cloze becomes a basic card (blanks ``[1]`` on the front, filled in on the back)."""
    out = []
    for note in export.notes:
        front, back = note.front, note.back
        if note.cloze:
            front = _CLOZE_RE.sub(lambda m: f'<span class="cloze">[{_cloze_num(m.group(0))}]</span>', note.front)
            filled = re.sub(r"\{\{c\d+::([^{}]*?)\}\}", r'<span class="cloze">\1</span>', note.front)
            back = filled + ("\n<hr>\n" + note.back if note.back else "")
        if not as_html:
            front, back = html_to_text(front), html_to_text(back)
        out.append({"id": note.item_id, "topic": note.topic, "front": front, "back": back,
                    "tags": [t for t in note.tags if t != "ml-tutor"]})
    return out


def _cloze_num(s: str) -> str:
    return s[3:s.index("::")]


__all__ = ["AnkiNote", "Export", "ExportError", "LANG_CHOICES", "build_notes", "export_apkg", "md_html",
           "extract_math", "note_guid", "package", "plain_html", "select_topics", "tsv_cards", "variant_seed",
           "write_apkg"]
