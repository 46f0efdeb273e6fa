"""What-if results on paper: the text table, ``runs.csv``, ``summary.json`` and distribution figures.

Everything here is a pure function of a :class:`simulator.whatif.Simulation` (and its
:func:`~simulator.whatif.aggregate` statistics) except :func:`write_outputs`, which writes
the files atomically. Figures use ``matplotlib.figure.Figure`` on the Agg canvas (never
pyplot), imported inside the functions that draw: importing this module stays light,
which matters because :func:`score_total` runs inside the simulation's worker processes.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from drillsim.reports.figures import plain, png_bytes
from drillsim.simulator.durations import format_duration, format_time
from drillsim.simulator.journal import atomic_write, slug
from drillsim.simulator.whatif import Distribution, RosterStats, Simulation

CSV_NAME = "runs.csv"
SUMMARY_NAME = "summary.json"
TABLE_NAME = "summary.txt"
FIGURE_NAMES = ("ecdf", "histograms", "score")

COLOURS = ("#2166ac", "#b2182b", "#1b7837", "#762a83", "#e08214", "#4d4d4d")
INK = "#111111"
TARGET = "#b2182b"


def score_total(records: list[dict[str, Any]]) -> float:
    """The 0-100 score of a drill's journal records (``reports.scoring``), for ``simulate(scorer=...)``."""
    from drillsim.reports.scoring import score

    return float(score(records).score.total)


# --------------------------------------------------------------------------- text


def fmt_time(value: float | None) -> str:
    """A time from impact in a what-if table: ``M:SS`` (``H:MM:SS`` from an hour), ``never`` for a milestone
    never reached (None or infinity): ``simulator.durations.format_time``, unpadded."""
    return format_time(value, none="never", pad=False)


def fmt_pct(p: float | None) -> str:
    if p is None:
        return "—"
    if 0 < p < 0.001:
        return "<0.1%"
    if 0.999 < p < 1:
        return ">99.9%"
    return f"{p * 100:.1f}%"


def _fmt_number(value: float, decimals: int = 0) -> str:
    return "never" if math.isinf(value) else f"{value:,.{decimals}f}"


def _cells_time(d: Distribution) -> list[str]:
    return [fmt_time(d.median), f"{fmt_time(d.p10)}–{fmt_time(d.p90)}", fmt_pct(d.p_met)]


def _cells_number(d: Distribution, decimals: int = 0) -> list[str]:
    return [_fmt_number(d.median, decimals), f"{_fmt_number(d.p10, decimals)}–{_fmt_number(d.p90, decimals)}", ""]


def format_table(sim: Simulation, stats: dict[str, RosterStats]) -> str:
    """The result as a text table: one row per milestone (and score, revenue, penalties), one column group per roster."""
    scenario = sim.scenario
    head = (
        f"{scenario.title} ({scenario.id}): {sim.runs:,} run{'s' if sim.runs != 1 else ''} per roster, "
        f"{sim.policy} policy, seed {sim.seed}"
    )
    ids = [r.id for r in sim.rosters]
    rows: list[list[str]] = [["time from impact", "target"], ["", ""]]
    for rid in ids:
        rows[0] += [rid, "", ""]
        rows[1] += ["median", "p10–p90", "met"]
    for m in sim.milestones:
        row = [m.label, format_duration(m.target) if m.target is not None else "—"]
        for rid in ids:
            row += _cells_time(stats[rid].intervals[m.id])
        rows.append(row)
    if sim.scored:
        row = ["score (0-100)", ""]
        for rid in ids:
            score = stats[rid].score
            row += _cells_number(score, 1) if score is not None else ["", "", ""]
        rows.append(row)
    currency = scenario.business.currency
    row = [f"revenue lost ({currency})", ""]
    for rid in ids:
        row += _cells_number(stats[rid].revenue_lost)
    rows.append(row)
    row = ["penalties (points)", ""]
    for rid in ids:
        row += _cells_number(stats[rid].penalties)
    rows.append(row)
    row = ["every target met", ""]
    for rid in ids:
        row += ["", "", fmt_pct(stats[rid].all_met / stats[rid].runs)]
    rows.append(row)

    widths = [max(len(r[i]) for r in rows[1:]) for i in range(len(rows[0]))]
    # A roster id spans its three columns.
    for g, rid in enumerate(ids):
        span = widths[2 + 3 * g] + widths[3 + 3 * g] + widths[4 + 3 * g] + 4
        if len(rid) > span:
            widths[4 + 3 * g] += len(rid) - span
    lines = [head, ""]
    header = rows[0][0].ljust(widths[0]) + "  " + "".ljust(widths[1])
    for g, rid in enumerate(ids):
        span = widths[2 + 3 * g] + widths[3 + 3 * g] + widths[4 + 3 * g] + 4
        header += "    " + rid.center(span)
    lines.append(header.rstrip())
    for row in rows[1:]:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        for g in range(len(ids)):
            a, b, c = row[2 + 3 * g : 5 + 3 * g]
            cells.append(
                "  "
                + a.rjust(widths[2 + 3 * g])
                + "  "
                + b.center(widths[3 + 3 * g])
                + "  "
                + c.rjust(widths[4 + 3 * g])
            )
        lines.append("  ".join(cells).rstrip())
    lines.append("")
    if sim.variants:
        base = sim.rosters[0].id
        lines.append("What-if variants (each a change to the scenario and the first roster):")
        lines.extend(f"  {rid}: {base} with {variant.describe()}" for rid, variant in sim.variants.items())
        lines.append("")
    lines.extend(verdicts(sim, stats))
    return "\n".join(lines) + "\n"


