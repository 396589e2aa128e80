"""Spaced review and timed exams: the study logic of the Review and Exam screens (no textual).

Review: the FSRS queue across topics. Each item is auto-rated from its grade (right first
try → Good/Easy, after a hint or slowly → Hard, wrong → Again); the learner can override the
rating (1–4) or undo it. Engine exercises get a fresh variant on every review. A mistake
diagnosed twice queues a remedial item ``remedial:<mistake_id>`` that explains it.

Exam: a fixed list of (item, variant seed) saved before the first question, answers saved
one per transaction, no feedback until the end, resumable after quitting or a crash.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine.core import Text
from tutor.grading import Grade, t
from tutor.session import Ask, AskField, Study

REMEDIAL = "remedial:"


def mistake_text(mistake_id: str) -> Text | None:
    """The explanation of a mistake id, looked up in the engine's generators and algorithms."""
    from engine.registry import algorithms, generators

    for gen in generators().values():
        for m in gen.mistakes_catalog:
            if m.id == mistake_id:
                return m.explain
    for alg in algorithms().values():
        for m in alg.mistakes:
            if m.id == mistake_id:
                return m.explain
    return None


@dataclass
class Rated:
    item_id: str
    rating: int
    auto: bool
    due: Any
    previews: dict = field(default_factory=dict)   # rating -> interval in days, as before this rating
    review_id: int | None = None                   # the review_log row: what undo takes back
    attempt_id: int | None = None                  # the answer that was rated (None: rated by hand)
    reason: str | None = None                      # why the automatic rating (None: rated by hand)


