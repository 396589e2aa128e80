"""Reading a typed answer: a number as students write it, and what cannot be read.

* A number goes through the safe parser of :mod:`engine.expr` (``0.71``, ``71%``, ``24/30``,
  ``21.3/(21.3+8.6)`` …), never ``eval``; around it, what Koreans write is fine: a copula or ending
  ("1.41입니다"), a hedge ("약 0.93", "0.341 정도"), the counter 번, "퍼센트", a remark in brackets
  ("0.79 (반올림)") and the cell's own name ("θ_A = 0.10").
* What cannot be read is a :class:`FormatError` that explains itself (in both languages) and costs
  no attempt; a stray Korean letter left by the keyboard is one too.

Every rule is linear in the length of the answer (a hostile 5,000-character answer is tested).
Grading (:mod:`tutor.grading`) re-exports these names.
"""

from __future__ import annotations

import re
import unicodedata

from engine.core import Text
from engine.expr import ExprError, parse
from tutor.korean import josa


def t(en: str, ko: str) -> dict[str, str]:
    return {"en": en, "ko": ko}


class FormatError(ValueError):
    """The answer cannot be read. Costs no attempt."""

    def __init__(self, text: Text, field: str | None = None):
        super().__init__(text["en"])
        self.text = dict(text)
        self.field = field



_JAMO_RE = re.compile(r"[\u3131-\u318e]")   # a lone Korean letter (ㅇ, ㅏ): what the keyboard leaves behind
_NUMBER_ENDING_RE = re.compile(r"(.*?\d[.%]?)\s*(입니다|이에요|예요|이다|이요|요|임)\s*")
_NUMBER_WORD_RE = re.compile(r"\s*([-+]?[\d.,/%]+)\s*([A-Za-z]{2,}|[\uac00-\ud7a3]+)\s*")
# "약 0.93", "about 0.93", "≈ 0.93": a hedge before the number is the number
_ABOUT_RE = re.compile(r"\s*(?:약|대략|거의|about|approx\.?|approximately|≈|~)\s*([-+]?\d.*)", re.IGNORECASE)
# "1번", "2번 군집": the counter 번 after a whole number (cluster 1, option 2) is the number
_COUNTER_RE = re.compile(r"(?<![\d.])([-+]?\d+)\s*번(?!째)")
# "클래스 1", "정답은 0.5", "class 2": a word before the number
_WORD_NUMBER_RE = re.compile(r"\s*([A-Za-z]{2,}|[\uac00-\ud7a3]+)\s*[:=]?\s*([-+]?[\d.,/%]+)\s*")
# "0.341 정도", "0.3쯤", "20가량": a hedge after the number is the number too
_HEDGE_AFTER_RE = re.compile(r"(.*?\d[.%]?)\s*(?:정도|쯤|가량|내외)\s*(?:입니다|이에요|예요|이요|요|임)?\s*")
# "17.63 퍼센트", "17.63프로": the word for % (as "%" is accepted)
_PERCENT_WORD_RE = re.compile(r"(.*?\d\.?)\s*(?:퍼센트|프로|percent)\s*", re.IGNORECASE)
_HANGUL_RE = re.compile(r"[\uac00-\ud7a3]")
_STARTS_NUMBER_RE = re.compile(r"[-+]?[\d.]")


def _without_remark(text: str) -> str:
    """"0.79 (반올림)" → "0.79": a remark in Korean in brackets at the end (it read as a
    multiplication). String operations, not a regular expression: linear on a hostile answer."""
    body = text.rstrip()
    if not body.endswith(")") or "(" not in body:
        return text
    k = body.rindex("(")
    inner = body[k + 1:-1]
    if not _HANGUL_RE.search(inner) or any(c.isdigit() or c in "()" for c in inner) or not body[:k].strip():
        return text
    return body[:k].rstrip()


def _name_key(name: str) -> str:
    """How a cell's name is compared: NFKC (θₐ is θa), no case, spaces, underscores, "새"/"new"."""

    key = unicodedata.normalize("NFKC", name).lower()
    for word in ("새 ", "new "):
        key = key.removeprefix(word)
    return re.sub(r"[\s_]", "", key)