def verdicts(sim: Simulation, stats: dict[str, RosterStats]) -> list[str]:
    """One sentence per roster and target: how often the target is met, with a 95% interval."""
    out = ["How often each target is met (95% interval):"]
    for roster in sim.rosters:
        st = stats[roster.id]
        out.append(f"  {roster.id} ({roster.team}):")
        for m in sim.milestones:
            d = st.intervals[m.id]
            interval = d.p_met_interval
            if m.target is None or d.met is None or interval is None:
                continue
            never = d.n - d.reached
            note = f"; never reached in {fmt_pct(never / d.n)}" if never else ""
            out.append(
                f"    {m.label} within {format_duration(m.target)}: {fmt_pct(d.p_met)} of runs "
                f"({interval[0] * 100:.1f}–{interval[1] * 100:.1f}%), median {fmt_time(d.median)}{note}"
            )
    return out


# --------------------------------------------------------------------------- CSV and JSON


def _csv_number(value: float | None, decimals: int = 3) -> str:
    if value is None:
        return ""
    rounded = round(float(value), decimals)
    return repr(int(rounded)) if rounded == int(rounded) else repr(rounded)


def csv_text(sim: Simulation) -> str:
    """One row per run: roster, run, seed, each milestone's seconds from impact (empty = never), money, score."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "roster",
            "run",
            "seed",
            "impact_started_s",
            *(f"{m.id}_from_impact_s" for m in sim.milestones),
            "revenue_lost",
            "penalties",
            "score",
            "end_reason",
        ]
    )
    for run in sim.all_runs():
        writer.writerow(
            [
                run.roster,
                run.run,
                run.seed,
                _csv_number(run.impact_started_at),
                *(_csv_number(v) for v in run.intervals),
                _csv_number(run.revenue_lost, 2),
                run.penalties,
                _csv_number(run.score),
                run.end_reason or "",
            ]
        )
    return buffer.getvalue()


def summary_json(sim: Simulation, stats: dict[str, RosterStats]) -> str:
    data = {
        "scenario": sim.scenario.id,
        "scenario_title": sim.scenario.title,
        "scenario_hash": sim.scenario.content_hash(),
        "policy": sim.policy,
        "seed": sim.seed,
        "runs": sim.runs,
        **({"shard": f"{sim.shard[0]}/{sim.shard[1]}"} if sim.shard else {}),
        "milestones": [{"id": m.id, "label": m.label, "target": m.target} for m in sim.milestones],
        "rosters": {
            r.id: {
                "roster_hash": r.content_hash(),
                "scenario_hash": sim.scenario_of(r.id).content_hash(),
                "variant": variant.describe() if (variant := sim.variants.get(r.id)) else None,
                **stats[r.id].to_dict(),
            }
            for r in sim.rosters
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- figures


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _grid(count: int) -> tuple[int, int]:
    cols = min(3, max(1, count))
    return math.ceil(count / cols), cols


def _column(sim: Simulation, roster_id: str, index: int) -> list[float | None]:
    runs = sim.results[roster_id]
    return runs.numbers(runs.intervals[index])


def ecdf_figure(sim: Simulation, stats: dict[str, RosterStats]) -> bytes:
    """One panel per milestone: the share of runs that reached it by each minute, per roster, with the target.

    A curve that stops below 1 means some runs never reached the milestone.
    """
    milestones = sim.milestones
    rows, cols = _grid(len(milestones))
    fig = _figure(4.2 * cols, 3.0 * rows + 0.6)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    horizon = sim.scenario.duration / 60.0
    for index, (ax, m) in enumerate(zip(axes, milestones, strict=False)):
        for g, roster in enumerate(sim.rosters):
            colour = COLOURS[g % len(COLOURS)]
            values = sorted(v / 60.0 for v in _column(sim, roster.id, index) if v is not None)
            n = len(sim.results[roster.id])
            xs = [0.0, *values, horizon]
            ys = [0.0, *((i + 1) / n for i in range(len(values))), len(values) / n]
            d = stats[roster.id].intervals[m.id]
            label = roster.id if d.p_met is None else f"{roster.id}: {fmt_pct(d.p_met)} met"
            ax.step(xs, ys, where="post", color=colour, linewidth=1.8, label=plain(label, 40))
        if m.target is not None:
            ax.axvline(m.target / 60.0, color=TARGET, linestyle="--", linewidth=1.2)
            ax.annotate(
                f"target {format_duration(m.target)}",
                xy=(m.target / 60.0, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(2, -2),
                textcoords="offset points",
                color=TARGET,
                fontsize=8,
                ha="left",
                va="top",
            )
        ax.set_title(plain(m.label, 40), fontsize=10)
        ax.set_ylim(0, 1.02)
        ax.set_xlim(0, horizon)
        ax.grid(alpha=0.3)
        ax.set_xlabel("minutes from impact", fontsize=8)
        ax.set_ylabel("share of runs reached", fontsize=8)
        ax.tick_params(labelsize=8)
        ax.legend(fontsize=7, loc="lower right")
    for ax in axes[len(milestones) :]:
        ax.set_visible(False)
    fig.suptitle(plain(f"{sim.scenario.title}: time to each milestone ({sim.runs:,} runs per roster)", 90))
    return png_bytes(fig)


def histograms_figure(sim: Simulation) -> bytes:
    """One panel per milestone: histogram of the time from impact per roster, the target as a line."""
    milestones = sim.milestones
    rows, cols = _grid(len(milestones))
    fig = _figure(4.2 * cols, 3.0 * rows + 0.6)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for index, (ax, m) in enumerate(zip(axes, milestones, strict=False)):
        columns = [[v / 60.0 for v in _column(sim, r.id, index) if v is not None] for r in sim.rosters]
        everything = [v for c in columns for v in c]
        if everything:
            low, high = min(everything), max(everything)
            if high - low < 1e-9:
                low, high = low - 0.5, high + 0.5
            bins = [low + (high - low) * i / 30 for i in range(31)]
            for g, (roster, values) in enumerate(zip(sim.rosters, columns, strict=True)):
                if values:
                    ax.hist(
                        values,
                        bins=bins,
                        color=COLOURS[g % len(COLOURS)],
                        alpha=0.55,
                        label=plain(roster.id, 40),
                    )
            ax.legend(fontsize=7)
        else:
            ax.text(0.5, 0.5, "never reached", ha="center", va="center", transform=ax.transAxes)
        if m.target is not None:
            ax.axvline(m.target / 60.0, color=TARGET, linestyle="--", linewidth=1.2)
        ax.set_title(plain(m.label, 40), fontsize=10)
        ax.set_xlabel("minutes from impact", fontsize=8)
        ax.set_ylabel("runs", fontsize=8)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
    for ax in axes[len(milestones) :]:
        ax.set_visible(False)
    fig.suptitle(plain(f"{sim.scenario.title}: distribution of times from impact", 90))
    return png_bytes(fig)


def score_figure(sim: Simulation) -> bytes | None:
    """The score's histogram per roster (None when the runs were not scored)."""
    if not sim.scored:
        return None
    fig = _figure(7, 3.6)
    ax = fig.add_subplot()
    bins = [i * 2.5 for i in range(41)]
    for g, roster in enumerate(sim.rosters):
        runs = sim.results[roster.id]
        scores = [v for v in runs.numbers(runs.score) if v is not None]
        ax.hist(scores, bins=bins, color=COLOURS[g % len(COLOURS)], alpha=0.55, label=plain(roster.id, 40))
    ax.set_xlim(0, 100)
    ax.set_xlabel("score (0-100)")
    ax.set_ylabel("runs")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title(plain(f"{sim.scenario.title}: score", 80))
    return png_bytes(fig)


