"""Schema checks of one parsed file: its header, its cards and questions, placeholders and engine names.

Every problem is collected (``path:line: key: message``) and checking goes on; a card or question
with a problem is skipped. The checks of each question kind's own keys are in :mod:`.schema_kinds`.
"""

from __future__ import annotations

import difflib
from typing import Any

from tutor.model import Card, Problem, Question

from .compute import _known
from .placeholder import parse_path, placeholders
from .schema_kinds import KindChecks, _computes
from .spec import (
    CARD_KEYS,
    ITEM_RE,
    KEY_RE,
    KIND_KEYS,
    KINDS,
    LANGS,
    MAX_NODES,
    NAME_RE,
    QUESTION_KEYS,
    TOP_KEYS,
    TOPIC_RE,
)
from .util import _bool_hint, _did_you_mean, _plain, _typename
from .yamlload import LineList, _field_line, _has_dups, _item_lines, _line


class _Checker(KindChecks):
    """Schema checks of one file; every problem is collected in ``self.problems``."""

    def __init__(self, path: str, problems: list[Problem], skipped_items: list[str], has_dups: bool = True):
        self.path = path
        self.has_dups = has_dups
        self.problems = problems
        self.skipped_items = skipped_items

    def p(self, line: int | None, key: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, key, message))

    # ------------------------------------------------------------------ leaves
    def text(self, parent: dict, key: str, kp: str, *, required: bool = True) -> dict | None:
        if key not in parent or parent[key] is None:
            if required:
                self.p(_line(parent, key), kp, "missing: give the text in both languages, {ko: ..., en: ...}")
            return None
        return self.text_value(parent[key], _line(parent, key), kp)

    def text_value(self, v: Any, line: int | None, kp: str) -> dict | None:
        if isinstance(v, str):
            self.p(line, kp, "needs both languages as {ko: ..., en: ...}, got a single text")
            return None
        if not isinstance(v, dict):
            self.p(line, kp, f"expected {{ko: ..., en: ...}}, got {_typename(v)}{_bool_hint(v)}")
            return None
        ok = True
        for lang in LANGS:
            s = v.get(lang)
            if s is None or (isinstance(s, str) and not s.strip()):
                self.p(_line(v, lang) if lang in v else line, f"{kp}.{lang}",
                       f"missing language {lang!r}: every learner-facing text needs both ko and en")
                ok = False
            elif not isinstance(s, str):
                self.p(_line(v, lang), f"{kp}.{lang}", f"expected text, got {_typename(s)}{_bool_hint(s)}")
                ok = False
        for k in v:
            if k not in LANGS:
                self.p(_line(v, k), f"{kp}.{k}", "unknown language; use ko and en")
                ok = False
        return {lang: v[lang] for lang in LANGS} if ok else None

    def text_list(self, parent: dict, key: str, kp: str, *, min_len: int = 0, required: bool = True) -> list | None:
        if key not in parent:
            if required:
                self.p(_line(parent, key), kp, "missing")
            return None
        v = parent[key]
        if not isinstance(v, list):
            self.p(_line(parent, key), kp, f"expected a list of {{ko: ..., en: ...}}, got {_typename(v)}")
            return None
        if len(v) < min_len:
            self.p(_line(parent, key), kp, f"needs at least {min_len} entries, got {len(v)}")
            return None
        out = [self.text_value(x, _line(v, i), f"{kp}[{i}]") for i, x in enumerate(v)]
        return out if all(x is not None for x in out) else None

    def unknown_keys(self, obj: dict, allowed: set[str], kp: str, what: str) -> None:
        for k in obj:
            if k not in allowed:
                near = difflib.get_close_matches(str(k), sorted(allowed), n=1)
                hint = f"; did you mean {near[0]!r}?" if near else f"; {what} keys are {', '.join(sorted(allowed))}"
                self.p(_line(obj, k), f"{kp}.{k}" if kp else str(k), f"unknown key{hint}")

    def string_list(self, parent: dict, key: str, kp: str) -> list[str] | None:
        v = parent[key]
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list):
            self.p(_line(parent, key), kp, f"expected a list, got {_typename(v)}")
            return None
        ok = True
        for i, x in enumerate(v):
            if not isinstance(x, str) or not x.strip():
                self.p(_line(v, i) if isinstance(parent[key], list) else _line(parent, key), f"{kp}[{i}]",
                       f"expected text, got {_typename(x)}{_bool_hint(x)}")
                ok = False
        return list(v) if ok else None

    # ------------------------------------------------------------------ header
    def header(self, data: dict, folder_topic: str | None) -> tuple[str | None, dict, bool]:
        fatal = False
        n0 = len(self.problems)
        tid = data.get("topic")
        if "topic" not in data:
            self.p(data.line, "topic", "missing: every content file starts with topic: <id>")
            tid = None
        elif not isinstance(tid, str) or not TOPIC_RE.match(tid):
            self.p(_line(data, "topic"), "topic",
                   f"{tid!r} is not a topic id (lower-case letters, digits and -)")
            tid = None
        elif folder_topic is not None and tid != folder_topic:
            self.p(_line(data, "topic"), "topic", f"{tid!r} differs from its folder {folder_topic!r}: every file "
                                                  "in a topic folder must say topic: <folder name>")
            tid = None
        self.unknown_keys(data, TOP_KEYS, "", "top-level")
        header: dict[str, tuple[Any, int | None]] = {}
        if "order" in data:
            o = data["order"]
            if isinstance(o, bool) or not isinstance(o, int):
                self.p(_line(data, "order"), "order", f"expected a whole number, got {_typename(o)}")
            else:
                header["order"] = (o, _line(data, "order"))
        for key in ("title", "summary"):
            if key in data:
                t = self.text(data, key, key)
                if t is not None:
                    header[key] = (t, _line(data, key))
        if "requires" in data:
            r = data["requires"]
            if r is None:
                r = LineList()
                r.line, r.lines = _line(data, "requires"), []
            if not isinstance(r, list):
                self.p(_line(data, "requires"), "requires", f"expected a list of topic ids, got {_typename(r)}")
            else:
                ok = True
                for i, x in enumerate(r):
                    if not isinstance(x, str) or not TOPIC_RE.match(x):
                        self.p(_line(r, i), f"requires[{i}]", f"{x!r} is not a topic id")
                        ok = False
                if ok:
                    header["requires"] = ([(x, _line(r, i)) for i, x in enumerate(r)], _line(data, "requires"))
        if "source" in data and data["source"] is not None:
            s = self.string_list(data, "source", "source")
            if s is not None:
                header["source"] = (s, _line(data, "source"))
        for key in ("cards", "questions"):
            if key in data and data[key] is not None and not isinstance(data[key], list):
                self.p(_line(data, key), key, f"expected a list, got {_typename(data[key])}")
        if self.has_dups and (data.dups or any(_has_dups(v, [MAX_NODES]) for k, v in data.items()
                                               if k not in ("cards", "questions"))):
            fatal = True
        if len(self.problems) > n0 or tid is None:
            fatal = True
        if "terms" in data:   # the terminology table: its problems are reported, the file still loads
            from .terms import check_terms

            check_terms(data, self.path, self.problems)
        return tid, header, fatal

    # ------------------------------------------------------------------ items
    def item_id(self, obj: dict, label: str, topic: str | None) -> str | None:
        if "id" not in obj:
            self.p(obj.line, f"{label}.id", "missing: every card and question needs a stable id")
            return None
        iid = obj["id"]
        if not isinstance(iid, str) or not ITEM_RE.match(iid):
            self.p(_line(obj, "id"), f"{label}.id",
                   f"{iid!r} is not an id: <topic>.<name>, lower-case letters, digits, - and _ (e.g. em.e-step)")
            return None
        if topic is not None and not iid.startswith(topic + "."):
            self.p(_line(obj, "id"), iid, f"id must start with the topic: {topic}.")
            return None
        return iid

    def compute(self, obj: dict, label: str) -> dict:
        if "compute" not in obj or obj["compute"] is None:
            return {}
        c = obj["compute"]
        kp = f"{label}.compute"
        if not isinstance(c, dict):
            self.p(_line(obj, "compute"), kp, f"expected a mapping name → {{engine:, inputs:}}, got {_typename(c)}")
            return {}
        algs = _known("algorithms")
        for name, spec in c.items():
            nkp = f"{kp}.{name}"
            line = _line(c, name)
            if not isinstance(name, str) or not NAME_RE.match(name):
                self.p(line, nkp, "a compute name is a plain word (letters, digits, _), used in {{name.key}}")
            if not isinstance(spec, dict):
                self.p(line, nkp, f"expected {{engine: <algorithm>, inputs: {{...}}}}, got {_typename(spec)}")
                continue
            self.unknown_keys(spec, {"engine", "inputs", "mistake"}, nkp, "compute")
            engine = spec.get("engine")
            if not isinstance(engine, str):
                self.p(_line(spec, "engine"), f"{nkp}.engine",
                       "missing: name an engine algorithm" if engine is None else f"expected text, got {_typename(engine)}")
            elif algs is not None and engine not in algs:
                self.p(_line(spec, "engine"), f"{nkp}.engine",
                       f"unknown engine algorithm {engine!r}{_did_you_mean(engine, list(algs))}")
            inputs = spec.get("inputs")
            if inputs is not None and not isinstance(inputs, dict):
                self.p(_line(spec, "inputs"), f"{nkp}.inputs", f"expected a mapping of inputs, got {_typename(inputs)}")
            elif inputs and algs is not None and isinstance(engine, str) and engine in algs \
                    and hasattr(algs[engine], "check"):
                # the algorithm's declared limits (sizes, counts), checked before anything runs
                for k, msg in algs[engine].check(_plain(inputs)):
                    self.p(_line(inputs, k) if k in inputs else _line(spec, "inputs"), f"{nkp}.inputs.{k}", msg)
            mistake = spec.get("mistake")
            if mistake is not None:
                if not isinstance(mistake, str):
                    self.p(_line(spec, "mistake"), f"{nkp}.mistake", f"expected a mistake id, got {_typename(mistake)}")
                elif algs is not None and isinstance(engine, str) and engine in algs:
                    ids = [m.id for m in algs[engine].mistakes]
                    if mistake not in ids:
                        self.p(_line(spec, "mistake"), f"{nkp}.mistake",
                               f"{engine} has no mistake {mistake!r}{_did_you_mean(mistake, ids)}")
        return _plain(c)

    def check_texts(self, label: str, texts: list[tuple[str, dict]], compute: dict, lines: dict, *,
                    blanks: bool = False) -> None:
        """Placeholder syntax and run names; ``{{n}}`` blanks only in a cloze prompt (``blanks``)."""
        for fld, t in texts:
            in_cloze = blanks and fld == "prompt"
            for lang in LANGS:
                line = _field_line(lines, f"{fld}.{lang}")
                kp = f"{label}.{fld}.{lang}"
                for kind, what, extra in placeholders(t[lang]):
                    if kind == "bad":
                        self.p(line, kp, f"malformed placeholder {{{{{what}}}}}: {extra}")
                    elif kind == "blank" and not in_cloze:
                        self.p(line, kp, f"blank {{{{{what}}}}} outside a cloze prompt")
                    elif kind == "ph":
                        run = parse_path(what)[0]
                        if run not in compute:
                            known = _computes(compute)
                            self.p(line, kp,
                                   f"placeholder {{{{{what}}}}}: no compute named {run!r}; this item computes {known}")

    def card(self, obj: Any, line: int | None, i: int, topic: str | None) -> Card | None:
        n0 = len(self.problems)
        if not isinstance(obj, dict):
            self.p(line, f"cards[{i}]", f"expected a mapping with id:, title:, body:, got {_typename(obj)}")
            return None
        cid = self.item_id(obj, f"cards[{i}]", topic)
        label = cid or f"cards[{i}]"
        self.unknown_keys(obj, CARD_KEYS, label, "card")
        title = self.text(obj, "title", f"{label}.title")
        body = self.text(obj, "body", f"{label}.body")
        note = self.text(obj, "note", f"{label}.note", required=False)
        compute = self.compute(obj, label)
        show = self.show(obj, label, compute)
        lines = _item_lines(obj)
        texts = [(k, t) for k, t in (("title", title), ("body", body), ("note", note)) if t is not None]
        texts += [(f"show[{j}].title", s["title"]) for j, s in enumerate(show or []) if s.get("title")]
        self.check_texts(label, texts, compute, lines)
        if self.has_dups and _has_dups(obj, [MAX_NODES]):
            self.p(obj.line, label, "has a duplicate key (see above)")
        if len(self.problems) > n0 or cid is None:
            self.skipped_items.append(cid or f"{self.path}:{line}")
            return None
        return Card(id=cid, topic=topic or "", title=title, body=body, compute=compute, show=show or [],
                    note=note, line=obj.line, path=self.path, lines=lines)

    def show(self, obj: dict, label: str, compute: dict) -> list | None:
        if "show" not in obj or obj["show"] is None:
            return []
        v = obj["show"]
        kp = f"{label}.show"
        if not isinstance(v, list):
            self.p(_line(obj, "show"), kp, f"expected a list of {{run:, keys:, title:}}, got {_typename(v)}")
            return None
        out = []
        for j, s in enumerate(v):
            skp = f"{kp}[{j}]"
            line = _line(v, j)
            if not isinstance(s, dict):
                self.p(line, skp, f"expected {{run: <compute name>, keys: [...]}}, got {_typename(s)}")
                continue
            self.unknown_keys(s, {"run", "keys", "title"}, skp, "show")
            run = s.get("run")
            if run not in compute:
                known = _computes(compute)
                self.p(_line(s, "run"), f"{skp}.run", f"{run!r} is not a compute of this card; it computes {known}")
            keys = s.get("keys")
            if keys is not None:
                if not isinstance(keys, list) or not keys:
                    self.p(_line(s, "keys"), f"{skp}.keys", "expected a non-empty list of output names")
                else:
                    for k, key in enumerate(keys):
                        if not isinstance(key, str) or not KEY_RE.match(key):
                            self.p(_line(keys, k), f"{skp}.keys[{k}]", f"{key!r} is not an output name of the run")
            title = self.text(s, "title", f"{skp}.title", required=False) if "title" in s else None
            out.append({"run": run, "keys": list(keys) if isinstance(keys, list) else None, "title": title})
        return out

    def question(self, obj: Any, line: int | None, i: int, topic: str | None) -> Question | None:
        n0 = len(self.problems)
        if not isinstance(obj, dict):
            self.p(line, f"questions[{i}]", f"expected a mapping with id:, kind:, prompt:, got {_typename(obj)}")
            return None
        qid = self.item_id(obj, f"questions[{i}]", topic)
        label = qid or f"questions[{i}]"
        kind = obj.get("kind")
        if kind not in KIND_KEYS:
            msg = "missing: choose one of " if kind is None else f"unknown question kind {kind!r}; use one of "
            self.p(_line(obj, "kind"), f"{label}.kind", msg + ", ".join(KINDS))
            self.skipped_items.append(qid or f"{self.path}:{line}")
            return None
        required, optional = KIND_KEYS[kind]
        self.unknown_keys(obj, QUESTION_KEYS | required | optional, label, f"{kind} question")
        for k in sorted(required):
            if k not in obj:
                self.p(obj.line, f"{label}.{k}", f"missing: a {kind} question needs {k}:")
        exercise = kind == "exercise"
        prompt = self.text(obj, "prompt", f"{label}.prompt", required=not exercise)
        explain = self.text(obj, "explain", f"{label}.explain", required=not exercise)
        hints = self.text_list(obj, "hints", f"{label}.hints", required=False) if obj.get("hints") is not None else []
        compute = self.compute(obj, label)
        lines = _item_lines(obj)
        texts = [(k, t) for k, t in (("prompt", prompt), ("explain", explain)) if t]
        texts += [(f"hints[{j}]", h) for j, h in enumerate(hints or []) if h]
        self.extra_data: dict = {}   # what a kind check derives for ``data`` (choices' why)
        getattr(self, "_" + kind)(obj, label, prompt, compute, texts)
        self.check_texts(label, texts, compute, lines, blanks=kind == "cloze")
        if self.has_dups and _has_dups(obj, [MAX_NODES]):
            self.p(obj.line, label, "has a duplicate key (see above)")
        if len(self.problems) > n0 or qid is None:
            self.skipped_items.append(qid or f"{self.path}:{line}")
            return None
        data = {k: _plain(obj[k]) for k in sorted(required | optional) if k in obj}
        data.update(self.extra_data)
        return Question(id=qid, topic=topic or "", kind=kind, prompt=prompt, data=data, explain=explain,
                        hints=hints or [], compute=compute, line=obj.line, path=self.path, lines=lines)
