"""The report's figures as PNG bytes: matplotlib ``Figure()`` on the Agg canvas, never pyplot.

- ``metrics``: each metric over time, its SLO band shaded, actions and milestones marked;
- ``members``: a per-member timeline: who did what and when, and how long each task waited;
- ``milestones``: each milestone's time from impact against its target and par.

Text a trainer or participant typed ends up in figures only as plain matplotlib text
(``usetex`` off, mathtext disabled by escaping ``$``), so nothing in it is interpreted.
"""

from __future__ import annotations

import io
from typing import Any

from drillsim.reports.facts import DrillFacts
from drillsim.reports.scoring import Scorecard, milestone_ids, milestone_interval_name

FIGURE_NAMES = ("metrics", "members", "milestones")

INK = "#111111"
GOOD = "#1b7837"
BAD = "#b2182b"
ACCENT = "#2166ac"
MUTED = "#8c8c8c"


def plain(text: object, limit: int = 48) -> str:
    """Text safe for matplotlib: no mathtext, one line, bounded length."""
    text = " ".join(str(text).split()).replace("$", r"\$")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _new_figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    # room at the edges for the last tick label and the rotated annotations (nothing clipped at the right)
    fig = Figure(figsize=(width, height), dpi=100, layout=ConstrainedLayoutEngine(w_pad=0.12, h_pad=0.08))
    return fig


