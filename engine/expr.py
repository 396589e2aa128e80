"""A small, safe arithmetic parser (never ``eval``): answers like ``24/30``, ``71%``,
``21.3/(21.3+8.6)``, ``sigmoid(1.6)``, ``e^-2`` and derivative expressions like ``4*w^3``.

Grammar (``^`` and ``**`` are powers, right-associative, binding tighter than unary minus,
so ``-2^2 = -4`` as in mathematics)::

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary)*
    unary  := ("+" | "-") unary | power
    power  := postfix (("^" | "**") unary)?
    postfix:= atom "%"?
    atom   := NUMBER | NAME | FUNC "(" expr ")" | "(" expr ")" | "√" atom

Bounded: at most ``MAX_LEN`` characters and ``MAX_DEPTH`` nesting; results must be finite.
Unicode is NFKC-normalised first, so full-width digits and operators work; ``−``, ``×``,
``·`` and ``÷`` are accepted.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

MAX_LEN = 2000
MAX_DEPTH = 60


KO_MESSAGES = {
    'division by zero': '0으로 나눌 수 없습니다',
    'number too large': '수가 너무 큽니다', "outside the function's domain (e.g. sqrt or log of a negative number)": '함수의 정의역을 벗어났습니다(예: 음수의 sqrt나 log)',
    'the result is not a finite number': '결과가 유한한 수가 아닙니다',
    'too deeply nested': '괄호가 너무 깊게 중첩되었습니다',
    'empty answer': '빈 답입니다',
    'use a dot for decimals (0.5, not 0,5), one number per field': '소수점은 점으로 쓰세요(0,5가 아니라 0.5). 칸마다 숫자 하나입니다',
    'write * for multiplication': '곱셈은 *로 쓰세요',
    'the expression ends too early': '식이 중간에 끝났습니다', "missing ')'": "')'가 빠졌습니다", "a lone '.' is not a number": "'.'만으로는 수가 아닙니다", 'number too long': '수가 너무 깁니다',
    'expected text': '텍스트가 필요합니다',
    'contains control characters': '제어 문자가 들어 있습니다',
}


class ExprError(ValueError):
    """Not a well-formed expression (a format error, never a wrong answer).

    ``text`` holds the message in English and Korean.
    """

    def __init__(self, message: str, position: int | None = None, *, ko: str | None = None):
        where_en = "" if position is None else f" (at character {position + 1})"
        where_ko = "" if position is None else f" ({position + 1}번째 글자)"
        super().__init__(message + where_en)
        self.message = message
        self.position = position
        self.text = {"en": message + where_en, "ko": (ko or KO_MESSAGES.get(message, message)) + where_ko}


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _log(x: float) -> float:
    return math.log(x)


FUNCTIONS: dict[str, Callable[[float], float]] = {
    "sqrt": math.sqrt, "exp": math.exp, "ln": _log, "log": _log, "log2": math.log2, "log10": math.log10,
    "sin": math.sin, "cos": math.cos, "tan": math.tan, "tanh": math.tanh, "sigmoid": _sigmoid,
    "abs": abs,
}
CONSTANTS = {"pi": math.pi, "π": math.pi, "e": math.e}

_REPLACE = str.maketrans({"−": "-", "–": "-", "×": "*", "·": "*", "÷": "/", "∗": "*", "，": ",",
                          "\u2044": "/", "\u2215": "/"})   # fraction slash (1⁄2), division slash
# ½, ¾ … and mixed numbers (3½ and 3 ½ = 3.5): NFKC alone made "3½" 31⁄2, and "½" an error about a "⁄"
# the learner never typed. A digit run is matched from its start only (linear on a long answer).
_VULGAR = "½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅐⅛⅜⅝⅞⅑⅒↉"
_MIXED_RE = re.compile(rf"(?<!\d)(?:(\d+) ?)?([{_VULGAR}])")


def _vulgar(m: re.Match) -> str:
    whole, frac = m.group(1), unicodedata.normalize("NFKC", m.group(2)).replace("\u2044", "/")
    return f"({whole}+{frac})" if whole else f"({frac})"


@dataclass(frozen=True)
class Expr:
    """A parsed expression; call it with variable values."""

    text: str
    node: tuple
    variables: tuple[str, ...]

    def __call__(self, **values: float) -> float:
        try:
            v = _eval(self.node, values)
        except ZeroDivisionError:
            raise ExprError("division by zero") from None
        except OverflowError:
            raise ExprError("number too large") from None
        except ValueError:
            raise ExprError("outside the function's domain (e.g. sqrt or log of a negative number)") from None
        if isinstance(v, complex) or not math.isfinite(v):
            raise ExprError("the result is not a finite number")
        return float(v)

    @property
    def is_constant(self) -> bool:
        return not _uses_vars(self.node)


def _uses_vars(node: tuple) -> bool:
    if node[0] == "var":
        return True
    return any(isinstance(c, tuple) and _uses_vars(c) for c in node[1:])


def _eval(node: tuple, env: dict) -> float:
    op = node[0]
    if op == "num":
        return node[1]
    if op == "var":
        return float(env[node[1]])
    if op == "neg":
        return -_eval(node[1], env)
    if op == "call":
        return FUNCTIONS[node[1]](_eval(node[2], env))
    a, b = _eval(node[1], env), _eval(node[2], env)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        return a / b
    if op == "^":
        if a == 0 and b < 0:
            raise ZeroDivisionError
        if abs(b) > 1e4 and abs(a) > 1:
            raise OverflowError
        r = a ** b
        if isinstance(r, complex):
            raise ValueError
        return r
    raise AssertionError(op)  # pragma: no cover


def normalise(text: str) -> str:
    if any(c in _VULGAR for c in text):
        text = _MIXED_RE.sub(_vulgar, text)
    return unicodedata.normalize("NFKC", text).translate(_REPLACE).strip()


class _Parser:
    def __init__(self, text: str, variables: tuple[str, ...]):
        self.s = text
        self.i = 0
        self.vars = variables
        self.depth = 0

    # -- lexing helpers
    def peek(self) -> str:
        while self.i < len(self.s) and self.s[self.i] in " \t":
            self.i += 1
        return self.s[self.i] if self.i < len(self.s) else ""

    def take(self, tok: str) -> bool:
        if self.peek() and self.s.startswith(tok, self.i):
            self.i += len(tok)
            return True
        return False

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError("too deeply nested", self.i)

    # -- grammar
    def parse(self) -> tuple:
        if not self.s:
            raise ExprError("empty answer")
        node = self.expr()
        if self.peek():
            ch = self.peek()
            if ch == ",":
                raise ExprError("use a dot for decimals (0.5, not 0,5), one number per field", self.i)
            if ch.isalnum() or ch == "(":
                raise ExprError("write * for multiplication", self.i)
            raise ExprError(f"unexpected {ch!r}", self.i, ko=f"예상하지 못한 {ch!r}")
        return node

    def expr(self) -> tuple:
        self.enter()
        node = self.term()
        while True:
            if self.take("+"):
                node = ("+", node, self.term())
            elif self.take("-"):
                node = ("-", node, self.term())
            else:
                break
        self.depth -= 1
        return node

    def term(self) -> tuple:
        node = self.unary()
        while True:
            if self.peek() == "*" and not self.s.startswith("**", self.i):
                self.i += 1
                node = ("*", node, self.unary())
            elif self.take("/"):
                node = ("/", node, self.unary())
            else:
                break
        return node

    def unary(self) -> tuple:
        self.enter()
        if self.take("-"):
            node = ("neg", self.unary())
        elif self.take("+"):
            node = self.unary()
        else:
            node = self.power()
        self.depth -= 1
        return node

    def power(self) -> tuple:
        base = self.postfix()
        if self.take("**") or self.take("^"):
            return ("^", base, self.unary())
        return base

    def postfix(self) -> tuple:
        node = self.atom()
        if self.take("%"):
            node = ("/", node, ("num", 100.0))
        return node

    def atom(self) -> tuple:
        ch = self.peek()
        start = self.i
        if not ch:
            raise ExprError("the expression ends too early", self.i)
        if ch == "(":
            self.i += 1
            node = self.expr()
            if not self.take(")"):
                raise ExprError("missing ')'", self.i)
            return node
        if ch == "√":
            self.i += 1
            self.enter()
            node = ("call", "sqrt", self.atom())
            self.depth -= 1
            return node
        if ch.isdecimal() or ch == ".":  # isdecimal, not isdigit: float() rejects digits like ፩
            return self.number()
        if ch.isalpha() or ch == "_":
            j = self.i
            while j < len(self.s) and (self.s[j].isalnum() or self.s[j] == "_"):
                j += 1
            name = self.s[self.i:j]
            key = name.lower()
            self.i = j
            if key in FUNCTIONS:
                if not self.take("("):
                    raise ExprError(f"{name} needs parentheses, e.g. {key}(2)", self.i, ko=f"{name}에는 괄호가 필요합니다(예: {key}(2))")
                self.enter()
                arg = self.expr()
                self.depth -= 1
                if not self.take(")"):
                    raise ExprError("missing ')'", self.i)
                return ("call", key, arg)
            if name in self.vars:
                return ("var", name)
            if key in CONSTANTS:
                return ("num", CONSTANTS[key])
            raise ExprError(f"unknown name {name[:20]!r}", start, ko=f"알 수 없는 이름 {name[:20]!r}")
        raise ExprError(f"unexpected {ch!r}", start, ko=f"예상하지 못한 {ch!r}")

    def number(self) -> tuple:
        s, j = self.s, self.i
        while j < len(s) and s[j].isdecimal():
            j += 1
        if j < len(s) and s[j] == ".":
            j += 1
            while j < len(s) and s[j].isdecimal():
                j += 1
        mantissa = s[self.i:j]
        if j < len(s) and s[j] in "eE":
            k = j + 1
            if k < len(s) and s[k] in "+-":
                k += 1
            if k < len(s) and s[k].isdecimal():
                while k < len(s) and s[k].isdecimal():
                    k += 1
                j = k
        text = s[self.i:j]
        if mantissa == ".":  # also ".e0": float() would raise
            raise ExprError("a lone '.' is not a number", self.i)
        if len(text) > 40:
            raise ExprError("number too long", self.i)
        value = float(text)
        if not math.isfinite(value):
            raise ExprError("number too large", self.i)
        self.i = j
        return ("num", value)


def parse(text: str, variables: tuple[str, ...] = ()) -> Expr:
    """Parse ``text``; raises :class:`ExprError` for anything that is not a valid expression."""
    if not isinstance(text, str):
        raise ExprError("expected text")
    if len(text) > MAX_LEN:
        raise ExprError(f"too long (more than {MAX_LEN} characters)", ko=f"너무 깁니다({MAX_LEN}자 초과)")
    s = normalise(text)
    if any(unicodedata.category(c).startswith("C") for c in s):
        raise ExprError("contains control characters")
    node = _Parser(s, variables).parse()
    return Expr(s, node, variables)


def evaluate(text: str) -> float:
    """The value of a constant expression such as ``24/30`` or ``71%``."""
    return parse(text)()


def typed_resolution(text: str) -> float | None:
    """For a plain decimal like ``0.7`` the step of its last digit (0.1); else None."""
    s = normalise(text).lstrip("+-")
    pct = s.endswith("%")
    if pct:
        s = s[:-1]
    if not s or any(c not in "0123456789." for c in s) or s.count(".") > 1:
        return None
    decimals = len(s.split(".")[1]) if "." in s else 0
    step = 10.0 ** (-decimals)
    return step / 100 if pct else step
