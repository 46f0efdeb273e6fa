"""The drill screen's widgets. Each renders part of a ``DrillView``; they post messages up.

Each widget declares the reactives it shows (``view`` and the layout flags it needs) and
redraws itself in their watchers, only when what it shows changed; the drill screen wires
them to its own with ``data_bind``. A seat's screen, which has no such vars, calls a
widget's ``show`` instead, which sets the same state.

Everything a scenario or a participant wrote reaches the screen as a ``rich.text.Text``
(never as markup), so no scenario text can inject markup.

It is long because it holds every widget of the drill screen, one section each (header, feed,
metrics, team, actions, who does it, decisions, milestones and clocks, the controller's panel), with the
small pure text builders each is tested by. The seat apps show the same widgets, so they live here, below
both screens, rather than inside either.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from drillsim.simulator.durations import format_clock, format_duration
from drillsim.simulator.engine import OFF_ROLE_RELIABILITY, OFF_ROLE_SLOWDOWN, SKILL_SPEEDUP, readable_number
from drillsim.simulator.model import Action, Roster
from drillsim.simulator.view import ActionAvailability, DecisionView, DrillView, FeedItem, MemberView, MetricView
from drillsim.tui.messages import ActionRequested, DecisionAnswered
from drillsim.tui.session import format_speed
from rich.console import Console, Group
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.reactive import var
from textual.renderables.bar import Bar
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Button, OptionList, RichLog, Static
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from typing import Self

    from textual.geometry import Region

ACTION_KEYS = "1234567890abcghjklmorsuvwxyz"
"""Shortcut keys of the action menu, in menu order (letters the facilitator's keys use are left out)."""

SPARK_SAMPLES = 72
"""Samples a sparkline shows (6 sim minutes at 5 s)."""
SPARK_BARS = "▁▂▃▄▅▆▇█"
"""The eighths of a cell a bar can fill, lowest first."""
SLO_HEADROOM = 0.25
"""How far past an SLO threshold a sparkline's scale reaches, as a share of the baseline-to-threshold distance."""
NO_SLO_BAND = 0.2
"""Without an SLO (or with one at the baseline) the scale is at least baseline ± this share of it."""
SLO_MARK = "┈"
"""Drawn in the empty cells of the row where an SLO threshold lies, so crossing it reads as crossing."""

FRESH = 8.0
"""Wall seconds a new feed item counts as new (the feed's title says how many)."""
END_WARNING = 120.0
"""Sim seconds before the time limit from which the header counts down to it."""

KIND_STYLE = {
    "alert": "bold red",
    "inject": "",
    "facilitator": "bold magenta",
    "outcome": "green",
    "failure": "red",
    "milestone": "bold green",
    "penalty": "bold red",
    "decision": "yellow",
    "clock": "yellow",
    "page": "cyan",
    "note": "italic blue",
    "system": "dim",
}


def money(amount: float, currency: str) -> str:
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency.upper())
    value = f"{amount:,.0f}"
    return f"{symbol}{value}" if symbol else f"{value} {currency}"


