"""Grading: from typed answers to a :class:`Grade` (no textual, no storage).

* A badly formed answer is a *format error*: it explains itself and costs no attempt.
* Numbers are read by :mod:`tutor.number_input` (the safe parser in :mod:`engine.expr`, never
  ``eval``, and what Koreans write around a number); its names are re-exported here.
* Engine exercises are graded against the generator's ``expected(variant, answers)``, which
  carries the learner's own earlier parts forward; wrong fields are compared with every
  named mistake variant, and a match names the misconception.
* Words (text and cloze) are matched by :mod:`tutor.textmatch`: spacing, hyphens and case don't
  count, glossary terms bring all their forms, ``한글(English)`` is fine, and a one-letter slip
  on a long term is a free format error. A miss carries the expected answer (:attr:`Grade.expected`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from engine.core import Field, Generator, Step, Text, Tolerance, Variant, diagnose, fmt
from engine.core import accepted as field_accepts
from engine.expr import typed_resolution
from tutor.korean import josa
from tutor.number_input import FormatError, parse_number, stray_jamo, t, without_jamo  # noqa: F401  (re-exported)

DEFAULT_TOL = Tolerance(rtol=0.01, atol=1e-9)


@dataclass
class FieldResult:
    name: str
    ok: bool
    got: Any
    want: Any
    note: Text | None = None     # e.g. "graded from your own E-step"
    label: Text | None = None    # the field's label, for "wrong: …" feedback


@dataclass
class Grade:
    score: float = 0.0
    fields: dict[str, FieldResult] = field(default_factory=dict)
    mistake: str | None = None
    mistake_text: Text | None = None
    format_error: Text | None = None
    warnings: list[Text] = field(default_factory=list)
    carried_forward: bool = False
    worked: bool = False         # a worked solution marks the first step of a wrong field
    expected: Text | None = None   # text and cloze: the right answer(s), shown on a miss
    # final grading (an exam: no second try): the cells graded wrong because they could not be
    # read, with the reason — what would be a free format error in practice
    unreadable: dict[str, Text] = field(default_factory=dict)
    self_rated: int | None = None  # a repeated-mistake card: the learner's own rating 1–4, not an answer

    @property
    def correct(self) -> bool:
        return self.format_error is None and self.score >= 1.0 - 1e-9

    @property
    def mark(self) -> str:
        """The sign before the feedback, as beside the answer: ✓ right, ◐ partly right (the feedback
        says "부분 정답"), ✗ wrong, ⚠ unreadable (a format error, no attempt)."""
        if self.format_error:
            return "⚠"
        if self.correct:
            return "✓"
        return "◐" if self.score > 0 and self.self_rated is None else "✗"

    def feedback(self, lang: str) -> str:
        if self.format_error:
            return self.format_error[lang]
        if self.self_rated is not None:   # nothing was graded: say what was recorded
            from tutor.i18n import tr

            name = tr(f"rating.{self.self_rated}", lang)   # the rating keys' own names
            return t(f"Rated: {name}.", f"평가했습니다: {name}.")[lang]
        parts = []
        if self.correct:
            parts.append(t("Correct.", "정답입니다.")[lang])
        elif self.score > 0:
            parts.append(t(f"Partly right: {self.score:.0%}.", f"부분 정답: {self.score:.0%}.")[lang])
        else:
            parts.append(t("Not right.", "틀렸습니다.")[lang])
        if self.mistake_text:
            parts.append(self.mistake_text[lang])
        elif not self.correct and len(self.fields) > 1 and not self.expected:
            # no misconception explains the slip without contradicting a right field: say
            # which fields are wrong and where to look, without blaming one ("곳": a cell, or an
            # option of a multi-select, where "칸" said cell)
            wrong = [r.label[lang] if r.label else r.name for r in self.fields.values() if not r.ok]
            if wrong:
                parts.append(t("Wrong: " + ", ".join(wrong) + ".", "틀린 곳: " + ", ".join(wrong) + ".")[lang])
            if self.worked:
                parts.append(t("The worked solution marks the first step that differs from your answer.",
                               "풀이에서 답과 처음 달라지는 단계를 표시했습니다.")[lang])
        if self.expected and not self.correct:
            parts.append(self.expected[lang])
        if self.carried_forward:
            parts.append(t("Later parts were graded from your own earlier answers (error carried forward).",
                           "뒤 단계는 앞 단계에서 입력한 값으로 채점했습니다(오류 이월).")[lang])
        parts.extend(w[lang] for w in self.warnings)
        return " ".join(parts)


def normalise_text(s: str) -> str:
    """How typed words are compared (:func:`tutor.textmatch.normalise`)."""
    from tutor.textmatch import normalise

    return normalise(s)


def _coarse(text: str, got: float, want: float, tol: Tolerance) -> bool:
    """True when the typed decimal is too coarse to be judged within the tolerance *and* is
    consistent with ``want`` at the precision typed (``want`` rounds to it): 0.5 for 0.4613.

    Such an answer might be right, so it earns a free "type more decimals"; an answer that
    cannot round to the right value (0.4 for 0.4613) is simply wrong and graded."""
    step = typed_resolution(text)
    if step is None or not (math.isfinite(got) and math.isfinite(want)):
        return False
    return step / 2 > tol.resolution(want) and abs(got - want) <= step / 2 * (1 + 1e-9) + 1e-12


# --------------------------------------------------------------------------- numbers


def grade_numbers(fields: Sequence[Field], answers: Mapping[str, str], expected_fn,
                  mistakes_fn=None, catalog: Mapping[str, Text] | None = None,
                  plain_expected: Mapping[str, float] | None = None, *, final: bool = False) -> Grade:
    """Grade numeric fields. ``expected_fn(parsed) -> {name: value}`` may use the parsed answers
    (error carried forward); ``plain_expected`` are the true values. A field is right when it
    matches either (:func:`engine.core.accepted`).

    ``final`` (an exam: no second try): a cell that cannot be read is graded wrong and the others
    are graded (:attr:`Grade.unreadable` says why), and too few digits is simply graded; only an
    answer with no readable cell at all is a format error."""
    parsed: dict[str, float] = {}
    unreadable: dict[str, Text] = {}
    reasons: dict[str, tuple[Text, list[Text]]] = {}   # a reason (English) -> (it, the labels of its cells)
    first_error: FormatError | None = None
    for f in fields:
        raw = answers.get(f.name)
        if final and raw is not None:   # an exam grades a stray keyboard letter away, as for words
            raw = without_jamo(str(raw))
        try:
            parsed[f.name] = parse_number(raw, field_name=f.name, label=f.label)
        except FormatError as e:
            first_error = first_error or e
            parsed[f.name] = math.nan
            unreadable[f.name] = {lang: f"{f.label[lang]}: {e.text[lang]}" for lang in ("en", "ko")}
            reasons.setdefault(e.text["en"], (e.text, []))[1].append(f.label)
    if first_error is not None and (not final or len(unreadable) == len(fields)):
        if len(unreadable) == 1:
            raise first_error
        # every cell that cannot be read, with its reason: once for the cells it is the same for
        # (seven empty cells said "empty: type a number (e.g. …)" seven times), counted — the
        # screen marks each of them, and line mode asks for each again
        def cells(labels: list[Text], lang: str) -> str:
            if len(labels) == 1:
                return labels[0][lang]
            return f"{len(labels)}칸" if lang == "ko" else f"{len(labels)} cells"

        raise FormatError({lang: " · ".join(f"{cells(labels, lang)}: {why[lang]}" for why, labels in reasons.values())
                           for lang in ("en", "ko")}, first_error.field)
    want = expected_fn(parsed)
    plain = plain_expected if plain_expected is not None else want
    g = Grade()
    cands = mistakes_fn(parsed) if mistakes_fn is not None else {}

    def known(f: Field) -> bool:   # exactly what a named mistake gives
        return any(f.name in vals and f.tol.ok(parsed[f.name], vals[f.name]) for vals in cands.values())

    # precision: a too-coarse answer that the right value rounds to is a format error (free),
    # unless it is exactly what a known mistake gives (a learner typing 1 for a hard assignment:
    # graded as it is, and not said to be short of digits, which contradicted the mistake named);
    # a short answer the right value does not round to is just wrong
    for f in fields if not final else ():   # final: no "type more decimals", the value is graded
        text, got = str(answers[f.name]), parsed[f.name]
        if field_accepts(f, got, want[f.name], plain[f.name]):
            continue
        if _coarse(text, got, want[f.name], f.tol) or _coarse(text, got, plain[f.name], f.tol):
            if known(f):
                continue
            label = f.label
            res = fmt(f.tol.resolution(want[f.name]), 3)
            raise FormatError(t(
                f"{label['en']}: {answers[f.name]} has too few digits to be checked within ±{res}; "
                "type more decimals.",
                f"{label['ko']}: {josa(str(answers[f.name]), '은')} 자릿수가 부족해 ±{res} "
                "안에서 채점할 수 없습니다. 소수점 아래를 더 적으세요."), f.name)
    n_ok = 0
    earlier_wrong = False   # an error to carry forward: a field before this one (the steps' order) is wrong
    for f in fields:
        got = parsed[f.name]
        ok_carried, ok_plain = f.tol.ok(got, want[f.name]), f.tol.ok(got, plain[f.name])
        ok = ok_carried or ok_plain
        shown, note = want[f.name], None
        if f.name in unreadable:
            g.fields[f.name] = FieldResult(f.name, False, answers.get(f.name), plain[f.name],
                                           t("could not be read", "읽을 수 없음"), label=f.label)
            earlier_wrong = True
            continue
        if ok_plain:
            shown = plain[f.name]              # the true value: right, whatever came before
        elif not earlier_wrong:
            # every earlier field is right: no error was carried forward (right answers typed rounded
            # only move the carried value a little), so a wrong field is shown the true value
            shown = want[f.name] if ok else plain[f.name]
        elif not math.isclose(want[f.name], plain[f.name], rel_tol=1e-9, abs_tol=1e-12):
            note = t("graded from your earlier answers", "앞서 입력한 값으로 채점")
            g.carried_forward = True
        g.fields[f.name] = FieldResult(f.name, ok, got, shown, note, label=f.label)
        n_ok += ok
        earlier_wrong = earlier_wrong or not ok
    g.unreadable = unreadable
    g.score = n_ok / len(fields) if fields else 0.0
    if g.score < 1.0 and cands:
        wrong = [f.name for f in fields if not g.fields[f.name].ok]
        g.mistake = diagnose(fields, parsed, cands, wrong)
        if g.mistake and catalog:
            g.mistake_text = catalog.get(g.mistake)
    return g


def _carried(fn, v: Variant, parsed: Mapping[str, float], fallback):
    """``fn(v, parsed)``; when the learner's own earlier values are too extreme to carry forward
    (``1e300`` squared overflows, a log of a negative number), grade without carrying them."""
    import numpy as np

    try:
        with np.errstate(all="ignore"):   # inf/nan from extreme answers simply do not match
            return fn(v, parsed)
    except (ArithmeticError, ValueError):
        return fallback()


def grade_variant(gen: Generator, v: Variant, answers: Mapping[str, str], *, final: bool = False) -> Grade:
    try:
        plain = gen.expected(v)
        g = grade_numbers(
            v.fields, answers,
            expected_fn=lambda parsed: _carried(gen.expected, v, parsed, lambda: plain),
            mistakes_fn=lambda parsed: _carried(gen.mistakes, v, parsed, lambda: gen.mistakes(v)),
            catalog={m.id: m.explain for m in gen.mistakes_catalog},
            plain_expected=plain, final=final,
        )
    except FormatError as e:
        return Grade(format_error=e.text)
    g.worked = True
    return g


def solution_lines(gen: Generator, v: Variant, grade: Grade | None, lang: str) -> list[tuple[str, bool]]:
    """Worked-solution lines; the first step that settles a field the learner got wrong is marked.

    After the steps, an "Answers" block states every asked value as a number, labelled as the
    field is asked (``noise points = 4``), whatever the steps say."""
    marked = False
    out = []
    right = gen.expected(v)
    steps = list(gen.solution(v))
    steps.append(Step(t("Answers:", "답:")))
    steps += [Step(t(f"  {f.label['en']} = {fmt(right[f.name])}", f"  {f.label['ko']} = {fmt(right[f.name])}"),
                   (f.name,)) for f in v.fields]
    for step in steps:
        mark = False
        if grade is not None and not marked and any(
                name in grade.fields and not grade.fields[name].ok for name in step.fields):
            mark = marked = True
        out.append((step.text[lang], mark))
    return out


# --------------------------------------------------------------------------- static kinds


def _run_of_digits(token: str, n: int) -> bool:
    return n <= 9 and 1 < len(token) <= 9 and token.isdecimal() and token.isascii() and int(token) > n


def _indices(text: str, n: int, what: Text, empty: Text | None = None) -> list[int]:
    """``empty``: the message for no answer at all (else "Empty answer: type ``what``")."""
    jamo = stray_jamo(text)
    if jamo is not None:
        raise jamo
    # numbers apart by spaces, commas, or as an order is written: "2→3→4→1", "2-3-4-1", "2 > 3"
    tokens = [x for x in re.split(r"[\s,;/→⇒>\-–—−]+", unicodedata.normalize("NFKC", text or "").strip()) if x]
    # as Koreans write an option: "4번", "4번요", "4.", "4)", "4요"
    tokens = [re.sub(r"(?<=\d)(번요|번|요|\.|\))$", "", x) for x in tokens]
    # "2341" with four options: the options one after another, each one digit (not option 2341)
    tokens = [d for x in tokens for d in (list(x) if _run_of_digits(x, n) else [x])]
    if not tokens:
        raise FormatError(empty or t(f"Empty answer: type {what['en']}.", f"빈 답입니다: {what['ko']} 입력하세요."))
    out = []
    for tok in tokens:
        tok_l = tok.lower()
        if tok_l.isdecimal():  # not isdigit: int() rejects digits like ፩; a huge number is just out of range
            i = int(tok_l) - 1 if len(tok_l) <= 9 else n
        elif len(tok_l) == 1 and "a" <= tok_l <= "z":
            i = ord(tok_l) - ord("a")
        else:
            raise FormatError(t(f"{tok[:20]!r} is not an option number: type {what['en']}.",
                                f"{josa(repr(tok[:20]), '은')} 보기 번호가 아닙니다: {what['ko']} 입력하세요."))
        if not 0 <= i < n:
            raise FormatError(t(f"There is no option {tok[:20]}: options are 1–{n}.",
                                f"{tok[:20]}번 보기는 없습니다: 보기는 1–{n}번입니다."))
        out.append(i)
    return out


def grade_choice(answer_index: int, n: int, text: str, whys: Sequence[Text | None] | None = None) -> Grade:
    """``whys[j]``: why the option shown as j+1 is wrong (or None); a wrong pick's why is the feedback."""
    try:
        picked = _indices(text, n, t("one option number", "보기 번호 하나를"),
                          # said alike for a list (space) and for a typed number (line mode)
                          t("Empty answer: choose one option (by its number: e.g. 2).",
                            "빈 답입니다: 보기 하나를 고르세요(번호로는 예: 2)."))
    except FormatError as e:
        return Grade(format_error=e.text)
    if len(picked) != 1:
        return Grade(format_error=t("Pick exactly one option.", "보기 하나만 고르세요."))
    ok = picked[0] == answer_index
    g = Grade(score=float(ok), fields={"choice": FieldResult("choice", ok, picked[0], answer_index)})
    why = whys[picked[0]] if whys and not ok and picked[0] < len(whys) else None
    if why:
        g.mistake_text = dict(why)
    return g


