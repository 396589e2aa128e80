"""Run an app until its first frame is drawn, then leave at once (for counting the instructions the
process executes to its first frame under valgrind).

    python benchmarks/first_frame.py tutor [tutor's arguments]   # the installed tutor, as `tutor`
    python benchmarks/first_frame.py path/to/app.py              # a script that runs an App

Both run headless at 100×30 (no terminal is needed), and both stop at the same point: the first
time Textual hands a frame to the driver. The patch is the benchmark's, applied alike to both.
"""

from __future__ import annotations

import os
import runpy
import sys

from textual.app import App

_display = App._display
_run = App.run


def _first_frame(self, screen, renderable):
    if renderable is not None and not self._batch_count:
        os._exit(0)
    return _display(self, screen, renderable)


def _headless_run(self, *args, **kwargs):
    kwargs.update(headless=True, size=(100, 30))
    return _run(self, *args, **kwargs)


def main() -> None:
    App._display = _first_frame
    App.run = _headless_run
    target, sys.argv = sys.argv[1], sys.argv[1:]
    if target == "tutor":
        from tutor.cli import main as tutor_main

        sys.exit(tutor_main())
    runpy.run_path(target, run_name="__main__")
    sys.exit("the app ended without drawing a frame")


if __name__ == "__main__":
    main()
