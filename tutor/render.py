"""Rich renderables for engine traces (used by `tutor solve`, lesson cards and the app).

Widgets never compute; they render what these functions build from engine outputs.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from engine.core import fmt

# Math names of the engine's trace keys (θ_A, not theta_a): a key not listed is shown as it is.
# One name for both languages unless it is a word (a dict per language).
KEY_LABELS: dict[str, str | dict[str, str]] = {
    "theta_a": "θ_A", "theta_b": "θ_B",
    "theta_a_before": {"en": "θ_A before", "ko": "이전 θ_A"},
    "theta_b_before": {"en": "θ_B before", "ko": "이전 θ_B"},
    "heads_a": "H_A", "tails_a": "T_A", "heads_b": "H_B", "tails_b": "T_B",
    "heads": {"en": "heads", "ko": "앞면"}, "tails": {"en": "tails", "ko": "뒷면"},
    "lik_a": "L_A", "lik_b": "L_B", "resp": "γ", "resp_a": "γ_A", "resp_b": "γ_B",
    "log_likelihood": "log L", "log_likelihoods": "log L",
    "final_log_likelihood": {"en": "final log L", "ko": "최종 log L"}, "log_p": "log p",
    "c_prev": "cₜ₋₁", "c_tilde": "c̃ₜ", "h_n": "hₙ", "y_hat": "ŷ", "y_mean": "ȳ", "m_hat": "m̂", "v_hat": "v̂",
    "beta1": "β₁", "beta2": "β₂", "lr": "η", "eps": "ε", "b0": "b₀", "w0": "w₀",
    "kl_pq": "KL(p‖q)", "kl_qp": "KL(q‖p)", "kl_pq_terms": "KL(p‖q) terms", "kl_qp_terms": "KL(q‖p) terms",
    "entropy": "H(p)", "entropy_q": "H(q)", "cross_entropy": "H(p, q)",
    "r2": "R²", "mse": "MSE", "mae": "MAE", "rmse": "RMSE", "mape": "MAPE", "sse": "SSE", "tss": "TSS", "rss": "RSS",
    "tp": "TP", "fp": "FP", "fn": "FN", "tn": "TN", "tpr": "TPR", "fpr": "FPR", "auc": "AUC", "f1": "F₁",
    "grad_w": "∂L/∂w", "grad_b": "∂L/∂b", "grad_w_hh": "∂L/∂W_hh", "grad_w_xh": "∂L/∂W_xh", "grad_w_hy": "∂L/∂W_hy",
    "grad_b_h": "∂L/∂b_h", "grad_b_y": "∂L/∂b_y", "grad_h0": "∂L/∂h₀",
    "grad_w_hidden": "∂L/∂W_hidden", "grad_w_out": "∂L/∂W_out", "grad_b_hidden": "∂L/∂b_hidden",
    "grad_b_out": "∂L/∂b_out", "delta_out": "δ_out", "delta_hidden": "δ_hidden",
    "sum_exp": "Σ exp", "std": "σ", "var": "σ²", "var_unbiased": "s²", "means": "μ", "covs": "Σ", "nk": "N_k",
    "d_k": "d_k", "net_hidden": "net_hidden", "z": "z",
    "iterations": {"en": "iterations", "ko": "반복"}, "steps": {"en": "steps", "ko": "단계"},
    "key": {"en": "key", "ko": "항목"}, "value": {"en": "value", "ko": "값"}, "labels": {"en": "labels", "ko": "라벨"},
}


def label(key: str, lang: str = "en") -> str:
    """The name a learner sees for an engine trace key (θ_A for theta_a)."""
    v = KEY_LABELS.get(key)
    if v is None:
        return key
    return v if isinstance(v, str) else v.get(lang) or v["en"]


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
                 cols: Sequence[str] | None = None, digits: int = 4, lang: str = "en") -> Table:
    tab = Table(title=label(title, lang), title_justify="left", show_header=True, header_style="bold")
    tab.add_column("")
    ncol = len(m[0]) if m else 0
    for j in range(ncol):
        tab.add_column(cols[j] if cols else str(j + 1), justify="right")
    for i, row in enumerate(m):
        tab.add_row(rows[i] if rows else str(i + 1), *(Text(fmt_value(x, digits)) for x in row))
    return tab


def records_table(title: str, records: Sequence[Mapping[str, Any]], index_label: str = "#",
                  keys: Iterable[str] | None = None, digits: int = 4, lang: str = "en") -> Table:
    keys = list(keys) if keys is not None else [
        k for k in records[0] if all(not _is_matrix(r.get(k)) and not _is_records(r.get(k)) for r in records)]
    tab = Table(title=label(title, lang), title_justify="left", header_style="bold")
    tab.add_column(index_label, justify="right")
    for k in keys:
        tab.add_column(label(k, lang), justify="right")
    for i, r in enumerate(records):
        tab.add_row(str(i + 1), *(Text(fmt_value(r.get(k), digits)) for k in keys))
    return tab


def _is_vector(v: Any) -> bool:
    return isinstance(v, list) and all(not isinstance(x, (list, dict)) for x in v)


def records_tables(title: str, records: Sequence[Mapping[str, Any]], digits: int = 4,
                   lang: str = "en") -> list[Table]:
    """A list of records (iterations, steps): one table of the scalar values, row per record,
    then one table per vector-valued key (row per record, column per element)."""
    first = records[0]
    scalars = [k for k in first if all(not isinstance(r.get(k), (list, dict)) for r in records)]
    vectors = [k for k in first if all(_is_vector(r.get(k)) for r in records) and k not in scalars
               and any(r.get(k) for r in records)]   # an always-empty list is no table
    out = [records_table(title, records, keys=scalars, digits=digits, lang=lang)] if scalars else []
    for k in vectors:
        width = max(len(r[k]) for r in records)
        m = [list(r[k]) + [""] * (width - len(r[k])) for r in records]
        out.append(matrix_table(f"{label(title, lang)}: {label(k, lang)}", m,
                                rows=[str(i + 1) for i in range(len(records))],
                                cols=[str(j + 1) for j in range(width)], digits=digits))
    return out


def trace_renderables(out: Mapping[str, Any], *, keys: Iterable[str] | None = None,
                      summary: Sequence[str] = (), digits: int = 4, lang: str = "en") -> list[RenderableType]:
    """Tables for an engine output dict: scalars/vectors in one key–value table,
    matrices and lists of records (iterations, steps) each in their own table."""
    order = list(keys) if keys is not None else list(summary) + [k for k in out if k not in summary]
    kv = Table(show_header=True, header_style="bold", title_justify="left")
    kv.add_column(label("key", lang))
    kv.add_column(label("value", lang), justify="right")
    parts: list[RenderableType] = [kv]
    # vectors of one length (one value per round, per sample …) side by side: one row per index
    by_len: dict[int, list[str]] = {}
    for k in order:
        v = out.get(k)
        if isinstance(v, list) and len(v) >= 2 and all(not isinstance(x, (list, dict)) for x in v):
            by_len.setdefault(len(v), []).append(k)
    side = {k for ks in by_len.values() if len(ks) >= 2 for k in ks}
    for n, ks in by_len.items():
        if len(ks) >= 2:
            t = Table(show_header=True, header_style="bold", title_justify="left")
            t.add_column("#", justify="right")
            for k in ks:
                t.add_column(label(k, lang), justify="right")
            for i in range(n):
                t.add_row(str(i + 1), *(Text(fmt_value(out[k][i], digits)) for k in ks))
            parts.append(t)
    for k in order:
        if k not in out or k in side:
            continue
        v = out[k]
        if _is_records(v):
            parts.extend(records_tables(k, v, digits=digits, lang=lang))
        elif isinstance(v, list) and v and all(_is_matrix(m) for m in v):
            # a stack of matrices (one per head, per step ...): one table each
            parts.extend(matrix_table(f"{label(k, lang)} [{i + 1}]", m, digits=digits) for i, m in enumerate(v))
        elif _is_matrix(v):
            parts.append(matrix_table(k, v, digits=digits, lang=lang))
        else:
            kv.add_row(label(k, lang), Text(fmt_value(v, digits)))   # Text: values like [a, b] are not markup
    if not kv.row_count:
        parts.pop(0)
    return parts


class Fit:
    """A table that fits the width it is given: as it is when it fits, else split into column
    groups (the first ``keep`` columns repeated in each) titled ``◂ 1–4 / 9 ▸`` — nothing cut with "…"."""

    def __init__(self, table: Table, keep: int = 1):
        self.table = table
        self.keep = keep

    def _part(self, idx: list[int], n_rows: int, cells: list[list]) -> Table:
        t = self.table
        first, last = idx[self.keep] + 1 - self.keep, idx[-1] + 1 - self.keep
        total = len(t.columns) - self.keep
        title = Text.assemble(t.title or "", f"  ◂ {first}–{last} / {total} ▸", style="bold")
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


def fit(parts: Iterable[RenderableType]) -> list[RenderableType]:
    """Tables wrapped in :class:`Fit`, other renderables as they are."""
    return [Fit(p) if isinstance(p, Table) else p for p in parts]


def cli_console() -> Console:
    """A console for CLI output: the terminal's width on a terminal; to a pipe or a file, wide
    enough that nothing is cut (no terminal width → the full width of the output)."""
    import sys

    if sys.stdout.isatty():
        return Console()
    return Console(width=100_000, soft_wrap=True)


def print_trace(alg, out: Mapping[str, Any], *, lang: str = "en", console: Console | None = None) -> None:
    console = console or cli_console()
    console.print(Text(f"{alg.name} — {alg.title[lang]}", style="bold"))
    console.print(Group(*fit(trace_renderables(out, summary=alg.summary, lang=lang))))
