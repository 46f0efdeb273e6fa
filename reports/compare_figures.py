"""The comparison's figures as PNG bytes: the relative figure (each key interval against its scenario's
target, by team, scenario or label) and one trend figure per scenario (intervals and score across drills).

matplotlib ``Figure()`` on the Agg canvas, never pyplot, imported inside the functions that draw;
text a trainer or participant typed reaches a figure only through ``reports.figures.plain``.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from typing import Any

from drillsim.reports.compare import CHANGED_MARK, KEY_INTERVALS, Comparison, drill_name, drill_records, missing
from drillsim.reports.figures import INK, plain, png_bytes, style

MAX_SCENARIO_FIGURES = 12
"""Trend figures are drawn for this many scenarios at most (the most drilled first)."""
MAX_RELATIVE_GROUPS = 30
"""The relative figure shows the latest this many groups (teams, scenarios or labels)."""

GOOD = "#1b7837"
BAD = "#b2182b"
MUTED = "#8c8c8c"
SERIES = ["#2166ac", "#b2182b", "#1b7837", "#762a83", "#e08214", "#35978f", "#8c510a", "#c51b7d"]


def _style(grid_axis: str = "both") -> Any:
    # titles just above their axes, where matplotlib puts them when no tick labels are on top: not
    # measured against every tick label of every panel each time a figure is drawn; the grid from the
    # settings, so each tick is made with it (ax.grid() afterwards re-sets every tick of every panel)
    return style(
        **{
            "font.size": 10,
            "axes.titlesize": 11,
            "axes.titley": 1.0,
            "axes.grid": True,
            "axes.grid.axis": grid_axis,
            "grid.alpha": 0.3,
        }
    )


def scenario_figure(cmp: Comparison, scenario: str) -> bytes:
    """One scenario's key intervals (minutes) and score across its drills, one line per team (through the
    median of its drills at each label, each drill a dot when a label has several), targets as a black step
    line, par dotted, a dashed vertical line where the scenario changed."""
    import matplotlib
    from matplotlib.figure import Figure

    part = cmp.drills[cmp.drills["scenario_id"] == scenario]
    names = [n for n in cmp.intervals if part[n].notna().any() or part[f"{n}_target"].notna().any()]
    panels = [*names, "score"]
    cols = 2 if len(panels) > 1 else 1
    rows = math.ceil(len(panels) / cols)
    records = [r for r in drill_records(cmp) if r["scenario_id"] == scenario]
    # One slot on the x axis per drill name (label, else date): the teams' drills of a quarter line up.
    slots: dict[str, int] = {}
    for record in records:
        slots.setdefault(drill_name(record), len(slots))
    xs_of = [slots[drill_name(r)] for r in records]
    changed_at = sorted({x for x, r in zip(xs_of, records, strict=True) if r["scenario_changed"]})
    teams = list(dict.fromkeys(r["team"] for r in records))
    many = len(slots) > 40
    # a team with several drills at one label (three drills in a quarter): a line through every drill zigzagged
    # up and down at that label, so the line goes through their median and each drill is a dot
    per_slot = Counter((r["team"], x) for r, x in zip(records, xs_of, strict=True))
    several = {team for team, _ in (key for key, count in per_slot.items() if count > 1)}
    with matplotlib.rc_context(_style()):
        fig = Figure(figsize=(11, 2.4 * rows + 1.0), dpi=72)
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.08, top=1 - 0.75 / (2.4 * rows + 1.0), hspace=0.55)
        axes = fig.subplots(rows, cols, squeeze=False, sharex=True).ravel()
        step = max(1, math.ceil(len(slots) / 7))
        ticks = list(slots)[::step]
        axes[0].set_xticks(
            [slots[label] for label in ticks], [plain(label, 12) for label in ticks], fontsize=8, rotation=25
        )
        for ax, measure in zip(axes, panels, strict=False):
            scale = 1.0 if measure == "score" else 60.0
            for n, team in enumerate(teams):
                points = [
                    (x, r[measure] / scale)
                    for x, r in zip(xs_of, records, strict=True)
                    if r["team"] == team and not missing(r[measure])
                ]
                colour = SERIES[n % len(SERIES)]
                xs, medians = median_by_slot(points)
                if team in several:
                    ax.scatter(
                        [p[0] for p in points], [p[1] for p in points], s=14, color=colour, alpha=0.45, linewidths=0
                    )
                ax.plot(
                    xs,
                    medians,
                    marker=None if many else "o",
                    markersize=4,
                    linewidth=1.2 if many else 1.5,
                    color=colour,
                    label=plain(team, 24) + (" (median; dots: drills)" if team in several else ""),
                )
            if measure != "score":
                for column, style in (
                    (f"{measure}_target", {"color": INK, "linewidth": 2, "label": "target"}),
                    (f"{measure}_par", {"color": MUTED, "linestyle": ":", "label": "par"}),
                ):
                    by_slot = {
                        x: r[column] / 60.0 for x, r in zip(xs_of, records, strict=True) if not missing(r[column])
                    }
                    if by_slot:
                        xs = sorted(by_slot)
                        ax.step(xs, [by_slot[x] for x in xs], where="mid", **style)
                ax.set_ylabel("minutes")
                ax.set_title(KEY_INTERVALS.get(measure, measure) + " (from impact)")
            else:
                ax.set_ylim(0, 105)
                ax.set_ylabel("score (0-100)")
                ax.set_title("Score")
            for x in changed_at:
                ax.axvline(x, color=BAD, linestyle="--", linewidth=1.2)
        for ax in axes[len(panels) :]:
            ax.set_visible(False)
            axes[len(panels) - cols].xaxis.set_tick_params(labelbottom=True)
        handles, labels = axes[0].get_legend_handles_labels()
        if changed_at:
            from matplotlib.lines import Line2D

            handles.append(Line2D([], [], color=BAD, linestyle="--"))
            labels.append(f"scenario changed ({CHANGED_MARK})")
        fig.legend(handles, labels, loc="upper center", ncols=min(len(labels), 8), fontsize=9, frameon=False)
        return png_bytes(fig)


def median_by_slot(points: list[tuple[int, float]]) -> tuple[list[int], list[float]]:
    """The slots of ``(slot, value)`` points in order, and the median of the values at each: a team's line."""
    at: dict[int, list[float]] = {}
    for x, value in points:
        at.setdefault(x, []).append(value)
    xs = sorted(at)
    return xs, [statistics.median(at[x]) for x in xs]


