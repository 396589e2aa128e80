"""The study core: what to ask, how to grade it, what to record. No textual here.

Both the Textual screens and the plain line mode drive a :class:`Study`:

    ask = study.ask(item_id)            # an Ask: prompt, answer fields, tables, options
    study.hint()                        # next progressive hint (counted)
    grade = study.submit({name: text})  # format errors cost nothing and are not recorded
    study.solution()                    # worked solution lines, first divergent step marked
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass, field
from typing import Any, Mapping

from engine.core import Table, Text, Tolerance, Variant
from engine.registry import get_generator
from tutor.grading import (
    DEFAULT_TOL,
    FieldResult,
    FormatError,
    Grade,
    answer_key,
    answer_keys,
    grade_choice,
    grade_cloze,
    grade_multi,
    grade_numbers,
    grade_order,
    grade_text,
    grade_variant,
    parse_number,
    solution_lines,
    t,
)


@dataclass
class AskField:
    name: str
    label: Text
    kind: str = "number"          # number | text | choice | multi | order


@dataclass
class Ask:
    item_id: str
    topic: str
    kind: str
    prompt: Text
    fields: list[AskField]
    options: list[Text] = field(default_factory=list)   # choice / multi / order, in display order
    tables: list[Table] = field(default_factory=list)
    variant: Variant | None = None
    seed: int | None = None
    params: dict = field(default_factory=dict)
    hints: list[Text] = field(default_factory=list)
    explain: Text | None = None

    def prompt_text(self, lang: str) -> str:
        return self.prompt[lang]

    def shown_position(self, index: int) -> int:
        """Where the content's option ``index`` is shown (choice/multi/order draw their order)."""
        shown = self.params.get("shown")
        return shown.index(index) if shown is not None else index


def _matrix_cells(value: Any) -> list[list[float]]:
    import numpy as np

    a = np.atleast_1d(np.asarray(value, dtype=float))
    if a.ndim == 1:
        a = a[None, :]
    return a.tolist()



def without_nul(answers: Mapping[str, str]) -> dict[str, str]:
    """One rule for NUL in every mode: it is dropped. The terminal layer of the TUI already drops
    it from pasted text (and a key press cannot type it), so line mode drops it too; every other
    control character is a format error in both."""
    return {k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in (answers or {}).items()}

