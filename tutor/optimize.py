"""FSRS fitted to the learner: the fsrs Optimizer on the learner's own review log (no textual).

:func:`fit` runs ``fsrs.Optimizer(review_logs).compute_optimal_parameters()`` (PyTorch, pandas
and tqdm: the ``[torch]`` extra; :func:`missing_modules` says what is absent), then measures the
fsrs default parameters, the parameters in use and the fitted ones on the same log with the
optimizer's own objective (log loss of the predicted recall probability, plus the RMSE of it,
over every review made at least a day after the previous review of the same item), and stores the
fitted ones (setting ``fsrs_parameters``) only when their log loss is lower than that of the ones in
use. It also asks the library for the optimal desired retention (``compute_optimal_retention``:
the retention whose simulated study time per remembered item is lowest), which is suggested, not
set.

The Optimizer needs :data:`MIN_REVIEWS` such reviews (below that it returns the defaults);
:func:`usable_reviews` counts them without torch, so a learner with too little history is told
the count before anything heavy is loaded.
"""

from __future__ import annotations

import importlib.util
import math
from dataclasses import asdict, dataclass, field
from typing import Callable, Sequence

from fsrs import Card, Rating, ReviewLog
from fsrs import Scheduler as FsrsScheduler
from fsrs.scheduler import DEFAULT_PARAMETERS

from tutor.store import Store

MIN_REVIEWS = 512            # fsrs' Optimizer: its mini-batch; fewer usable reviews → the defaults
MIN_RETENTION_LOGS = 512     # compute_optimal_retention: review logs with a duration
MAX_SEQ = 64                 # the Optimizer uses the first 64 reviews of each card
INSTALL_HINT = 'pip install "ml-tutor[torch]"'
Progress = Callable[[str, float], None]   # (stage, fraction done 0..1)


class OptimizeError(Exception):
    """Optimizing cannot run; ``str(e)`` is one line for the learner."""


class OptimizerMissing(OptimizeError):
    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(f"fitting FSRS needs {', '.join(missing)} (the optimizer extra): {INSTALL_HINT}")


class TooLittleHistory(OptimizeError):
    def __init__(self, usable: int, total: int):
        self.usable, self.total = usable, total
        super().__init__(f"too little review history to fit FSRS: {usable} usable reviews of {total} "
                         f"(a review counts when it comes at least a day after the item's previous one); "
                         f"at least {MIN_REVIEWS} are needed")


@dataclass
class Fit:
    """What one fit measured and decided."""

    reviews: int                          # rows in the review log
    usable: int                           # reviews the loss is computed on
    default: dict                         # {"log_loss", "rmse"} of the fsrs defaults
    current: dict                         # the same for the parameters in use before the fit
    fitted: dict                          # the same for the fitted parameters
    parameters: list[float]               # the fitted parameters
    used: bool                            # stored as setting fsrs_parameters (they were better)
    was_default: bool                     # the parameters in use were the defaults
    optimal_retention: float | None = None
    retention_note: str | None = None     # why there is no optimal retention
    timed_reviews: int = 0                # reviews with a known duration (the retention needs 512)
    desired_retention: float = 0.9        # the learner's setting
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


def missing_modules() -> list[str]:
    """The optimizer's modules that are not installed (empty: it can run). Imports nothing."""
    return [m for m in ("torch", "pandas", "tqdm") if importlib.util.find_spec(m) is None]


def review_logs(store: Store) -> list[ReviewLog]:
    from tutor.schedule import Scheduler

    return Scheduler(store).review_logs()


def _histories(logs: Sequence[ReviewLog]) -> dict[int, list[ReviewLog]]:
    """The Optimizer's view: each card's reviews in time order, its first MAX_SEQ."""
    by_card: dict[int, list[ReviewLog]] = {}
    for log in logs:
        by_card.setdefault(log.card_id, []).append(log)
    return {cid: sorted(h, key=lambda x: x.review_datetime)[:MAX_SEQ] for cid, h in sorted(by_card.items())}


def usable_reviews(logs: Sequence[ReviewLog]) -> int:
    """Reviews the Optimizer learns from: those at least a whole day after the card's previous one."""
    n = 0
    for hist in _histories(logs).values():
        for prev, cur in zip(hist, hist[1:]):
            if (cur.review_datetime - prev.review_datetime).days > 0:
                n += 1
    return n


def evaluate(logs: Sequence[ReviewLog], parameters: Sequence[float]) -> dict:
    """Log loss and RMSE of the recall probability the parameters predict, on the usable reviews
    (the Optimizer's objective, computed the same way, in plain Python)."""
    sched = FsrsScheduler(parameters=parameters, enable_fuzzing=False)
    loss = sq = 0.0
    n = 0
    for cid, hist in _histories(logs).items():
        card = Card(card_id=cid, due=hist[0].review_datetime)
        for log in hist:
            at = log.review_datetime
            if card.last_review is not None and (at - card.last_review).days > 0:
                p = float(sched.get_card_retrievability(card, current_datetime=at))
                p = min(max(p, 1e-12), 1 - 1e-12)
                y = 0.0 if log.rating == Rating.Again else 1.0
                loss -= y * math.log(p) + (1 - y) * math.log(1 - p)
                sq += (p - y) ** 2
                n += 1
            card, _ = sched.review_card(card, log.rating, review_datetime=at)
    if n == 0:
        return {"log_loss": None, "rmse": None, "n": 0}
    return {"log_loss": loss / n, "rmse": math.sqrt(sq / n), "n": n}