def grade_multi(answer: Sequence[int], n: int, text: str, whys: Sequence[Text | None] | None = None) -> Grade:
    """Partial credit: (right picks − wrong picks) / number of right options, at least 0.
    ``whys[j]``: why the option shown as j+1 is wrong; the feedback gives it for each wrong pick
    (and each missed option that has one), numbered as shown."""
    try:
        picked = set(_indices(text, n, t("the option numbers, e.g. 1 3", "보기 번호들을(예: 1 3)"),
                              t("Empty answer: choose one or more options (by their numbers: e.g. 1 3).",
                                "빈 답입니다: 보기를 하나 이상 고르세요(번호로는 예: 1 3).")))
    except FormatError as e:
        return Grade(format_error=e.text)
    right = set(answer)
    score = max(0.0, (len(picked & right) - len(picked - right)) / len(right))
    fields = {f"option[{i}]": FieldResult(f"option[{i}]", (i in picked) == (i in right), i in picked, i in right,
                                          label=t(f"option {i + 1}", f"{i + 1}번 보기"))
              for i in range(n)}
    g = Grade(score=score, fields=fields)
    said = [(i, whys[i]) for i in range(min(n, len(whys or []))) if (i in picked) != (i in right) and whys[i]]
    if said:
        g.mistake_text = {lang: " ".join(f"({i + 1}) {w[lang]}" for i, w in said) for lang in ("en", "ko")}
    return g


