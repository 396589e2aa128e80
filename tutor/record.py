"""Plain data classes for the app's start path.

``@dataclass`` writes its methods as source text and compiles them when the class is created:
~2.5 M instructions a class, measurable on the first screen (benchmarks: first screen), where a
screen's dataclass is created before the first frame. A :class:`Record` is written out instead.
"""

from __future__ import annotations


class Record:
    """A plain data class: the fields are ``__slots__`` and ``__init__`` is written out; equality,
    repr and :meth:`as_dict` (what ``dataclasses.asdict`` gave) follow the fields. For classes on the
    app's start path, where a dataclass's creation is measurable."""

    __slots__ = ()
    __hash__ = None   # mutable and compared by value, as a dataclass

    def __eq__(self, other) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in self.__slots__)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{f}={getattr(self, f)!r}' for f in self.__slots__)})"

    def as_dict(self) -> dict:
        return {f: getattr(self, f) for f in self.__slots__}