def _with_epoch_progress(run: Callable[[], list[float]], progress: Progress | None) -> list[float]:
    """Run the Optimizer, reporting its epochs (it counts them with tqdm when verbose)."""
    import fsrs.optimizer as fo

    original = getattr(fo, "tqdm", None)
    if progress is None or original is None:
        return run()

    def counting(iterable, *args, **kwargs):
        items = list(iterable)
        for i, x in enumerate(items):
            progress("fit", i / max(len(items), 1))
            yield x
        progress("fit", 1.0)

    fo.tqdm = counting
    try:
        return run()
    finally:
        fo.tqdm = original


def fit(store: Store, *, progress: Progress | None = None, save: bool = True) -> Fit:
    """Fit the parameters to the store's review log (see the module docstring).

    Raises :class:`OptimizerMissing` without torch/pandas/tqdm, :class:`TooLittleHistory` below
    :data:`MIN_REVIEWS` usable reviews. Long (about a minute for 10,000 reviews): run it in a worker.
    """
    import time

    t0 = time.perf_counter()
    missing = missing_modules()
    if missing:
        raise OptimizerMissing(missing)
    logs = review_logs(store)
    usable = usable_reviews(logs)
    if usable < MIN_REVIEWS:
        raise TooLittleHistory(usable, len(logs))
    stored = store.get_setting("fsrs_parameters")
    current_params = list(stored) if stored else list(DEFAULT_PARAMETERS)
    desired = float(store.get_setting("desired_retention", 0.9))

    def step(stage: str, frac: float) -> None:
        if progress is not None:
            progress(stage, frac)

    step("measure", 0.0)
    default = evaluate(logs, DEFAULT_PARAMETERS)
    current = default if current_params == list(DEFAULT_PARAMETERS) else evaluate(logs, current_params)
    step("fit", 0.0)
    from fsrs import Optimizer

    optimizer = Optimizer(logs)
    params = [float(x) for x in _with_epoch_progress(lambda: optimizer.compute_optimal_parameters(), progress)]
    step("measure", 0.5)
    fitted = evaluate(logs, params)
    used = fitted["log_loss"] is not None and current["log_loss"] is not None \
        and fitted["log_loss"] < current["log_loss"]
    result = Fit(reviews=len(logs), usable=usable, default=default, current=current, fitted=fitted,
                 parameters=params, used=used, was_default=current_params == list(DEFAULT_PARAMETERS),
                 desired_retention=desired)
    step("retention", 0.0)
    best = params if used else current_params
    timed = [x for x in logs if x.review_duration is not None]
    result.timed_reviews = len(timed)
    if len(timed) < MIN_RETENTION_LOGS:
        result.retention_note = (f"needs {MIN_RETENTION_LOGS} reviews with a known duration, "
                                 f"the log has {len(timed)}")
    else:
        try:
            r = Optimizer(timed).compute_optimal_retention(best)
            result.optimal_retention = float(r)
        except (ValueError, ZeroDivisionError, KeyError) as e:   # e.g. no review after a first one
            result.retention_note = f"the library could not compute it ({str(e).splitlines()[0][:80]})"
    if used and save:
        store.set_setting("fsrs_parameters", params)
    result.seconds = time.perf_counter() - t0
    step("done", 1.0)
    return result


def report_lines(result, lang: str) -> list[str]:
    """The figures of a fit as text lines (the CLI and the Settings screen show the same)."""
    from rich.cells import cell_len

    from tutor.i18n import tr

    def row(name: str, m: dict) -> str:   # padded by terminal cells (Korean letters are two wide)
        return f"  {name}{' ' * max(1, 24 - cell_len(name))} {m['log_loss']:>8.4f} {m['rmse']:>8.4f}"

    loss = tr("optimize.log_loss", lang)
    out = [tr("optimize.reviews", lang, n=result.reviews, usable=result.usable),
           f"  {'':<24} {' ' * max(0, 8 - cell_len(loss))}{loss} {'RMSE':>8}",
           row(tr("optimize.default", lang), result.default)]
    if not result.was_default:
        out.append(row(tr("optimize.current", lang), result.current))
    out.append(row(tr("optimize.fitted", lang), result.fitted))
    out.append(tr("optimize.used" if result.used else "optimize.kept", lang))
    if result.optimal_retention is not None:
        out.append(tr("optimize.retention", lang, best=f"{result.optimal_retention:.2f}",
                      yours=f"{result.desired_retention:.2f}"))
    elif result.timed_reviews < MIN_RETENTION_LOGS:
        out.append(tr("optimize.no_retention_few", lang, need=MIN_RETENTION_LOGS, n=result.timed_reviews))
    else:
        out.append(tr("optimize.no_retention", lang))
    return out


__all__ = ["Fit", "MIN_RETENTION_LOGS", "MIN_REVIEWS", "OptimizeError", "OptimizerMissing", "TooLittleHistory", "evaluate", "fit",
           "missing_modules", "report_lines", "usable_reviews"]
