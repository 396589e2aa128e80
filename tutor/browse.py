"""Finding things: every question with its state, and a search over topics, cards and questions.

No textual here: the browser screen and the command palette display what these functions return.

* :func:`list_items` — one :class:`ItemRow` per question of the catalog: topic, kind, state
  (new / learning / mastered, the learner model's definitions: mastered as in
  :func:`tutor.learner.mastered_items`, learning = answered or scheduled but not mastered), last
  result, due date, suspended, flagged.
* :func:`filter_items` — by topic, state and text (title or prompt, Korean and English, case-insensitive).
* :func:`set_suspended` / :func:`set_flagged` — marks kept in the settings table ("suspended",
  "flagged": lists of item ids), so they travel with a JSON backup. A suspended item never enters
  the review queue (:func:`tutor.learner.review_queue` leaves out :func:`suspended_ids`).
* :func:`search` — topics, lesson cards and questions whose title or text holds every word typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from tutor.clock import parse_iso, utc
from tutor.progress import SUSPENDED as _SUSPENDED
from tutor.progress import suspended_ids

STATES = ("new", "learning", "mastered")
STATE_LABEL = {"new": {"en": "new", "ko": "새 문제"}, "learning": {"en": "learning", "ko": "학습 중"},
               "mastered": {"en": "mastered", "ko": "숙달"}}
KIND_LABEL = {
    "numeric": {"en": "number", "ko": "수치"}, "choice": {"en": "choice", "ko": "객관식"},
    "multi": {"en": "multi-select", "ko": "복수 선택"}, "order": {"en": "order", "ko": "순서"},
    "text": {"en": "short answer", "ko": "단답"}, "cloze": {"en": "cloze", "ko": "빈칸"},
    "exercise": {"en": "exercise", "ko": "연습 문제"}, "matrix": {"en": "matrix", "ko": "행렬"},
}
RESULT_LABEL = {True: {"en": "✓ right", "ko": "✓ 정답"}, False: {"en": "✗ wrong", "ko": "✗ 오답"},
                None: {"en": "—", "ko": "—"}}

DUE_NOW = {"en": "now", "ko": "지금"}
_FLAGGED = "flagged"


@dataclass
class ItemRow:
    item_id: str          # internal: to open the item, never shown
    topic: str            # topic id
    topic_title: dict
    kind: str
    title: dict           # the prompt's first line, in each language
    text: dict            # the whole prompt and options (what the text filter searches)
    state: str            # new | learning | mastered
    last_correct: bool | None
    last_at: str | None
    due: str | None       # ISO time of the card's next due (None: not scheduled)
    suspended: bool = False
    flagged: bool = False
    last_score: float | None = None   # the last answer's score (partly right: 0 < score < 1)

    def kind_label(self, lang: str) -> str:
        return (KIND_LABEL.get(self.kind) or {}).get(lang, self.kind)

    def state_label(self, lang: str) -> str:
        return STATE_LABEL[self.state][lang]

    def result_label(self, lang: str) -> str:
        """✓ right, ✗ wrong, or ◐ and the score for a partly right answer (it said "✗ wrong" for 67%)."""
        if self.last_correct is False and self.last_score and self.last_score > 0:
            return f"◐ {self.last_score:.0%}"
        return RESULT_LABEL[self.last_correct][lang]

    def due_label(self, lang: str = "en", now: datetime | None = None, *, short: bool = False) -> str:
        """The local date it falls due ("now" / "지금" when already due; "" when not scheduled);
        ``short``: month-day (a narrow screen)."""
        if not self.due:
            return ""
        when = parse_iso(self.due)
        if when <= utc(now):
            return DUE_NOW[lang]
        return when.astimezone().strftime("%m-%d" if short else "%Y-%m-%d")


# ----------------------------------------------------------------------------- marks


def flagged_ids(store) -> set[str]:
    return set(store.get_setting(_FLAGGED) or [])


def _set_mark(store, key: str, item_id: str, on: bool) -> None:
    with store.tx():
        ids = [i for i in (store.get_setting(key) or []) if i != item_id]
        if on:
            ids.append(item_id)
        store.set_setting(key, ids)


def set_suspended(store, item_id: str, on: bool = True) -> None:
    """Suspend (or unsuspend) an item: a suspended item is never served for review."""
    _set_mark(store, _SUSPENDED, item_id, on)


def set_flagged(store, item_id: str, on: bool = True) -> None:
    _set_mark(store, _FLAGGED, item_id, on)


# ----------------------------------------------------------------------------- texts


def _plain(text: str) -> str:
    from tutor.mathtext import render_markdown_math

    out = render_markdown_math(text or "")
    out = re.sub(r"\{\{\s*\d+\s*\}\}", "___", out)   # a cloze blank
    return re.sub(r"[*`#>]+|(?<!\w)_(?!_)|(?<!_)_(?!\w)", "", out).strip()


def _with_values(q) -> dict:
    """The question's prompt in each language with its engine values filled in (``{{bp.h[1]:.4f}}``
    → 0.9002, as the question itself shows it); a prompt without any is returned as it is."""
    prompt = dict(q.prompt or {})
    if q.compute and any(re.search(r"\{\{\s*[A-Za-z_]", v or "") for v in prompt.values()):
        from tutor.content import ComputeError, render, run_compute

        try:
            runs = run_compute(q.compute)
        except ComputeError:   # the content checker reports it; the list keeps the prompt as written
            return prompt
        prompt = {lang: render(v or "", runs) for lang, v in prompt.items()}
    return prompt


def question_texts(q, topic_title: dict) -> tuple[dict, dict]:
    """(title, text) of a question in each language: its prompt's first line, and the prompt with its options."""
    title, text = {}, {}
    filled = _with_values(q)
    for lang in ("en", "ko"):
        prompt = _plain(filled.get(lang) or "")
        first = next((ln.strip() for ln in prompt.splitlines() if ln.strip()), "")
        title[lang] = first or topic_title.get(lang, "")
        opts = " ".join(_plain(o.get(lang, "") if isinstance(o, dict) else str(o))
                        for o in (q.data.get("choices") or q.data.get("items") or []))
        text[lang] = (prompt + " " + opts).strip()
    return title, text


