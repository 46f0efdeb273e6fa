"""Key help built from the screens' own ``BINDINGS``: the help screens and the command palette read them here.

A key and what it does are written once, in the binding (its ``tooltip`` is the long text, its
``description`` the footer's short one); nothing here lists keys by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.binding import Binding, BindingType
from textual.screen import Screen

KEY_NAMES = {
    "question_mark": "?",
    "equals_sign": "=",
    "plus": "+",
    "minus": "-",
    "escape": "esc",
    "space": "space",
}


def key_label(keys: str) -> str:
    """``"question_mark,f1"`` -> ``"?, f1"``: the keys of a binding as the facilitator types them."""
    return ", ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(","))


def shown_key(binding: Binding) -> str:
    return binding.key_display or key_label(binding.key)


def explained(binding: Binding) -> str:
    """What the key does: the binding's tooltip, else its footer description."""
    return binding.tooltip or binding.description


def bindings(declared: Iterable[BindingType], skip_prefix: str | None = None) -> list[Binding]:
    """The :class:`Binding` objects of a ``BINDINGS`` list, without those whose id starts with ``skip_prefix``."""
    return [
        b for b in declared if isinstance(b, Binding) and not (skip_prefix and b.id and b.id.startswith(skip_prefix))
    ]


def binding_rows(screen: Screen[Any], skip_prefix: str | None = None) -> list[tuple[str, str]]:
    """(key, what it does) for each of ``screen``'s own bindings."""
    return [(shown_key(b), explained(b)) for b in bindings(screen.BINDINGS, skip_prefix)]


def app_binding_rows(app: Any) -> list[tuple[str, str]]:
    """The keys that work on every screen: the command palette, the app's bindings, moving focus."""
    rows = []
    if getattr(app, "ENABLE_COMMAND_PALETTE", False):
        rows.append((app.COMMAND_PALETTE_DISPLAY or app.COMMAND_PALETTE_BINDING, PALETTE_HELP))
    rows += [(shown_key(b), explained(b)) for b in bindings(type(app).BINDINGS)]
    focus = {b.action: b.key for b in bindings(Screen.BINDINGS)}
    if "app.focus_next" in focus and "app.focus_previous" in focus:
        rows.append((f"{focus['app.focus_next']}, {focus['app.focus_previous']}", "Move between panels"))
    return rows


PALETTE_HELP = "Command palette: search actions and controls"
