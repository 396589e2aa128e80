"""LaTeX in lessons → readable Unicode for a terminal.

:func:`latex_to_unicode` turns the LaTeX the lessons use into plain Unicode text:
``\\frac{24}{24+6}`` → ``24/(24+6)``, ``\\sqrt{d_k}`` → ``√dₖ``, ``c_{t-1}`` → ``cₜ₋₁``,
``\\hat{\\theta}_A`` → ``θ̂_A``, ``\\sum_{i=1}^n`` → ``Σᵢ₌₁ⁿ``, ``K^T`` → ``Kᵀ``.

Choices made for readability:

* sub/superscripts become Unicode sub/superscript characters when every character has one
  (``h_{t-1}`` → ``hₜ₋₁``, ``x^{(i)}`` → ``x⁽ⁱ⁾``); a single character without one stays as
  ``θ_A``; a word without one stays a word (``d_{model}`` → ``d_model``, ``W^{new}`` → ``W^new``);
  anything else gets parentheses (``y_{o,c}`` → ``y_(o,c)``, ``e^{-x_i}`` → ``e^(−xᵢ)``).
  Words of three or more letters are never shrunk (``seq_{len}`` → ``seq_len``, not ``seqₗₑₙ``);
* a fraction adds parentheses only where the linear form would be ambiguous: the numerator
  when it is a sum or relation, the denominator unless it is a single factor;
* relations (``=`` written as ``\\le``, ``\\in``, ``\\to`` …) get one space on each side;
  ``\\cdot``/``\\times`` keep the spacing the author wrote;
* minus signs become ``−``; ``\\left``/``\\right``/``\\big`` sizes are dropped;
  ``\\text{…}`` is kept as written (Korean included);
* matrices become ``[a, b; c, d]`` (with their own brackets), ``cases`` ``{ a, if …; b, … }``,
  and ``aligned`` rows one per line.

Malformed LaTeX (unbalanced braces, a ``\\frac`` without arguments …) is returned unchanged:
this never raises.

The tables of names live in :mod:`tutor.latex_symbols`; the Markdown side (``$…$`` in a
lesson) in :mod:`tutor.mathtext`.
"""

from __future__ import annotations

import re
import unicodedata

from tutor.latex_symbols import (
    _NOT_WORDS,
    _TOKEN_RE,
    ACCENTS,
    BB,
    BINOPS,
    CAL,
    CELL,
    DROP_ARG,
    ESCAPED,
    FONTS,
    FUNCTIONS,
    GREEK,
    IGNORED,
    LETTERLIKE,
    MATRIX_ENVS,
    RELATIONS,
    ROW,
    SCRIPT_CHARS,
    SPACES,
    SUB,
    SUP,
    TEXTS,
    VULGAR,
)

__all__ = ["latex_to_unicode"]


class _Bad(Exception):
    """Malformed input: the caller returns the text unchanged."""


# --------------------------------------------------------------------------- helpers


def _is_word(s: str) -> bool:
    return bool(s) and all(c.isalnum() and c not in SCRIPT_CHARS for c in s)


def _script(arg: str, sup: bool, tight_after: bool) -> str:
    arg = arg.strip()
    if not arg:
        return ""
    table = SUP if sup else SUB
    mark = "^" if sup else "_"
    long_word = len(arg) >= 3 and arg.isalpha()
    if not long_word and all(c in table for c in arg):
        return "".join(table[c] for c in arg)
    if len(arg) == 1:
        return mark + arg + (" " if tight_after else "")     # Σⱼ₌₁^q θⱼ, not Σⱼ₌₁^qθⱼ
    if _is_word(arg) and not tight_after:
        return mark + arg
    if _wrapped(arg):
        return mark + arg
    return f"{mark}({arg})"