def grade_order(shown: Sequence[int], text: str) -> Grade:
    """``shown[j]`` is the correct position of the item displayed as option j+1.

    The learner types the displayed numbers in the order they believe is right; partial
    credit is the longest subsequence already in the right relative order, over n.
    """
    n = len(shown)
    try:
        picked = _indices(text, n, t(f"all {n} option numbers in order, e.g. 2 1 3",
                                     f"보기 번호 {n}개를 순서대로(예: 2 1 3)"))
    except FormatError as e:
        return Grade(format_error=e.text)
    if sorted(picked) != list(range(n)):
        return Grade(format_error=t(f"Use each of the {n} option numbers exactly once.",
                                    f"보기 번호 {n}개를 한 번씩 모두 쓰세요."))
    positions = [shown[j] for j in picked]
    in_order = _increasing_run(positions)   # the typed places that keep their relative order
    score = len(in_order) / n
    fields = {f"place[{k}]": FieldResult(f"place[{k}]", k in in_order, positions[k], k,
                                         label=t(f"position {k + 1}", f"{k + 1}번째 자리"))
              for k in range(n)}
    g = Grade(score=score, fields=fields)
    if score < 1:
        # what the score counts: the options to move, named as shown (not every place that moved:
        # "1 3 2 4" is one move from right, 75 %, not two wrong places)
        move = [str(picked[k] + 1) for k in range(n) if k not in in_order]
        g.expected = t(f"In the right order: {len(in_order)} of {n}; move option {', '.join(move)}.",
                       f"순서가 맞는 보기 {n}개 중 {len(in_order)}개, 옮길 보기: {', '.join(move)}번.")
    return g


