"""tutor.clock: one "now" for the study logic, fixed by TUTOR_NOW (read at every call)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from tutor import clock
from tutor.clock import ClockError, local_day_start, now, utc

needs_tzset = pytest.mark.skipif(not hasattr(time, "tzset"), reason="time.tzset (POSIX) changes the local zone")


@pytest.fixture
def local_zone(monkeypatch):
    """Set the process's local time zone (a POSIX TZ string: no tz database needed)."""
    def set_zone(tz: str) -> None:
        monkeypatch.setenv("TZ", tz)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


def test_unset_or_empty_is_the_system_clock(monkeypatch):
    for value in (None, "", "  "):
        if value is None:
            monkeypatch.delenv(clock.ENV, raising=False)
        else:
            monkeypatch.setenv(clock.ENV, value)
        before = datetime.now(timezone.utc)
        got = now()
        assert got.tzinfo is not None and got.utcoffset() == timedelta(0)
        assert before <= got <= datetime.now(timezone.utc)


def test_aware_value_with_an_offset(monkeypatch):
    monkeypatch.setenv(clock.ENV, "2026-12-07T09:00:00+09:00")
    got = now()
    assert got == datetime(2026, 12, 7, 0, 0, tzinfo=timezone.utc)
    assert got.utcoffset() == timedelta(0)
    monkeypatch.setenv(clock.ENV, "2026-12-07T09:00:00Z")
    assert now() == datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)


def test_read_at_every_call(monkeypatch):
    monkeypatch.setenv(clock.ENV, "2026-12-07T09:00:00+00:00")
    assert now().hour == 9
    monkeypatch.setenv(clock.ENV, "2026-12-07T10:30:00+00:00")
    assert (now().hour, now().minute) == (10, 30)


@needs_tzset
def test_naive_value_is_local_time(monkeypatch, local_zone):
    local_zone("KST-9")                       # UTC+9
    monkeypatch.setenv(clock.ENV, "2026-12-07T09:00")
    assert now() == datetime(2026, 12, 7, 0, 0, tzinfo=timezone.utc)
    local_zone("EST+5")                       # UTC-5
    assert now() == datetime(2026, 12, 7, 14, 0, tzinfo=timezone.utc)


@needs_tzset
def test_a_date_alone_is_local_midnight(monkeypatch, local_zone):
    local_zone("KST-9")
    monkeypatch.setenv(clock.ENV, "2026-12-07")
    assert now() == datetime(2026, 12, 6, 15, 0, tzinfo=timezone.utc)
    assert local_day_start() == now()         # the local day starts at that midnight


@pytest.mark.parametrize("value", ["tomorrow", "2026-13-01", "2026-12-07T25:00", "12/07/2026", "2026-12-07\nrm -rf"])
def test_invalid_value_is_a_one_line_clock_error(monkeypatch, value):
    monkeypatch.setenv(clock.ENV, value)
    with pytest.raises(ClockError) as info:
        now()
    msg = str(info.value)
    assert isinstance(info.value, ValueError)
    assert "\n" not in msg and "\r" not in msg
    assert "TUTOR_NOW" in msg and repr(value) in msg and "e.g." in msg


def test_every_default_now_honours_it(monkeypatch):
    monkeypatch.setenv(clock.ENV, "2026-12-07T09:00:00+09:00")
    assert utc() == utc(None) == datetime(2026, 12, 7, 0, 0, tzinfo=timezone.utc)
    assert clock.iso(utc()) == "2026-12-07T00:00:00.000000+00:00"
    assert clock.stamp() == "20261207-000000"


def test_a_record_without_now_is_stamped_with_tutor_now(tmp_path, monkeypatch):
    from tutor.schedule import GOOD, Scheduler
    from tutor.store import Store

    monkeypatch.setenv(clock.ENV, "2026-12-07T09:00:00+09:00")
    with Store.open(tmp_path) as s:
        s.record_attempt(item_id="em.q1", topic="em", kind="numeric", mode="practice", variant_seed=1,
                         answer={"value": "1"}, score=1.0, correct=True)
        assert s.attempts()[0]["at"] == "2026-12-07T00:00:00.000000+00:00"
        assert s.item_progress()["em.q1"]["last"] == "2026-12-07T00:00:00.000000+00:00"
        sched = Scheduler(s, fuzz=False)
        due = sched.review("em.q1", "em", GOOD)["due"]
        assert due > now()
        assert sched.due() == []                              # not due yet at TUTOR_NOW …
        monkeypatch.setenv(clock.ENV, (due + timedelta(seconds=1)).isoformat())
        assert sched.due() == ["em.q1"]                       # … due once TUTOR_NOW passes its due time


def test_an_invalid_value_stops_store_open_with_one_line(tmp_path, monkeypatch):
    from tutor.store import Store, StoreError

    monkeypatch.setenv(clock.ENV, "someday")
    with pytest.raises(StoreError) as info:
        Store.open(tmp_path)
    assert "TUTOR_NOW" in str(info.value) and "\n" not in str(info.value)


def test_an_invalid_value_is_one_line_from_the_cli(tmp_path, monkeypatch, capsys):
    from tutor.cli import main

    monkeypatch.setenv(clock.ENV, "someday")
    assert main(["stats", "--data-dir", str(tmp_path / "d"), "--lang", "en"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "TUTOR_NOW" in err[0] and "Traceback" not in err[0]


def _modules_after(code: str) -> list[str]:
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_import_hygiene():
    import sys

    baseline = set(_modules_after("pass"))   # what the interpreter loads anyway (site, path hooks)
    mods = set(_modules_after("import tutor.clock")) - baseline
    assert sorted(m for m in mods if m.split(".")[0] not in sys.stdlib_module_names) == ["tutor", "tutor.clock"]
    mods = _modules_after("import tutor.clock, tutor.schema, tutor.store_errors, tutor.store")
    assert not [m for m in mods if m.split(".")[0] in ("textual", "fsrs", "numpy", "yaml")]


def test_the_app_lets_a_fixed_now_run_on(monkeypatch):
    monkeypatch.setenv("TUTOR_NOW", "2026-12-07T00:00:00Z")
    monkeypatch.setattr(clock, "_running_since", None)
    assert now() == now() == datetime(2026, 12, 7, tzinfo=timezone.utc)   # a command: frozen
    ticks = iter([100.0, 190.5])
    monkeypatch.setattr(clock._time, "monotonic", lambda: next(ticks))
    clock.run_on()                                                       # the app: runs from here
    assert now() == datetime(2026, 12, 7, 0, 1, 30, 500000, tzinfo=timezone.utc)
