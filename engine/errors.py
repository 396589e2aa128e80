"""The engine's exceptions (re-exported by :mod:`engine.core`)."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input to an algorithm: names the offending key."""

    def __init__(self, key: str, message: str):
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


class Degenerate(Exception):
    """A generated variant is unfit (ties, no convergence, ...); draw another."""


class TooMuchWork(InputError):
    """The work budget of one engine call ran out (see :func:`budget`)."""
