"""The command palette (ctrl+p): fuzzy search over the scenario's actions and the facilitator's controls."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider


class DrillCommands(Provider):
    """Actions (say why one cannot be taken now) and facilitator controls of the running drill."""

    def _commands(self) -> list[tuple[str, str, object]]:
        from drillsim.tui.screens.drill import DrillScreen

        screen = self.screen
        if not isinstance(screen, DrillScreen) or screen.drill.ended:
            return []
        rows: list[tuple[str, str, object]] = []
        for action in screen.drill.availability():
            key = screen.keys.get(action.id)
            label = f"Action: {action.label}"
            help_text = f"[{key}] {action.role}" if key else action.role
            if not action.available:
                help_text += f" · not now: {action.reason}"
            rows.append((label, help_text, partial(screen.submit, action.id)))
        controls = [
            ("Pause or resume the drill", "space", screen.action_toggle_pause),
            ("Speed up", "+", screen.action_faster),
            ("Slow down", "-", screen.action_slower),
            ("Ad-hoc inject", "i", screen.action_inject),
            ("Facilitator note", "n", screen.action_note),
            ("Answer the open decision", "d", screen.action_decide),
            ("Choose who does the highlighted action", "p", screen.action_choose_member),
            ("Filter the feed by channel or role", "f", screen.action_filter),
            ("End the drill", "e", screen.action_end),
        ]
        rows += [(f"Drill: {name}", f"key {key}", callback) for name, key, callback in controls]
        return rows

    async def discover(self) -> Hits:
        for label, help_text, callback in self._commands():
            yield DiscoveryHit(Text(label), callback, text=label, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, help_text, callback in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), callback, text=label, help=help_text)  # type: ignore[arg-type]