def png_bytes(fig: Any) -> bytes:
    """A matplotlib ``Figure`` as PNG bytes (Agg canvas; no timestamp metadata, so output is reproducible)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def style(**settings: Any) -> dict[str, Any]:
    """matplotlib settings of every drillsim figure (ink colours, no TeX), ``settings`` on top."""
    ink = {name: INK for name in ("axes.edgecolor", "text.color", "axes.labelcolor", "xtick.color", "ytick.color")}
    return {**ink, "text.usetex": False, **settings}


def _style() -> Any:
    return style(**{"font.size": 11, "axes.titlesize": 12, "axes.labelsize": 11, "svg.fonttype": "none"})


ACTION_LABEL_CHARS = 30
"""Longest action label above the metrics (a cut ends with "…")."""


def label_widths(labels: list[str], x_max: float, axes_inches: float) -> list[float]:
    """How far along an x axis from 0 to ``x_max``, about ``axes_inches`` wide, each 8 pt label reaches (DejaVu
    Sans, about 0.6 em a character, and a character of room)."""
    per_char = x_max / axes_inches * (8 * 0.6 / 72)
    return [(len(label) + 1) * per_char for label in labels]


def action_lanes(spans: list[tuple[float, float]]) -> list[int]:
    """The lane of each label in a strip, the labels spanning ``(start, end)``: taken by start, each goes on the
    first lane whose last label has ended, so no two overlap (and no more lanes than the most that overlap)."""
    ends: list[float] = []
    lanes = [0] * len(spans)
    for i in sorted(range(len(spans)), key=lambda i: spans[i]):
        start, end = spans[i]
        lane = next((k for k, last in enumerate(ends) if last <= start), len(ends))
        if lane == len(ends):
            ends.append(end)
        else:
            ends[lane] = end
        lanes[i] = lane
    return lanes


def metrics_figure(facts: DrillFacts) -> bytes:
    import matplotlib

    metrics = list(facts.scenario.metrics.items())
    done = [r for r in facts.runs if r.success and r.finished_at is not None]
    x_max = max(facts.played_until, 60.0) / 60.0
    width_in = 10.0
    # each done action's label in a strip above the metrics, on the first free lane: horizontal and never on
    # top of another (they were rotated above the first chart and ran into each other when actions bunched)
    labels = [plain(facts.action_label(r.action), ACTION_LABEL_CHARS) for r in done]
    times = [float(r.finished_at or 0.0) / 60.0 for r in done]
    widths = label_widths(labels, x_max, width_in - 1.2)
    # a label that would run past the right edge ends at its line instead (the charts keep their width)
    right = [x + w > x_max for x, w in zip(times, widths, strict=True)]
    lanes = action_lanes([(x - w, x) if r else (x, x + w) for x, w, r in zip(times, widths, right, strict=True)])
    n_lanes = max(lanes, default=-1) + 1
    strip = 0.22 * n_lanes + 0.15 if done else 0.0
    with matplotlib.rc_context(_style()):
        fig = _new_figure(width_in, 2.4 * len(metrics) + 0.8 + strip)
        ratios = ([strip] if done else []) + [2.4] * len(metrics)
        grid = fig.subplots(len(ratios), 1, sharex=True, squeeze=False, gridspec_kw={"height_ratios": ratios})[:, 0]
        axes = grid[1:] if done else grid
        if done:
            lane_ax = grid[0]
            lane_ax.set_ylim(n_lanes - 0.5, -0.6)
            lane_ax.set_yticks([])
            for side in ("left", "right", "top"):
                lane_ax.spines[side].set_visible(False)
            lane_ax.tick_params(axis="x", length=0)
            lane_ax.set_title("Actions done", loc="left", fontsize=10, color=GOOD)
            for x, lane, label, at_right in zip(times, lanes, labels, right, strict=True):
                lane_ax.vlines(x, lane, n_lanes - 0.5, color=GOOD, alpha=0.5, linewidth=1)
                lane_ax.text(
                    x,
                    lane,
                    label,
                    fontsize=8,
                    va="center",
                    ha="right" if at_right else "left",
                    color=GOOD,
                    clip_on=False,
                    bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"},
                )
        for ax, (metric_id, metric) in zip(axes, metrics, strict=True):
            points = [
                (float(s["t"]) / 60.0, float(s["values"][metric_id]))
                for s in facts.samples
                if metric_id in (s.get("values") or {})
            ]
            if points:
                xs, ys = zip(*points, strict=True)
                ax.plot(xs, ys, color=ACCENT, linewidth=2)
            if metric.slo is not None:
                if metric.slo.max is not None:
                    ax.axhline(metric.slo.max, color=BAD, linestyle="--", linewidth=1)
                    ax.axhspan(
                        metric.slo.max, max([metric.slo.max, *(p[1] for p in points)]) * 1.05, color=BAD, alpha=0.08
                    )
                if metric.slo.min is not None:
                    ax.axhline(metric.slo.min, color=BAD, linestyle="--", linewidth=1)
                    low = min([metric.slo.min, *(p[1] for p in points)])
                    ax.axhspan(low - abs(low) * 0.05, metric.slo.min, color=BAD, alpha=0.08)
            ax.axhline(metric.baseline, color=MUTED, linestyle=":", linewidth=1)
            for x in times:
                ax.axvline(x, color=GOOD, alpha=0.5, linewidth=1)
            # the metric's whole name above its chart (a rotated axis label had room for a few words and ran
            # into the next chart's)
            unit = f" ({plain(metric.unit, 12)})" if metric.unit else ""
            ax.set_title(plain(metric.label or metric_id, 90) + unit, loc="left", fontsize=11)
            ax.grid(alpha=0.3)
        if facts.impact_started_at is not None:
            for ax in axes:
                ax.axvline(facts.impact_started_at / 60.0, color=BAD, linewidth=1.5)
        axes[-1].set_xlabel("sim time (minutes)")
        axes[-1].set_xlim(0, x_max)
        return png_bytes(fig)


def members_figure(facts: DrillFacts) -> bytes:
    import matplotlib

    names = [m.name for m in facts.roster.members] if facts.roster else []
    for run in facts.started_runs():
        if run.member and run.member not in names:
            names.append(run.member)
    names = names or ["(nobody)"]
    x_max = max(facts.played_until, 60.0)
    line = 0.26  # a label line, in units of the y axis (a bar is 0.6)
    # each member's task labels on lanes (below the bar, above it, then further below...): a busy member's
    # labels were put alternately above and below and ran into each other
    # a label that would run past the right edge ends where its bar ends instead: ended at the edge, two
    # such labels of one member both ended there and neither said which bar it was
    rows = []
    for name in names:
        mine = [r for r in facts.started_runs() if r.member == name]
        texts = [plain(facts.action_label(run.action), 30) for run in mine]
        spans = []
        for run, width in zip(mine, label_widths(texts, x_max, 10.0 - 1.6), strict=True):
            start, length = _bar(run, facts.played_until)
            spans.append(task_label_span(start, start + length, width, x_max))
        rows.append((mine, spans, texts, action_lanes(spans)))
    y, centres = 0.0, []
    for _, _, _, lanes in rows:
        above = sum(1 for lane in set(lanes) if lane % 2 == 1)
        below = len(set(lanes)) - above
        y += 0.35 + above * line
        centres.append(y)
        y += 0.35 + below * line + 0.15
    with matplotlib.rc_context(_style()):
        fig = _new_figure(10, 0.75 * y + 1.4)
        ax = fig.add_subplot()
        for (mine, spans, texts, lanes), row in zip(rows, centres, strict=True):
            for run, (left, right), text, lane in zip(mine, spans, texts, lanes, strict=True):
                start, length = _bar(run, facts.played_until)
                if run.waited > 0:
                    ax.broken_barh(
                        [(start - run.waited, run.waited)], (row - 0.3, 0.6), facecolors="#fdb863", edgecolor="none"
                    )
                colour = BAD if run.success is False else (ACCENT if run.role_match is not False else "#762a83")
                ax.broken_barh([(start, length)], (row - 0.3, 0.6), facecolors=colour, edgecolor=INK, linewidth=0.5)
                above, depth = lane % 2 == 1, lane // 2
                at_right = left < start  # (it would have run past the right edge: it ends with its bar instead)
                ax.text(
                    right if at_right else left,
                    row - 0.33 - depth * line if above else row + 0.33 + depth * line,
                    text,
                    fontsize=8,
                    va="bottom" if above else "top",
                    ha="right" if at_right else "left",
                )
        ax.set_yticks(centres, [plain(n, 20) for n in names])
        ax.set_ylim(y, 0.0)
        ticks = range(0, int(x_max) + 60, 300 if facts.played_until > 1200 else 60)
        ax.set_xticks(list(ticks), [f"{t // 60}" for t in ticks])
        ax.set_xlim(0, x_max)
        ax.set_xlabel(
            "sim time (minutes)\norange: waiting for the member, purple: outside the member's role, red: failed"
        )
        ax.grid(axis="x", alpha=0.3)
        return png_bytes(fig)


def task_label_span(start: float, end: float, width: float, x_max: float) -> tuple[float, float]:
    """Where a task's label of ``width`` lies along the members figure's x axis, its bar from ``start`` to
    ``end``: from the bar's start, or, when it would run past ``x_max``, ending where its bar ends."""
    if start + width <= x_max:
        return start, start + width
    right = min(end, x_max)
    return right - width, right


