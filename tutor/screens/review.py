"""Review: the spaced-repetition queue across topics, auto-rated, with 1–4 override and undo."""

from __future__ import annotations

from textual.widgets import Static

from tutor.i18n import tr
from tutor.review import ReviewSession
from tutor.screens.question import QuestionScreen


class ReviewScreen(QuestionScreen):
    KEYS = QuestionScreen.KEYS + [
        ("1", "rate(1)", "key.again", True),
        ("2", "rate(2)", "key.hard", True),
        ("3", "rate(3)", "key.good", True),
        ("4", "rate(4)", "key.easy", True),
        ("u", "undo", "key.undo", True),
    ]

    def __init__(self, *, seed: int | None = None, mistakes: bool = False):
        super().__init__([], mode="review", seed=seed)
        self.review: ReviewSession | None = None
        self.mistakes = mistakes   # "review my mistakes": the items missed in the last days

    def make_study(self):
        from tutor.learner import mistakes_queue
        from tutor.schedule import Scheduler

        items = None
        if self.mistakes:
            known = {q.id for t in self.app.catalog.topics.values() for q in t.questions}
            items = mistakes_queue(self.app.store, known=known)
        self.review = ReviewSession(self.app.catalog, self.app.store, Scheduler(self.app.store),
                                    lang=self.app.lang, seed=self.seed, items=items)
        return self.review.study

    def next_ask(self, seed=None):
        ask = self.review.next()
        if ask is None:
            self.ask = None
            lang = self.app.lang
            m = "_m" if self.mistakes else ""
            # what was done, whenever something was ("no mistakes to review" right after redoing
            # three, one of them still wrong, said nothing of them and was not true)
            self.query_one("#q-counter", Static).update(
                tr("review.end_skipped" + m, lang, n=self.review.skipped, done=self.review.done) if self.review.skipped
                else tr("review.end_done" + m, lang, done=self.review.done) if self.review.done
                else tr("review.mistakes_empty", lang, days=7) if self.mistakes
                else tr("review.empty", lang))
            self.query_one("#q-fields").remove_children()
            for wid in ("#q-options", "#q-tables", "#q-feedback", "#q-hints", "#q-solution"):
                self.query_one(wid).display = False
            self.query_one("#q-prompt").update("")
        return ask

    def _rated_shown(self) -> bool:
        """The item on screen has been rated (so 1–4 change the rating and u undoes it)."""
        last = self.review.last if self.review is not None else None
        return last is not None and self.ask is not None and last.item_id == self.ask.item_id

    def check_action(self, action: str, parameters) -> bool | None:
        """A repeated-mistake card is rated by hand and has no question behind it: no hint, worked
        solution or new variant (F3 there crashed, or showed the previous question's solution)."""
        if action in ("hint", "solution", "new_variant") and self.ask is not None and self.ask.kind == "remedial":
            return False
        return super().check_action(action, parameters)

    def footer_shows(self, action: str) -> bool:
        """80 columns: before the answer the footer shows hint, solution, new variant and scrolling
        the question; once the item is rated (or on a remedial card, rated by hand) 1–4 and undo
        instead of hint, new variant and scrolling (which still work). Nothing left to review:
        back, the language and undo of the last rating (hint, solution and a new variant of
        nothing were offered)."""
        if self.ask is None:
            return action in ("back", "app.toggle_lang") or (action == "undo" and self.review is not None
                                                             and self.review.last is not None)
        rating = self._rated_shown() or (self.ask is not None and self.ask.kind == "remedial")
        if action.startswith("rate"):
            return rating
        if action == "undo":
            return self._rated_shown()
        if action in ("hint", "new_variant") or action.startswith("scroll_question"):
            return not rating
        return True

    async def load_item(self, seed=None) -> None:
        # the last item's rating notice would cover the new question's options (the counter line
        # keeps saying how the last answer was rated while it is on screen)
        self.app.clear_notifications()
        await super().load_item(seed)
        self.refresh_bindings()

    def counter_text(self) -> str:
        left = self.review.left()
        new = self.review.left_new() if left else 0
        text = tr("review.counter", self.app.lang, done=self.review.done, left=left)
        if new:   # the same words as home's "due N · new M"
            text += tr("review.left_split", self.app.lang, due=left - new, new=new)
        if self.mistakes:   # which review this is: "review my mistakes" (m), not the queue (r)
            text = tr("key.mistakes", self.app.lang) + " · " + text
        rated = self._rating_text()
        return text + ("  ·  " + rated if rated else "")

    def _rating_text(self) -> str:
        """How the shown item was rated, and what each rating key would give instead."""
        from tutor.learner import format_interval

        last = self.review.last
        if last is None or self.ask is None or last.item_id != self.ask.item_id:
            return ""
        lang = self.app.lang
        due = last.due.astimezone().strftime("%Y-%m-%d %H:%M") if last.due else "?"
        how = tr("review.manual", lang)
        if last.auto:   # and why: "Again" beside "✓ right" (after the worked solution) was unexplained
            how = tr("review.auto", lang) + (f": {tr('review.why.' + last.reason, lang)}" if last.reason else "")
        msg = tr("review.rated", lang, rating=tr(f"rating.{last.rating}", lang), how=how, due=due)
        keys = "  ".join(f"{r} {tr(f'rating.{r}', lang)} {format_interval(d, lang)}"
                         for r, d in sorted(last.previews.items()))
        return msg + (f"\n{tr('review.change', lang)}: {keys}" if keys else "")

    def grade_answers(self, answers):
        if self.ask.kind == "remedial":
            grade = self.review.rate_remedial(answers)
            if grade.self_rated is not None:
                self._show_rating()
            return grade
        return self.review.submit(answers)

    def on_graded(self, grade) -> None:
        if self.ask.kind == "remedial" and grade.self_rated is None:
            return                # a rating that could not be read: the field keeps the keys
        if self.ask.kind != "remedial":
            self._show_rating()   # the core rated the answer as it recorded it
        # digits now change the rating and u undoes it, as the counter line says (on a repeated-
        # mistake card they went on typing into the rating field: "3u", "32")
        self.set_focus(None)

    def _show_rating(self) -> None:
        """The rating in the counter line, with what each key would give instead (no notice: at
        80×24 it covered the feedback's last lines while the learner read them), scrolled into view."""
        self.refresh_bindings()
        if self._rating_text():
            self.refresh_text()
            # the counter line is the question pane's first: in view (the learner had scrolled down
            # to a table to answer, and the rating and its keys were out of sight)
            self.query_one("#q-scroll").scroll_home(animate=False)

    def action_rate(self, rating: int) -> None:
        if self.ask is None:
            return
        if self.ask.kind != "remedial" and (self.review.last is None or self.review.last.item_id != self.ask.item_id):
            return  # answer first; the rating follows the grade
        self.review.rate(rating)
        self._show_rating()

    async def action_undo(self) -> None:
        if self.review.undo() is not None:
            self.notify(tr("review.undone", self.app.lang))
            await self.load_item()

    async def action_next(self) -> None:
        # skipped (a repeated-mistake card unrated too) is not recorded, as :skip in line mode;
        # a typed answer not submitted is warned about first
        if self.may_leave_item("next"):
            await self.load_item()

