r"""Pictures of engine traces, drawn in the terminal (plotext for charts, Rich for grids and tokens).

Nothing here computes an algorithm: :mod:`tutor.plots_lab` picks the numbers out of the engine's
trace as :class:`Series` of :class:`Chart`\ s (``charts``); :func:`picture` draws them, and the
statistics screen's charts are made here too. plotext is imported on the first drawing, never at
start-up.
"""

from __future__ import annotations

import math
import os
import re
import threading
from dataclasses import dataclass, field

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tutor.plots_rich import _num, _t, heatmap, rich_picture  # noqa: F401 - heatmap is also this module's

COLORS = ("red", "blue", "green", "orange", "magenta", "cyan", "yellow", "white")
# without colour (NO_COLOR, the monochrome theme, a pipe) every series gets a character of its own
MONO_MARKERS = ("•", "+", "x", "o", "*", "#", "@", "%", "=", "~", "^", "&")
SHARED_MARKERS = ("hd", "fhd", "sd")          # pixel markers that look alike: never kept without colour
PATH_MARKERS = ("o", "+", "x", "#", "%")     # one per optimizer on a contour
MIN_PANEL = 50                               # columns a panel needs to stand beside another
_lock = threading.Lock()     # plotext keeps one global figure
# the largest |value| handed to plotext: its tick arithmetic (spans, digits) overflows near 1e308
MAX_DRAWN = 1e150


class PlotError(ValueError):
    """A picture that cannot be drawn: a value too large to place, or plotext failing on the data.
    Raised instead of any drawing failure; the caller shows :meth:`text` and keeps going."""

    def __init__(self, reason: str, **kw):
        super().__init__(f"{reason}: {kw}" if kw else reason)
        self.reason, self.kw = reason, kw

    def text(self, lang: str) -> str:
        """One line in the learner's language (``plots.too_large``, ``plots.failed``)."""
        from tutor.i18n import tr

        return tr(f"plots.{self.reason}", lang, **self.kw)


@dataclass
class Series:
    kind: str                          # scatter | line | bar | vline
    x: list
    y: list
    label: str = ""
    color: str | None = None
    marker: str | None = None


@dataclass
class Chart:
    title: str
    series: list[Series] = field(default_factory=list)
    xlabel: str = ""
    ylabel: str = ""
    ylog: bool = False
    equal: bool = False                # points in a plane: the same scale on x and y (see equal_limits)
    xlim: tuple | None = None
    ylim: tuple | None = None
    group: str | None = None           # charts of one group stand side by side when each gets MIN_PANEL columns
    min_height: int = 0
    xticks: tuple[list, list] | None = None    # positions and their labels
    yticks: tuple[list, list] | None = None


def _xy(points) -> tuple[list, list]:
    """Points n×d (or n numbers) as the x and y of a plane: the first two coordinates (1-D: y = 0)."""
    xs, ys = [], []
    for p in points or []:
        if isinstance(p, list):
            xs.append(p[0])
            ys.append(p[1] if len(p) > 1 else 0.0)
        else:
            xs.append(p)
            ys.append(0.0)
    return xs, ys


def _circle(cx: float, cy: float, r: float, n: int = 48) -> tuple[list, list]:
    t = [2 * math.pi * i / n for i in range(n + 1)]
    return [cx + r * math.cos(a) for a in t], [cy + r * math.sin(a) for a in t]


def _ellipse(mean, cov, k: float, n: int = 48) -> tuple[list, list] | None:
    """The k-σ contour of a 2-D Gaussian, drawn through the Cholesky factor of its covariance."""
    try:
        a, b, d = cov[0][0], cov[0][1], cov[1][1]
        l11 = math.sqrt(a)
        l21 = b / l11
        l22 = math.sqrt(max(d - l21 * l21, 0.0))
    except (ValueError, ZeroDivisionError, TypeError, IndexError):
        return None
    t = [2 * math.pi * i / n for i in range(n + 1)]
    return ([mean[0] + k * l11 * math.cos(s) for s in t],
            [mean[1] + k * (l21 * math.cos(s) + l22 * math.sin(s)) for s in t])


