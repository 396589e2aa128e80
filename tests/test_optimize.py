"""FSRS fitted to the learner's own review log: the minimum history, the measures on the same log,
the fitted parameters used only when better, the optimal retention, the CLI and the Settings action."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from fsrs import Rating, ReviewLog
from fsrs.scheduler import DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS
from textual.widgets import Button, Static

import tutor.optimize as opt
from benchmarks.cases import synthetic_review_history
from tutor.app import create_app
from tutor.cli import main
from tutor.schedule import Scheduler
from tutor.store import Store

T0 = datetime(2025, 1, 1, 9, 0, tzinfo=timezone.utc)
HAVE_OPTIMIZER = not opt.missing_modules()
needs_optimizer = pytest.mark.skipif(not HAVE_OPTIMIZER, reason="the optimizer extra (torch, pandas, tqdm) is "
                                     "not installed: pip install \"ml-tutor[torch]\"")


def _log(card: int, at: datetime, rating: int = 3) -> ReviewLog:
    return ReviewLog(card_id=card, rating=Rating(rating), review_datetime=at, review_duration=1000)


def test_usable_reviews_are_those_a_day_after_the_previous_one():
    logs = [_log(1, T0), _log(1, T0 + timedelta(hours=5)),        # same day: not counted
            _log(1, T0 + timedelta(days=1, hours=6)),               # counted
            _log(2, T0 + timedelta(days=3)), _log(2, T0),           # out of order: sorted, counted
            _log(3, T0)]
    assert opt.usable_reviews(logs) == 2
    m = opt.evaluate(logs, DEFAULT_PARAMETERS)
    assert m["n"] == 2 and 0 < m["log_loss"] and 0 < m["rmse"] < 1
    # a recall the parameters found likely costs less than a lapse
    worse = opt.evaluate([*logs[:2], _log(1, T0 + timedelta(days=1, hours=6), 1), *logs[3:]], DEFAULT_PARAMETERS)
    assert worse["log_loss"] > m["log_loss"]


def test_too_little_history_says_how_much(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(opt, "missing_modules", lambda: [])   # the count is checked before anything heavy
    with Store.open(tmp_path) as s:
        synthetic_review_history(s, 200, seed=2, items=40)
        usable = opt.usable_reviews(opt.review_logs(s))
        with pytest.raises(opt.TooLittleHistory) as ei:
            opt.fit(s)
        assert ei.value.usable == usable < opt.MIN_REVIEWS
    assert main(["optimize", "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"{usable} usable reviews" in err and str(opt.MIN_REVIEWS) in err
    assert len(err.strip().splitlines()) == 1


def test_without_the_optimizer_extra_it_says_how_to_install(tmp_path, capsys, monkeypatch):
    real = opt.importlib.util.find_spec
    monkeypatch.setattr(opt.importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a))
    assert opt.missing_modules() == ["torch"]
    assert main(["optimize", "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert 'pip install "ml-tutor[torch]"' in err and "Traceback" not in err


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """A simulated learner with 1,500 reviews (enough usable ones for the Optimizer)."""
    d = tmp_path_factory.mktemp("hist")
    with Store.open(d) as s:
        synthetic_review_history(s, 1500, seed=3)
    return d


@needs_optimizer
@pytest.mark.slow
def test_evaluate_is_the_optimizers_own_loss(history):
    from fsrs import Optimizer

    with Store.open(history) as s:
        logs = opt.review_logs(s)
    for params in (DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS):
        ours = opt.evaluate(logs, params)["log_loss"]
        assert ours == pytest.approx(Optimizer(logs)._compute_batch_loss(parameters=list(params)), rel=1e-9)


@needs_optimizer
@pytest.mark.slow
def test_fit_uses_better_parameters_and_suggests_a_retention(history, tmp_path, capsys):
    import shutil

    d = tmp_path / "d"
    shutil.copytree(history, d)
    assert main(["optimize", "--json", "--data-dir", str(d)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["usable"] >= opt.MIN_REVIEWS and out["reviews"] == 1500
    assert out["fitted"]["log_loss"] < out["default"]["log_loss"] and out["used"] is True
    assert out["optimal_retention"] in (0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
    with Store.open(d) as s:
        assert s.get_setting("fsrs_parameters") == out["parameters"]
        assert list(Scheduler(s).fsrs.parameters) == out["parameters"]   # the scheduler uses them now


@needs_optimizer
@pytest.mark.slow
def test_worse_fitted_parameters_are_not_used(history, tmp_path, monkeypatch):
    import shutil

    import fsrs.optimizer as fo

    d = tmp_path / "d"
    shutil.copytree(history, d)
    monkeypatch.setattr(fo.Optimizer, "compute_optimal_parameters", lambda self, verbose=False:
                        list(LOWER_BOUNDS_PARAMETERS))
    monkeypatch.setattr(fo.Optimizer, "compute_optimal_retention", lambda self, parameters: 0.85)
    with Store.open(d) as s:
        result = opt.fit(s)
        assert result.fitted["log_loss"] > result.default["log_loss"] and not result.used
        assert s.get_setting("fsrs_parameters") is None
        lines = opt.report_lines(result, "en")
    assert any("not better" in line for line in lines) and any("0.85" in line for line in lines)


# ----------------------------------------------------------------------------- the Settings action


def _static(screen, wid) -> str:
    return str(screen.query_one(wid, Static).render())


async def test_settings_fit_reports_too_little_history(data_dir, monkeypatch):
    monkeypatch.setattr(opt, "missing_modules", lambda: [])
    app = create_app(data_dir=data_dir, lang="ko")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one("#set-optimize", Button).press()
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = _static(app.screen, "#opt-result")
    assert "복습 기록이 아직 부족합니다" in text and f"{opt.MIN_REVIEWS}" in text


async def test_settings_fit_runs_in_a_worker_with_progress(data_dir, monkeypatch):
    seen = []

    def fake_fit(store, *, progress=None, save=True):
        for stage, frac in (("measure", 0.0), ("fit", 0.5), ("retention", 0.0), ("done", 1.0)):
            progress(stage, frac)
        seen.append("ran")
        m = {"log_loss": 0.5, "rmse": 0.3, "n": 600}
        return opt.Fit(reviews=700, usable=600, default=m, current=m, fitted={**m, "log_loss": 0.4},
                       parameters=list(DEFAULT_PARAMETERS), used=True, was_default=True, optimal_retention=0.85,
                       desired_retention=0.9, timed_reviews=700)

    monkeypatch.setattr(opt, "fit", fake_fit)
    app = create_app(data_dir=data_dir, lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#set-optimize", Button).press()
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = _static(screen, "#opt-result")
        assert seen == ["ran"]
        assert "Reviews in the log: 700 (usable for fitting: 600)" in text
        assert "0.4000" in text and "used from now on" in text and "0.85" in text
        assert not screen.query_one("#set-optimize", Button).disabled
        app.action_toggle_lang()     # the figures follow a language switch
        await pilot.pause()
        text = _static(screen, "#opt-result")
    assert "복습 기록: 700건" in text
