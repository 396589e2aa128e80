"""The lab pictures drawn with Rich (heatmaps, grids: attention, positional encoding, the conv
window, the MLP's edges, batching, masking, tokens), from the engine's trace — split out of
:mod:`tutor.plots`, which draws the plotext charts and chooses between the two.
"""

from __future__ import annotations

import math
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v) if math.isfinite(v) else None


def _t(lang: str, en: str, ko: str) -> str:
    return ko if lang == "ko" else en


# ----------------------------------------------------------------------------- Rich pictures


def heatmap(title: str, m: list[list[Any]], highlight_row: int | None = None, digits: int = 2) -> Table:
    """A matrix with each cell's background shaded by its value; the number is always shown."""
    from engine.core import fmt

    finite = [x for row in m for x in row if _num(x) is not None]
    lo, hi = (min(finite), max(finite)) if finite else (0.0, 1.0)
    tab = Table(title=title, title_justify="left", header_style="bold", box=None, padding=(0, 0))
    tab.add_column("")
    for j in range(len(m[0]) if m else 0):
        tab.add_column(str(j + 1), justify="right")
    for i, row in enumerate(m):
        cells = []
        for x in row:
            if _num(x) is None:
                cells.append(Text(" −∞ " if x == "-inf" else f" {x} ", style="dim"))
                continue
            a = 0.0 if hi == lo else (x - lo) / (hi - lo)
            g = int(40 + 160 * a)
            cells.append(Text(f" {fmt(x, digits)} ", style=f"bold {'black' if a > 0.55 else 'white'} on rgb({g // 3},{g},{g // 2})"))
        mark = "▶" if i == highlight_row else " "
        tab.add_row(Text(f"{mark}{i + 1}", style="bold" if i == highlight_row else ""), *cells)
    return tab


def _grid(title: str, m, box: tuple[int, int, int, int] | None, digits: int = 3) -> Table:
    """A matrix with the cells inside ``box`` = (row0, col0, rows, cols) highlighted."""
    from engine.core import fmt

    tab = Table(title=title, title_justify="left", show_header=False, box=None, padding=(0, 0))
    for _ in range(len(m[0]) if m else 0):
        tab.add_column(justify="right")
    for r, row in enumerate(m):
        cells = []
        for c, x in enumerate(row):
            inside = box is not None and box[0] <= r < box[0] + box[2] and box[1] <= c < box[1] + box[3]
            cells.append(Text(f" {fmt(x, digits) if _num(x) is not None else x} ",
                              style="bold black on yellow" if inside else "dim"))
        tab.add_row(*cells)
    return tab


def rich_picture(name: str, inputs: dict, out: dict, index: int, lang: str = "en") -> RenderableType | None:
    try:
        return _rich(name, inputs, out, index, lang)
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def _rich(name, inputs, out, index, lang):
    if name == "attention":
        return Group(heatmap(_t(lang, "weights (rows: queries, sum 1)", "가중치 (행: 쿼리, 합 1)"), out["weights"],
                             highlight_row=index),
                     heatmap(_t(lang, "scores", "점수"), out["scores"], highlight_row=index))
    if name == "multihead-attention":
        h = min(index, len(out["weights"]) - 1)
        return heatmap(_t(lang, f"head {h + 1}: weights", f"헤드 {h + 1}: 가중치"), out["weights"][h])
    if name == "positional-encoding":
        pe = out["pe"] if isinstance(out["pe"][0], list) else [out["pe"]]
        return heatmap(_t(lang, "PE: positions (rows) × dimensions (columns)", "PE: 위치(행) × 차원(열)"), pe, digits=1)
    if name == "conv2d":
        o = out["output"]
        if not (o and isinstance(o[0], list) and not isinstance(o[0][0], list)):
            return None
        cols = len(o[0])
        cells = len(o) * cols
        src = out["padded_input"]
        if src and isinstance(src[0][0], list):
            src = src[0]
        kern = inputs["kernel"]
        while isinstance(kern[0][0], list):
            kern = kern[0]
        sr, sc = out["stride"]
        if index < cells:
            r, c = divmod(index, cols)
            left = _grid(_t(lang, "input (padded), window", "입력(패딩), 창"), src, (r * sr, c * sc, len(kern), len(kern[0])))
            right = _grid(_t(lang, "output", "출력"), o, (r, c, 1, 1))
        else:
            left = _grid(_t(lang, "output", "출력"), o, None)
            right = _grid(_t(lang, "pooled", "풀링 결과"), out.get("pooled") or [[]], None)
        grid = Table.grid(padding=(0, 3))
        grid.add_row(left, right)
        return grid
    if name == "mlp":
        tab = Table(title=_t(lang, "edges: weight, gradient ∂E/∂w", "연결: 가중치, 기울기 ∂E/∂w"), title_justify="left",
                    header_style="bold", box=None)
        for col in (_t(lang, "edge", "연결"), "w", "∂E/∂w", _t(lang, "w (new)", "새 w")):
            tab.add_column(col, justify="right")
        from engine.core import fmt

        def val(key, j, i):
            v = out.get(key)
            return fmt(v[j][i], 4) if v else "—"
        for j, row in enumerate(out["w_hidden"]):
            for i, _ in enumerate(row):
                tab.add_row(f"x{i + 1} → h{j + 1}", val("w_hidden", j, i), val("grad_w_hidden", j, i),
                            val("w_hidden_new", j, i))
        for k, row in enumerate(out["w_out"]):
            for j, _ in enumerate(row):
                tab.add_row(f"h{j + 1} → o{k + 1}", val("w_out", k, j), val("grad_w_out", k, j), val("w_out_new", k, j))
        return tab
    if name == "batching":
        n_b = out["batches_per_epoch"]
        shown = min(n_b, 40)
        t = Text()
        for b in range(shown):
            last = b == n_b - 1 and out["last_batch"] != out["batch_size"]
            t.append("▆" if not last else "▂", style="orange1" if last else "cyan")
        if shown < n_b:
            t.append(f" … ×{n_b}")
        t.append(f"\n{_t(lang, 'batches per epoch', '에포크당 배치 수')}: {n_b}, "
                 f"{_t(lang, 'last batch', '마지막 배치')}: {out['last_batch']}, "
                 f"{_t(lang, 'iterations', '반복')}: {out['iterations']}")
        return t
    if name == "mlm-masking":
        t = Text()
        sel = set(out["positions"])
        cur = out["positions"][index] if out["positions"] else None
        for p, (tok, new) in enumerate(zip(out["tokens"], out["output"])):
            style = "dim" if p not in sel else ("bold black on yellow" if p == cur else "bold")
            t.append(tok if tok == new else f"{tok}→{new}", style=style)
            t.append(" ")
        return t
    if name == "wordpiece":
        t = Text()
        for k, piece in enumerate(out["tokens"]):
            t.append(f" {piece} ", style=f"black on {('cyan', 'yellow', 'green', 'magenta')[k % 4]}")
            t.append(" ")
        return t
    return None
