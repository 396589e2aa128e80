"""Labs: one per engine algorithm. Edit the inputs (YAML), step through the trace, see the picture.

The screen only displays and forwards: parsing, limits, presets, frames and persistence live in
:mod:`tutor.labs`; pictures are drawn by :mod:`tutor.plots` from the engine's trace. The engine
runs (and the picture is drawn) in a worker thread, so typing never waits for it.
"""

from __future__ import annotations

import re
import threading

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, ScrollableContainer, Vertical, VerticalScroll
from textual.widgets import Static, TextArea

from tutor import labs as core
from tutor.i18n import tr
from tutor.screens.base import LangScreen, footer
from tutor.screens.titlebar import TitleBar
from tutor.tables import fmt_value

_KEY_RE = re.compile(r"\s*([A-Za-z_]\w*)\s*:")   # the input a line of the lab's YAML sets


def numbers_table(rows, title: str = "", lang: str = "en") -> Table:
    """The numbers beside a lab's picture: a row label (a math name, or a word per language) and its value."""
    rows = [(core.shown_name(n, lang), v) for n, v in rows]
    tab = Table(title=title or None, title_justify="left", show_header=False, box=None, padding=(0, 1))
    tab.add_column(style="bold", no_wrap=True, min_width=min(16, max((len(n) for n, _ in rows), default=1)))
    tab.add_column(overflow="fold")
    for name, v in rows:
        tab.add_row(name, Text(fmt_value(v)))
    return tab


def lab_view(name: str, run_inputs: dict | None, run: core.LabRun | None, step: int, lang: str,
             width: int, color: bool | None = None) -> tuple[list[RenderableType], int]:
    """Renderables of a lab at ``step`` (clamped): title, picture, the frame's numbers, the summary."""
    if run is None or run.out is None:
        return [], 1
    from tutor import plots

    shown = core.localised(name, run.out, lang)   # notes, warnings and a dict's keys in the learner's words
    frames = core.frames(name, shown)
    step = max(0, min(step, len(frames) - 1))
    fr = frames[step]
    parts: list[RenderableType] = [Text(tr("labs.step", lang, i=step + 1, n=len(frames), name=fr.title[lang]),
                                        style="bold")]
    try:
        pic = plots.picture(name, run_inputs or {}, run.out, fr.index, run.extras, width=max(30, width),
                            height=16 if width >= 60 else 12, lang=lang, color=color)
    except plots.PlotError as e:   # checked before the run was kept; a failure here is still contained
        pic = Text(f"⚠ {e.text(lang)}", style="bold yellow")
    if pic is not None:
        parts.append(pic)
    parts.append(numbers_table(fr.rows, lang=lang))
    summary = core.summary_rows(name, shown)
    if summary:
        parts.append(numbers_table(summary, tr("labs.result", lang), lang))
    # a value no real cell can take (⚠), how the engine decided a tie or an estimate (※)
    parts.extend(Text(f"{mark} {line}", style="yellow" if mark == "⚠" else "") for mark, line in core.sentences(shown))
    return parts, len(frames)


def _run_safely(name: str, text: str) -> tuple[core.LabRun, dict | None]:
    """The engine's run of ``text`` and its inputs; a failure nobody foresaw is an error line, never
    a crash of the app (the text is saved as typed and read again at every start)."""
    try:
        run = core.run(name, text)
        return run, (core.parse(name, text) if run.out is not None else None)
    except Exception as e:  # noqa: BLE001 - the worker's boundary: an exception here would end the app
        return core.LabRun(None, core.LabError("inputs", f"cannot be computed with these inputs "
                                                         f"({type(e).__name__}: {str(e)[:200]})")), None