class ReviewSession:
    """The review queue (see :func:`tutor.learner.review_queue`). Answers are rated as they are
    recorded (the learner model's write path); the learner may override a rating (1–4) or undo it,
    and a retry after undo is a second try."""

    def __init__(self, catalog, store, scheduler, *, lang: str = "en", seed: int | None = None,
                 topics: list[str] | None = None, items: list[str] | None = None):
        self.catalog = catalog
        self.store = store
        self.scheduler = scheduler
        self.lang = lang
        self.study = Study(catalog, store, lang=lang, mode="review", seed=seed, scheduler=scheduler)
        self.topics = topics
        self.fixed = items is not None      # "review my mistakes": a given list, not the FSRS queue
        self.queue: list[str] = list(items or [])
        self.current: str | None = None
        self.last: Rated | None = None
        self.done = 0
        self.skipped = 0   # items left without a rating (ctrl+n, :skip): the end says so, not "nothing to review"

    def refill(self, now: datetime | None = None) -> list[str]:
        from tutor.learner import review_queue

        if not self.fixed:
            self.queue = review_queue(self.catalog, self.store, self.scheduler, now=now, topics=self.topics)
        return self.queue

    def next(self) -> Ask | None:
        if self.current is not None and (self.last is None or self.last.item_id != self.current):
            self.skipped += 1   # left without a rating: nothing recorded, still to do
        if not self.queue:
            self.refill()
        if not self.queue:
            self.current = None
            return None
        self.current = self.queue.pop(0)
        if self.current.startswith(REMEDIAL):
            mid = self.current[len(REMEDIAL):]
            text = mistake_text(mid) or {"en": mid, "ko": mid}
            scale = t("How well do you know it now? 1 Again · 2 Hard · 3 Good · 4 Easy",
                      "이제 얼마나 알겠나요? 1 다시 · 2 어려움 · 3 좋음 · 4 쉬움")
            return Ask(self.current, self.topic_of(self.current), "remedial",
                       {lang: t("You have made this mistake more than once:",
                                "이 실수를 두 번 이상 했습니다:")[lang] + "\n\n" + text[lang] + "\n\n" + scale[lang]
                        for lang in ("en", "ko")},
                       [AskField("rating", t("Rating 1–4", "평가 1–4"), "rating")])
        return self.study.ask(self.current)

    def left(self) -> int:
        """Items still to do: the queue, and the item on screen until it is rated (a question on
        screen is never "0 left")."""
        return len(self._left_items())

    def _left_items(self) -> list[str]:
        unrated = self.current is not None and (self.last is None or self.last.item_id != self.current)
        return ([self.current] if unrated else []) + self.queue

    def left_new(self) -> int:
        """Of :meth:`left`, the items never studied (no card yet): home's "new" beside its "due" (its
        due count and this queue's count differed by them, and nothing said so)."""
        items = self._left_items()
        return len(self.store.without_cards(items, len(items))) if items else 0

    def submit(self, answers: dict[str, str]) -> Grade:
        """Grade and record; the first graded answer rates the item (see :attr:`last`)."""
        g = self.study.submit(answers)
        rec = self.study.last_recorded
        if not g.format_error and not self.study.repeated and rec is not None and rec.review is not None:
            self.last = Rated(self.current, rec.rating, True, rec.review["due"], rec.previews,
                              rec.review.get("review_id"), rec.attempt_id, rec.reason)
            self.done += 1
        return g

    def rate_remedial(self, answers: dict[str, str], now: datetime | None = None) -> Grade:
        """A repeated-mistake card's answer is the learner's own rating: 1–4 rates it (a Grade that
        says so, not "correct"); anything else is a format error that rates nothing."""
        raw = (answers.get("rating") or "").strip()
        if raw not in ("1", "2", "3", "4"):
            return Grade(format_error=t("Type 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy).",
                                        "1(다시), 2(어려움), 3(좋음), 4(쉬움) 중 하나를 입력하세요."))
        self.rate(int(raw), now=now)
        return Grade(score=1.0, self_rated=int(raw))

    def topic_of(self, item_id: str) -> str:
        """An item's topic; a repeated-mistake card keeps the topic where the mistake was made
        (its due count stays in that topic's row)."""
        if item_id.startswith(REMEDIAL):
            row = self.store.read_one("SELECT topic FROM cards WHERE item_id = ?", (item_id,))
            return row[0] if row else "remedial"
        return self.catalog.item(item_id).topic

    def rate(self, rating: int, now: datetime | None = None) -> Rated:
        """Rate the current item by hand (a remedial card), or override its automatic rating."""
        from tutor.learner import rerate

        item = self.current
        assert item is not None
        overriding = self.last is not None and self.last.item_id == item
        if overriding:
            res = rerate(self.store, self.scheduler, item, self.topic_of(item), int(rating), now=now,
                         review_id=self.last.review_id)
        else:
            previews = self.scheduler.preview(item, now=now)
            res = self.scheduler.review(item, self.topic_of(item), int(rating), now=now, auto=False)
            self.done += 1
        self.last = Rated(item, int(rating), False, res["due"], self.last.previews if overriding else previews,
                          res.get("review_id"), self.last.attempt_id if overriding else None)
        return self.last

    def undo(self) -> str | None:
        """Undo the last rating and the answer it rated (:func:`tutor.learner.undo_answer`); that item
        is asked again next, as a second try."""
        from tutor.learner import undo_answer

        last = self.last
        if last is None or undo_answer(self.store, self.scheduler, last.item_id, review_id=last.review_id,
                                       attempt_id=last.attempt_id) is None:
            return None
        self.queue.insert(0, last.item_id)
        self.last = None
        if self.current == last.item_id:
            self.current = None   # back in the queue: not an item left without a rating (it was counted as skipped)
        self.done = max(0, self.done - 1)
        return last.item_id


@dataclass
class ItemState:
    """An exam item as it stands (see :meth:`ExamSession.state`)."""
    state: str              # unanswered | answered | partial | unreadable
    filled: int = 0         # partial: the cells filled …
    cells: int = 0          # … of these


