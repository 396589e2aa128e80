"""The one source of "now", and the time helpers of the progress store (stdlib only).

:func:`now` is the current time as an aware UTC datetime. The environment variable ``TUTOR_NOW``
fixes it, for demos, tests and checking what the tutor shows on a given day:

* ``TUTOR_NOW=2026-12-07T09:00:00+09:00`` — that moment (any UTC offset, or ``Z``);
* ``TUTOR_NOW=2026-12-07T09:00`` — that local time (no offset: the machine's time zone);
* ``TUTOR_NOW=2026-12-07`` — local midnight at the start of that day.

The variable is read at every call (an empty value counts as unset); a value that is not one of
these raises :class:`ClockError` with a one-line message. In a command (``tutor stats``, line
mode) the time does not advance while it is set. The app calls :func:`run_on` when it starts:
from then on "now" is ``TUTOR_NOW`` plus the time elapsed since, so that an exam timer runs down
and cards fall due while the app is open, as they do without the variable. Durations (``time.monotonic``, ``time.perf_counter``) are not "now" and do not look at it.

Times are stored as fixed-width UTC ISO-8601 text (``2025-03-01T09:30:00.000000+00:00``), so text
order is time order. A naive ``datetime`` passed as ``now`` anywhere is local time, as everywhere
in Python's ``datetime``.
"""

from __future__ import annotations

import os
import time as _time
from datetime import date, datetime, time, timedelta, timezone

ENV = "TUTOR_NOW"
EXAMPLE = "2026-12-07T09:00:00+09:00"


class ClockError(ValueError):
    """``TUTOR_NOW`` is set to something that is not a date or time; ``str(e)`` is one line."""


def parse_now(value: str) -> datetime:
    """A ``TUTOR_NOW`` value as an aware UTC datetime (see the module docstring), else ClockError."""
    text = value.strip()
    if text[-1:] in ("Z", "z"):  # Python 3.10's fromisoformat does not read the Z suffix
        text = text[:-1] + "+00:00"
    try:
        if len(text) == 10:   # a date alone: local midnight
            dt = datetime.combine(date.fromisoformat(text), time(0))
        else:
            dt = datetime.fromisoformat(text)
        return dt.astimezone(timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise ClockError(f"{ENV}={value!r} is not a date or time: use ISO 8601, e.g. {ENV}={EXAMPLE}, "
                         f"{ENV}=2026-12-07T09:00 (local time) or {ENV}=2026-12-07 (local midnight)") from None


_running_since: float | None = None   # time.monotonic() when run_on() was called


def run_on() -> None:
    """Let a fixed ``TUTOR_NOW`` advance from now on, at the speed of real time (the app calls this)."""
    global _running_since
    if _running_since is None:
        _running_since = _time.monotonic()


def hold() -> None:
    """Undo :func:`run_on`: a fixed ``TUTOR_NOW`` stands still again (the app calls this on exit)."""
    global _running_since
    _running_since = None


def now() -> datetime:
    """The current time, aware, in UTC: ``TUTOR_NOW`` when it is set (plus the time since
    :func:`run_on`, if it was called), else the system clock."""
    value = os.environ.get(ENV)
    if value is None or not value.strip():
        return datetime.now(timezone.utc)
    fixed = parse_now(value)
    if _running_since is None:
        return fixed
    return fixed + timedelta(seconds=_time.monotonic() - _running_since)


def utc(when: datetime | None = None) -> datetime:
    """``when`` as an aware UTC datetime (``None`` → :func:`now`; a naive datetime is local time)."""
    if when is None:
        return now()
    return when.astimezone(timezone.utc)


def iso(dt: datetime | None) -> str | None:
    """Fixed-width UTC ISO text: lexicographic order is time order."""
    if dt is None:
        return None
    return utc(dt).isoformat(timespec="microseconds")


def parse_iso(s: str | None) -> datetime | None:
    if s is None:
        return None
    return utc(datetime.fromisoformat(s))


def local_day_start(when: datetime | None = None) -> datetime:
    """Start (in UTC) of the local calendar day containing ``when`` (default :func:`now`)."""
    local = utc(when).astimezone()
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(timezone.utc)


def stamp(when: datetime | None = None) -> str:
    """``20250301-093000``: UTC time for file names (backups, files set aside)."""
    return utc(when).strftime("%Y%m%d-%H%M%S")


__all__ = ["ENV", "ClockError", "now", "run_on", "hold", "parse_now", "utc", "iso", "parse_iso", "local_day_start", "stamp"]
