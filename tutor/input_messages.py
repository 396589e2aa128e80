"""The engine's and the lab's input problems in the learner's language.

The engine speaks English to every caller (``InputError(key, "must be < 1")``); the lab screen and
``tutor solve`` speak the learner's language. A message not listed stays as the engine wrote it.
"""

from __future__ import annotations

import re

_OPS_KO = {"<": "{v}보다 작아야 합니다", "≤": "{v} 이하여야 합니다", ">": "{v}보다 커야 합니다", "≥": "{v} 이상이어야 합니다"}

# the messages in Korean, by their English form
_KO: list[tuple[str, object]] = [
    (r"missing", "값이 없습니다"),
    (r"empty", "비어 있습니다"),
    (r"expected a number", "숫자를 쓰세요"),
    (r"expected an integer", "정수를 쓰세요"),
    (r"expected true or false", "true 또는 false를 쓰세요"),
    (r"expected an object", "`키: 값` 목록을 쓰세요"),
    (r"must be finite( numbers)?", "유한한 수여야 합니다"),
    (r"must be ([<≤>≥]) (\S+?)( in a lab)?",
     lambda m: ("실험실에서는 " if m.group(3) else "") + _OPS_KO[m.group(1)].format(v=m.group(2))),
    (r"must be one of (.+)", lambda m: f"다음 중 하나여야 합니다: {m.group(1)}"),
    (r"more than ([\d,]+) values in a lab", lambda m: f"실험실에서는 값이 {m.group(1)}개를 넘을 수 없습니다"),
    (r"more than ([\d,]+) characters", lambda m: f"{m.group(1)}자를 넘습니다"),
    (r"nested too deeply", "너무 깊게 중첩되어 있습니다"),
    (r"write the inputs as `key: value` lines \(YAML\)", "입력을 `키: 값` 줄(YAML)로 쓰세요"),
    (r"expected (\d+) (\w+)(.*), got (\d+)", lambda m: f"{m.group(1)}개가 필요한데 {m.group(4)}개입니다{m.group(3)}"),
    (r"expected shape (\S+)(.*), got (\S+)", lambda m: f"모양이 {m.group(1)}이어야 하는데 {m.group(3)}입니다{m.group(2)}"),
    (r"unknown input \(did you mean (\S+)\?\)", lambda m: f"알 수 없는 입력입니다({m.group(1)}의 오타인가요?)"),
]


def message_in(message: str, lang: str) -> str:
    """An input message in ``lang``: English as written; Korean for the messages in :data:`_KO`."""
    if lang != "ko":
        return message
    for pattern, ko in _KO:
        m = re.fullmatch(pattern, message)
        if m:
            return ko(m) if callable(ko) else ko
    return message