# ----------------------------------------------------------------------------- drawing


def use_color() -> bool:
    """Colour unless the NO_COLOR convention (https://no-color.org) asks for none."""
    return not os.environ.get("NO_COLOR")


def mono_markers(series: list[Series]) -> list[str | None]:
    """A marker per line/scatter series such that no two series share one (the colour may be gone):
    a series keeps its own character unless an earlier series has it or it is a pixel marker."""
    used: set[str] = set()
    spare = iter(m for m in MONO_MARKERS)
    out: list[str | None] = []
    for s in series:
        if s.kind not in ("line", "scatter"):
            out.append(s.marker)
            continue
        m = s.marker or ("braille" if s.kind == "line" else "•")
        m = "•" if m == "dot" else m
        if m in SHARED_MARKERS or m in used:
            m = next((c for c in spare if c not in used), "•")
        used.add(m)
        out.append(m)
    return out


CELL_ASPECT = 2.0    # a terminal cell is about twice as tall as it is wide
PLOT_MARGIN = (12, 5)   # columns (y tick labels, frame) and rows (title, x ticks, frame) around the plot area


def equal_limits(ch: Chart, width: int, height: int) -> tuple[tuple, tuple] | None:
    """x and y limits that give both axes the same scale on screen, the points centred with a
    margin: a circle (DBSCAN's ε) is round and PCA's perpendicular axes look perpendicular.
    None when the chart has no points."""
    pts = [(_num(x), _num(y)) for s in ch.series if s.kind in ("line", "scatter") for x, y in zip(s.x, s.y)]
    pts = [(x, y) for x, y in pts if x is not None and y is not None and math.isfinite(x) and math.isfinite(y)]
    if not pts:
        return None
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    cols, rows = max(width - PLOT_MARGIN[0], 8), max(height - PLOT_MARGIN[1], 3)
    dx, dy = max(xs) - min(xs), max(ys) - min(ys)
    unit = max(dx / cols, dy / (CELL_ASPECT * rows)) * 1.1 or 1.0 / cols   # data units per column
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half_x, half_y = unit * cols / 2, unit * CELL_ASPECT * rows / 2
    return (cx - half_x, cx + half_x), (cy - half_y, cy + half_y)


def _numbers(values) -> list:
    return [v for v in values or () if isinstance(v, (int, float)) and not isinstance(v, bool)]


def _too_large(v, finite: bool) -> bool:
    try:
        f = float(v)
    except OverflowError:    # an int beyond any float
        return True
    return abs(f) > MAX_DRAWN if math.isfinite(f) else finite


def check_chart(ch: Chart) -> None:
    """Raise :class:`PlotError` when ``ch`` holds a number plotext cannot place: beyond ±MAX_DRAWN
    (a huge int too), or a non-finite limit or tick. A non-finite point (nan: a mean over nothing)
    is left out when drawing, as before."""
    points = _numbers(v for s in ch.series for v in (*s.x, *s.y))
    frame = _numbers([*(ch.xlim or ()), *(ch.ylim or ()), *(ch.xticks[0] if ch.xticks else ()),
                      *(ch.yticks[0] if ch.yticks else ())])
    if any(_too_large(v, False) for v in points) or any(_too_large(v, True) for v in frame):
        raise PlotError("too_large", limit=f"{MAX_DRAWN:.0e}")


def render_chart(ch: Chart, width: int, height: int, color: bool | None = None) -> str:
    """One chart as terminal text: ANSI colours when ``color`` (default: unless NO_COLOR is set);
    without colour every series has a marker character of its own. Every text plotext places
    (title, axis labels, legend, ticks, bar names) goes through :class:`_Cells`, so a Hangul
    character takes the two columns the terminal gives it and the frame stays straight.
    Raises only :class:`PlotError` (a value too large to draw, or plotext failing on the data)."""
    check_chart(ch)
    try:
        return _render_chart(ch, width, height, color)
    except PlotError:
        raise
    except Exception as e:   # the boundary with plotext: no drawing failure reaches the caller raw
        raise PlotError("failed", error=type(e).__name__) from e