class ExamSession:
    """A timed exam over chosen topics. No feedback until :meth:`finish`.

    Whatever is in an item's answer fields is its answer: the screen saves it as a *draft*
    (:meth:`save_draft`, one small transaction, while typing) and nothing is graded until the end.
    :meth:`finish` (the learner finishes, or the time is up) grades every draft not yet graded
    through the one write path (:meth:`answer` → ``Study.submit(..., exam=(id, index))``), then
    closes the exam and schedules every item (:func:`tutor.learner.finish_exam`), all in one
    transaction. Grading is final (no second try): a cell that cannot be read (an empty blank, a
    malformed number) is graded wrong and the rest of the answer is graded; a one-letter slip is
    wrong. A draft with nothing readable at all is not graded: the report lists it as answered but
    unreadable, with the reason, and the item is scheduled as missed.
    Drafts survive quitting, a crash and ``kill -9``; :meth:`resume` brings them back.
    """

    def __init__(self, catalog, store, *, lang: str = "en"):
        self.catalog = catalog
        self.store = store
        self.lang = lang
        self.study = Study(catalog, store, lang=lang, mode="exam")
        self._checker = Study(catalog, None, lang=lang, mode="exam")   # format checks: records nothing
        self.exam: dict | None = None
        self.index = 0

    @classmethod
    def resume(cls, catalog, store, *, lang: str = "en") -> ExamSession | None:
        ex = store.unfinished_exam()
        if ex is None:
            return None
        s = cls(catalog, store, lang=lang)
        s.exam = ex
        s.index = next((i for i in range(len(ex["items"])) if not s.answered(i)), len(ex["items"]) - 1)
        return s

    def start(self, topics: list[str], n: int, minutes: float, *, seed: int | None = None,
              now: datetime | None = None, items: list[str] | None = None) -> int:
        """``items``: these questions of ``topics``, in this order (e.g. a weighted mock exam),
        instead of ``n`` drawn at random."""
        from tutor.exam_draw import every_topic, without_giveaways
        from tutor.progress import suspended_ids

        rng = random.Random(seed)
        suspended = suspended_ids(self.store)   # suspended in the browser: never served, in an exam neither
        pool = [(q.id, tid) for tid in topics for q in self.catalog.topics[tid].questions if q.id not in suspended]
        if not pool:
            raise ValueError("no questions in the chosen topics")
        if items is not None:
            topic_of = dict(pool)
            picked = [(i, topic_of[i]) for i in dict.fromkeys(items) if i in topic_of][:n]
        else:
            picked = every_topic(rng, pool, rng.sample(pool, min(n, len(pool))))
        # no question that prints another's answer (a replacement of its topic; its own random draw,
        # so that an exam without a clash is the one the seed always gave)
        picked = without_giveaways(random.Random(None if seed is None else f"giveaway:{seed}"), pool, picked,
                                   self.catalog.item)
        items = [{"item_id": i, "topic": tid, "variant_seed": rng.randrange(1, 2**31)} for i, tid in picked]
        from tutor.progress import UNSEEN_REPORT

        with self.store.tx():
            exam_id = self.store.start_exam(topics=topics, items=items, minutes=minutes, now=now)
            if self.store.get_setting(UNSEEN_REPORT) is not None:   # a new exam: the last one's report is in stats
                self.store.set_setting(UNSEEN_REPORT, None)
        from tutor.learner import remember_exam_setup

        remember_exam_setup(self.store, topics, n, minutes)   # the next setup starts from this one
        self.exam = self.store.exam(exam_id)
        self.index = 0
        return exam_id

    @property
    def total(self) -> int:
        return len(self.exam["items"]) if self.exam else 0

    def ask(self, index: int | None = None) -> Ask:
        if index is not None:
            self.index = index
        item = self.exam["items"][self.index]
        return self.study.ask(item["item_id"], seed=item["variant_seed"])

    # ------------------------------------------------------------------ drafts
    def typed(self, index: int) -> dict[str, str]:
        """What is in item ``index``'s fields: its draft, else the answer graded earlier, else {}."""
        d = self.exam["drafts"].get(index)
        if d is not None and d["answer"]:
            return dict(d["answer"])
        a = self.exam["answers"].get(index)
        return {k: str(v) for k, v in a["answer"].items()} if a and isinstance(a["answer"], dict) else {}

    def answered(self, index: int) -> bool:
        """Something is typed in the item (read yet or not), or it has a graded answer."""
        return index in self.exam["answers"] or any(str(v).strip() for v in self.typed(index).values())

    def flagged(self, index: int) -> bool:
        d = self.exam["drafts"].get(index)
        return bool(d and d["flagged"])

    def save_draft(self, index: int, answers: dict[str, str], now: datetime | None = None) -> bool:
        """Keep what is typed in item ``index`` (one small transaction). False when it is what was
        kept already (nothing written)."""
        answers = {k: str(v) for k, v in answers.items()}
        d = self.exam["drafts"].get(index)
        if (d is not None and d["answer"] == answers) or (d is None and not any(v.strip() for v in answers.values())
                                                          and index not in self.exam["answers"]):
            return False
        self.store.save_exam_draft(self.exam["id"], index, answers, now=now)
        self.exam["drafts"][index] = {"answer": answers, "flagged": bool(d and d["flagged"]), "at": None}
        return True

    def toggle_flag(self, index: int, now: datetime | None = None) -> bool:
        """Flag item ``index`` "for later", or clear the flag; returns the new state."""
        flagged = not self.flagged(index)
        self.store.flag_exam_item(self.exam["id"], index, flagged, now=now)
        d = self.exam["drafts"].setdefault(index, {"answer": {}, "flagged": False, "at": None})
        d["flagged"] = flagged
        return flagged

    def _graded_quietly(self, index: int, answers: dict[str, str]) -> Grade | None:
        """``answers`` to item ``index`` graded as at the end (None when nothing is typed); nothing
        is recorded."""
        if not any(str(v).strip() for v in answers.values()):
            return None
        item = self.exam["items"][index]
        self._checker.lang = self.lang
        self._checker.ask(item["item_id"], seed=item["variant_seed"])
        return self._checker.grade(answers)

    def check(self, index: int, answers: dict[str, str] | None = None) -> Text | None:
        """What cannot be read in what is typed in item ``index`` (None: all of it can; nothing
        typed is not a problem): the whole answer, or the cells that would be graded wrong for it.
        Graded as at the end (finally), so it never says how close an answer is ("one letter off",
        "too few digits" are practice's free tries). Nothing is recorded."""
        answers = self.typed(index) if answers is None else answers
        g = self._graded_quietly(index, answers)
        if g is None or g.format_error or not g.unreadable:
            return None if g is None else g.format_error
        return {lang: " ".join(why[lang] for why in g.unreadable.values()) for lang in ("en", "ko")}

    def state(self, index: int) -> ItemState:
        """Item ``index`` as it stands: not answered; answered (every cell readable); partly answered
        (some cells left empty, every filled one readable: ``filled`` of ``cells``); or unreadable
        (something typed cannot be read). Nothing is recorded."""
        if not self.answered(index):
            return ItemState("unanswered")
        typed = self.typed(index)
        g = self._graded_quietly(index, typed)
        if g is None:          # graded earlier, nothing typed since
            return ItemState("answered")
        names = [f.name for f in self._checker.current.fields]
        empty = {n for n in names if not str(typed.get(n, "")).strip()}
        if g.format_error or set(g.unreadable) - empty:
            return ItemState("unreadable")
        if empty:
            return ItemState("partial", filled=len(names) - len(empty), cells=len(names))
        return ItemState("answered")

    def prompt(self, index: int) -> Text:
        """Item ``index``'s question (for the overview), without touching the current asking."""
        item = self.exam["items"][index]
        return self._checker.ask(item["item_id"], seed=item["variant_seed"]).prompt

    def counts(self) -> dict[str, int]:
        """{"answered", "unanswered", "flagged", "partial", "unreadable"} over the items, as they
        stand now ("answered" counts the partly answered and unreadable ones too)."""
        states = [self.state(i).state for i in range(self.total)]
        return {"answered": self.total - states.count("unanswered"), "unanswered": states.count("unanswered"),
                "flagged": sum(self.flagged(i) for i in range(self.total)),
                "partial": states.count("partial"), "unreadable": states.count("unreadable")}

    def _ungraded(self) -> list[int]:
        """Items whose draft is not what was graded (or was never graded)."""
        out = []
        for i, d in sorted(self.exam["drafts"].items()):
            typed = d["answer"]
            if not any(str(v).strip() for v in typed.values()):
                continue
            a = self.exam["answers"].get(i)
            if a is None or not isinstance(a["answer"], dict) or {k: str(v) for k, v in a["answer"].items()} != typed:
                out.append(i)
        return out

    # ------------------------------------------------------------------ grading, the end
    def answer(self, answers: dict[str, str], now: datetime | None = None) -> Grade:
        """Grade silently and save the current item's answer (attempt and exam row in one
        transaction, through the learner model's write path; the items are rated when the exam
        ends). A format error is returned (and nothing saved)."""
        g = self.study.submit(answers, exam=(self.exam["id"], self.index), now=now)
        if g.format_error:
            return g
        self.exam["answers"][self.index] = {"answer": dict(answers), "score": g.score, "correct": g.correct,
                                            "mistake": g.mistake}
        return g

    def seconds_left(self, now: datetime | None = None) -> float:
        from tutor.clock import parse_iso, utc

        return (parse_iso(self.exam["deadline"]) - utc(now)).total_seconds()

    def finish(self, now: datetime | None = None) -> dict:
        """Grade every draft not yet graded, close the exam and schedule every item (missed,
        unanswered or unreadable → due today), in one transaction. Returns the report."""
        from tutor.learner import finish_exam

        with self.store.tx():
            for i in self._ungraded():
                self.ask(i)
                self.answer(self.exam["drafts"][i]["answer"], now=now)   # unreadable: nothing saved
            report = finish_exam(self.store, self.study.scheduler, self.exam["id"], now=now)
        self.exam = self.store.exam(self.exam["id"])
        return report

    def walkthrough(self) -> list[dict]:
        """Every item that was not fully right, with the learner's answer (or what was typed and
        why it could not be read) and the worked solution in both languages."""
        out = []
        for i, item in enumerate(self.exam["items"]):
            ans = self.exam["answers"].get(i)
            if ans is not None and ans["correct"]:
                continue
            ask = self.ask(i)
            typed = None if ans or not self.answered(i) else self.typed(i)
            problem = self.check(i, typed) if typed else None
            grade = self.study.grade(ans["answer"]) if ans else None
            self.study.last_grade = grade
            labels = {f.name: f.label for f in ask.fields}
            out.append({"index": i, "item_id": item["item_id"], "topic": item.get("topic") or ask.topic,
                        "prompt": ask.prompt, "labels": labels,
                        "answer": ans["answer"] if ans else None, "score": ans["score"] if ans else 0.0,
                        "unreadable": typed, "problem": problem,
                        "mistake": ans["mistake"] if ans else None,
                        # a wrong choice's own "why" when no named mistake explains it
                        "mistake_text": (mistake_text(ans["mistake"]) if ans and ans["mistake"]
                                         else grade.mistake_text if grade is not None else None),
                        # the options as shown, so that a picked number reads as its text
                        "options": list(ask.options) if ask.kind in ("choice", "multi") else [],
                        "solution": self._solutions()})
        return out

    def _solutions(self) -> dict[str, list[tuple[str, bool]]]:
        """The current item's worked solution in each language (the report follows a switch)."""
        out = {}
        for lang in ("en", "ko"):
            self.study.lang = lang
            out[lang] = self.study.solution()
        self.study.lang = self.lang
        return out