def _increasing_run(seq: Sequence[int]) -> set[int]:
    """Indices of one longest strictly increasing subsequence of ``seq`` (patience sorting with
    back links)."""
    import bisect

    tails: list[int] = []     # the last value of the best run of each length
    at: list[int] = []        # its index in seq
    back = [-1] * len(seq)
    for i, x in enumerate(seq):
        k = bisect.bisect_left(tails, x)
        back[i] = at[k - 1] if k else -1
        if k == len(tails):
            tails.append(x)
            at.append(i)
        else:
            tails[k], at[k] = x, i
    out, i = set(), at[-1] if at else -1
    while i != -1:
        out.add(i)
        i = back[i]
    return out


# ----------------------------------------------------------------- words (text and cloze)
# The matching rules are in tutor.textmatch: spaces, hyphens and case do not count, glossary
# terms bring all their forms, 한글(English) is fine, a one-letter slip on a long word is free.

_NEAR = t("Almost: check the spelling (one letter is off). This try is free.",
          "거의 맞았습니다: 철자를 확인하세요(한 글자가 다릅니다). 이번 입력은 시도 횟수에 들어가지 않습니다.")
_NEAR_FINAL = t("one letter is off", "한 글자가 다름")   # an exam has no free try: graded, with why


def _glossary(glossary):
    if glossary is not None:
        return glossary
    from tutor.textmatch import default_glossary

    return default_glossary()