class LabScreen(LangScreen):
    # with the screen, not in app.tcss: parsed when the screen is first shown, not before the first frame
    DEFAULT_CSS = """
    #lab-body {
        height: 1fr;
    }
    #lab-left {
        width: 34%;
        min-width: 16;
    }
    #lab-input {
        height: 1fr;
    }
    #lab-hints-box {
        height: auto;
        max-height: 40%;
    }
    #lab-hints {
        height: auto;
    }
    #lab-trace {
        width: 1fr;
        padding: 0 1;
        overflow: auto auto;
        scrollbar-size: 1 1;
    }
    #lab-output {
        width: auto;
        min-width: 100%;
    }
    #lab-error {   /* wraps: the whole message is read at 80 columns (it ran past the edge) */
        width: 100%;
        height: auto;
    }
    #lab-help {
        height: auto;
        max-height: 2;
    }
    LabScreen.narrow #lab-body {
        layout: vertical;
    }
    LabScreen.narrow #lab-left {
        width: 100%;
        height: 4;
    }
    LabScreen.narrow #lab-hints-box, LabScreen.narrow #lab-help {
        display: none;
    }
    """
    KEYS = [
        ("f2", "step(-1)", "key.step_back", True),
        ("f3", "step(1)", "key.step_fwd", True),
        ("f5", "next_lab(1)", "key.next_lab", True),
        ("f8", "next_lab(-1)", "key.prev_lab", True),
        ("f9", "preset", "key.preset", True),
        ("escape", "app.pop_screen", "key.back", True),
        ("f4", "app.toggle_lang", "key.lang", True),
    ]

    def __init__(self, lab_index: int | None = None):
        super().__init__()
        self.names = core.names()
        self.lab_index = lab_index
        self.step = 0
        self.run: core.LabRun | None = None        # the last good run (kept while the input is bad)
        self.inputs: dict | None = None
        self.error: core.LabError | None = None
        self.n_steps = 1
        self.preset_index = 0
        self._loading = False
        self._lock = threading.Lock()
        self._pending: tuple[str, str] | None = None
        self._busy = False

    @property
    def lab_name(self) -> str:   # the algorithm of the open lab
        return self.names[self.lab_index or 0]

    @property
    def out(self) -> dict | None:
        return self.run.out if self.run else None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="lab-body"):
            with Vertical(id="lab-left"):
                yield TextArea(id="lab-input", language=None, soft_wrap=True)
                # in a scrolling box of its own (Tab reaches it): at 80×24 the optimizers' hints for
                # beta1, beta2, rho and eps were cut off without a sign
                with VerticalScroll(id="lab-hints-box"):
                    yield Static(id="lab-hints", classes="muted")
            with ScrollableContainer(id="lab-trace", can_focus=True):
                yield Static(id="lab-error")
                yield Static(id="lab-output")
        yield Static(id="lab-help", classes="muted")
        yield footer()

    def on_mount(self) -> None:
        if self.lab_index is None:
            saved = self.app.store.get_setting(core.CURRENT)
            self.lab_index = self.names.index(saved) if saved in self.names else 0
        self._load_lab()

    def _load_lab(self, text: str | None = None) -> None:
        self.step = 0
        self.run, self.inputs, self.error = None, None, None
        area = self.query_one("#lab-input", TextArea)
        self._loading = True
        area.load_text(text if text is not None else core.initial_text(self.app.store, self.lab_name))
        self.refresh_text()
        self.compute(area.text)

    def _width(self) -> int:
        w = self.query_one("#lab-trace").size.width
        return max(30, (w or self.size.width // 2) - 2)

    def refresh_text(self) -> None:
        lang = self.app.lang
        # the counter before the title: a long title is cut at the header's end, the counter is not
        self.sub_title = f"{tr('labs.title', lang)} {self.lab_index + 1}/{len(self.names)} — {core.title(self.lab_name, lang)}"
        self.query_one("#lab-help", Static).update(
            tr("labs.help", lang, preset=core.PRESET_TITLES[core.PRESETS[self.preset_index]][lang]))
        self._show_hints()
        self._show()

    def _show_hints(self) -> None:
        """Each input's allowed values; the input on the cursor's line also says what it is, in the
        learner's language ("c_prev: H" alone did not say that it is the previous cell state)."""
        lang = self.app.lang
        current = getattr(self, "_cursor_key", None)
        hints = core.hints(self.lab_name, lang)
        if current is not None and current not in hints and core.describe(self.lab_name, current, lang):
            hints = {current: "", **hints}
        t = Text()
        for key, h in hints.items():
            t.append(f"{key}", style="bold")
            t.append(f": {h}" if h else ":")
            about = core.describe(self.lab_name, key, lang) if key == current else None
            t.append(f"\n  {about}\n" if about else "\n", style="italic" if about else "")
        self.query_one("#lab-hints", Static).update(t)

    def on_text_area_selection_changed(self, event: TextArea.SelectionChanged) -> None:
        area = event.text_area
        row = area.selection.end[0]
        line = area.document.get_line(row) if 0 <= row < area.document.line_count else ""
        found = _KEY_RE.match(line)
        key = found.group(1) if found else None
        if key != getattr(self, "_cursor_key", None):
            self._cursor_key = key
            self._show_hints()

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < 60, "narrow")
        if self.run is not None:    # redraw at the new width (panels side by side or stacked)
            self.call_after_refresh(self._show)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.compute(event.text_area.text)

    def compute(self, text: str, width: int | None = None) -> None:
        """Run the engine on ``text`` in the worker; edits that arrive meanwhile coalesce to the latest."""
        with self._lock:
            self._pending = (self.lab_name, text)
            if self._busy:
                return
            self._busy = True
        self._worker()

    @work(thread=True, group="lab")
    def _worker(self) -> None:
        while True:
            with self._lock:
                job, self._pending = self._pending, None
                if job is None:
                    self._busy = False
                    return
            name, text = job
            run, inputs = _run_safely(name, text)
            self.app.call_from_thread(self._set_result, name, text, run, inputs)

    def _set_result(self, name: str, text: str, run: core.LabRun, inputs: dict | None) -> None:
        if name != self.lab_name:
            return
        if run.out is not None:
            self.run, self.inputs = run, inputs
        self.error = run.error
        if not self._loading:
            core.save_text(self.app.store, name, text)
        self._loading = False
        self._show()

    def _show(self) -> None:
        lang = self.app.lang
        err = self.query_one("#lab-error", Static)
        if self.error:
            kept = f" ({tr('labs.kept', lang)})" if self.run is not None else ""
            err.update(Text(f"⚠ {self.error.shown(lang)}{kept}", style="bold yellow"))
            err.display = True
        else:
            err.update("")
            err.display = False
        parts, self.n_steps = lab_view(self.lab_name, self.inputs, self.run, self.step, lang, self._width(),
                                       color=self.app.pictures_in_color())
        self.step = max(0, min(self.step, self.n_steps - 1))
        self.query_one("#lab-output", Static).update(Group(*parts))

    def action_step(self, delta: int) -> None:
        self.step = max(0, min(self.n_steps - 1, self.step + delta))
        self._show()

    def action_next_lab(self, delta: int = 1) -> None:
        self.lab_index = (self.lab_index + delta) % len(self.names)
        self.app.store.set_setting(core.CURRENT, self.lab_name)
        self.preset_index = 0
        self._load_lab()

    def action_preset(self) -> None:
        """Cycle the presets: example → random → edge case (the typed text is replaced, and saved)."""
        self.preset_index = (self.preset_index + 1) % len(core.PRESETS)
        which = core.PRESETS[self.preset_index]
        text = core.to_text(core.preset(self.lab_name, which))
        self.step = 0
        self.query_one("#lab-input", TextArea).load_text(text)
        self.refresh_text()
