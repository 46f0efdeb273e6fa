"""The command palette (ctrl+p): fuzzy search over the scenario's actions and the facilitator's controls.

The controls are the drill screen's own ``BINDINGS`` (what each does is its tooltip), so the
palette, the help screen and the footer cannot disagree about a key.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from drillsim.tui.keys import bindings, explained, shown_key
from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

NOT_IN_PALETTE = ("drill.action.", "drill.help", "drill.quit")
"""Binding ids the palette leaves out: actions are listed by name, help and quit are one key away."""


class DrillCommands(Provider):
    """Actions (say why one cannot be taken now) and facilitator controls of the running drill."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        from drillsim.tui.screens.drill import DrillScreen

        screen = self.screen
        if not isinstance(screen, DrillScreen) or screen.drill.ended:
            return []
        rows: list[tuple[str, str, Callable[[], Any]]] = []
        for action in screen.actions:  # the seat's view of them (the players' or the controller's)
            key = screen.keys.get(action.id)
            label = f"Action: {action.label}"
            help_text = f"[{key}] {action.role}" if key else action.role
            if not action.available:
                help_text += f" · not now: {action.reason}"
            rows.append((label, help_text, partial(screen.submit, action.id)))
        for binding in bindings(screen.BINDINGS):
            if binding.id and binding.id.startswith(NOT_IN_PALETTE):
                continue
            rows.append(
                (
                    f"Drill: {explained(binding)}",
                    f"key {shown_key(binding)}",
                    partial(screen.run_action, binding.action),
                )
            )
        return rows

    async def discover(self) -> Hits:
        for label, help_text, callback in self._commands():
            yield DiscoveryHit(Text(label), callback, text=label, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, help_text, callback in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), callback, text=label, help=help_text)
