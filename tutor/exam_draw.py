"""Which questions a timed exam asks: every chosen topic, and no question that shows another's answer.

A short-answer question (text, cloze) asks for a term; another question of the same exam may
print that very term in its text or its options ("Which of these does the 망각 게이트 control?"
beside "What is the gate that decides what the cell keeps called?"). On paper a learner could
copy it from one to the other, so an exam draw replaces one of the two by another question of the
same topic when the topic has one that clashes with nothing (else both stay: a question is not
dropped for it).
"""

from __future__ import annotations

import random
import re
from functools import lru_cache

MIN_TERM = 4   # shorter accepted answers ("E", "M", "지도") are in too many words to be a give-away


def every_topic(rng: random.Random, pool: list[tuple[str, str]], picked: list[tuple[str, str]]) -> list:
    """``picked`` (drawn from ``pool``) with every topic of the pool in it when there are at least as
    many questions as topics: a topic left out takes the place of a question, drawn at random, of a
    topic that has more than one. A draw that has every topic already is kept as it is."""
    topics = list(dict.fromkeys(tid for _q, tid in pool))
    if len(picked) < len(topics):
        return picked
    picked = list(picked)
    for tid in topics:
        if any(t == tid for _q, t in picked):
            continue
        counts = {t: sum(t == u for _q, u in picked) for _q, t in picked}
        spare = [k for k, (_q, t) in enumerate(picked) if counts[t] > 1]
        picked[rng.choice(spare)] = rng.choice([p for p in pool if p[1] == tid])
    return picked


def answer_terms(question) -> list[str]:
    """The terms a short-answer question accepts (lower case), in either language."""
    if question.kind == "text":
        terms = question.data.get("answers") or []
    elif question.kind == "cloze":
        terms = [t for blank in question.data.get("blanks") or [] for t in blank]
    else:
        return []
    return sorted({t.strip().lower() for t in terms if isinstance(t, str) and len(t.strip()) >= MIN_TERM})


def shown_text(question) -> str:
    """What a question shows before it is answered (lower case): its text and its options, in both
    languages (the learner may switch)."""
    parts = [str(v) for v in (question.prompt or {}).values()]
    for key in ("choices", "items"):
        for option in question.data.get(key) or []:
            if isinstance(option, dict):
                parts.extend(str(v) for v in option.values())
    return "\n".join(parts).lower()


@lru_cache(maxsize=4096)
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern | None:
    if not terms:
        return None
    # a term as a word of its own, or the start of one (Korean particles follow it: "망각 게이트는")
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in terms) + ")")


def shows_answer_of(shown, answered) -> bool:
    """True when question ``shown`` prints a term that question ``answered`` asks for."""
    pattern = _terms_pattern(tuple(answer_terms(answered)))
    return pattern is not None and shown is not answered and pattern.search(shown_text(shown)) is not None


def clash(a, b) -> bool:
    """One of the two questions prints a term the other asks for."""
    return shows_answer_of(a, b) or shows_answer_of(b, a)


STEPS = 200   # repairs tried at most (each is a handful of cached look-ups)


def without_giveaways(rng: random.Random, pool: list[tuple[str, str]], picked: list[tuple[str, str]],
                      question) -> list[tuple[str, str]]:
    """``picked`` with no two questions that clash (see :func:`clash`) when the pool allows it, else
    with as few clashing pairs as were found. A clashing question is replaced, in its place, by a
    question of its topic that clashes with the fewest of the others (min-conflicts: two questions
    that both ask for "difference" while seven print it are both replaced, one after the other). A
    draw without a clash is returned as it is. ``question``: item id → the question."""
    memo: dict[tuple[str, str], bool] = {}

    def clashes(a: str, b: str) -> bool:
        key = (a, b) if a < b else (b, a)
        if key not in memo:
            memo[key] = a != b and clash(question(a), question(b))
        return memo[key]

    def pairs(ids: list[str]) -> int:
        return sum(clashes(a, b) for i, a in enumerate(ids) for b in ids[i + 1:])

    picked = list(picked)
    best, fewest = list(picked), pairs([p[0] for p in picked])
    for _ in range(STEPS):
        if fewest == 0:
            break
        ids = [p[0] for p in picked]
        clashing = [k for k, a in enumerate(ids) if any(clashes(a, b) for j, b in enumerate(ids) if j != k)]
        k = rng.choice(clashing)
        others = ids[:k] + ids[k + 1:]
        scored = [(sum(clashes(p[0], o) for o in others), p) for p in pool
                  if p[1] == picked[k][1] and p[0] not in ids]
        if not scored:
            continue
        low = min(c for c, _p in scored)
        picked[k] = rng.choice([p for c, p in scored if c == low])
        now = pairs([p[0] for p in picked])
        if now < fewest:
            best, fewest = list(picked), now
    return best