def _bar(run: Any, played_until: float) -> tuple[float, float]:
    """Where a member's task bar starts and how long it is (a task still running when the drill ended runs
    to the end; a bar is at least a second long, so an instant task still shows)."""
    start = float(run.started_at or 0.0)
    end = float(run.finished_at if run.finished_at is not None else played_until)
    return start, max(end - start, 1.0)


def milestones_figure(facts: DrillFacts, card: Scorecard) -> bytes:
    import matplotlib

    rows = []
    for milestone in milestone_ids(facts):
        interval = card.interval(milestone_interval_name(milestone))
        if interval is not None:
            rows.append((facts.milestone_label(milestone), interval))
    with matplotlib.rc_context(_style()):
        fig = _new_figure(10, 0.6 * max(len(rows), 1) + 1.6)
        ax = fig.add_subplot()
        for row, (_label, interval) in enumerate(rows):
            seconds, target, par = interval.seconds, interval.target, interval.par
            if seconds is not None:
                late = target is not None and seconds > target
                ax.barh(row, seconds / 60.0, color=BAD if late else GOOD, height=0.55)
            elif target is None:
                # no target: the scenario does not require it (a degraded mode the team may skip)
                ax.text(0.1, row, "not reached (no target)", va="center", color=MUTED, fontsize=10)
            else:
                ax.text(0.1, row, "not reached", va="center", color=BAD, fontsize=10)
            if target is not None:
                ax.plot([target / 60.0] * 2, [row - 0.4, row + 0.4], color=INK, linewidth=3)
            if interval.par_p10 is not None and interval.par_p90 is not None and interval.par_p10 < interval.par_p90:
                ax.plot([interval.par_p10 / 60.0, interval.par_p90 / 60.0], [row, row], color=INK, linewidth=1.5)
            if par is not None:
                ax.plot(par / 60.0, row, marker="D", color="#f1a340", markersize=8, markeredgecolor=INK)
        ax.set_yticks(range(len(rows)), [plain(r[0], 34) for r in rows])
        ax.invert_yaxis()
        ax.set_xlabel(
            "minutes from impact start\nblack bar: target, diamond: par (the playbook's median), line: its 10th to 90th percentile"
        )
        ax.grid(axis="x", alpha=0.3)
        return png_bytes(fig)


def figures_without_par(facts: DrillFacts) -> dict[str, bytes]:
    """The figures that do not show par (``metrics``, ``members``): drawn while par is still being computed."""
    return {"metrics": metrics_figure(facts), "members": members_figure(facts)}


def render_figures(facts: DrillFacts, card: Scorecard) -> dict[str, bytes]:
    """Every figure as PNG bytes, by name (``metrics``, ``members``, ``milestones``)."""
    return {**figures_without_par(facts), "milestones": milestones_figure(facts, card)}