def number(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def update_if_changed(widget: Static, content: Text, layout: bool = True) -> bool:
    """``widget.update(content)`` only when the text differs from what it shows.

    An update re-arranges the whole screen (a layout, then every widget drawn again) unless it
    cannot change the widget's size: a text that wraps onto as many lines as the one it replaces,
    in a widget whose width does not follow its text, repaints that widget only (a countdown
    ticking, "sent" becoming "recorded"). ``layout=False`` says so outright (a fixed height and width).
    """
    shown = getattr(widget, "_drillsim_shown", None)
    if shown == content:
        return False
    if layout and isinstance(shown, Text) and _same_lines(widget, shown, content):
        layout = False
    widget._drillsim_shown = content  # type: ignore[attr-defined]
    widget.update(content, layout=layout)
    return True


def _same_lines(widget: Widget, old: Text, new: Text) -> bool:
    """Whether ``new`` takes as many lines as ``old`` at the widget's width (which its text does not set)."""
    width = widget.content_region.width
    if not widget.is_mounted or width <= 0 or (widget.styles.width is not None and widget.styles.width.is_auto):
        return False
    console = widget.app.console
    return len(old.wrap(console, width)) == len(new.wrap(console, width))


def with_participants(text: str, participants: dict[str, str]) -> Text:
    """``text`` with each member's name followed by who plays them: ``Tomas (Ana)``."""
    out = Text(text)
    for name, who in participants.items():
        if not who:
            continue
        start = 0
        while (at := out.plain.find(name, start)) >= 0:
            end = at + len(name)
            following = out.plain[end : end + 1]
            preceding = out.plain[at - 1 : at] if at else ""
            if (following.isalnum() or preceding.isalnum()) or out.plain.startswith(f" ({who})", end):
                start = end
                continue
            out = out[:end] + Text(f" ({who})", "italic") + out[end:]
            start = end + len(who) + 3
    return out


# ---------------------------------------------------------------------------- header


class DrillHeader(Static):
    """One line: severity, title, sim clock / limit, speed, revenue lost, penalties.

    What it shows is its reactives: bind them to a screen's (``data_bind``) and it redraws
    itself when one changes.
    """

    view: var[DrillView | None] = var(None, init=False)
    recording: var[bool] = var(True, init=False)
    """False: the journal cannot be written (a NOT RECORDED badge)."""
    held: var[bool] = var(False, init=False)
    """A facilitator dialog is open and the UI holds the sim clock (not a pause)."""
    compact: var[bool] = var(False, init=False)
    """No title (it is on the briefing), so the running regulatory clock fits at 80 columns."""
    controller: var[bool | None] = var(None, init=False)
    """The badge of the view on screen (True: the controller's, False: the players'; None: no badge, a seat
    that has one view only)."""

    def watch_view(self) -> None:
        self.draw()

    def watch_recording(self) -> None:
        self.draw()

    def watch_held(self) -> None:
        self.draw()

    def watch_compact(self) -> None:
        self.draw()

    def watch_controller(self) -> None:
        self.draw()

    def draw(self) -> None:
        """Redraw from the reactives (only if the line changed)."""
        view, recording, held, compact, controller = self.view, self.recording, self.held, self.compact, self.controller
        if view is None:
            return
        text = Text(no_wrap=True, overflow="ellipsis")
        sev_style = "bold white on red" if view.severity in ("SEV1", "SEV0") else "bold black on dark_orange"
        text.append(f" {view.severity} ", sev_style)
        text.append("  ")
        text.append(f"{format_clock(view.t)} / {format_clock(view.duration)}", "bold")
        text.append("  ")
        if view.ended:
            text.append(" ENDED ", "bold white on grey37")
        elif view.paused:
            text.append(" PAUSED ", "bold black on yellow")
        elif held:
            text.append(" ‖ HELD while the dialog is open ", "bold black on cyan")
        else:
            text.append(f" ▶ {format_speed(view.speed)} ", "bold black on green")
        if controller:
            text.append(" ")
            text.append(" CONTROLLER VIEW " if not compact else " CONTROLLER ", "bold white on dark_magenta")
        elif controller is not None:
            text.append(" players' view" if not compact else " players", "dim")
        text.append("  lost ", "dim")
        text.append(money(view.revenue_lost, view.currency), "bold red" if view.revenue_lost else "bold")
        if view.penalty_points:
            text.append("  penalties ", "dim")
            text.append(f"-{view.penalty_points}", "bold red")
        if not recording:
            text.append("  ")
            text.append(" NOT RECORDED ", "bold white on red")
        left = view.duration - view.t
        if not view.ended and 0 <= left <= END_WARNING:
            text.append("  ")
            text.append(f" time limit in {format_clock(left)} ", "bold white on red")
        for clock in view.clocks:
            if clock.started_at is not None and clock.met_at is None:
                text.append("  ⚖ ", "bold yellow")
                if clock.missed:
                    text.append(f"{clock.regime} MISSED", "bold red")
                else:
                    left = format_duration(max(0.0, (clock.due_at or view.t) - view.t))
                    text.append(f"{clock.regime} {left}", "bold yellow")
        if not compact:
            text.append("  ")
            text.append(view.title, "bold")
        update_if_changed(self, text, layout=False)


class PausedBanner(Static):
    """The big PAUSED panel with the discussion questions of the latest inject.

    ``view``: bind it to a screen's view (``data_bind``): shown while the drill is paused; or call ``show``."""

    view: var[DrillView | None] = var(None, init=False)

    def watch_view(self, view: DrillView | None) -> None:
        if view is None:
            return
        shown = view.paused and not view.ended
        if self.display != shown:
            self.display = shown
        if shown:
            self.show(view)

    def show(self, view: DrillView) -> None:
        text = Text()
        text.append(" ■ PAUSED ", "bold reverse")
        text.append(f"  at {format_clock(view.t)}  ·  space resumes  ·  n records the answers as a note\n")
        if view.discussion:
            text.append("Discuss:\n", "bold")
            for question in view.discussion:
                text.append("  • ")
                text.append(question)
                text.append("\n")
        else:
            text.append("No discussion questions yet: ask the team what they know and what they will do next.\n")
        text.rstrip()
        update_if_changed(self, text)


# ---------------------------------------------------------------------------- feed


@dataclass(frozen=True)
class FeedFilter:
    """Show every item, or the items on one channel, or addressed to one role."""

    channel: str | None = None
    role: str | None = None

    def accepts(self, item: FeedItem, roles_of: dict[str, tuple[str, ...]]) -> bool:
        if self.channel is not None and item.channel != self.channel:
            return False
        if self.role is not None:
            to = roles_of.get(item.to, (item.to,))
            if item.to != "everyone" and self.role not in to:
                return False
        return True

    @property
    def label(self) -> str:
        if self.channel:
            return f"channel: {self.channel}"
        if self.role:
            return f"for: {self.role}"
        return "everything"


def feed_line(item: FeedItem, participants: dict[str, str] | None = None, compact: bool = False) -> Table | Text:
    """One feed item: a fixed time/channel column and the message wrapped beside it (hanging indent).

    ``participants``: who plays which member, shown after the member's name (``Tomas (Ana)``);
    ``compact``: one flowing paragraph (time, channel, message) for a narrow feed.
    """
    head = Text(no_wrap=True)
    head.append(" ", "bold yellow")  # a blank first column, styled as before (where a new-item marker was)
    head.append(format_clock(item.t), "dim")
    channel = "status" if item.channel == "status-page" else item.channel
    head.append(f" {channel.upper():<9.9}", "bold red" if item.kind == "alert" else "cyan")
    body = Text()
    names = participants or {}
    if item.sender:
        body.append(item.sender, "bold")
        if names.get(item.sender):
            body.append(f" ({names[item.sender]})", "italic")
        if item.to != "everyone":
            body.append(f" → {item.to}", "dim")
        body.append(": ")
    elif item.to != "everyone" and item.kind != "page":
        body.append(f"→ {item.to}: ", "dim")
    message = with_participants(item.text, names) if names and item.sender not in names else Text(item.text)
    message.stylize(KIND_STYLE.get(item.kind, ""))
    body.append_text(message)
    if compact:
        head.rstrip()
        head.append(" ")
        return Text.assemble(head, body)
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=16, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(head, body)
    return grid


class SteadyScrollbars:
    """Mixed into a ScrollView (before it): skips a layout bringing the view the sizes it already has.

    Textual's ``ScrollView._size_updated`` compares the layout's virtual size with the view's own (a
    log's lines, a list's options), which never match, so every layout anywhere on the screen (a
    pause banner shown, a decision card mounted) redrew this view's scrollbar and sent it a resize:
    a few milliseconds each, most of a key press's time to screen at x60 (issue 18). The view's own
    changes (a line written, an option added) update its scrollbar as before (``virtual_size``).
    """

    _laid_out: tuple[Size, Size, Size] | None = None

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        sizes = (size, virtual_size, container_size)
        if sizes == self._laid_out:
            return False
        self._laid_out = sizes
        return super()._size_updated(size, virtual_size, container_size, layout)


class IncidentFeed(SteadyScrollbars, RichLog):
    """The incident feed, newest at the bottom; new items carry a marker.

    Bound to a screen (``data_bind``): ``view`` (its feed items, and its members: their roles for a
    role filter, who plays them after their names), ``feed_filter`` and ``compact``. The feed writes
    the items the filter accepts and owns their bookkeeping: when each arrived (by ``clock``, the
    screen's wall clock) and its border title, which names the filter and says how many of the items
    it shows came in the last ``FRESH`` wall seconds (``count_new``, which its screen calls as wall
    time moves: the drill screen each tick, a seat's each second). ``title``: the border title before
    the filter and the count (a seat's own inbox, say). A change of width writes the lines again.

    ``show`` appends the items it has not written yet; it rewrites the whole log only when
    the items shown are not a continuation of the last ones (the filter changed).
    """

    TITLE = "Incident feed"
    """The border title, before the filter and the count of new items, unless ``title`` is given."""

    view: var[DrillView | None] = var(None, init=False)
    feed_filter: var[FeedFilter] = var(FeedFilter, init=False)
    """The items shown: every one, one channel's or one role's (``f``)."""
    compact: var[bool] = var(False, init=False)
    """One flowing paragraph per item (``feed_line``), for a narrow feed."""

    def __init__(
        self, *args: object, clock: Callable[[], float] = time.monotonic, title: str | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.clock = clock
        """Wall seconds (monotonic): when an item arrived, how long it counts as new."""
        self.feed_title = title or self.TITLE
        self.border_title = self.feed_title
        self._written: list[int] = []
        self._compact = False
        self._appending = False
        self._arrived: dict[int, float] = {}
        self._looked = False  # a view drawn: what arrives after it is new
        self._listed: list[FeedItem] = []
        self._state: tuple[object, ...] = ()
        self._wrapped_at = 0  # the content width the lines were written at

    def watch_view(self) -> None:
        self.draw()

    def watch_feed_filter(self) -> None:
        self.draw()

    def watch_compact(self) -> None:
        self.draw()

    def draw(self) -> None:
        """The view's items that the filter accepts: appended (or the log rewritten), then the title."""
        view = self.view
        if view is None:
            return
        # what the first view already holds was there before this screen looked (a seat joining late, a drill
        # resumed): only what arrives after it counts as new
        now = self.clock() if self._looked else -math.inf
        self._looked = True
        arrived = self._arrived
        for item in view.feed:
            arrived.setdefault(item.seq, now)
        roles_of = {m.name: m.roles for m in view.members}
        listed = self._listed = [i for i in view.feed if self.feed_filter.accepts(i, roles_of)]
        state = (listed[-1].seq if listed else -1, len(listed), self.feed_filter, self.compact)
        if state != self._state:
            self._state = state
            participants = {m.name: m.participant for m in view.members if m.participant}
            self.show(listed, participants, compact=self.compact)
        self.count_new()

    def count_new(self) -> None:
        """The border title: the filter, if any, and how many of the items shown are new (wall time)."""
        now, arrived, chosen = self.clock(), self._arrived, self.feed_filter
        fresh = sum(1 for i in self._listed if now - arrived[i.seq] < FRESH)
        title = self.feed_title + (f" ({chosen.label})" if chosen.role or chosen.channel else "")
        if fresh:
            title += f" · {fresh} new"
        if self.border_title != title:
            self.border_title = title

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False) -> Self:
        """While lines are appended, a longer log repaints itself and its scrollbar instead of laying out the screen.

        ``RichLog.write`` grows the log's virtual size, a reactive that lays out the whole
        screen (every widget arranged and drawn again); the feed's own size does not change,
        so only a scrollbar appearing needs the layout.
        """
        if layout and self._appending and not recompose:
            shown = self.show_vertical_scrollbar
            self._refresh_scrollbars()
            if self.show_vertical_scrollbar == shown:
                self._scroll_update(self.virtual_size)
                layout = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def show(
        self, items: Sequence[FeedItem], participants: dict[str, str] | None = None, compact: bool = False
    ) -> None:
        seqs = [i.seq for i in items]
        written = self._written
        if seqs[: len(written)] != written or compact != self._compact:
            self.clear()
            written = self._written = []
            self._compact = compact
        self._appending = True
        try:
            for item in items[len(written) :]:
                self.write(feed_line(item, participants, compact), expand=True)
                written.append(item.seq)
        finally:
            self._appending = False
        self._wrapped_at = self.scrollable_content_region.width
        self.scroll_end(animate=False, immediate=True)

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        if self._written and width != self._wrapped_at and self.view is not None:
            # the lines were wrapped at the old width (RichLog keeps them as written): write them again at this one
            self._written, self._state = [], ()
            self.clear()
            self.draw()
        self.scroll_end(animate=False, immediate=True)  # a panel above it appeared or went: the newest stays in view


# ---------------------------------------------------------------------------- metrics


def outside_slo(value: float, slo_min: float | None, slo_max: float | None) -> bool:
    """The engine's rule: below ``slo_min`` or above ``slo_max`` (a value on the threshold is inside)."""
    return (slo_min is not None and value < slo_min) or (slo_max is not None and value > slo_max)


@dataclass(frozen=True)
class SparkBars:
    """A sparkline on an anchored scale: one bar per column, oldest first."""

    levels: tuple[int, ...]
    """Each bar's height: 0 (``▁`` on the bottom row) to ``top`` (every row full)."""
    outside: tuple[bool, ...]
    """Each bar: a sample in its column was outside the SLO."""
    thresholds: tuple[int, ...]
    """The levels of the SLO thresholds on the same scale."""
    top: int
    """The highest level: rows x 8 - 1."""
    low: float
    high: float
    """The values at level 0 and at ``top``."""


def spark_bars(
    values: Sequence[float],
    baseline: float,
    slo_min: float | None,
    slo_max: float | None,
    width: int,
    rows: int = 1,
) -> SparkBars:
    """Scale samples to bars whose range always spans the baseline and the SLO (and a little past it).

    A scale fitted to the data's own min..max makes ±1% noise look like a collapse; here the
    range reaches from the baseline to ``SLO_HEADROOM`` past each threshold (and further only
    if the data goes further), so noise stays flat, a value just over the SLO rises just over
    its line, and a breach several times the SLO reaches the top. Up to ``width`` columns, one
    sample each while they fit, else consecutive samples share a column and the column shows
    the worst of them (furthest to the SLO's wrong side) and counts as outside if any was.
    """
    top = max(1, rows) * len(SPARK_BARS) - 1
    thresholds = [t for t in (slo_min, slo_max) if t is not None]
    low = min([baseline, *thresholds])
    high = max([baseline, *thresholds])
    span = high - low
    if span > 0:
        if slo_max is not None:
            high = max(high, slo_max + SLO_HEADROOM * span)
        if slo_min is not None:
            low = min(low, slo_min - SLO_HEADROOM * span)
    else:
        band = abs(baseline) * NO_SLO_BAND or 1.0
        low, high = low - band / 2, high + band / 2
    if values:
        low, high = min(low, *values), max(high, *values)
    extent = high - low

    def level(value: float) -> int:
        return min(top, max(0, round((value - low) / extent * top)))

    def badness(value: float) -> float:
        if slo_max is not None and slo_min is None:
            return value
        if slo_min is not None and slo_max is None:
            return -value
        return abs(value - baseline)

    count = len(values)
    columns = min(max(0, width), count)
    levels: list[int] = []
    outside: list[bool] = []
    for i in range(columns):
        chunk = values[i * count // columns : (i + 1) * count // columns]
        levels.append(level(max(chunk, key=badness)))
        outside.append(any(outside_slo(v, slo_min, slo_max) for v in chunk))
    return SparkBars(tuple(levels), tuple(outside), tuple(level(t) for t in thresholds), top, low, high)


def spark_runs(bars: SparkBars, width: int, rows: int) -> list[list[tuple[str, str]]]:
    """The bars as ``rows`` lines (top first) of ``width`` cells, each line as runs of ``(glyphs, kind)``:
    ``ok`` (in-SLO bars), ``bad`` (outside it) or ``mark`` (the SLO line and empty cells). A run is as long
    as its kind lasts, so a line is a few segments, not one per cell."""
    eighths = len(SPARK_BARS)
    lines: list[list[tuple[str, str]]] = []
    for row in reversed(range(rows)):
        floor = row * eighths
        marked = any(floor <= t < floor + eighths for t in bars.thresholds)
        runs: list[tuple[str, str]] = []
        for column in range(width):
            if column < len(bars.levels) and bars.levels[column] >= floor:
                level = bars.levels[column]
                glyph = "█" if level >= floor + eighths else SPARK_BARS[level - floor]
                kind = "bad" if bars.outside[column] else "ok"
            else:
                glyph, kind = (SLO_MARK if marked else " "), "mark"
            if runs and runs[-1][1] == kind:
                runs[-1] = (runs[-1][0] + glyph, kind)
            else:
                runs.append((glyph, kind))
        lines.append(runs)
    return lines


def spark_text(bars: SparkBars, width: int, rows: int, ok: Style, bad: Style, mark: Style) -> Text:
    """The bars as ``rows`` lines of ``width`` cells: in-SLO bars ``ok``, outside ones ``bad``, the SLO line ``mark``."""
    styles = {"ok": ok, "bad": bad, "mark": mark}
    text = Text(no_wrap=True, overflow="crop")
    for n, runs in enumerate(spark_runs(bars, width, rows)):
        if n:
            text.append("\n")
        for glyphs, kind in runs:
            text.append(glyphs, styles[kind])
    return text


class SloSparkline(Widget):
    """Recent samples of a metric as bars on a scale anchored at its baseline and SLO; bars outside the SLO are red.

    Textual's ``Sparkline`` scales to the data's own min..max and colours by height, so it
    cannot show where the SLO is; this draws the same ``▁▂▃▄▅▆▇█`` bars from :func:`spark_bars`.
    It draws with Textual's line API: each line a few segments (:func:`spark_runs`), made once per new
    set of bars, where a rendered ``Text`` of one span per cell cost a few milliseconds at every sample
    (at x60 the cards follow twice a second: most of the idle screen's cost).
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"slo-spark--ok", "slo-spark--outside", "slo-spark--slo"}
    DEFAULT_CSS = """
    SloSparkline {
        height: 1;
    }
    SloSparkline > .slo-spark--ok {
        color: $primary;
    }
    SloSparkline > .slo-spark--outside {
        color: $error;
    }
    SloSparkline > .slo-spark--slo {
        color: $error 45%;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.series: tuple[tuple[float, ...], float, float | None, float | None] = ((), 0.0, None, None)
        self._drawn: SparkBars | None = None
        self._strips: list[Strip] | None = None

    def show(self, values: Sequence[float], baseline: float, slo_min: float | None, slo_max: float | None) -> None:
        series = (tuple(values), baseline, slo_min, slo_max)
        if series != self.series:
            self.series = series
            bars = self.bars()  # a new sample often leaves every bar as it was: then nothing to repaint
            if bars != self._drawn:
                self._drawn, self._strips = bars, None
                self.refresh()

    def bars(self) -> SparkBars:
        values, baseline, slo_min, slo_max = self.series
        return spark_bars(values, baseline, slo_min, slo_max, self.size.width, self.size.height)

    def on_resize(self) -> None:
        self._drawn = self._strips = None  # other columns: draw again

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips = None  # another theme: other colours

    def render_line(self, y: int) -> Strip:
        strips = self._strips
        if strips is None:
            strips = self._strips = self._make_strips()
        return strips[y] if y < len(strips) else Strip.blank(self.size.width)

    def _make_strips(self) -> list[Strip]:
        _, background = self.background_colors
        base = self.rich_style

        def style(component: str) -> Style:
            return base + Style(color=(background + self.get_component_styles(component).color).rich_color)

        styles = {"ok": style("slo-spark--ok"), "bad": style("slo-spark--outside"), "mark": style("slo-spark--slo")}
        width, rows = self.size.width, self.size.height
        if self._drawn is None:  # after a resize; otherwise ``show`` made them for this size
            self._drawn = self.bars()
        bars = self._drawn
        return [
            Strip([Segment(glyphs, styles[kind]) for glyphs, kind in runs], width)
            for runs in spark_runs(bars, width, rows)
        ]


class _Children:
    """Look a child widget up once (``show`` runs on every tick)."""

    def _child(self, selector: str) -> Static:
        cache: dict[str, Static] = self.__dict__.setdefault("_children", {})
        found = cache.get(selector)
        if found is None:
            found = cache[selector] = self.query_one(selector, Static)  # type: ignore[attr-defined]
        return found


class MetricCard(_Children, Vertical):
    """A metric: its value against baseline and SLO, and a sparkline of recent samples.

    Bound to a screen (``data_bind``): ``view`` (the card shows its metric, hidden while the view has
    none), ``compact`` and ``brief``; it redraws when its metric or the layout changed. Or call ``show``.
    """

    view: var[DrillView | None] = var(None, init=False)
    metric: var[MetricView | None] = var(None, init=False)
    """This card's metric in ``view`` (None: not in it, the card is hidden)."""
    compact: var[bool] = var(False, init=False)
    """One line, value first."""
    brief: var[bool] = var(False, init=False)
    """The value line without the baseline."""

    def __init__(self, metric_id: str, **kwargs: object) -> None:
        super().__init__(id=f"metric-{metric_id}", classes="metric-card", **kwargs)  # type: ignore[arg-type]
        self.metric_id = metric_id

    def watch_view(self, view: DrillView | None) -> None:
        if view is not None:
            metric = next((m for m in view.metrics if m.id == self.metric_id), None)
            if self.display != (metric is not None):
                self.display = metric is not None
            self.metric = metric

    def watch_metric(self) -> None:
        self.draw()

    def watch_compact(self) -> None:
        self.draw()

    def watch_brief(self) -> None:
        self.draw()

    def draw(self) -> None:
        if self.metric is not None and self.is_mounted:
            self.show(self.metric, compact=self.compact, brief=self.brief)

    def compose(self) -> ComposeResult:
        yield Static(classes="metric-label")
        yield Static(classes="metric-value")
        yield SloSparkline(classes="metric-spark")

    def show(self, metric: MetricView, compact: bool = False, brief: bool = False) -> None:
        """``compact``: one line, value first; ``brief``: the value line without the baseline."""
        style = "bold red" if metric.breached else "bold green"
        unit = metric.unit
        label = Text(overflow="ellipsis")  # wraps or not as the size's CSS says (drill.tcss)
        if compact:  # one line: the value and its SLO first, then what it is
            label.append(f"{number(metric.value)}{unit}", style)
            if metric.slo_max is not None:
                label.append(f" ≤{readable_number(metric.slo_max)}{unit}", "dim")
            if metric.slo_min is not None:
                label.append(f" ≥{readable_number(metric.slo_min)}{unit}", "dim")
            label.append(" ")
            label.append(metric.label)
        else:
            label.append(metric.label, "bold")
        update_if_changed(self._child(".metric-label"), label, layout=False)
        text = Text()
        text.append(f"{number(metric.value)}{unit}", style)
        bits = []
        slo = "" if brief else "SLO "
        if metric.slo_max is not None:
            bits.append(f"{slo}≤{readable_number(metric.slo_max)}{unit}")
        if metric.slo_min is not None:
            bits.append(f"{slo}≥{readable_number(metric.slo_min)}{unit}")
        if not brief:
            bits.append(f"base {number(metric.baseline)}{unit}")
        text.append((" " if brief else "  ") + " · ".join(bits), "dim")
        update_if_changed(self._child(".metric-value"), text, layout=False)
        spark = self.query_one(SloSparkline)
        spark.show(metric.history[-SPARK_SAMPLES:], metric.baseline, metric.slo_min, metric.slo_max)
        self.set_class(metric.breached, "breached")
        if self.tooltip != metric.label:
            self.tooltip = metric.label  # the full title, wherever the card cuts it


# ---------------------------------------------------------------------------- team


STATUS_STYLE = {"standby": "dim", "paged": "bold yellow", "idle": "green", "busy": "bold cyan"}


class MemberRow(Widget):
    """A roster member: who plays them, status, the running action's progress and the queue.

    One widget drawing its two lines itself (name and status beside a progress bar drawn as
    Textual's ``Bar`` draws it, then the detail): a team of ten is ten widgets, not sixty,
    which is most of what the screen composites each time its clocks move. At one line of
    height (the medium and compact sizes) the detail line is left out and the name gets
    more room.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"member-row--bar", "member-row--inactive"}
    DEFAULT_CSS = """
    MemberRow {
        height: 2;
    }
    MemberRow > .member-row--bar {
        color: $primary;
        background: $surface;
    }
    MemberRow > .member-row--inactive {
        color: $panel;
        background: $surface;
    }
    """
    TEXT_WIDTH = 18
    """Cells of the name and status beside the bar (two-line rows)."""
    TEXT_WIDTH_ONE_LINE = 26
    """The same on one-line rows (the detail line, with who plays them, is not shown)."""

    view: var[DrillView | None] = var(None, init=False)
    """Bind it to a screen's view (``data_bind``): the row shows its member at the view's time; or call ``show``."""

    def __init__(self, member: MemberView) -> None:
        super().__init__(classes="member-row")
        self.member_name = member.name
        self._lines: tuple[Text, int, bool, Text] | None = None

    def watch_view(self, view: DrillView | None) -> None:
        member = next((m for m in view.members if m.name == self.member_name), None) if view is not None else None
        if member is not None:
            self.show(member, view.t)  # type: ignore[union-attr]

    def show(self, member: MemberView, now: float) -> None:
        """Its lines for ``member`` at ``now``; it repaints only if they changed."""
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{member.name:<8.8}", "bold")
        text.append(f" {member.status:<7}", STATUS_STYLE.get(member.status, ""))
        if member.participant:
            text.append(f" {member.participant}", "italic")
        progress = round(member.progress * 100)
        active = member.status in ("busy", "paged")
        detail = Text(no_wrap=True, overflow="ellipsis")
        who = f"{member.participant} · " if member.participant else ""
        detail.append("  " + who + ", ".join(member.roles), "dim")
        if member.status == "busy" and member.action:
            left = (member.finishes_at or now) - now
            detail = Text(no_wrap=True, overflow="ellipsis")
            if member.participant:
                detail.append(f"  {member.participant} ·", "dim")
            detail.append(f"  {member.action}", "cyan")
            detail.append(f" ({format_duration(max(0.0, left))} left)", "dim")
        elif member.status == "paged" and member.finishes_at is not None:
            detail.append(f"  responds in {format_duration(max(0.0, member.finishes_at - now))}", "yellow")
        if member.queued:
            detail.append(f"  +{len(member.queued)} queued: {', '.join(member.queued)}", "yellow")
        lines = (text, progress, active, detail)
        if lines != self._lines:
            self._lines = lines
            self.refresh()  # its own lines only: a row's size never depends on its text

    def render(self) -> RenderResult:
        if self._lines is None:
            return Text()
        text, progress, active, detail = self._lines
        one_line = self.size.height <= 1
        text_width = min(self.size.width, self.TEXT_WIDTH_ONE_LINE if one_line else self.TEXT_WIDTH)
        style = self.get_component_rich_style("member-row--bar" if active else "member-row--inactive")
        bar_width = max(0, self.size.width - text_width)
        bar = Bar(
            highlight_range=(0, bar_width * progress / 100),
            highlight_style=Style.from_color(style.color),
            background_style=Style.from_color(style.bgcolor),
            width=bar_width,
        )
        grid = Table.grid(expand=True)
        grid.add_column(width=text_width, no_wrap=True, overflow="ellipsis")
        grid.add_column(width=bar_width, no_wrap=True)
        grid.add_row(text, bar)
        return grid if one_line else Group(grid, detail)


# ---------------------------------------------------------------------------- actions


def action_prompt(key: str | None, action: ActionAvailability, compact: bool = False, width: int = 40) -> Text:
    text = Text(no_wrap=compact, overflow="ellipsis")
    text.append(f" {key or ' '} ", "bold reverse" if action.available else "dim reverse")
    text.append(" ")
    text.append(action.label, "bold" if action.available else "dim")
    if compact:  # one line, cut by the menu at its real width (the role and the reason are in the hint line)
        if action.penalty:
            text.append(" ⚑", "bold red")
        if not action.available:
            text.append(" ✗", "yellow")
        return text
    text.append("\n    ")
    text.append(action.role, "dim italic")
    if action.penalty:
        text.append(" · ⚑ a don't", "bold red")
    if not action.available and action.reason:
        text.append(f" · ✗ {action.reason}", "yellow")
    return text


def action_hint(action: ActionAvailability | None) -> Text:
    """The highlighted action in full (the menu cuts long labels at its width): its label, in the
    controller's view whether it is a don't, why it cannot be taken now (before its role: at a small size
    the reason matters more), its role; wraps onto the lines the hint has (``fit_lines``)."""
    text = Text()
    if action is None:
        return text
    text.append(action.label, "bold")
    if action.penalty:  # the controller's view only: the players' never says which actions are don'ts
        text.append(" · ⚑ a don't: it costs points", "bold red")
    if action.available:
        text.append(" · ", "dim")
        text.append(action.role, "italic")
        text.append(" · Enter takes it, p: choose who", "dim")
    else:
        text.append(f" · ✗ {action.reason}", "yellow")
        text.append(" · ", "dim")
        text.append(action.role, "italic")
    return text


def fit_lines(text: Text, console: Console, width: int, rows: int) -> Text:
    """``text`` wrapped at ``width`` onto at most ``rows`` lines; what does not fit ends the last line with
    ``…`` (a box of fixed height would cut it without a sign)."""
    if width <= 0 or rows <= 0:
        return text
    lines = text.wrap(console, width)
    if len(lines) <= rows:
        return text
    kept = list(lines)[:rows]
    last = kept[-1]
    last.rstrip()
    if last.cell_len >= width:
        last.truncate(width - 1)
    last.append("…", "dim")
    return Text("\n").join(kept)


class ActionMenu(SteadyScrollbars, OptionList):
    """The actions of the scenario with their shortcut keys; unavailable ones say why.

    Bound to a screen (``data_bind``): ``actions`` (the seat's), ``feed_filter`` (a role filter
    lists that role's actions only) and ``one_line``; ``keys`` is given once. It changes the
    rows that changed. Or call ``show``.
    """

    actions: var[tuple[ActionAvailability, ...]] = var(tuple, init=False)
    feed_filter: var[FeedFilter] = var(lambda: FeedFilter(), init=False)
    one_line: var[bool] = var(False, init=False)
    """One line per action (OptionList's own ``compact`` is its border style)."""

    def __init__(self, keys: dict[str, str] | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.keys = keys or {}
        """The shortcut key of each action, by id."""
        self._shown: tuple[ActionAvailability, ...] = ()
        self._role: str | None = None
        self._compact = False
        self.by_id: dict[str, ActionAvailability] = {}

    def watch_actions(self) -> None:
        self.draw()

    def watch_feed_filter(self) -> None:
        self.draw()

    def watch_one_line(self) -> None:
        self.draw()

    def draw(self) -> None:
        self.show(self.actions, self.keys, self.feed_filter.role, self.one_line)

    def show(
        self, actions: Sequence[ActionAvailability], keys: dict[str, str], role: str | None, compact: bool = False
    ) -> None:
        listed = tuple(a for a in actions if role is None or a.role == role)
        if listed == self._shown and role == self._role and compact == self._compact:
            return
        highlighted = self.highlighted
        same_rows = [a.id for a in listed] == [a.id for a in self._shown] and compact == self._compact
        previous = self._shown
        self._shown, self._role, self._compact = listed, role, compact
        self.by_id = {a.id: a for a in listed}
        if same_rows:  # the same actions: change the prompts that changed, no new layout of the list
            width = self.scrollable_content_region.width - 1 or 40
            for index, (old, new) in enumerate(zip(previous, listed, strict=True)):
                if old != new:
                    self.replace_option_prompt_at_index(index, action_prompt(keys.get(new.id), new, compact, width))
            return
        self.clear_options()
        width = self.scrollable_content_region.width - 1 or 40
        self.add_options(Option(action_prompt(keys.get(a.id), a, compact, width), id=a.id) for a in listed)
        if listed:
            self.highlighted = min(highlighted or 0, len(listed) - 1)

    def current(self) -> ActionAvailability | None:
        if self.highlighted is None or not 0 <= self.highlighted < len(self._shown):
            return None
        return self._shown[self.highlighted]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(ActionRequested(event.option.id))


# ---------------------------------------------------------------------------- who does it


@dataclass(frozen=True)
class MemberChoice:
    """A member who could take an action, as the who-does-it chooser lists them."""

    member: MemberView
    load: int
    """The running action and the queued ones: how many tasks are ahead of this one."""
    ready_in: float
    """Sim seconds until they can start: 0 once engaged, else until they respond to the page."""
    role_match: bool
    """They hold the action's role; otherwise the engine applies its off-role penalty."""
    skilled: bool
    """They have a skill the action asks for (faster and steadier)."""
    default: bool
    """The member drillsim itself would choose."""


def member_choices(
    action: Action, members: Sequence[MemberView], roster: Roster, now: float, default: str
) -> list[MemberChoice]:
    """Everyone who could take ``action``: its role's holders first, then the rest (off-role), in roster order.

    ``default`` is the member the engine itself would choose (``Drill.default_member``).
    """
    specs = {m.name: m for m in roster.members}
    rows: list[MemberChoice] = []
    for member in members:
        spec = specs[member.name]
        load = len(member.queued) + (1 if member.status == "busy" else 0)
        if member.status in ("idle", "busy"):
            ready_in = 0.0
        elif member.finishes_at:  # paged: responds then
            ready_in = member.finishes_at - now
        else:
            ready_in = spec.response_time
        choice = MemberChoice(
            member,
            load,
            max(0.0, ready_in),
            action.role in member.roles,
            bool(set(action.skills) & set(spec.skills)),
            member.name == default,
        )
        rows.append(choice)
    return [c for c in rows if c.role_match] + [c for c in rows if not c.role_match]


def member_choice_text(choice: MemberChoice, now: float) -> Text:
    """Two lines, cut to the width: who, their status and drillsim's pick; what the engine adds or takes away, their roles."""
    member = choice.member
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(member.name, "bold")
    if member.participant:
        text.append(f" ({member.participant})", "dim")
    text.append("  ")
    text.append(member.status, STATUS_STYLE.get(member.status, ""))
    if member.status == "busy":
        text.append(f", {format_duration(max(0.0, (member.finishes_at or now) - now))} left", "cyan")
    elif member.status == "paged":
        text.append(f", responds in {format_duration(choice.ready_in)}", "yellow")
    elif member.status == "standby":
        text.append(f", responds {format_duration(choice.ready_in)} after the page", "dim")
    if member.queued:
        text.append(f", +{len(member.queued)} queued", "yellow")
    if choice.default:
        text.append("  (drillsim's pick)", "bold green")
    text.append("\n   ")
    if not choice.role_match:
        text.append(
            f"off-role: {OFF_ROLE_SLOWDOWN:g}x the time, {OFF_ROLE_RELIABILITY:g}x the success chance", "yellow"
        )
        text.append(" · ", "dim")
    if choice.skilled:
        text.append(f"skilled: {SKILL_SPEEDUP:g}x the time", "green")
        text.append(" · ", "dim")
    text.append(", ".join(member.roles), "dim italic")
    return text


# ---------------------------------------------------------------------------- decisions


def decision_text(decision: DecisionView, first: bool) -> Text:
    text = Text()
    left = decision.time_left
    text.append(f" {format_clock(left)} left ", "bold white on red" if left <= 60 else "bold black on yellow")
    text.append(" DECISION ", "bold")
    if decision.sender:
        text.append(f"{decision.sender}: ", "bold")
    text.append(decision.prompt)
    if first:
        text.append("  (d: answer)", "dim")
    return text


class DecisionCard(Vertical):
    """An open decision: who asks, the prompt, a countdown and one button per option."""

    def __init__(self, decision: DecisionView, index: int) -> None:
        super().__init__(classes="decision-card")
        self.decision = decision
        self.index = index

    def compose(self) -> ComposeResult:
        yield Static(decision_text(self.decision, self.index == 0), classes="decision-text")
        with Vertical(classes="decision-options"):
            for n, option in enumerate(self.decision.options, start=1):
                button = Button(Text(f"{n}. {option.label}"), classes="decision-option", compact=True)
                button.can_focus = False  # space and enter stay the facilitator's keys
                button.option_action = option.action  # type: ignore[attr-defined]
                yield button

    def show(self, decision: DecisionView) -> None:
        self.decision = decision
        update_if_changed(self.query_one(".decision-text", Static), decision_text(decision, self.index == 0))
        self.set_class(decision.time_left <= 60, "urgent")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        action = getattr(event.button, "option_action", None)
        if action:
            self.post_message(DecisionAnswered(self.decision.inject, action))


class DecisionPanel(Vertical):
    """Every open decision, most urgent first; hidden when there is none.

    ``view``: bind it to a screen's view (``data_bind``) and the panel follows it; or call ``show``."""

    view: var[DrillView | None] = var(None, init=False)

    def watch_view(self, view: DrillView | None) -> None:
        if view is not None:
            self.show(view.decisions)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._ids: tuple[str, ...] = ()
        self._cards: list[DecisionCard] = []

    def show(self, decisions: Sequence[DecisionView]) -> None:
        ids = tuple(d.inject for d in decisions)
        if ids != self._ids:
            self._ids = ids
            self.remove_children()
            self._cards = [DecisionCard(d, i) for i, d in enumerate(decisions)]
            self.mount_all(self._cards)
        else:
            for card, decision in zip(self._cards, decisions, strict=False):
                if card.query(".decision-text"):  # composed (mounting is asynchronous)
                    card.show(decision)
        self.display = bool(decisions)


# ---------------------------------------------------------------------------- milestones and clocks


def milestone_table(view: DrillView, wrap: bool = False, fold: bool = True) -> Table:
    """The regulatory clocks, then the milestones with their targets or when reached.

    ``wrap`` (a narrow pane): each row one paragraph (label, then its time) that
    wraps instead of cutting the label. ``fold``: a long label wraps onto more lines beside its time;
    without it, one line each, cut at the end (a panel that must leave its room to the panels below).
    """
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(ratio=1, no_wrap=not (wrap or fold), overflow="fold" if wrap or fold else "ellipsis")
    if not wrap:
        table.add_column(justify="right", no_wrap=True)
    rows: list[tuple[Text, Text]] = []
    for m in view.milestones:
        if m.reached_at is not None:
            late = m.target is not None and m.reached_at > m.target
            mark = Text("✓ ", "bold green" if not late else "bold yellow")
            when = Text(format_clock(m.reached_at), "yellow" if late else "green")
        else:
            overdue = m.target is not None and view.t > m.target
            mark = Text("✗ " if overdue else "· ", "bold red" if overdue else "dim")
            when = Text(f"by {format_clock(m.target)}" if m.target is not None else "—", "red" if overdue else "dim")
        rows.append((mark + Text(m.label), when))
    clocks: list[tuple[Text, Text]] = []
    for c in view.clocks:
        label = Text(f"⚖ {c.regime}")
        if c.started_at is None:
            state = Text(f"{format_duration(c.deadline)} once started", "dim")
        elif c.met_at is not None:
            state = Text(f"met {format_clock(c.met_at)}", "green")
        elif c.missed:
            state = Text("MISSED", "bold red")
        else:
            left = (c.due_at or view.t) - view.t
            state = Text(f"due in {format_duration(left)}", "bold yellow")
        clocks.append((label, state))
    if not rows and not clocks:  # the players' view: milestones once reached, clocks once started
        rows.append((Text("None reached yet", "dim"), Text("")))
    if wrap:
        for label, when in clocks + rows:
            table.add_row(Text.assemble(label, "  ", when))
    else:
        for label, when in clocks + rows:  # the clocks first: a panel that scrolls keeps them in view
            table.add_row(label, when)
    return table


class MilestonePanel(Static):
    """The milestones and the clocks. Bound to a screen (``data_bind``): ``view``, ``wrap`` and ``fold``
    (see :func:`milestone_table`); it redraws when its table changed. Or call ``show``."""

    view: var[DrillView | None] = var(None, init=False)
    wrap: var[bool] = var(False, init=False)
    fold: var[bool] = var(True, init=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._shown: object = None
        self._rows: object = None

    def watch_view(self) -> None:
        self.draw()

    def watch_wrap(self) -> None:
        self.draw()

    def watch_fold(self) -> None:
        self.draw()

    def draw(self) -> None:
        if self.view is not None:
            self.show(self.view, self.wrap, self.fold)

    def show(self, view: DrillView, wrap: bool = False, fold: bool = True) -> None:
        """``wrap`` and ``fold``: see :func:`milestone_table`."""
        table = milestone_table(view, wrap, fold)
        key = tuple(tuple(column._cells) for column in table.columns)
        key = (key, wrap, fold)
        if key != self._shown:
            wraps = wrap or fold  # then a time of another width can wrap a label differently
            lengths = tuple(len(getattr(c, "plain", "")) for col in table.columns for c in col._cells) if wraps else ()
            rows = (len(table.rows), wrap, fold, lengths)
            self.update(table, layout=rows != self._rows)  # a time changing in place needs no new layout
            self._shown, self._rows = key, rows


def controller_grid(extras: Mapping[str, Any]) -> Table:
    """A two-column grid (what, state) opened with the drill's faults by label and whether each is on: the
    start of the single terminal's controller panel and of the controller console's truth pane."""
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(ratio=1, overflow="ellipsis", no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    for fault in extras.get("faults") or []:
        if fault["started_at"] is None:
            state = Text("pending", "dim")
        elif fault["stopped_at"] is not None:
            state = Text(f"stopped {format_clock(fault['stopped_at'])}", "green")
        else:
            state = Text(f"since {format_clock(fault['started_at'])}", "bold red")
        table.add_row(Text(("⚡ " if fault["impact"] else "· ") + str(fault["label"])), state)
    return table


def add_recent_penalties(table: Table, extras: Mapping[str, Any]) -> None:
    """The last three penalties, each with its reason and points."""
    for penalty in (extras.get("penalties") or [])[-3:]:
        table.add_row(Text(f"  {penalty['reason']}", "red"), Text(f"-{penalty['points']}"))


def controller_table(view: DrillView, extras: Mapping[str, Any]) -> Table:
    """The controller's information (``host.views.controller_extras``): faults by label, the live score and
    the penalties, the true metric values where they differ from what the team sees."""
    table = controller_grid(extras)
    score = extras.get("score")
    table.add_row(Text("live score", "bold"), Text(f"{score['total']:g} / 100", "bold") if score else Text("…", "dim"))
    points = view.penalty_points
    table.add_row(Text("penalties", "bold"), Text(f"-{points}", "bold red") if points else Text("none", "dim"))
    add_recent_penalties(table, extras)
    shown = {m.id: m for m in view.metrics}
    for metric_id, value in (extras.get("truth") or {}).items():
        metric = shown.get(metric_id)
        if metric is not None and value is not None and round(float(value), 6) != round(metric.value, 6):
            table.add_row(Text(f"true {metric.label}", "dim"), Text(number(float(value))))
    return table


class ControllerPanel(Static):
    """What only the controller may see (shown in the controller's view): faults, live score, penalties, truth.

    Bound to a screen (``data_bind``): ``view``, ``extras`` (the controller's ground truth) and ``on``
    (the controller's view is on; off, it does not redraw). Or call ``show``.
    """

    view: var[DrillView | None] = var(None, init=False)
    extras: var[Mapping[str, Any]] = var(dict, init=False)
    on: var[bool] = var(False, init=False)

    def watch_view(self) -> None:
        self.draw()

    def watch_extras(self) -> None:
        self.draw()

    def watch_on(self) -> None:
        self.draw()

    def draw(self) -> None:
        if self.on and self.view is not None:
            self.show(self.view, self.extras)

    def show(self, view: DrillView, extras: Mapping[str, Any]) -> None:
        table = controller_table(view, extras)
        key = tuple(tuple(getattr(c, "plain", str(c)) for c in column._cells) for column in table.columns)
        if key != getattr(self, "_shown", None):
            self._shown = key
            self.update(table)


def roles_in(members: Iterable[MemberView]) -> list[str]:
    seen: list[str] = []
    for member in members:
        for role in member.roles:
            if role not in seen:
                seen.append(role)
    return seen


__all__ = [
    "ACTION_KEYS",
    "ActionMenu",
    "DecisionPanel",
    "DrillHeader",
    "FeedFilter",
    "IncidentFeed",
    "MemberChoice",
    "MemberRow",
    "MetricCard",
    "MilestonePanel",
    "PausedBanner",
    "SloSparkline",
    "member_choice_text",
    "member_choices",
    "roles_in",
    "spark_bars",
]