class Study:
    def __init__(self, catalog, store=None, *, lang: str = "en", mode: str = "practice",
                 scheduler=None, seed: int | None = None):
        self.catalog = catalog
        self.store = store
        self.lang = lang
        self.mode = mode
        self._scheduler = scheduler
        self.rng = random.Random(seed)
        self.current: Ask | None = None
        self.hints_used = 0
        self.attempts = 0
        self.tries_before = 0          # 1 when the item's answer was undone: this one is a second try
        self.rated = False             # the first graded answer of this asking has rated the item
        self.solution_viewed = False   # the worked solution was shown before a right answer
        self.last_recorded = None      # tutor.learner.Recorded of the last answer
        self.last_answers = None       # the last graded answers, as typed (see :meth:`submit`)
        self.repeated = False          # the last submit was the same answer again: nothing recorded
        self.summary = None            # tutor.learner.SessionSummary, made on the first recorded answer
        self.last_grade: Grade | None = None
        self.first_grade: Grade | None = None
        self._started = time.monotonic()
        self._runs: dict[str, dict] = {}

    # ------------------------------------------------------------------ asking
    def new_seed(self) -> int:
        return self.rng.randrange(1, 2**31)

    def ask(self, item_id: str, seed: int | None = None) -> Ask:
        """Ask ``item_id`` (a fresh variant of an exercise unless ``seed``). An item whose answer was
        undone (:func:`tutor.learner.retry_after_undo`) is on its second try (at best Hard)."""
        from tutor.learner import retry_after_undo

        q = self.catalog.item(item_id)
        self.hints_used = 0
        self.attempts = 0
        self.tries_before = 1 if self.mode != "exam" and retry_after_undo(self.store, item_id) else 0
        self.rated = False
        self.solution_viewed = False
        self.last_grade = self.first_grade = None
        self.last_answers = None
        self.repeated = False
        self._started = time.monotonic()
        kind = q.kind
        d = q.data
        hints = list(q.hints or [])
        if kind == "exercise":
            gen = get_generator(d["generator"])
            seed = self.new_seed() if seed is None else seed
            v = gen.variant(seed, d.get("params") or {})
            ask = Ask(q.id, q.topic, kind, _join(q.prompt, v.prompt),
                      [AskField(f.name, f.label) for f in v.fields], tables=v.tables, variant=v,
                      seed=seed, params=dict(d.get("params") or {}), hints=hints + list(v.hints), explain=q.explain)
        else:
            runs = self._compute(q)
            prompt = _render(q.prompt, runs)
            seed = self.new_seed() if seed is None else seed
            if kind in ("choice", "multi"):
                # shown in an order drawn from the seed (stored with the attempt, so replayable): in
                # review the right answer is not "the 3rd one again"; `shuffle: false` keeps the order
                shown = list(range(len(d["choices"])))
                if d.get("shuffle", True):
                    random.Random(seed).shuffle(shown)
                ask = Ask(q.id, q.topic, kind, prompt, [AskField(kind, t("Your choice", "선택"), kind)],
                          options=[_render(d["choices"][i], runs) for i in shown], seed=seed,
                          params={"shown": shown})
            elif kind == "order":
                order = list(range(len(d["items"])))
                shuffler = random.Random(seed)
                while order == sorted(order) and len(order) > 1:
                    shuffler.shuffle(order)
                ask = Ask(q.id, q.topic, kind, prompt, [AskField("order", t("Order", "순서"), "order")],
                          options=[_render(d["items"][i], runs) for i in order], seed=seed,
                          params={"shown": order})
            elif kind == "text":
                ask = Ask(q.id, q.topic, kind, prompt, [AskField("text", t("Answer", "답"), "text")], seed=seed)
            elif kind == "cloze":
                # the blanks as a learner sees them on paper, "(1)＿＿＿", never the content's {{1}}
                prompt = {lang: _BLANK_RE.sub(lambda m: shown_blank(int(m.group(1))), text)
                          for lang, text in prompt.items()}
                ask = Ask(q.id, q.topic, kind, prompt,
                          [AskField(f"blank[{i + 1}]", t(f"Blank {i + 1}", f"빈칸 {i + 1}"), "text")
                           for i in range(len(d["blanks"]))], seed=seed)
            elif kind == "numeric":
                ask = Ask(q.id, q.topic, kind, prompt, [AskField("value", t("Answer", "답"))], seed=seed)
            elif kind == "matrix":
                cells = _matrix_cells(self._answer_value(q, runs))
                rows = d.get("rows") or [str(i + 1) for i in range(len(cells))]
                cols = d.get("cols") or [str(j + 1) for j in range(len(cells[0]))]
                names = [[f"m[{i}][{j}]" for j in range(len(cells[0]))] for i in range(len(cells))]
                fields = [AskField(names[i][j], t(f"{rows[i]}, {cols[j]}", f"{rows[i]}, {cols[j]}"))
                          for i in range(len(cells)) for j in range(len(cells[0]))]
                ask = Ask(q.id, q.topic, kind, prompt, fields, seed=seed,
                          tables=[Table(t("Answer", "답"), list(map(str, rows)), list(map(str, cols)), names)])
            else:  # pragma: no cover - the loader rejects unknown kinds
                raise ValueError(f"unknown kind {kind}")
            ask.hints = [_render(h, runs) for h in hints]
            ask.explain = _render(q.explain, runs) if q.explain else None
        self.current = ask
        return ask

    def _compute(self, q) -> dict:
        if not q.compute:
            return {}
        if q.id not in self._runs:
            from tutor.content import run_compute

            self._runs[q.id] = run_compute(q.compute)
        return self._runs[q.id]

    def _shown_whys(self, q) -> list | None:
        """The options' ``why`` in the order shown (None where an option has none)."""
        whys = q.data.get("why")
        if not whys:
            return None
        runs = self._compute(q)
        return [_render(whys[i], runs) if whys[i] else None for i in self.current.params["shown"]]

    def _numeric_mistakes(self, q, runs) -> tuple[dict, dict]:
        """A numeric question's ``mistakes:`` as ({id: {"value": what it gives}}, {id: why})."""
        from tutor.content import resolve_path

        cands, whys = {}, {}
        for j, m in enumerate(q.data.get("mistakes") or []):
            try:
                value = m["value"] if "value" in m else float(resolve_path(runs[m["run"]], m["key"]))
            except (KeyError, IndexError, ValueError, TypeError):
                continue   # check-content reports it; grading goes on without this one
            cands[f"mistake[{j}]"] = {"value": float(value)}
            whys[f"mistake[{j}]"] = _render(m["why"], runs)
        return cands, whys

    def _answer_value(self, q, runs) -> Any:
        from tutor.content import expected_answer

        return expected_answer(q, runs)

    # ------------------------------------------------------------------ hints, grading
    def hint(self) -> Text | None:
        ask = self.current
        if ask is None or self.hints_used >= len(ask.hints):
            return None
        h = ask.hints[self.hints_used]
        self.hints_used += 1
        return h

    def grade(self, answers: Mapping[str, str]) -> Grade:
        ask = self.current
        assert ask is not None, "ask() first"
        answers = without_nul(answers)
        q = self.catalog.item(ask.item_id)
        d = q.data
        one = next(iter(answers.values()), "") if answers else ""
        final = self.mode == "exam"   # no second try: what practice would let you retype is graded
        if ask.kind == "exercise":
            return grade_variant(get_generator(d["generator"]), ask.variant, answers, final=final)
        if ask.kind == "choice":   # typed numbers are positions as shown
            return grade_choice(ask.shown_position(int(d["answer"])), len(d["choices"]), answers.get("choice", one),
                                whys=self._shown_whys(q))
        if ask.kind == "multi":
            return grade_multi([ask.shown_position(int(i)) for i in d["answer"]], len(d["choices"]),
                               answers.get("multi", one), whys=self._shown_whys(q))
        if ask.kind == "order":
            return grade_order(ask.params["shown"], answers.get("order", one))
        if ask.kind == "text":
            return grade_text(_accepted(d["answers"]), answers.get("text", one), final=final)
        if ask.kind == "cloze":
            return grade_cloze([_accepted(b) for b in d["blanks"]], answers, final=final)
        runs = self._compute(q)
        tol = Tolerance.parse(d.get("tolerance"), DEFAULT_TOL)
        if ask.kind == "numeric":
            from engine.core import Field

            want = float(self._answer_value(q, runs))
            f = Field("value", t("Answer", "답"), tol=tol)
            cands, whys = self._numeric_mistakes(q, runs)
            g = _safe(lambda: grade_numbers([f], answers if "value" in answers else {"value": one},
                                            expected_fn=lambda _p: {"value": want},
                                            mistakes_fn=(lambda _p: cands) if cands else None, catalog=whys,
                                            final=final))
            g.mistake = None   # the content's own mistakes explain the answer; they are not engine mistakes
            return g
        if ask.kind == "matrix":
            from engine.core import Field

            cells = _matrix_cells(self._answer_value(q, runs))
            want = {f"m[{i}][{j}]": float(x) for i, row in enumerate(cells) for j, x in enumerate(row)}
            fields = [Field(a.name, a.label, tol=tol) for a in ask.fields]
            return _safe(lambda: grade_numbers(fields, answers, expected_fn=lambda _p: want, final=final))
        raise ValueError(ask.kind)  # pragma: no cover

    def submit(self, answers: Mapping[str, str], *, exam: tuple[int, int] | None = None, now=None) -> Grade:
        """Grade and record (through the learner model's one write path). A format error costs
        nothing and records nothing. The first graded answer of an asking rates the item (not in an
        exam, which rates at its end); ``exam`` = (exam id, index) also writes the exam row."""
        answers = without_nul(answers)
        self.repeated = exam is None and self.last_grade is not None and dict(answers) == self.last_answers
        if self.repeated:
            # the same answer again (Enter pressed twice): graded as it was, not a second attempt —
            # it counted twice in the day's answers and the item's tries
            return self.last_grade
        g = self.grade(answers)
        if g.format_error:
            return g  # free: nothing recorded, no attempt used
        ask = self.current
        self.attempts += 1
        self.last_grade = g
        self.last_answers = dict(answers)
        if self.first_grade is None:
            self.first_grade = g
        if self.store is not None:
            from tutor.learner import SessionSummary, record_answer

            rate = exam is None and not self.rated
            first_try = self.attempts == 1 and self.tries_before == 0
            rec = record_answer(
                self.store, self.scheduler, item_id=ask.item_id, topic=ask.topic, kind=ask.kind, mode=self.mode,
                variant_seed=ask.seed, answers=answers, grade=g, hints_used=self.hints_used,
                duration_ms=int((time.monotonic() - self._started) * 1000), solution_viewed=self.solution_viewed,
                rate=rate, first_try=first_try, exam=exam, now=now)
            self.rated = self.rated or rate
            self.last_recorded = rec
            if self.summary is None:
                self.summary = SessionSummary()
            self.summary.add(ask.item_id, first_answer=self.attempts == 1,
                             right_first=g.correct and first_try and not self.solution_viewed,
                             was_new=bool(rec.review and rec.review.get("first")), mistake=g.mistake,
                             due=rec.review["due"] if rec.review else None)
        return g

    @property
    def scheduler(self):
        """The :class:`~tutor.schedule.Scheduler` on :attr:`store` (the one given, else made on first use)."""
        if self._scheduler is None:
            from tutor.schedule import Scheduler

            self._scheduler = Scheduler(self.store)
        return self._scheduler

    @scheduler.setter
    def scheduler(self, value) -> None:
        self._scheduler = value

    def solution(self) -> list[tuple[str, bool]]:
        """Worked solution as (line, is_first_divergent_step). Shown before a right answer, it makes
        that answer count as solved with help (rated Again, not learned)."""
        ask = self.current
        assert ask is not None
        if not (self.last_grade is not None and self.last_grade.correct):
            self.solution_viewed = True
        q = self.catalog.item(ask.item_id)
        lang = self.lang
        if ask.kind == "exercise":
            return solution_lines(get_generator(q.data["generator"]), ask.variant, self.last_grade, lang)
        d = q.data
        lines: list[tuple[str, bool]] = []
        if ask.kind == "choice":
            j = ask.shown_position(int(d["answer"]))
            lines.append((f"{j + 1}. {ask.options[j][lang]}", False))
        elif ask.kind == "multi":
            lines += [(f"{j + 1}. {ask.options[j][lang]}", False)
                      for j in sorted(ask.shown_position(int(i)) for i in d["answer"])]
        elif ask.kind == "order":   # what to type, in the question's own numbering, then each option
            typed = order_answer(ask)
            lines.append((t("Right order: ", "정답 순서: ")[lang] + typed, False))
            lines += [(f"{j}. {ask.options[int(j) - 1][lang]}", False) for j in typed.split()]
        elif ask.kind == "text":
            lines.append((" / ".join(answer_keys(_accepted(d["answers"]), lang)), False))
        elif ask.kind == "cloze":   # the key in the UI's language (the content mixes both)
            lines += [(f"{i + 1}: {answer_key(_accepted(b), lang)}", False) for i, b in enumerate(d["blanks"])]
        elif ask.kind in ("numeric", "matrix"):
            from engine.core import fmt

            value = self._answer_value(q, self._compute(q))
            cells = _matrix_cells(value)
            lines += [("  ".join(fmt(x) for x in row), False) for row in cells]
        if ask.explain:
            lines.append((ask.explain[lang], False))
        return lines


