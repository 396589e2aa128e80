"""Rich renderables for engine traces (used by `tutor solve`, lesson cards and the app).

Widgets never compute; they render what these functions build from engine outputs.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from engine.core import fmt


def fmt_value(v: Any, digits: int = 4) -> str:
    if v is None:
        return "nan"
    if isinstance(v, bool):
        return "✓" if v else "✗"
    if isinstance(v, (int, float)):
        return fmt(v, digits)
    if isinstance(v, str):
        return {"inf": "∞", "-inf": "−∞"}.get(v, v)
    if isinstance(v, Mapping):
        return ", ".join(f"{k}: {fmt_value(x, digits)}" for k, x in v.items()) or "—"
    if isinstance(v, list):
        if v and all(isinstance(r, list) and all(not isinstance(x, (list, dict)) for x in r) for r in v):
            return "\n".join("[" + ", ".join(fmt_value(x, digits) for x in row) + "]" for row in v)
        if all(not isinstance(x, (list, dict)) for x in v):
            return "[" + ", ".join(fmt_value(x, digits) for x in v) + "]"
    return str(v)


def _is_records(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, Mapping) for x in v)


def _is_matrix(v: Any) -> bool:
    return (isinstance(v, list) and len(v) > 1 and all(isinstance(r, list) for r in v)
            and all(not isinstance(x, (list, dict)) for r in v for x in r)
            and len({len(r) for r in v}) == 1 and len(v[0]) > 1)


def matrix_table(title: str, m: Sequence[Sequence[Any]], rows: Sequence[str] | None = None,
                 cols: Sequence[str] | None = None, digits: int = 4) -> Table:
    tab = Table(title=title, title_justify="left", show_header=True, header_style="bold")
    tab.add_column("")
    ncol = len(m[0]) if m else 0
    for j in range(ncol):
        tab.add_column(cols[j] if cols else str(j + 1), justify="right")
    for i, row in enumerate(m):
        tab.add_row(rows[i] if rows else str(i + 1), *(Text(fmt_value(x, digits)) for x in row))
    return tab


def records_table(title: str, records: Sequence[Mapping[str, Any]], index_label: str = "#",
                  keys: Iterable[str] | None = None, digits: int = 4) -> Table:
    keys = list(keys) if keys is not None else [
        k for k in records[0] if all(not _is_matrix(r.get(k)) and not _is_records(r.get(k)) for r in records)]
    tab = Table(title=title, title_justify="left", header_style="bold")
    tab.add_column(index_label, justify="right")
    for k in keys:
        tab.add_column(k, justify="right")
    for i, r in enumerate(records):
        tab.add_row(str(i + 1), *(Text(fmt_value(r.get(k), digits)) for k in keys))
    return tab


def _is_vector(v: Any) -> bool:
    return isinstance(v, list) and all(not isinstance(x, (list, dict)) for x in v)


def records_tables(title: str, records: Sequence[Mapping[str, Any]], digits: int = 4) -> list[Table]:
    """A list of records (iterations, steps): one table of the scalar values, row per record,
    then one table per vector-valued key (row per record, column per element)."""
    first = records[0]
    scalars = [k for k in first if all(not isinstance(r.get(k), (list, dict)) for r in records)]
    vectors = [k for k in first if all(_is_vector(r.get(k)) for r in records) and k not in scalars
               and any(r.get(k) for r in records)]   # an always-empty list is no table
    out = [records_table(title, records, keys=scalars, digits=digits)] if scalars else []
    for k in vectors:
        width = max(len(r[k]) for r in records)
        m = [list(r[k]) + [""] * (width - len(r[k])) for r in records]
        out.append(matrix_table(f"{title}: {k}", m, rows=[str(i + 1) for i in range(len(records))],
                                cols=[str(j + 1) for j in range(width)], digits=digits))
    return out


def trace_renderables(out: Mapping[str, Any], *, keys: Iterable[str] | None = None,
                      summary: Sequence[str] = (), digits: int = 4) -> list[RenderableType]:
    """Tables for an engine output dict: scalars/vectors in one key–value table,
    matrices and lists of records (iterations, steps) each in their own table."""
    order = list(keys) if keys is not None else list(summary) + [k for k in out if k not in summary]
    kv = Table(show_header=True, header_style="bold", title_justify="left")
    kv.add_column("key")
    kv.add_column("value", justify="right")
    parts: list[RenderableType] = [kv]
    for k in order:
        if k not in out:
            continue
        v = out[k]
        if _is_records(v):
            parts.extend(records_tables(k, v, digits=digits))
        elif isinstance(v, list) and v and all(_is_matrix(m) for m in v):
            # a stack of matrices (one per head, per step ...): one table each
            parts.extend(matrix_table(f"{k} [{i + 1}]", m, digits=digits) for i, m in enumerate(v))
        elif _is_matrix(v):
            parts.append(matrix_table(k, v, digits=digits))
        else:
            kv.add_row(k, Text(fmt_value(v, digits)))   # Text: values like [a, b] are not markup
    if not kv.row_count:
        parts.pop(0)
    return parts


def print_trace(alg, out: Mapping[str, Any], *, lang: str = "en", console: Console | None = None) -> None:
    console = console or Console()
    console.print(Text(f"{alg.name} — {alg.title[lang]}", style="bold"))
    console.print(Group(*trace_renderables(out, summary=alg.summary)))