# ----------------------------------------------------------------------------- listing


def mastered_now(store, now: datetime | None = None) -> set[str]:
    from tutor.progress import mastered_items

    return set(mastered_items(store, now=now))


def list_items(catalog, store, *, now: datetime | None = None) -> list[ItemRow]:
    """Every question of the catalog in curriculum order, with the learner's state of it."""
    now = utc(now)
    progress = store.item_progress()
    cards = {r[0]: r[1] for r in store.read("SELECT item_id, due FROM cards WHERE item_id NOT LIKE 'remedial:%'")}
    last = {r[0]: (bool(r[1]), r[2]) for r in store.read(
        "SELECT a.item_id, a.correct, a.score FROM attempts a JOIN (SELECT item_id, MAX(id) AS id FROM attempts"
        " GROUP BY item_id) m ON a.id = m.id")}
    mastered = mastered_now(store, now)
    suspended, flagged = suspended_ids(store), flagged_ids(store)
    rows = []
    for topic in catalog.topics.values():
        for q in topic.questions:
            p = progress.get(q.id)
            if q.id in mastered:
                state = "mastered"
            elif p is not None or q.id in cards:
                state = "learning"
            else:
                state = "new"
            title, text = question_texts(q, topic.title)
            correct, score = last.get(q.id, (None, None))
            rows.append(ItemRow(q.id, topic.id, topic.title, q.kind, title, text, state, correct,
                                p["last"] if p else None, cards.get(q.id), q.id in suspended, q.id in flagged, score))
    return rows


def _words(query: str) -> list[str]:
    """The query's words, an English plural or -y ending taken off ("responsibility" and
    "responsibilities" both find "responsibilit…": the singular missed the plural)."""
    return [_stem(w) for w in query.casefold().split() if w]