# --------------------------------------------------------------------------- files


def new_output_folder(root: Path, scenario_id: str, now: datetime | None = None) -> Path:
    """Create ``<root>/<YYYYMMDD-HHMMSS>-<scenario>/`` (``-2``, ``-3`` ... when it exists)."""
    from drillsim.simulator.journal import new_folder

    return new_folder(root, f"{(now or datetime.now()).strftime('%Y%m%d-%H%M%S')}-{slug(scenario_id)}")


def write_outputs(
    sim: Simulation, stats: dict[str, RosterStats], folder: Path, figures: Sequence[str] = FIGURE_NAMES
) -> list[Path]:
    """Write ``runs.csv``, ``summary.json``, ``summary.txt`` and the figures' PNGs into ``folder``, atomically."""
    import matplotlib

    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    texts = {CSV_NAME: csv_text(sim), SUMMARY_NAME: summary_json(sim, stats), TABLE_NAME: format_table(sim, stats)}
    for name, text in texts.items():
        atomic_write(folder / name, text)
        written.append(folder / name)
    with matplotlib.rc_context({"text.usetex": False, "font.size": 10}):
        images: dict[str, bytes | None] = {}
        if "ecdf" in figures:
            images["ecdf"] = ecdf_figure(sim, stats)
        if "histograms" in figures:
            images["histograms"] = histograms_figure(sim)
        if "score" in figures:
            images["score"] = score_figure(sim)
    for name, data in images.items():
        if data is not None:
            atomic_write(folder / f"{name}.png", data)
            written.append(folder / f"{name}.png")
    return written