def relative_figure(cmp: Comparison) -> bytes:
    """Each key interval relative to its scenario's target per ``by`` group: median dot, min-max whisker
    (p10-p90 bar from enough drills); the line at 1.0 is the target."""
    import matplotlib
    from drillsim.reports.compare import BY_COLUMNS, summarize
    from matplotlib.figure import Figure

    frame = cmp.drills
    column = BY_COLUMNS[cmp.by]
    groups = list(dict.fromkeys(frame.sort_values("order")[column]))[-MAX_RELATIVE_GROUPS:]
    names = [n for n in cmp.intervals if frame[f"{n}_vs_target"].notna().any()]
    values_by: dict[Any, dict[str, list[float]]] = {group: {name: [] for name in names} for group in groups}
    for record in frame[[column, *(f"{n}_vs_target" for n in names)]].to_dict("records"):
        bucket = values_by.get(record[column])
        if bucket is not None:
            for name in names:
                if not missing(record[f"{name}_vs_target"]):
                    bucket[name].append(float(record[f"{name}_vs_target"]))
    with matplotlib.rc_context(_style(grid_axis="x")):
        height = 0.3 * len(groups) + 1.6
        fig = Figure(figsize=(11, height), dpi=72)
        fig.subplots_adjust(left=0.16, right=0.98, bottom=0.9 / height, top=1 - 0.5 / height, wspace=0.15)
        axes = fig.subplots(1, max(1, len(names)), squeeze=False, sharey=True)[0]
        for ax, name in zip(axes, names, strict=False):
            spans: list[tuple[int, float, float]] = []
            bars: list[tuple[int, float, float]] = []
            medians: list[tuple[int, float]] = []
            for y, group in enumerate(groups):
                s = summarize(values_by[group][name])
                if not s["n"]:
                    continue
                spans.append((y, float(s["min"] or 0.0), float(s["max"] or 0.0)))
                if s["p10"] is not None:
                    bars.append((y, float(s["p10"]), float(s["p90"] or 0.0)))
                medians.append((y, float(s["median"] or 0.0)))
            # One collection per kind of mark (not one artist per group): fast with many groups.
            if spans:
                ax.hlines([v[0] for v in spans], [v[1] for v in spans], [v[2] for v in spans], color=MUTED, linewidth=1)
            if bars:
                ax.hlines([v[0] for v in bars], [v[1] for v in bars], [v[2] for v in bars], color=INK, linewidth=4)
            if medians:
                ax.scatter(
                    [m[1] for m in medians],
                    [m[0] for m in medians],
                    s=45,
                    c=[GOOD if m[1] <= 1.0 else BAD for m in medians],
                    zorder=3,
                )
            ax.axvline(1.0, color=INK, linewidth=2)
            ax.set_title(KEY_INTERVALS[name])
            ax.set_xlabel("× target")
        axes[0].set_yticks(range(len(groups)), [plain(g or "(no label)", 20) for g in groups])
        axes[0].invert_yaxis()
        return png_bytes(fig)


def render_figures(cmp: Comparison) -> dict[str, tuple[str, bytes]]:
    """Figure name -> (title, PNG bytes): ``relative`` and one ``trend-<scenario>`` per scenario (capped)."""
    out: dict[str, tuple[str, bytes]] = {}
    frame = cmp.drills
    if frame.empty:
        return out
    if cmp.intervals and any(frame[f"{n}_vs_target"].notna().any() for n in cmp.intervals):
        groups = frame["team" if cmp.by == "team" else "scenario_id" if cmp.by == "scenario" else "label"].nunique()
        latest = f"; the latest {MAX_RELATIVE_GROUPS} of {groups}" if groups > MAX_RELATIVE_GROUPS else ""
        out["relative"] = (
            f"Intervals relative to each scenario's target, by {cmp.by}{latest} (dot: median; thin line: min–max; "
            "thick: p10–p90; 1.0 = target)",
            relative_figure(cmp),
        )
    counts = frame["scenario_id"].value_counts()
    for scenario in list(counts.index)[:MAX_SCENARIO_FIGURES]:
        title = str(frame.loc[frame["scenario_id"] == scenario, "scenario_title"].iloc[-1])
        slug = re.sub(r"[^a-z0-9-]+", "-", str(scenario).lower()).strip("-") or "scenario"
        out[f"trend-{slug}"] = (
            f"{title}: intervals and score across drills (black: target; dotted: par; dashed red: scenario changed)",
            scenario_figure(cmp, str(scenario)),
        )
    return out