def _wrapped(s: str) -> bool:
    """``(…)`` or ``[…]`` around the whole string."""
    pairs = {"(": ")", "[": "]"}
    if len(s) < 2 or s[0] not in pairs or s[-1] != pairs[s[0]]:
        return False
    depth = 0
    for i, c in enumerate(s):
        if c in "([{⟨":
            depth += 1
        elif c in ")]}⟩":
            depth -= 1
            if depth == 0 and i != len(s) - 1:
                return False
    return depth == 0


_OPEN, _CLOSE = "([{⟨", ")]}⟩"


def _match_bracket(s: str, i: int) -> int:
    """Index after the bracket group opening at ``s[i]`` (or -1)."""
    depth = 0
    for j in range(i, len(s)):
        if s[j] in _OPEN:
            depth += 1
        elif s[j] in _CLOSE:
            depth -= 1
            if depth == 0:
                return j + 1
    return -1


def _is_factor(s: str) -> bool:
    """One factor: ``2``, ``0.5``, ``dₖ``, ``√n``, ``∂W``, ``(a + b)²``, ``d_model``, ``x̄``."""
    s = s.strip()
    if not s:
        return True
    i = 0
    while i < len(s) and s[i] in "√∂∇":
        i += 1
    if i >= len(s):
        return i > 0
    m = re.compile(r"\d+(?:\.\d+)?").match(s, i)
    called = False                         # letters may be applied once: Q(i), σ(x)
    if m:
        i = m.end()
    elif s[i].isalpha() and s[i] not in SCRIPT_CHARS:
        while i < len(s) and s[i].isalpha() and s[i] not in SCRIPT_CHARS:
            i += 1
        called = True
    elif s[i] in _OPEN or s[i] in "|‖":
        if s[i] in "|‖":
            j = s.find(s[i], i + 1)
            i = j + 1 if j > 0 else -1
        else:
            i = _match_bracket(s, i)
        if i < 0:
            return False
    else:
        return False
    while i < len(s):                      # suffixes: scripts, accents, primes, _x, ^(...)
        c = s[i]
        if c in SCRIPT_CHARS or unicodedata.combining(c) or c in "′'":
            i += 1
        elif c == "(" and called:
            i = _match_bracket(s, i)
            called = False
            if i < 0:
                return False
        elif c in "_^" and i + 1 < len(s):
            if s[i + 1] == "(":
                j = _match_bracket(s, i + 1)
                if j < 0:
                    return False
                i = j
            else:
                i += 1
                while i < len(s) and (s[i].isalnum() and s[i] not in SCRIPT_CHARS):
                    i += 1
        else:
            return False
    return True


def _top_level_has(s: str, chars: str) -> bool:
    depth = 0
    for k, c in enumerate(s):
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth -= 1
        elif depth == 0 and c in chars and not (k == 0 and c in "−-+"):
            return True
    return False


def _frac(num: str, den: str) -> str:
    num, den = num.strip(), den.strip()
    if (num, den) in VULGAR:
        return VULGAR[(num, den)]
    if _top_level_has(num, " +−-=<>≤≥≠≈±∓,/;→"):
        num = f"({num})"
    if not _is_factor(den) or _is_product(den):
        den = f"({den})"
    return f"{num}/{den}"


_FUNCS = ("sin", "cos", "tan", "tanh", "log", "ln", "exp", "sqrt", "σ", "softmax", "max", "min", "P", "p", "Q")


def _is_product(den: str) -> bool:
    """``p(1 − p)`` is a product, not a call: in a denominator it needs parentheses."""
    m = re.match(r"^([^\W\d_]+)\(", den)
    if not m or not den.endswith(")"):
        return False
    name = m.group(1)
    inner = den[len(name) + 1:-1]
    # a known function of one argument is a factor: σ(x), log(n); anything else with an
    # operator inside, or a single-letter name before a sum, is a product
    return name not in _FUNCS[:-3] and (len(name) == 1 and _top_level_has(inner, " +−-"))


# --------------------------------------------------------------------------- the parser


