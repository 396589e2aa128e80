"""Schema checks of each question kind's own keys (choices, answers, blanks, tolerance, generator ...).

:class:`KindChecks` is a part of :class:`.schema._Checker`: ``_Checker.question`` calls
``self._<kind>(obj, label, prompt, compute, texts)``, and these methods report through the
checker's ``p``, ``text_list`` and ``unknown_keys``.
"""

from __future__ import annotations

import math
from typing import Any

from .compute import _known
from .placeholder import parse_path, placeholders
from .spec import LANGS, TOLERANCE_KEYS
from .util import _bool_hint, _did_you_mean, _is_number, _plain, _typename
from .yamlload import LineDict, LineList, _line


def _computes(compute: dict) -> str:
    """The compute names of an item, for messages."""
    return ", ".join(compute) or "nothing (add a compute: block)"


def _norm(text: str) -> str:
    """Text as compared for repeats: spaces collapsed, case folded."""
    return " ".join(text.split()).casefold()


class KindChecks:
    """The per-kind checks of :class:`.schema._Checker` (a mixin: it has no state of its own)."""

    def _whys(self, obj, label, texts):
        """Take each option's ``why: {ko, en}`` out of ``choices`` (the option's text stays ko/en):
        checked here, kept as ``data["why"]`` (one entry per option, None where there is none).
        Returns the question with the whys taken out — a copy: the parsed file is cached and
        read again by the next load, so it is never changed."""
        ch = obj.get("choices")
        if not isinstance(ch, list):
            return obj
        ch = _copy_like(ch, LineList(ch))
        obj = _copy_like(obj, LineDict(obj))
        obj["choices"] = ch
        whys: list = [None] * len(ch)
        a = obj.get("answer")
        right = {x for x in (a if isinstance(a, list) else [a]) if isinstance(x, int) and not isinstance(x, bool)}
        for j, c in enumerate(ch):
            if not isinstance(c, dict) or "why" not in c:
                continue
            kp = f"{label}.choices[{j}].why"
            line = _line(c, "why")
            w = self.text_value(c["why"], line, kp)
            if j in right:
                self.p(line, kp, "the right option needs no why: the question's explain: says why it is right")
            elif w is not None:
                whys[j] = w
                texts.append((f"choices[{j}].why", w))
            stripped = LineDict((k, v) for k, v in c.items() if k != "why")
            stripped.line, stripped.lines = c.line, c.lines
            stripped.dups = getattr(c, "dups", None)
            ch[j] = stripped
        if any(w is not None for w in whys):
            self.extra_data["why"] = whys
            self.extra_data["choices"] = _plain(ch)    # the options' own texts, without their whys
        return obj

    def _choices(self, obj, label, texts) -> list | None:
        if "shuffle" in obj and not isinstance(obj["shuffle"], bool):
            self.p(_line(obj, "shuffle"), f"{label}.shuffle",
                   f"expected true or false (false keeps the choices in the written order), got {_typename(obj['shuffle'])}")
        obj = self._whys(obj, label, texts)
        ch = self.text_list(obj, "choices", f"{label}.choices", min_len=2) if "choices" in obj else None
        if ch:
            texts += [(f"choices[{j}]", c) for j, c in enumerate(ch)]
            for lang in LANGS:
                seen: dict[str, int] = {}
                for j, c in enumerate(ch):
                    s = _norm(c[lang])
                    if s in seen:
                        self.p(_line(obj["choices"], j), f"{label}.choices[{j}].{lang}",
                               f"the same text as choice {seen[s]} (choices count from 0)")
                    seen.setdefault(s, j)
        return ch

    def _index(self, v: Any, n: int, line: int | None, kp: str) -> bool:
        if isinstance(v, bool) or not isinstance(v, int):
            self.p(line, kp, f"expected a choice number (0 is the first choice), got {_typename(v)}")
            return False
        if not 0 <= v < n:
            self.p(line, kp, f"answer {v} is out of range: there are {n} choices, numbered 0–{n - 1}")
            return False
        return True

    def _choice(self, obj, label, prompt, compute, texts) -> None:
        ch = self._choices(obj, label, texts)
        if ch and "answer" in obj:
            self._index(obj["answer"], len(ch), _line(obj, "answer"), f"{label}.answer")

    def _multi(self, obj, label, prompt, compute, texts) -> None:
        ch = self._choices(obj, label, texts)
        if "answer" not in obj:
            return
        a = obj["answer"]
        line = _line(obj, "answer")
        if not isinstance(a, list) or not a:
            self.p(line, f"{label}.answer", f"expected a non-empty list of choice numbers, got {_typename(a)}")
            return
        if ch:
            for k, x in enumerate(a):
                self._index(x, len(ch), _line(a, k), f"{label}.answer[{k}]")
        dup = sorted({x for x in a if isinstance(x, int) and a.count(x) > 1})
        if dup:
            self.p(line, f"{label}.answer", f"answers are not unique: {', '.join(map(str, dup))} "
                                            f"appear{'s' if len(dup) == 1 else ''} more than once")

    def _order(self, obj, label, prompt, compute, texts) -> None:
        items = self.text_list(obj, "items", f"{label}.items", min_len=2) if "items" in obj else None
        if items:
            texts += [(f"items[{j}]", c) for j, c in enumerate(items)]
            for lang in LANGS:
                norm = [_norm(c[lang]) for c in items]
                for j, s in enumerate(norm):
                    if s in norm[:j]:
                        self.p(_line(obj["items"], j), f"{label}.items[{j}].{lang}",
                               f"the same text as item {norm.index(s)}: the order would be ambiguous")

    def _accepted(self, v: Any, line: int | None, kp: str) -> None:
        if not isinstance(v, list) or not v:
            self.p(line, kp, f"expected a non-empty list of accepted answers, got {_typename(v)}{_bool_hint(v)}")
            return
        for k, x in enumerate(v):
            if not isinstance(x, str) or not x.strip():
                why = " (quote numbers, e.g. \"4\")" if _is_number(x) else _bool_hint(x)
                self.p(_line(v, k), f"{kp}[{k}]", f"expected text, got {_typename(x)}{why}")

    def _text(self, obj, label, prompt, compute, texts) -> None:
        if "answers" in obj:
            self._accepted(obj["answers"], _line(obj, "answers"), f"{label}.answers")

    def _cloze(self, obj, label, prompt, compute, texts) -> None:
        if "blanks" not in obj:
            return
        b = obj["blanks"]
        line = _line(obj, "blanks")
        if not isinstance(b, list) or not b:
            self.p(line, f"{label}.blanks", f"expected a list with one list of accepted answers per blank, "
                                            f"got {_typename(b)}")
            return
        for k, x in enumerate(b):
            self._accepted(x, _line(b, k), f"{label}.blanks[{k}]")
        if prompt is None:
            return
        for lang in LANGS:
            nums = [int(w) for kind, w, _ in placeholders(prompt[lang]) if kind == "blank"]
            pl = _line(obj["prompt"], lang) if isinstance(obj["prompt"], LineDict) else _line(obj, "prompt")
            if len(set(nums)) != len(b) or sorted(set(nums)) != list(range(1, len(b) + 1)):
                self.p(pl, f"{label}.prompt.{lang}",
                       f"{len(set(nums))} blank marker(s) {{{{n}}}} but {len(b)} blanks; number them {{{{1}}}} to "
                       f"{{{{{len(b)}}}}}" if nums else f"no blank markers {{{{1}}}}, but {len(b)} blanks")
            elif len(nums) != len(set(nums)):
                self.p(pl, f"{label}.prompt.{lang}", "a blank marker appears twice")

    def _answer_ref(self, obj, label, compute, *, matrix: bool) -> None:
        if "answer" not in obj:
            return
        a = obj["answer"]
        line = _line(obj, "answer")
        kp = f"{label}.answer"
        if not isinstance(a, dict):
            self.p(line, kp, f"expected {{run: <compute name>, key: <output>}} or {{value: <number>}}, "
                             f"got {_typename(a)}")
            return
        self.unknown_keys(a, {"run", "key", "value"}, kp, "answer")
        if "value" in a:
            if "run" in a or "key" in a:
                self.p(line, kp, "give either run: and key: (computed) or value: (typed), not both")
            v = a["value"]
            if matrix:
                self._matrix_literal(v, line, f"{kp}.value", obj)
            elif not _is_number(v) or not math.isfinite(v):
                self.p(line, f"{kp}.value", f"expected a finite number, got {_typename(v)}")
            return
        run, key = a.get("run"), a.get("key")
        if run not in compute:
            known = _computes(compute)
            self.p(_line(a, "run") if "run" in a else line, f"{kp}.run",
                   f"missing: name a compute of this question ({known})" if run is None else
                   f"{run!r} is not a compute of this question; it computes {known}")
        if not isinstance(key, str):
            self.p(_line(a, "key") if "key" in a else line, f"{kp}.key",
                   "missing: the output to compare with, e.g. theta_a or iterations[0].resp_a[1]" if key is None
                   else f"expected an output path, got {_typename(key)}")
        else:
            try:
                parse_path(key)
            except ValueError as e:
                self.p(_line(a, "key"), f"{kp}.key", str(e))

    def _matrix_literal(self, v, line, kp, obj) -> None:
        import numpy as np

        if not isinstance(v, list) or not v:
            self.p(line, kp, f"expected a list (vector) or a list of rows (matrix), got {_typename(v)}")
            return
        try:
            arr = np.asarray(v, dtype=float)
        except (TypeError, ValueError):
            self.p(line, kp, "expected numbers in equal-length rows")
            return
        if arr.ndim not in (1, 2) or not np.all(np.isfinite(arr)):
            self.p(line, kp, "expected a vector or a matrix of finite numbers")
            return
        self._labels(obj, (1, arr.shape[0]) if arr.ndim == 1 else arr.shape, kp.rsplit(".answer", 1)[0])

    def _labels(self, obj, shape, label) -> list:
        msgs = []
        for key, n in (("rows", shape[0]), ("cols", shape[1])):
            if key in obj and obj[key] is not None:
                labels = obj[key]
                if not isinstance(labels, list) or not all(isinstance(x, (str, int)) for x in labels):
                    msgs.append((key, "expected a list of labels"))
                elif len(labels) != n:
                    msgs.append((key, f"{len(labels)} labels for {n} {key}"))
        for key, msg in msgs:
            self.p(_line(obj, key), f"{label}.{key}", msg)
        return msgs

    def _tolerance(self, obj, label) -> None:
        if "tolerance" not in obj or obj["tolerance"] is None:
            return
        t = obj["tolerance"]
        line = _line(obj, "tolerance")
        kp = f"{label}.tolerance"
        if not isinstance(t, dict):
            self.p(line, kp, f"expected {{rtol: 0.01}}, {{atol: 0.005}}, {{sig: 3}} or {{decimals: 2}}, got {_typename(t)}")
            return
        for k, v in t.items():
            kl = _line(t, k)
            if k not in TOLERANCE_KEYS:
                self.p(kl, f"{kp}.{k}", f"unknown tolerance {k!r}; use rtol, atol, sig or decimals")
            elif k in ("rtol", "atol"):
                if not _is_number(v) or not math.isfinite(v):
                    self.p(kl, f"{kp}.{k}", f"expected a number, got {_typename(v)}")
                elif v < 0:
                    self.p(kl, f"{kp}.{k}", f"must be ≥ 0, got {v}")
            else:
                lo = 1 if k == "sig" else 0
                if isinstance(v, bool) or not isinstance(v, int):
                    self.p(kl, f"{kp}.{k}", f"expected a whole number, got {_typename(v)}")
                elif v < lo:
                    self.p(kl, f"{kp}.{k}", f"must be ≥ {lo}, got {v}")
        given = [k for k in TOLERANCE_KEYS if k in t]
        if ("sig" in given or "decimals" in given) and len(given) > 1:
            self.p(line, kp, f"give one of sig or decimals alone (or rtol/atol), not {' + '.join(given)}")

    def _numeric(self, obj, label, prompt, compute, texts) -> None:
        self._answer_ref(obj, label, compute, matrix=False)
        self._tolerance(obj, label)
        self._mistakes(obj, label, compute, texts)

    def _mistakes(self, obj, label, compute, texts) -> None:
        """``mistakes: [{value: <number> | run: + key:, why: {ko, en}}]``: what a misconception
        gives and why (its value is resolved with the engine by the deep check)."""
        if "mistakes" not in obj:
            return
        ms = obj["mistakes"]
        kp = f"{label}.mistakes"
        if not isinstance(ms, list) or not ms:
            self.p(_line(obj, "mistakes"), kp, f"expected a non-empty list of {{value: or run: + key:, why: {{ko, en}}}}, "
                                               f"got {_typename(ms)}")
            return
        for j, m in enumerate(ms):
            mkp = f"{kp}[{j}]"
            line = _line(ms, j)
            if not isinstance(m, dict):
                self.p(line, mkp, f"expected {{value: <number>, why: {{ko, en}}}} or {{run:, key:, why:}}, got {_typename(m)}")
                continue
            self.unknown_keys(m, {"value", "run", "key", "why"}, mkp, "mistake")
            w = self.text(m, "why", f"{mkp}.why")
            if w is not None:
                texts.append((f"mistakes[{j}].why", w))
            if "value" in m:
                if "run" in m or "key" in m:
                    self.p(line, mkp, "give either run: and key: (computed) or value: (typed), not both")
                v = m["value"]
                if not _is_number(v) or not math.isfinite(v):
                    self.p(_line(m, "value"), f"{mkp}.value", f"expected a finite number, got {_typename(v)}")
                continue
            run, key = m.get("run"), m.get("key")
            if run is None and key is None:
                self.p(line, mkp, "missing: the value the mistake gives, value: <number> or run: + key:")
                continue
            if run not in compute:
                known = _computes(compute)
                self.p(_line(m, "run") if "run" in m else line, f"{mkp}.run",
                       f"missing: name a compute of this question ({known})" if run is None else
                       f"{run!r} is not a compute of this question; it computes {known}")
            if not isinstance(key, str):
                self.p(_line(m, "key") if "key" in m else line, f"{mkp}.key",
                       "missing: the output the mistake gives, e.g. theta_b" if key is None
                       else f"expected an output path, got {_typename(key)}")
            else:
                try:
                    parse_path(key)
                except ValueError as e:
                    self.p(_line(m, "key"), f"{mkp}.key", str(e))

    def _matrix(self, obj, label, prompt, compute, texts) -> None:
        self._answer_ref(obj, label, compute, matrix=True)
        self._tolerance(obj, label)

    def _exercise(self, obj, label, prompt, compute, texts) -> None:
        name = obj.get("generator")
        gens = _known("generators")
        if "generator" in obj:
            if not isinstance(name, str):
                self.p(_line(obj, "generator"), f"{label}.generator", f"expected a generator name, got {_typename(name)}")
                return
            if gens is not None and name not in gens:
                self.p(_line(obj, "generator"), f"{label}.generator",
                       f"unknown generator {name!r}{_did_you_mean(name, list(gens))}")
                return
        params = obj.get("params")
        if params is None:
            return
        if not isinstance(params, dict):
            self.p(_line(obj, "params"), f"{label}.params", f"expected a mapping of parameters, got {_typename(params)}")
            return
        gen = gens.get(name) if gens else None
        defaults = dict(getattr(gen, "defaults", {}) or {})
        if defaults:
            for k in params:
                if k not in defaults:
                    self.p(_line(params, k), f"{label}.params.{k}",
                           f"{name} has no parameter {k!r}{_did_you_mean(k, list(defaults))}")
        if gen is not None and hasattr(gen, "check"):
            # the declared limits (engine.core.Limit), checked without drawing anything: a bad
            # exercise is a listed problem at load, never a crash when it is asked
            for k, msg in gen.check({**defaults, **_plain(params)}):
                self.p(_line(params, k) if k in params else _line(obj, "params"), f"{label}.params.{k}", msg)


def _copy_like(src, dst):
    """``dst`` (a new LineDict/LineList with ``src``'s items) with ``src``'s line marks."""
    for attr in ("line", "lines", "dups"):
        if hasattr(src, attr):
            setattr(dst, attr, getattr(src, attr))
    return dst