def _stem(word: str) -> str:
    for suffix in ("ies", "es", "s", "y"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and word.isascii():
            return word[:-len(suffix)]
    return word


def _holds(words: Iterable[str], *texts: str) -> bool:
    hay = " ".join(texts).casefold()
    return all(w in hay for w in words)


def filter_items(rows: list[ItemRow], *, topic: str | None = None, state: str | None = None,
                 text: str = "", flagged: bool | None = None, suspended: bool | None = None) -> list[ItemRow]:
    """Rows of ``topic`` (id), ``state``, holding every word of ``text`` (in either language: title,
    prompt, options, topic title, kind)."""
    words = _words(text)
    out = []
    for r in rows:
        if topic and r.topic != topic:
            continue
        if state and r.state != state:
            continue
        if flagged is not None and r.flagged != flagged:
            continue
        if suspended is not None and r.suspended != suspended:
            continue
        if words and not _holds(words, *r.text.values(), *r.title.values(), *r.topic_title.values(),
                                *(KIND_LABEL.get(r.kind) or {}).values()):
            continue
        out.append(r)
    return out


# ----------------------------------------------------------------------------- search (the palette)


@dataclass
class Hit:
    what: str             # "topic" | "card" | "question"
    topic: str            # topic id
    target: str           # topic id, card index (as str) or question id
    title: dict           # what to show, in each language
    context: dict         # the topic title, in each language


def search_index(catalog) -> list[tuple[Hit, str]]:
    """(hit, searchable text) for every topic, lesson card and question: titles, ids, summaries, bodies, prompts."""
    out: list[tuple[Hit, str]] = []
    for topic in catalog.topics.values():
        tt = topic.title
        out.append((Hit("topic", topic.id, topic.id, tt, tt),
                    " ".join([topic.id, *tt.values(), *(topic.summary or {}).values()])))
        for i, card in enumerate(topic.cards):
            body = " ".join(_plain(b) for b in (card.body or {}).values())
            out.append((Hit("card", topic.id, str(i), card.title, tt),
                        " ".join([topic.id, *tt.values(), *card.title.values(), body])))
        for q in topic.questions:
            title, text = question_texts(q, tt)
            out.append((Hit("question", topic.id, q.id, title, tt),
                        " ".join([topic.id, *tt.values(), *text.values(), q.data.get("generator") or ""])))
    return out


def search(catalog, query: str, *, limit: int = 50, index: list | None = None) -> list[Hit]:
    """Topics, then cards, then questions whose text holds every word of ``query`` (case-insensitive,
    either language); a topic whose title or id holds the query comes first."""
    words = _words(query)
    if not words:
        return []
    order = {"topic": 0, "card": 1, "question": 2}
    hits = [(h, text) for h, text in (index if index is not None else search_index(catalog)) if _holds(words, text)]
    hits.sort(key=lambda ht: (order[ht[0].what], not _holds(words, *ht[0].title.values())))
    return [h for h, _ in hits[:limit]]


def find_topic(catalog_or_summary, name: str) -> str | None:
    """A topic id from its id or its title in either language, or a part of the title that only
    one topic has (case, spaces and hyphens ignored); None if none or ambiguous."""
    from tutor.textmatch import normalise as _topic_key  # as answers are compared: NFKC, case, spaces, hyphens

    key = _topic_key(name)
    if not key:
        return None
    topics = catalog_or_summary.topics
    for tid in topics:
        if _topic_key(tid) == key:
            return tid
    exact = [tid for tid, t in topics.items() if any(_topic_key(v) == key for v in t.title.values())]
    if len(exact) == 1:
        return exact[0]
    part = [tid for tid, t in topics.items() if any(key in _topic_key(v) for v in t.title.values())]
    return part[0] if len(part) == 1 else None


__all__ = ["STATES", "STATE_LABEL", "KIND_LABEL", "ItemRow", "Hit", "list_items", "filter_items", "search",
           "search_index", "find_topic", "suspended_ids", "flagged_ids", "set_suspended", "set_flagged",
           "question_texts"]