def _render_chart(ch: Chart, width: int, height: int, color: bool | None) -> str:
    import plotext as plt

    if color is None:
        color = use_color()
    legend = sum(1 for s in ch.series if s.label)
    # plotext leaves out a legend taller than the plot: every labelled series gets its row
    width, height = max(width, 20), max(height, 6, ch.min_height, legend + 7 if legend > 2 else 0)
    markers = [s.marker for s in ch.series] if color else mono_markers(ch.series)
    enc = _Cells()
    with _lock:
        plt.clf()
        plt.limit_size(False, False)     # the size asked for, not the terminal's (a pipe, a panel)
        plt.plotsize(width, height)
        plt.theme("clear")
        plt.title(enc(_fit(ch.title, max(width - 4, 10))))
        if ch.xlabel:
            plt.xlabel(enc(ch.xlabel))
        if ch.ylog:
            plt.yscale("log")
        xlim, ylim = ch.xlim, ch.ylim
        if ch.equal and not (xlim or ylim):
            xlim, ylim = equal_limits(ch, width, height) or (None, None)
        if xlim:
            plt.xlim(*xlim)
        if ylim:
            plt.ylim(*ylim)
        if ch.xticks:
            plt.xticks(ch.xticks[0], enc.all(ch.xticks[1]))
        if ch.yticks:
            plt.yticks(ch.yticks[0], enc.all(ch.yticks[1]))
        if not ch.xticks:
            whole = _whole_ticks(ch, width)
            if whole:
                plt.xticks(*whole)
        if not ch.ylog and not ch.yticks:
            compact = _compact_ticks(ch)
            if compact:
                plt.yticks(*compact)
        if ch.ylog:    # ticks at powers of ten, written 1e+17 (not 123489995050778624.0)
            ys = [v for s in ch.series if s.kind in ("line", "scatter") for v in s.y if (_num(v) or 0) > 0]
            if ys:
                lo, hi = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
                step = max(1, (hi - lo) // 4)
                y0, y1 = min(ys), max(ys)
                ticks = [10.0 ** e for e in range(lo, hi + 1, step) if y0 <= 10.0 ** e <= y1]
                if len(ticks) < 2:    # less than a decade: four ticks spread over the values, not off the axis
                    ticks = [y0 * (y1 / y0) ** (k / 3) for k in range(4)] if y1 > y0 else [y0]
                plt.yticks(ticks, [f"{t:.2g}" if -2 <= math.log10(t) <= 3 else f"{t:.1e}" for t in ticks])
        bars = [s for s in ch.series if s.kind == "bar"]
        if len(bars) > 1:
            kw = {"color": [s.color or "cyan" for s in bars]} if color else \
                {"marker": [("█", "▒", "░", "▚")[j % 4] for j in range(len(bars))]}
            plt.multiple_bar(enc.all(bars[0].x), [[_num(v) or 0.0 for v in s.y] for s in bars],
                             labels=enc.all([s.label for s in bars]), **kw)
        for s, marker in zip(ch.series, markers):
            col = s.color if color else None
            pts = [(x, y) for x, y in zip(s.x, s.y) if _num(x) is not None and _num(y) is not None]
            if s.kind == "vline":
                if s.x and _num(s.x[0]) is not None:
                    plt.vline(s.x[0], col)
                continue
            if s.kind == "bar":
                if len(bars) == 1:
                    plt.bar(enc.all(s.x), [_num(v) or 0.0 for v in s.y], color=col or "cyan",
                            label=enc(s.label) or None)
                continue
            if not pts:
                continue
            if xlim and ylim:    # a path leaving the view (diverging) is cut at its edge
                (x0, x1), (y0, y1) = xlim, ylim
                pts = [p for p in pts if x0 <= p[0] <= x1 and y0 <= p[1] <= y1]
                if not pts:
                    continue
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            fn = plt.scatter if s.kind == "scatter" else plt.plot
            fn(xs, ys, marker=marker or ("dot" if s.kind == "scatter" else "braille"), color=col,
               label=enc(s.label) or None)
        text = enc.decode(plt.build())
    # no trailing blanks (a centred title, the tick line): a picture piped to a file ends where it ends
    text = "\n".join(_TRAILING.sub(r"\1", line) for line in text.split("\n"))
    return text if color else _uncolor(text)


_TRAILING = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$")


def _whole_ticks(ch: Chart, width: int) -> tuple[list, list] | None:
    """Ticks 1, 2, 3 (not 1.00, 1.25) when every x is a whole number: steps, units, time t."""
    xs = [x for s in ch.series if s.kind in ("line", "scatter") for x in s.x]
    if not xs or not all(isinstance(x, int) and not isinstance(x, bool) for x in xs):
        return None
    lo, hi = min(xs), max(xs)
    step = max(1, math.ceil((hi - lo) / max(2, min(5, width // 12))))
    ticks = list(range(lo, hi + 1, step))
    return ticks, [str(t) for t in ticks]


def _compact_ticks(ch: Chart) -> tuple[list, list] | None:
    """Five y ticks written short (-2.39e+21, not -2394530369889191854080) when the numbers are
    too long for the axis: a diverging path keeps its plot area."""
    ys = [v for s in ch.series if s.kind in ("line", "scatter") for v in s.y if _num(v) is not None]
    if not ys or max(abs(min(ys)), abs(max(ys))) < 1e5:
        return None
    lo, hi = min(ys), max(ys)
    ticks = [lo + (hi - lo) * k / 4 for k in range(5)] if hi > lo else [lo]
    return ticks, [f"{t:.3g}" for t in ticks]


# a character and the combining marks on it (θ̂, c̃): one cluster, drawn in the cells of its base
_CLUSTER = re.compile(r".[\u0300-\u036f\u20d0-\u20ff]*|[\u0300-\u036f\u20d0-\u20ff]+", re.S)


class _Cells:
    """plotext measures text in characters, a terminal in cells: a Hangul character is one
    character but two cells, a combining mark one character but no cell. Text for plotext is
    encoded with one private-use character per cell (a cluster's first cell names it, its other
    cells are a filler), so plotext places, centres and pads it by its true width; :meth:`decode`
    puts the clusters back into the built chart. A cluster plotext cut or drew over becomes
    spaces, keeping every cell."""

    FIRST, FILL = 0xE000, "\uf8ff"

    def __init__(self):
        self.clusters: list[str] = []

    def __call__(self, text):
        if not isinstance(text, str) or text.isascii():
            return text
        from tutor.tables import cells

        out = []
        for cl in _CLUSTER.findall(text):
            w = cells(cl)
            if len(cl) == 1 and w == 1:
                out.append(cl)
            elif w:
                if cl not in self.clusters:
                    self.clusters.append(cl)
                out.append(chr(self.FIRST + self.clusters.index(cl)) + self.FILL * (w - 1))
        return "".join(out)

    def all(self, texts) -> list:
        return [self(t) for t in texts]

    def decode(self, text: str) -> str:
        if not self.clusters:
            return text
        from tutor.tables import cells

        def back(m: re.Match) -> str:
            cl = self.clusters[ord(m.group(1)) - self.FIRST]
            n = 1 + len(m.group(2))
            return cl if n == cells(cl) else " " * n

        last = chr(self.FIRST + len(self.clusters) - 1)
        return re.sub(f"([\ue000-{last}])(\uf8ff*)", back, text).replace(self.FILL, " ")


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal cells (a Hangul character takes two)."""
    from tutor.tables import cells

    while cells(text) > width:
        text = text[:-1]
    return text


def _uncolor(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def layout(chs: list[Chart], width: int) -> list[list[Chart]]:
    """Rows of charts: a group's charts side by side when each gets MIN_PANEL columns, else one
    per row; without groups, all in one row from 100 columns on (else stacked)."""
    if not any(c.group for c in chs):
        return [chs] if len(chs) > 1 and width >= 100 else [[c] for c in chs]
    rows: list[list[Chart]] = []
    for c in chs:
        if c.group and rows and rows[-1][0].group == c.group:
            rows[-1].append(c)
        else:
            rows.append([c])
    out: list[list[Chart]] = []
    for r in rows:
        out += [r] if width // len(r) >= MIN_PANEL else [[c] for c in r]
    return out


def picture(name: str, inputs: dict, out: dict, index: int, extras: dict | None = None, *, width: int = 80,
            height: int = 20, lang: str = "en", color: bool | None = None) -> RenderableType | None:
    """The lab's picture at step ``index``: charts (side by side when wide) or a Rich grid.
    ``color`` None: colour unless NO_COLOR is set. Raises only :class:`PlotError` when it cannot
    be drawn (never plotext's or the data's own exception)."""
    try:
        return _picture(name, inputs, out, index, extras, width, height, lang, color)
    except PlotError:
        raise
    except Exception as e:   # the boundary: a picture that fails is reported, never a crash
        raise PlotError("failed", error=type(e).__name__) from e


def _too_large_anywhere(value) -> bool:
    """A number beyond ±MAX_DRAWN anywhere in an engine output (dicts, lists, arrays): linear."""
    if isinstance(value, dict):
        return any(_too_large_anywhere(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_too_large_anywhere(v) for v in value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _too_large(value, False)
    if hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in "iuf":   # a numpy array
        import numpy as np

        arr = np.asarray(value, dtype=float)
        finite = arr[np.isfinite(arr)]
        return bool(finite.size) and float(np.abs(finite).max()) > MAX_DRAWN
    return False


def check_picture(name: str, inputs: dict, out: dict, indices, extras: dict | None = None) -> None:
    """Raise :class:`PlotError` when the picture of a step in ``indices`` would hold a number that
    cannot be drawn: every number of the run itself, and the charts of its first and last steps
    (their frames: limits and ticks). Building every step's charts made an edit of a 200-step lab
    take 55 ms (its budget is 50); a step that still fails when drawn says so in its error line
    (:func:`render_chart`)."""
    from tutor.plots_lab import charts

    if _too_large_anywhere(out) or _too_large_anywhere(extras or {}):
        raise PlotError("too_large", limit=f"{MAX_DRAWN:.0e}")
    indices = sorted(indices)
    for i in dict.fromkeys(indices[:1] + indices[-1:]):
        try:
            chs = charts(name, inputs, out, i, extras or {}, "en")
        except Exception as e:
            raise PlotError("failed", error=type(e).__name__) from e
        for ch in chs:
            check_chart(ch)


def _picture(name, inputs, out, index, extras, width, height, lang, color) -> RenderableType | None:
    rich = rich_picture(name, inputs, out, index, lang)
    if rich is not None:
        return rich
    from tutor.plots_lab import charts

    chs = charts(name, inputs, out, index, extras or {}, lang)
    if not chs:
        return generic_picture(name, out, lang=lang)
    rows = layout(chs, width)
    h = height if len(rows) == 1 else max(8, height // len(rows) + 2)
    parts: list[RenderableType] = []
    for row in rows:
        if len(row) == 1:
            parts.append(Text.from_ansi(render_chart(row[0], width, h, color)))
            continue
        w = width // len(row) - 1
        grid = Table.grid(padding=(0, 1))
        grid.add_row(*(Text.from_ansi(render_chart(c, w, h, color)) for c in row))
        parts.append(grid)
    return parts[0] if len(parts) == 1 else Group(*parts)


def generic_picture(name: str, out: dict, limit: int = 2, lang: str = "en") -> RenderableType | None:
    """Any algorithm without a picture of its own (a new topic's, say): its main numeric outputs
    (``Algorithm.summary`` first) as shaded matrices, so every lab draws something true."""
    from engine.registry import get_algorithm
    from tutor.labs import math_name, shown_name

    keys = list(get_algorithm(name).summary) + [k for k in out if k not in get_algorithm(name).summary]
    shown = []
    for key in keys:
        value = out.get(key)
        rows = value if isinstance(value, list) and value and all(isinstance(r, list) for r in value) else \
            [value] if isinstance(value, list) and value else None
        if rows and all(_num(x) is not None for r in rows for x in r) and len({len(r) for r in rows}) == 1:
            shown.append(heatmap(shown_name(math_name(key), lang), rows))
        if len(shown) >= limit:
            break
    return Group(*shown) if shown else None


# ----------------------------------------------------------------------------- statistics


def stats_charts(per_day: list[tuple[str, int]], forecast: list[int], exams: list[tuple[str, float]],
                 lang: str = "en") -> list[Chart]:
    """Reviews per day, cards due per coming day, exam scores (%) over time."""
    out = []
    if any(n for _, n in per_day):
        out.append(Chart(_t(lang, f"cards rated per day (last {len(per_day)} days)", f"일별 평가한 카드 (최근 {len(per_day)}일)"),
                         [Series("bar", [d for d, _ in per_day], [n for _, n in per_day], "", "green")],
                         yticks=count_ticks(max(n for _, n in per_day))))   # 3 cards, never 3.33
    if any(forecast):
        out.append(Chart(_t(lang, f"due in the next {len(forecast)} days", f"앞으로 {len(forecast)}일 복습 예정"),
                         [Series("bar", [str(i) for i in range(len(forecast))], forecast, "", "cyan")],
                         xlabel=_t(lang, "days from today", "오늘부터 일수"), yticks=count_ticks(max(forecast))))
    if exams:
        n = len(exams)
        xs, ys = list(range(1, n + 1)), [s for _, s in exams]
        every = max(1, n // 8)
        ticks = [k for k in xs if (k - 1) % every == 0]
        series = [Series("line", xs, ys, "", "magenta")] if n > 1 else []
        out.append(Chart(_t(lang, "exam scores (%)", "시험 점수 (%)"),
                         series + [Series("scatter", xs, ys, "", "magenta", "o")],
                         xlabel=_t(lang, "exam", "시험"), xlim=(0.5, n + 0.5), ylim=(0, 100),
                         xticks=(ticks, [str(k) for k in ticks]),
                         yticks=([0, 25, 50, 75, 100], ["0", "25", "50", "75", "100"])))
    return out


def count_ticks(top: int) -> tuple[list, list]:
    """Whole-number ticks for counts (never 5.3 reviews): about five from 0 to ``top``."""
    step = max(1, math.ceil(top / 4))
    ticks = list(range(0, top + step, step))
    return ticks, [str(t) for t in ticks]


def retention_chart(weeks: list[dict], desired: float, lang: str = "en") -> Chart | None:
    """The share of reviews answered right per week (``tutor.stats.retention_over_time``), in %,
    against the desired retention as a line; None without any review of a learned card."""
    pts = [(k, 100.0 * w["share"]) for k, w in enumerate(weeks) if w["share"] is not None]
    if not pts:
        return None
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    every = max(1, len(weeks) // 6)
    ticks = [k for k in range(len(weeks)) if k % every == 0]
    ch = Chart(_t(lang, "retention R per week (%), desired retention R*", "주별 기억률 R(%)과 목표 기억률 R*"),
               xlabel=_t(lang, "week starting", "주 시작일"),
               xticks=(ticks, [weeks[k]["start"].strftime("%m-%d") for k in ticks]),
               ylim=(min(min(ys), 100.0 * desired) - 5, 100.0 + 2))
    ch.series += [Series("line", [0, len(weeks) - 1], [100.0 * desired] * 2, f"R* = {desired:.0%}", "yellow", "-"),
                  Series("line", xs, ys, "R", "green", "braille"),
                  Series("scatter", xs, ys, "", "green", "o")]
    return ch


def stats_picture(charts_: list[Chart], width: int, color: bool | None = None) -> RenderableType | None:
    if not charts_:
        return None
    return Group(*(Text.from_ansi(render_chart(c, width, 12, color)) for c in charts_))


def __getattr__(name: str):
    """``charts``, ``paths_2d`` and ``math_label`` live in :mod:`tutor.plots_lab` (imported on use)."""
    if name in ("charts", "paths_2d", "math_label"):
        from tutor import plots_lab

        return getattr(plots_lab, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
