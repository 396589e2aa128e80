"""A screen whose footer keys and texts follow the app's language."""

from __future__ import annotations

import dataclasses

from textual import events, on
from textual.binding import Binding
from textual.screen import Screen

from tutor.i18n import STRINGS, tr


def shorten(text: str, cells: int) -> str:
    """``text`` cut to ``cells`` terminal cells (Korean is 2 wide), with "…" when cut."""
    from rich.cells import cell_len

    if cell_len(text) <= cells:
        return text
    out = ""
    for ch in text:
        if cell_len(out + ch) > cells - 1:
            break
        out += ch
    return out + "…"


def footer():
    """Every screen's footer (:class:`tutor.screens.footer.KeyFooter`, one widget): compact, as 80
    columns is the design size and the compact footer fits a screen's keys there; and without
    Textual's English "palette" key — the palette is named in the screen's own language where KEYS
    lists it, and ctrl+p opens it everywhere."""
    from tutor.screens.footer import KeyFooter

    return KeyFooter()


DESIGN_WIDTH = 80
# Textual's own widgets' footer keys, in the learner's language ("esc Dismiss menu" of an open Select)
TEXTUAL_KEYS = {"Dismiss menu": "key.close_menu"}
# what a narrow footer keeps to the last: the key that lists every other key, the way out, and the
# way on (after an answer at 40×12, ctrl+n was hidden and nothing said how to reach the next question)
FOOTER_KEEPS = frozenset({"app.help", "app.pop_screen", "back", "leave", "close", "app.quit", "finish", "next"})


def _fit_footer(app, bindings: dict, width: int) -> None:
    """Hide footer keys, last first, until the compact footer's line fits ``width`` columns; the
    help, back and quit keys stay (at 40 columns the home footer ended "… p 계획 s": no way to
    learn the other keys, or to leave). Every key still works."""
    from rich.cells import cell_len

    shown = [(key, active) for key, active in bindings.items() if active.binding.show]
    cells = {key: cell_len(f"{app.get_key_display(a.binding)} {a.binding.description}") + 1 for key, a in shown}
    total = sum(cells.values()) - 1
    for key, active in reversed(shown):
        if total <= width:
            break
        if active.binding.action not in FOOTER_KEEPS:
            bindings[key] = active._replace(binding=dataclasses.replace(active.binding, show=False))
            total -= cells[key]


class LangScreen(Screen):
    """Keys are declared once in ``KEYS`` as (key, action, i18n key, show in footer); they become
    the class's ``BINDINGS`` (Screen's own Tab / Shift-Tab bindings kept under them) with the i18n
    key as the description, and :attr:`active_bindings` (what the Footer and the key panel show)
    gives the description in the app's language. All public Textual API: no private binding map
    is written, and a language switch only has to refresh the bindings."""

    KEYS: list[tuple[str, str, str, bool]] = []
    PRIORITY: frozenset[str] = frozenset()   # keys that act even while a widget (a text field, a scroll view) has them

    def __init_subclass__(cls, **kwargs) -> None:
        # a screen's keys are exactly its KEYS (an exam has no hint key although its base has one)
        kwargs.setdefault("inherit_bindings", False)
        cls.BINDINGS = [*Screen.BINDINGS, *(Binding(k, a, s, show=show, priority=k in cls.PRIORITY)
                                            for k, a, s, show in cls.KEYS)]
        super().__init_subclass__(**kwargs)

    @property
    def lang(self) -> str:
        return self.app.lang if self.is_attached else getattr(self, "_lang_hint", "en")

    @property
    def active_bindings(self):
        lang = self.app.lang
        out = {}
        for key, active in super().active_bindings.items():
            desc = TEXTUAL_KEYS.get(active.binding.description, active.binding.description)
            if desc in STRINGS:
                active = active._replace(binding=dataclasses.replace(active.binding, description=tr(desc, lang)))
            if active.binding.show and not self.footer_shows(active.binding.action):
                active = active._replace(binding=dataclasses.replace(active.binding, show=False))
            out[key] = active
        width = self.app.size.width
        if 0 < width < DESIGN_WIDTH:   # every footer fits 80 columns (tests): narrower, some keys give way
            _fit_footer(self.app, out, width)
        return out

    @on(events.Resize)
    def _refit_footer(self, event: events.Resize) -> None:
        """A new width below the design width (or back from one): the footer's keys fitted again
        (see :func:`_fit_footer`); at the design width and wider nothing is redone."""
        narrow = event.size.width < DESIGN_WIDTH
        if narrow or getattr(self, "_footer_narrow", False):
            self.refresh_bindings()
        self._footer_narrow = narrow

    def footer_shows(self, action: str) -> bool:
        """Whether the footer lists the key of ``action`` now (it works either way): a screen whose
        keys do not all fit in 80 columns shows those that matter at the moment. Call
        :meth:`refresh_bindings` when the answer changes."""
        return True

    def language_changed(self) -> None:
        """Called by the app after a language switch: re-label keys and re-render text."""
        self.refresh_bindings()
        self.refresh_text()

    def refresh_text(self) -> None:  # pragma: no cover - overridden
        pass