def text_matches(text: str, accepted: Sequence[str], glossary=None) -> bool:
    from tutor.textmatch import match

    return match(text, accepted, _glossary(glossary)).ok


def grade_text(accepted: Sequence[str], text: str, glossary=None, *, final: bool = False) -> Grade:
    """``glossary``: a :class:`tutor.textmatch.Glossary`; default the shipped one. ``final`` (an
    exam): a one-letter slip is graded wrong, not a free try."""
    from tutor.textmatch import Accepted, match

    if not (text or "").strip():
        return Grade(format_error=t("Empty answer: type a word or phrase.", "빈 답입니다: 단어나 구를 입력하세요."))
    jamo = stray_jamo(text)
    if jamo is not None:
        if not final:
            return Grade(format_error=jamo.text)
        text = without_jamo(text)   # an exam: graded as it would be without the stray letter
    acc = Accepted.build(accepted, _glossary(glossary))
    m = match(text, acc, _glossary(glossary))
    if m.near and not final:
        return Grade(format_error=_NEAR)
    g = Grade(score=float(m.ok), fields={"text": FieldResult("text", m.ok, text, accepted[0],
                                                             _NEAR_FINAL if m.near else None)})
    if not m.ok:
        g.expected = t(f"Expected: {acc.shown('en')}.", f"정답: {acc.shown('ko')}.")
    return g