def finish_expired(catalog, store, *, lang: str = "en", now: datetime | None = None) -> dict | None:
    """The exam whose time ran out while the learner was away or elsewhere, graded and scheduled as
    of its deadline — when it ended, not when it was found: graded the next morning, it counted in
    that day's answers and streak, took 22 hours, and its items were scheduled from then — its
    missed items due at once in every count (home, review, stats), its report kept to be shown
    (:func:`unseen_report`); in one transaction. None when no exam's time is up."""
    from tutor.clock import parse_iso

    session = ExamSession.resume(catalog, store, lang=lang)
    if session is None or session.seconds_left(now) > 0:
        return None
    from tutor.progress import UNSEEN_REPORT

    with store.tx():
        report = session.finish(now=parse_iso(session.exam["deadline"]))
        store.set_setting(UNSEEN_REPORT, session.exam["id"])
    return report


def unseen_report(catalog, store, *, lang: str = "en") -> tuple[dict, list[dict]] | None:
    """(report, walk-through) of the exam :func:`finish_expired` graded, once (then it is seen)."""
    from tutor.progress import UNSEEN_REPORT

    exam_id = store.get_setting(UNSEEN_REPORT)
    if exam_id is None:
        return None
    store.set_setting(UNSEEN_REPORT, None)
    exam = store.exam(int(exam_id))
    if exam is None or not exam.get("finished"):
        return None
    session = ExamSession(catalog, store, lang=lang)
    session.exam = exam
    return store.finish_exam(exam["id"]), session.walkthrough()
