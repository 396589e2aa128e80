"""Rich renderables for engine traces (used by `tutor solve`, lesson cards and the app).

Widgets never compute; they render what these functions build from engine outputs.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from tutor.tables import KEY_LABELS, TableSpec, columns_label, fmt_value, label, trace_tables  # noqa: F401  (re-exported)


def to_rich(spec: TableSpec) -> Table:
    """A :class:`TableSpec` as a Rich table (values as Text: ``[a, b]`` is not markup)."""
    tab = Table(title=spec.title or None, title_justify="left", show_header=spec.show_header, header_style="bold")
    for h, j in zip(spec.headers, spec.justify):
        tab.add_column(h, justify=j)
    for r in spec.rows:
        tab.add_row(*(Text(c) for c in r))
    return tab


def trace_renderables(out: Mapping[str, Any], *, keys: Iterable[str] | None = None,
                      summary: Sequence[str] = (), digits: int = 4, lang: str = "en",
                      alg: str | None = None) -> list[RenderableType]:
    """Rich tables for an engine output dict (see :func:`tutor.tables.trace_tables`). ``alg``: the
    algorithm that made it — its own names of its keys (attention's weights are α, not the GMM's π)
    and its notes and warnings in ``lang``, as `tutor solve` and the labs show them."""
    names = None
    if alg is not None:
        from tutor.lab_names import shown_trace

        out, names = shown_trace(alg, dict(out), lang)
    return [to_rich(t) for t in trace_tables(out, keys=keys, summary=summary, digits=digits, lang=lang, names=names)]


class Fit:
    """A table that fits the width it is given: as it is when it fits, else split into column
    groups (the first ``keep`` columns repeated in each) titled ``◂ columns 1–4 of 9 ▸`` — nothing
    cut with "…"."""

    def __init__(self, table: Table, keep: int = 1, lang: str = "en"):
        self.table = table
        self.keep = keep
        self.lang = lang

    def _part(self, idx: list[int], n_rows: int, cells: list[list]) -> Table:
        t = self.table
        first, last = idx[self.keep] + 1 - self.keep, idx[-1] + 1 - self.keep
        total = len(t.columns) - self.keep
        title = Text.assemble(t.title or "", "  " + columns_label(first, last, total, self.lang), style="bold")
        sub = Table(title=title, title_justify="left", header_style=t.header_style, box=t.box,
                    show_header=t.show_header)
        for i in idx:
            c = t.columns[i]
            sub.add_column(c.header, justify=c.justify, no_wrap=True)
        for r in range(n_rows):
            sub.add_row(*(cells[i][r] for i in idx))
        return sub

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        t = self.table
        width = options.max_width
        if Measurement.get(console, options.update(width=10_000), t).maximum <= width or len(t.columns) <= self.keep + 1:
            yield t
            return
        cells = [list(c.cells) for c in t.columns]
        n_rows = t.row_count
        keep = list(range(self.keep))
        idx = keep[:]
        for j in range(self.keep, len(t.columns)):
            trial = self._part(idx + [j], n_rows, cells)
            if len(idx) > self.keep and Measurement.get(console, options.update(width=10_000), trial).maximum > width:
                yield self._part(idx, n_rows, cells)
                idx = keep + [j]
            else:
                idx.append(j)
        yield self._part(idx, n_rows, cells)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        m = Measurement.get(console, options, self.table)
        return Measurement(min(m.minimum, options.max_width), min(m.maximum, options.max_width))


def fit(parts: Iterable[RenderableType], lang: str = "en") -> list[RenderableType]:
    """Tables wrapped in :class:`Fit`, other renderables as they are."""
    return [Fit(p, lang=lang) if isinstance(p, Table) else p for p in parts]