class _Parser:
    def __init__(self, s: str):
        self.toks: list[tuple[str, str]] = []
        for m in _TOKEN_RE.finditer(s):
            if m.group(1) is not None:
                self.toks.append(("cmd", m.group(1)))
            elif m.group(2) is not None:
                self.toks.append(("sym", m.group(2)))
            elif m.group(3) is not None:
                self.toks.append(("sp", " "))
            else:
                self.toks.append(("ch", m.group(4)))
        self.i = 0

    # -- token access
    def peek(self, skip_space: bool = False) -> tuple[str, str] | None:
        j = self.i
        while skip_space and j < len(self.toks) and self.toks[j][0] == "sp":
            j += 1
        return self.toks[j] if j < len(self.toks) else None

    def next(self) -> tuple[str, str]:
        if self.i >= len(self.toks):
            raise _Bad("unexpected end")
        t = self.toks[self.i]
        self.i += 1
        return t

    def skip_spaces(self) -> None:
        while self.i < len(self.toks) and self.toks[self.i][0] == "sp":
            self.i += 1

    def _next_is_alnum(self, skip_space: bool = False) -> bool:
        """The next token starts a letter, digit or symbol that would run into a script."""
        t = self.peek(skip_space)
        if t is None:
            return False
        if t[0] == "ch":
            return t[1].isalnum()
        return t[0] == "cmd" and t[1] not in RELATIONS and t[1] not in BINOPS and t[1] not in IGNORED and \
            t[1] not in _NOT_WORDS

    # -- structure
    def parse(self, stop: str | None = None, env: str | None = None) -> str:
        """Convert tokens until ``stop`` (a closing ``}`` or ``]``) or ``\\end{env}``."""
        out: list[str] = []
        while True:
            if self.i >= len(self.toks):
                if stop is not None or env is not None:
                    raise _Bad("unclosed group")
                return "".join(out)
            kind, v = self.next()
            if kind == "ch":
                if stop is not None and v == stop:
                    return "".join(out)
                if v == "{":
                    out.append(self.parse("}"))
                elif v == "}":
                    raise _Bad("unbalanced }")
                elif v in "^_":
                    arg = self.arg()
                    out.append(_script(arg, v == "^", self._next_is_alnum()))
                elif v == "&":
                    out.append(CELL)
                elif v == "-":
                    out.append("−")
                elif v == "~":
                    out.append(" ")
                else:
                    out.append(v)
            elif kind == "sp":
                if not out or not out[-1].endswith(" "):
                    out.append(" ")
            elif kind == "sym":
                if v == "\\":
                    self.opt()                      # \\[2pt]
                    out.append(ROW)
                elif v in SPACES:
                    out.append(SPACES[v])
                else:
                    out.append(ESCAPED.get(v, v))
            else:
                if v == "end":
                    name = self.raw_group()
                    if env is None or name != env:
                        raise _Bad(f"\\end{{{name}}} without its \\begin")
                    return "".join(out)
                self.command(v, out)

    def arg(self) -> str:
        """One argument: a {group}, a command, or one character."""
        self.skip_spaces()
        kind, v = self.next()
        if kind == "ch":
            if v == "{":
                return self.parse("}")
            if v in "}^_&":
                raise _Bad("missing argument")
            return "−" if v == "-" else v
        if kind == "sym":
            return ESCAPED.get(v, SPACES.get(v, v))
        out: list[str] = []
        self.command(v, out, as_arg=True)
        return "".join(out)

    def opt(self) -> str | None:
        t = self.peek(skip_space=True)
        if t == ("ch", "["):
            self.skip_spaces()
            self.next()
            return self.parse("]")
        return None

    def raw_group(self) -> str:
        """The literal text of a {group} (for \\text, \\begin names)."""
        self.skip_spaces()
        kind, v = self.next()
        if (kind, v) != ("ch", "{"):
            if kind == "ch" and v not in "}":
                return v
            raise _Bad("expected {")
        depth, out = 1, []
        while True:
            kind, v = self.next()
            if kind == "ch" and v == "{":
                depth += 1
            elif kind == "ch" and v == "}":
                depth -= 1
                if depth == 0:
                    return "".join(out)
            if kind == "cmd":
                out.append(GREEK.get(v, LETTERLIKE.get(v, v)))
            elif kind == "sym":
                out.append(ESCAPED.get(v, SPACES.get(v, v)) if v != "\\" else " ")
            elif not (kind == "ch" and v in "{}"):
                out.append(v)

    # -- commands
    def command(self, name: str, out: list[str], as_arg: bool = False) -> None:
        if name in GREEK or name in ("partial", "nabla"):
            out.append(GREEK.get(name) or LETTERLIKE[name])
            t = self.peek()
            if t and t[0] == "sp" and not as_arg:     # x_\theta J keeps its space
                n = self.peek(skip_space=True)
                if n and ((n[0] == "ch" and (n[1].isalnum() or n[1] == "(")) or (
                        n[0] == "cmd" and n[1] not in RELATIONS and n[1] not in BINOPS and n[1] not in IGNORED)):
                    self.skip_spaces()           # \partial L → ∂L, \alpha x → αx, \partial \text{Loss} → ∂Loss
            return
        if name in RELATIONS:
            if out and not out[-1].endswith((" ", "(", "[", "{", "\n")):
                out.append(" ")
            out.append(RELATIONS[name])
            self.skip_spaces()
            if self.peek() is not None and self.peek() != ("ch", "}"):
                out.append(" ")
            return
        if name in BINOPS:
            spaced = bool(out) and out[-1].endswith(" ")
            out.append(BINOPS[name] if name != "bmod" else ("mod" if spaced else " mod"))
            self.skip_spaces()
            if spaced or name == "bmod":
                out.append(" ")
            return
        if name in LETTERLIKE:
            out.append(LETTERLIKE[name])
            return
        if name in FUNCTIONS:
            out.append(name)
            self._function_space(out)
            return
        if name == "operatorname":
            if self.peek() == ("ch", "*"):
                self.next()
            out.append(self.raw_group())
            self._function_space(out)
            return
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            num = self.arg()
            den = self.arg()
            frac = _frac(num, den)
            nxt = self.peek()
            # 1/n followed by Σ or a letter multiplies the whole fraction: (1/n)Σ, not 1/nΣ
            if "/" in frac and nxt is not None and (
                    (nxt[0] == "ch" and (nxt[1].isalnum() or nxt[1] in "(√Σ")) or
                    (nxt[0] == "cmd" and nxt[1] in ("sum", "prod", "int", "sqrt", "log", "ln", "exp", "frac",
                                                    "left", "sigma", "theta", "mathbf", "hat", "bar"))):
                frac = f"({frac})"
            out.append(frac)
            return
        if name in ("binom", "dbinom", "tbinom", "choose"):
            n, k = self.arg(), self.arg()
            out.append(f"C({n.strip()}, {k.strip()})")
            return
        if name == "sqrt":
            index = self.opt()
            body = self.arg().strip()
            root = "√" + body if _is_factor(body) else f"√({body})"
            if index:
                index = index.strip()
                root = ("".join(SUP[c] for c in index) if all(c in SUP for c in index) else f"({index})") + root
            out.append(root)
            return
        if name in ACCENTS:
            body = self.arg()
            mark = ACCENTS[name]
            out.append("".join(c + mark if c.isalnum() and c not in SCRIPT_CHARS else c for c in body))
            return
        if name in ("mathcal", "mathscr"):
            out.append("".join(CAL.get(c, c) for c in self.arg()))
            return
        if name == "mathbb":
            out.append("".join(BB.get(c, c) for c in self.arg()))
            return
        if name in TEXTS or name in ("textcolor",):
            if name == "textcolor":
                self.raw_group()
            out.append(self.raw_group())
            return
        if name in FONTS:
            if name in ("displaystyle", "textstyle", "scriptstyle"):
                return
            out.append(self.arg())
            return
        if name in IGNORED:
            if name in ("left", "right", "middle") or name.startswith(("big", "Big")):
                t = self.peek(skip_space=True)
                if t == ("ch", "."):
                    self.skip_spaces()
                    self.next()
            return
        if name in DROP_ARG or name == "textcolor":
            self.raw_group()
            return
        if name in ("hspace", "hskip", "kern"):
            self.raw_group()
            out.append(" ")
            return
        if name in ("overset", "stackrel", "underset"):
            top, base = self.arg(), self.arg()
            out.append(base + _script(top, name != "underset", self._next_is_alnum()))
            return
        if name in ("overbrace", "underbrace"):
            out.append(self.arg())
            return
        if name in ("xrightarrow", "xleftarrow"):
            self.opt()
            label = self.arg().strip()
            arrow = "→" if name == "xrightarrow" else "←"
            out.append(f" {arrow}({label}) " if label else f" {arrow} ")
            return
        if name == "pmod":
            out.append(f" (mod {self.arg().strip()})")
            return
        if name == "not":
            nxt = self.arg()
            out.append({"=": "≠", "∈": "∉", "⊂": "⊄", "≡": "≢", "|": "∤"}.get(nxt.strip(), nxt + "\u0338"))
            return
        if name == "substack":
            out.append(self.arg().replace(ROW, ", "))
            return
        if name == "begin":
            out.append(self.environment(self.raw_group()))
            return
        if name == "end":  # pragma: no cover - handled in parse()
            raise _Bad("stray \\end")
        # unknown command: keep its name as a word (\softmax → softmax)
        out.append(name)
        self._function_space(out)

    def _function_space(self, out: list[str]) -> None:
        """``\\log x`` → ``log x`` (LaTeX eats the space after a command name; keep one)."""
        t = self.peek()
        n = self.peek(skip_space=True)
        if n is None:
            return
        if n[0] == "ch" and (n[1].isalnum()) or (n[0] == "cmd" and n[1] not in IGNORED and n[1] not in RELATIONS
                                                 and n[1] not in BINOPS):
            if t is not None and t[0] == "sp":
                self.skip_spaces()
            out.append(" ")

    def environment(self, name: str) -> str:
        base = name.rstrip("*")
        if base in ("array", "tabular"):
            self.raw_group()                                   # column spec {c|c}
        body = self.parse(env=name)
        rows = [r for r in body.split(ROW)]
        while rows and not rows[-1].replace(CELL, "").strip():
            rows.pop()
        cells = [[c.strip() for c in r.split(CELL)] for r in rows]
        if base in MATRIX_ENVS:
            left, right = MATRIX_ENVS[base]
            return left + "; ".join(", ".join(c for c in row) for row in cells) + right
        if base in ("cases", "dcases", "rcases"):
            return "{ " + "; ".join(", ".join(c for c in row if c) for row in cells) + " }"
        # aligned, align, gathered, split, eqnarray, equation …: & is an alignment point
        return "\n".join(" ".join(" ".join(row).split()) for row in cells)


# --------------------------------------------------------------------------- public


def _balanced(s: str) -> bool:
    depth = 0
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                return False
        i += 1
    return depth == 0


def latex_to_unicode(s: str) -> str:
    """Readable Unicode for a LaTeX formula; the input unchanged when it is malformed."""
    if not isinstance(s, str):
        return s
    if not s.strip() or not _balanced(s):
        return s
    try:
        out = _Parser(s).parse()
    except (_Bad, IndexError, KeyError, ValueError, RecursionError):
        return s
    out = out.replace(CELL, " ").replace(ROW, "\n")
    lines = [_tidy(re.sub(r"[ \t]+", " ", ln)).strip(" ") for ln in out.split("\n")]
    lines = [re.sub(r" ?\x1d+ ?", "  ", ln).strip() for ln in lines]
    return unicodedata.normalize("NFC", "\n".join(ln for ln in lines if ln))


def _tidy(s: str) -> str:
    s = re.sub(r"([(\[])\s+", r"\1", s)
    s = re.sub(r"\s+([)\]])", r"\1", s)
    s = re.sub(r"\s+([,;])", r"\1", s)
    return s
