"""Help screens and the command palette read the screens' BINDINGS (#16): a key's text is written once."""

from __future__ import annotations

import asyncio

from drillsim.tui.commands import DrillCommands
from drillsim.tui.keys import app_binding_rows, binding_rows, key_label
from drillsim.tui.screens.drill import DrillScreen
from drillsim.tui.screens.modals import HelpScreen
from textual.binding import Binding

from .conftest import SIZE
from .helpers import start_from_launcher


def test_key_label_spells_keys_as_typed() -> None:
    assert key_label("question_mark,f1") == "?, f1"
    assert key_label("plus,equals_sign") == "+, ="


async def test_palette_offers_each_drill_binding_with_its_tooltip(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        provider = DrillCommands(screen)
        labels = {label: help_text for label, help_text, _ in provider._commands()}
        controls = [
            b
            for b in screen.BINDINGS
            if isinstance(b, Binding) and b.id and not b.id.startswith(("drill.action.", "drill.help", "drill.quit"))
        ]
        assert controls
        for binding in controls:
            label = f"Drill: {binding.tooltip or binding.description}"
            assert label in labels, label
            assert labels[label] == f"key {binding.key_display or key_label(binding.key)}"
        assert not any("Take action" in label for label in labels)  # actions are offered by name


async def test_palette_control_runs_the_bindings_action(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_from_launcher(pilot)
        pause = next(b for b in screen.BINDINGS if isinstance(b, Binding) and b.id == "drill.pause")
        callback = next(cb for label, _, cb in DrillCommands(screen)._commands() if label.endswith(pause.tooltip))
        assert not screen.drill.paused
        result = callback()
        if asyncio.iscoroutine(result):
            await result
        await pilot.pause()
        assert screen.drill.paused


async def test_help_rows_come_from_the_bindings(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        launcher = app.screen
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        for key, what in binding_rows(launcher) + app_binding_rows(app):
            assert what in text and key in text
        for binding in type(app).BINDINGS:
            assert isinstance(binding, Binding) and binding.tooltip in text
        assert "Command palette" in text and "Move between panels" in text


def test_drill_screen_help_rows_skip_the_numbered_actions() -> None:
    class Probe:
        BINDINGS = DrillScreen.BINDINGS

    rows = binding_rows(Probe(), skip_prefix="drill.action.")
    assert rows and not any(what.startswith("Take action") for _, what in rows)