def _has_hangul(s: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f"
               for ch in s)


def answer_keys(accepted: Sequence[str], lang: str) -> list[str]:
    """The accepted answers of a text question or cloze blank to show in ``lang``: the content lists
    both languages mixed; those in the UI's script (with Hangul for Korean, without for English)
    come first, and English leaves the Hangul ones out (unless there is nothing else)."""
    mine = [a for a in accepted if _has_hangul(a) == (lang == "ko")]
    if lang == "ko":
        return mine + [a for a in accepted if a not in mine]
    return mine or list(accepted)


def answer_key(accepted: Sequence[str], lang: str) -> str:
    """The one answer to show as the key in ``lang``: the first accepted answer in its script."""
    return (answer_keys(accepted, lang) or [""])[0]


def grade_cloze(blanks: Sequence[Sequence[str]], answers: Mapping[str, str], glossary=None, *,
                final: bool = False) -> Grade:
    """``final`` (an exam: no second try): an empty blank and a one-letter slip are graded wrong
    and the other blanks graded, instead of a free try."""
    from tutor.korean import josa
    from tutor.textmatch import Accepted, match

    gl = _glossary(glossary)
    fields = {}
    missed: list[tuple[int, Any]] = []
    near: list[int] = []
    unreadable: dict[str, Text] = {}
    empty = [i for i in range(len(blanks)) if not (answers.get(f"blank[{i + 1}]", "") or "").strip()]
    for i, accepted in enumerate(blanks):
        name = f"blank[{i + 1}]"
        label = t(f"blank {i + 1}", f"빈칸 {i + 1}")
        got = answers.get(name, "")
        acc = Accepted.build(accepted, gl)
        jamo = stray_jamo(got) if i not in empty else None
        if jamo is not None:
            if not final:
                return Grade(format_error={lang: f"{label[lang]}: {jamo.text[lang]}" for lang in ("en", "ko")})
            got = without_jamo(got)
        if i in empty:
            said = t(f"Blank {i + 1} is empty.", f"{josa(f'빈칸 {i + 1}', '이')} 비어 있습니다.")
            if not final or len(empty) == len(blanks):
                return Grade(format_error=said)
            unreadable[name] = said
            missed.append((i + 1, acc))
            fields[name] = FieldResult(name, False, got, accepted[0], t("empty", "비어 있음"), label=label)
            continue
        m = match(got, acc, gl)
        near += [i + 1] if m.near and not final else []
        missed += [] if m.ok else [(i + 1, acc)]
        fields[name] = FieldResult(name, m.ok, got, accepted[0], _NEAR_FINAL if m.near else None, label=label)
    if near:
        which = ", ".join(map(str, near))
        return Grade(format_error=t(f"Blank {which}: " + _NEAR["en"], f"빈칸 {which}: " + _NEAR["ko"]))
    score = sum(f.ok for f in fields.values()) / len(fields)
    g = Grade(score=score, fields=fields, unreadable=unreadable)
    if missed:
        g.expected = t("Expected: " + "; ".join(f"({i}) {a.shown('en')}" for i, a in missed) + ".",
                       "정답: " + "; ".join(f"({i}) {a.shown('ko')}" for i, a in missed) + ".")
    return g