def _without_own_name(text: str, label: Text | None, field_name: str | None) -> str:
    """``text`` without the cell's own name written before its number ("θ_A = 0.10" in the cell
    θ_A). Another name there is a free format error that says which cell this is."""
    if not label:
        return text
    sign = next((k for k, c in enumerate(text) if c in "=≈:"), None)   # the first sign (linear)
    if sign is None:
        return text
    name, value = text[:sign].strip(), text[sign + 1:].strip()
    if not _STARTS_NUMBER_RE.match(value) or not any(c.isalpha() for c in name) or len(name) > 40:
        return text
    try:   # "2*pi = 6.28": an expression before the sign, not a name
        parse(name)
        return text
    except ExprError:
        pass
    names = {_name_key(n) for n in [*label.values(), field_name or ""] if n}
    if _name_key(name) in names:
        return value
    if _WORD_NUMBER_RE.fullmatch(text):   # "정답: 0.5", "class: 2": a word, said as such below
        return text
    raise FormatError(t(f"This cell is {label.get('en') or label.get('ko')}: type its number only.",
                        f"이 칸은 {label.get('ko') or label.get('en')}입니다: 이 칸의 숫자만 쓰세요."), field_name)


def stray_jamo(text: str) -> FormatError | None:
    """A lone Korean letter in an answer ("민감도ㅇ", "ㅇ0.28"): a leftover of the Korean keyboard,
    named as typed (before NFKC turns ㅇ into another code point). A free format error."""
    m = _JAMO_RE.search(text or "")
    if m is None:
        return None
    ch = m.group(0)
    return FormatError(t(f"{ch!r} is a lone Korean letter (left by the keyboard?): delete it and answer again.",
                         f"{josa(repr(ch), '은')} 낱자 하나입니다(키보드에 남은 글자?): 지우고 다시 입력하세요."))


def without_jamo(text: str) -> str:
    return _JAMO_RE.sub("", text or "")


def parse_number(text: str, *, field_name: str | None = None, label: Text | None = None) -> float:
    """A typed number: decimals, %, fractions, safe arithmetic; as Koreans write it, a copula or
    ending after it is fine ("1.41입니다", "0.45요"), and so are a hedge before it ("약 0.93",
    "about 0.93") and the counter 번 after a whole number ("1번": cluster 1). A word after or before it (a unit, "1.04 nats", "클래스 1") and a lone Korean
    letter are format errors that say so."""
    if text is None or not str(text).strip():
        raise FormatError(t("Empty answer: type a number (e.g. 0.71, 71%, 24/30).",
                            "빈 답입니다: 숫자를 입력하세요(예: 0.71, 71%, 24/30)."), field_name)
    jamo = stray_jamo(str(text))
    if jamo is not None:
        jamo.field = field_name
        raise jamo
    text = _COUNTER_RE.sub(r"\1", str(text))
    text = _without_own_name(text, label, field_name)
    about = _ABOUT_RE.fullmatch(text)
    if about is not None:
        text = about.group(1)
    for _ in range(2):   # "0.3쯤 (반올림)", "0.34 정도입니다": in any order
        text = _without_remark(str(text))
        for pattern in (_NUMBER_ENDING_RE, _HEDGE_AFTER_RE):
            found = pattern.fullmatch(str(text))
            if found is not None:
                text = found.group(1)
    percent = _PERCENT_WORD_RE.fullmatch(str(text))
    if percent is not None:
        text = percent.group(1) + "%"
    try:
        return parse(str(text))()
    except ExprError as e:
        word = _NUMBER_WORD_RE.fullmatch(str(text))
        before = _WORD_NUMBER_RE.fullmatch(str(text))
        if word is not None or before is not None:
            w = word.group(2) if word is not None else _bare_word(before.group(1))
            raise FormatError(t(f"Type the number only, without {w!r}.",
                                f"숫자만 쓰세요({josa(repr(w), '은')} 빼고)."), field_name) from None
        shown = str(text)[:40]
        raise FormatError(t(f"Cannot read {shown!r} as a number: {e.text['en']}. "
                            "Use decimals, %, fractions or arithmetic such as 21.3/(21.3+8.6).",
                            f"{josa(repr(shown), '을')} 숫자로 읽을 수 없습니다: {e.text['ko']}. "
                            "소수, %, 분수, 21.3/(21.3+8.6) 같은 식을 쓰세요."), field_name) from None


def _bare_word(word: str) -> str:
    """The word without the particle Koreans attach to it ("정답은" → "정답")."""
    if len(word) > 1 and word[-1] in "은는이가":
        return word[:-1]
    return word