def unreadable_fields(ask: Ask, answers: dict[str, str], message: str) -> list:
    """The fields a format error is about: numbers that do not parse (or empty text); else the
    field the message names first (too few digits); else every field."""
    bad = []
    for f in ask.fields:
        raw = answers.get(f.name, "")
        if f.kind == "number":
            try:
                parse_number(raw)
            except FormatError:
                bad.append(f)
        elif not raw.strip():
            bad.append(f)
    if bad:
        return bad
    named = [f for f in ask.fields if any(message.startswith(lab + ":") for lab in f.label.values() if lab)]
    return named[:1] or list(ask.fields)


def order_answer(ask: Ask) -> str:
    """The right answer to an ordering question as the learner types it: the numbers the options
    are shown with, in the right order ("4 2 3 1"), from the order they were shown in."""
    return " ".join(str(ask.shown_position(k) + 1) for k in range(len(ask.options)))


_BLANK_RE = re.compile(r"\{\{\s*(\d+)\s*\}\}")
SHOWN_BLANK_RE = re.compile(r"\((\d+)\)＿＿＿")   # a blank as asked: what an export turns into its own


def shown_blank(n: int) -> str:
    """Blank ``n`` of a cloze prompt as the learner sees it: ``(1)＿＿＿``."""
    return f"({n})＿＿＿"


def _safe(fn) -> Grade:
    from tutor.grading import FormatError

    try:
        return fn()
    except FormatError as e:
        return Grade(format_error=e.text)


def _accepted(spec: Any) -> list[str]:
    """Accepted answers of a text question or a cloze blank (a list, as the schema requires)."""
    return [str(x) for x in (spec if isinstance(spec, (list, tuple)) else [spec])]


def _render(text: Text | None, runs: Mapping) -> Text:
    if not text:
        return {"en": "", "ko": ""}
    if not runs:
        return dict(text)
    from tutor.content import render

    return {lang: render(s, runs) for lang, s in text.items()}


def _join(a: Text | None, b: Text) -> Text:
    if not a or not any(a.values()):
        return dict(b)
    return {lang: f"{a[lang]}\n\n{b[lang]}" for lang in b}


__all__ = ["Ask", "AskField", "Study", "Grade", "FieldResult"]
