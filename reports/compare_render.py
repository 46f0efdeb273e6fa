"""Writing a comparison of drills: ``comparison.md``, ``comparison.html``, CSV files, ``figures/*.png``
and the plain-text summary printed in the terminal.

Templates are ``reports/templates/compare.md.j2`` and ``compare.html.j2``. As for the
after-action report, the HTML environment autoescapes and the Markdown environment passes
every value through ``reports.render.md_escape``; the HTML is self-contained (figures
inlined as ``data:`` PNGs; the Content-Security-Policy allows no script). Figures are
matplotlib ``Figure()`` on the Agg canvas, never pyplot. CSV cells a spreadsheet would
read as a formula (``=``, ``+``, ``-``, ``@`` first) are prefixed with ``'``.
"""

from __future__ import annotations

import base64
import math
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drillsim.reports.compare import CHANGED_MARK, KEY_INTERVALS, Comparison, drill_name
from drillsim.reports.figures import plain, png_bytes
from drillsim.reports.journal_io import atomic_write
from drillsim.simulator.durations import format_time

if TYPE_CHECKING:
    import pandas as pd

MAX_SCENARIO_FIGURES = 12
"""Trend figures are drawn for this many scenarios at most (the most drilled first)."""
MAX_RELATIVE_GROUPS = 30
"""The relative figure shows the latest this many groups (teams, scenarios or labels)."""
TERMINAL_ROWS = 8
"""Per team and scenario, the terminal shows the latest this many drills (the report shows all)."""

INK = "#111111"
GOOD = "#1b7837"
BAD = "#b2182b"
MUTED = "#8c8c8c"
SERIES = ["#2166ac", "#b2182b", "#1b7837", "#762a83", "#e08214", "#35978f", "#8c510a", "#c51b7d"]

CHANGED_NOTE = (
    f"{CHANGED_MARK} the scenario changed since the team's previous drill of it (its content hash differs): "
    "targets and faults may differ, so compare across the mark with care."
)


@dataclass(frozen=True)
class ComparisonPaths:
    out: Path
    markdown: Path
    html: Path
    csv: list[Path]
    figures: list[Path]


# ---------------------------------------------------------------------------- formatting


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def span(seconds: Any) -> str:
    """``mm:ss`` (``h:mm:ss`` past an hour); an em dash for none (None or NaN): ``simulator.durations.format_time``."""
    return "—" if _missing(seconds) else format_time(float(seconds))


def text(value: Any) -> str:
    """A cell's text: empty for a missing value (None or NaN)."""
    return "" if _missing(value) else str(value)


def ratio(value: Any) -> str:
    return "—" if _missing(value) else f"{float(value):.2f}×"


def num(value: Any, digits: int = 1) -> str:
    return "—" if _missing(value) else f"{float(value):.{digits}f}"


def status_mark(status: Any) -> str:
    return {"met": "✓", "late": "✗", "missed": "✗"}.get(str(status), "")


def stat_range(stats: dict[str, Any], fmt: Any = span) -> str:
    """``median (min–max)``, with ``p10–p90`` when there are enough drills."""
    if not stats.get("n"):
        return "—"
    text = f"{fmt(stats['median'])} ({fmt(stats['min'])}–{fmt(stats['max'])}"
    if not _missing(stats.get("p10")):
        text += f"; p10–p90 {fmt(stats['p10'])}–{fmt(stats['p90'])}"
    return text + ")"


def text_table(rows: list[list[str]], right: set[int] | None = None) -> list[str]:
    """Rows of cells as aligned plain-text lines (the first row is the header)."""
    if not rows:
        return []
    right = right or set()
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


# ---------------------------------------------------------------------------- the model of the report


def _groups(cmp: Comparison) -> list[dict[str, Any]]:
    """Per team and scenario: the drills in order with intervals, score, ratings; stats and trends (cached)."""
    if "groups" not in cmp.cache:
        cmp.cache["groups"] = _build_groups(cmp)
    groups: list[dict[str, Any]] = cmp.cache["groups"]
    return groups


def _build_groups(cmp: Comparison) -> list[dict[str, Any]]:
    frame = cmp.drills
    if frame.empty:
        return []
    objectives = [c for c in frame.columns if c.startswith("objective:")]
    stats_by_group = {key: part for key, part in cmp.stats.groupby(["team", "scenario_id"], sort=False)}
    out = []
    for (team, scenario), part in frame.groupby(["team", "scenario_id"], sort=False):
        part = part.sort_values("order")
        names = [n for n in cmp.intervals if not (part[n].isna().all() and part[f"{n}_target"].isna().all())]
        used_objectives = [c for c in objectives if part[c].notna().any()]
        rows = []
        for row in part.to_dict("records"):
            cells = []
            for name in names:
                cells.append(
                    {
                        "value": span(row[name]),
                        "target": span(row[f"{name}_target"]),
                        "par": span(row[f"{name}_par"]),
                        "status": text(row[f"{name}_status"]),
                        "mark": status_mark(row[f"{name}_status"]),
                    }
                )
            rows.append(
                {
                    "name": drill_name(row),
                    "date": text(row["date"]),
                    "label": text(row["label"]),
                    "changed": bool(row["scenario_changed"]),
                    "version": "" if _missing(row["scenario_version"]) else int(row["scenario_version"]),
                    "score": num(row["score"]),
                    "par_score": num(row["par_score"]),
                    "intervals": cells,
                    "ratings": [str(row[c]) if not _missing(row[c]) else "—" for c in used_objectives],
                }
            )
        stats = stats_by_group.get((team, scenario))
        stat_rows = []
        for s in [] if stats is None else stats.to_dict("records"):
            measure = str(s["measure"])
            is_score = measure == "score"
            fmt = num if is_score else span
            stat_rows.append(
                {
                    "measure": "Score" if is_score else KEY_INTERVALS.get(measure, measure),
                    "n": int(s["n"]),
                    "median": fmt(s["median"]),
                    "range": f"{fmt(s['min'])}–{fmt(s['max'])}" if s["n"] else "—",
                    "p10_p90": "—" if _missing(s["p10"]) else f"{fmt(s['p10'])}–{fmt(s['p90'])}",
                    "met": "—" if is_score or not s["met_n"] else f"{int(s['met'])}/{int(s['met_n'])}",
                    "trend": s["trend"],
                }
            )
        out.append(
            {
                "team": team,
                "scenario_id": scenario,
                "title": str(part["scenario_title"].iloc[-1]),
                "intervals": [KEY_INTERVALS.get(n, n) for n in names],
                "interval_names": names,
                "objectives": [c.split(":", 1)[1] for c in used_objectives],
                "rows": rows,
                "stats": stat_rows,
                "changed": bool(part["scenario_changed"].any()),
                "versions": int(part["scenario_hash"].dropna().nunique()),
            }
        )
    return out


def _summary_rows(cmp: Comparison) -> tuple[list[str], list[list[str]]]:
    by_column = {"team": "team", "scenario": "scenario_id", "label": "label"}[cmp.by]
    header = [cmp.by.upper(), "DRILLS", "SCORE median (range)"]
    for name in cmp.intervals:
        header.append(f"{KEY_INTERVALS[name].upper()} ×target (met)")
    rows = []
    for _, row in cmp.summary.iterrows():
        value = str(row[by_column]) or "(no label)"
        if row["changed"]:
            value += CHANGED_MARK
        cells = [
            value,
            str(int(row["drills"])),
            f"{num(row['score_median'])} ({num(row['score_min'])}–{num(row['score_max'])})",
        ]
        for name in cmp.intervals:
            med = row[f"{name}_median"]
            text = ratio(row[f"{name}_ratio"])
            if not _missing(med):
                text = f"{span(med)} {text}"
            if row[f"{name}_met_n"]:
                text += f" ({int(row[f'{name}_met'])}/{int(row[f'{name}_met_n'])})"
            cells.append(text)
        rows.append(cells)
    return header, rows


def _finding_rows(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {k: ("yes" if v is True else "no" if v is False else v) for k, v in row.items()}
        for row in table.to_dict("records")
    ]


def build_context(cmp: Comparison, figures: dict[str, Any], generated: str) -> dict[str, Any]:
    frame = cmp.drills
    header, rows = _summary_rows(cmp)
    return {
        "generated": generated,
        "by": cmp.by,
        "drill_count": len(frame),
        "teams": sorted({str(t) for t in frame["team"]}) if not frame.empty else [],
        "scenarios": sorted({str(s) for s in frame["scenario_id"]}) if not frame.empty else [],
        "first": drill_name(frame.iloc[0]) if not frame.empty else "",
        "last": drill_name(frame.iloc[-1]) if not frame.empty else "",
        "summary_header": header,
        "summary_rows": rows,
        "groups": _groups(cmp),
        "changed_note": CHANGED_NOTE,
        "any_changed": bool(frame["scenario_changed"].any()) if not frame.empty else False,
        "recurring": _finding_rows(cmp.recurring),
        "actions": _finding_rows(cmp.actions),
        "findings_known": cmp.findings_known,
        "figures": [{"name": name, "title": title, "src": src} for name, (title, src) in figures.items()],
        "warnings": cmp.warnings,
    }


# ---------------------------------------------------------------------------- the terminal


def terminal_summary(cmp: Comparison, *, rows_per_group: int = TERMINAL_ROWS) -> str:
    """Plain aligned text: the summary by ``cmp.by``, each team and scenario's latest drills, recurring findings."""
    frame = cmp.drills
    lines = [
        f"Compared {len(frame)} drill{'s' if len(frame) != 1 else ''} "
        f"({frame['team'].nunique()} team(s), {frame['scenario_id'].nunique()} scenario(s)) by {cmp.by}",
        "Intervals are medians; ×target is the median of interval / target (1.00× = on target).",
        "",
    ]
    header, rows = _summary_rows(cmp)
    lines += text_table([header, *rows], right={1})
    for group in _groups(cmp):
        lines += ["", f"{group['team']} — {group['title']} ({group['scenario_id']})"]
        ratings = "RATINGS (" + " ".join(group["objectives"]) + ")" if group["objectives"] else "RATINGS"
        table = [["DRILL", "DATE", "SCORE", *[i.upper() for i in group["intervals"]], ratings]]
        shown = group["rows"][-rows_per_group:]
        for row in shown:
            table.append(
                [
                    row["name"] + (CHANGED_MARK if row["changed"] else ""),
                    row["date"] or "—",
                    row["score"],
                    *[f"{c['value']} {c['mark']}".rstrip() for c in row["intervals"]],
                    " ".join(row["ratings"]) or "—",
                ]
            )
        last = group["rows"][-1]
        table.append(["target", "", "", *[c["target"] for c in last["intervals"]], ""])
        stats = {s["measure"]: s for s in group["stats"]}
        table.append(
            [
                "median",
                "",
                stats.get("Score", {}).get("median", "—"),
                *[stats.get(i, {}).get("median", "—") for i in group["intervals"]],
                "",
            ]
        )
        table.append(
            [
                "trend",
                "",
                stats.get("Score", {}).get("trend", ""),
                *[stats.get(i, {}).get("trend", "") for i in group["intervals"]],
                "",
            ]
        )
        lines += [f"  {line}" for line in text_table(table, right={2})]
        if len(group["rows"]) > len(shown):
            lines.append(f"  ({len(group['rows']) - len(shown)} earlier drills in the report)")
    if cmp.drills["scenario_changed"].any():
        lines += ["", CHANGED_NOTE]
    if not cmp.recurring.empty:
        lines += ["", "Recurring areas for improvement"]
        table = [["TEAM", "DRILLS", "STILL OPEN", "FINDING"]]
        for row in cmp.recurring.head(10).to_dict("records"):
            table.append(
                [
                    str(row["team"]),
                    f"{row['drills']}/{row['of']}",
                    "yes" if row["latest"] else "no",
                    str(row["title"])[:70],
                ]
            )
        lines += [f"  {line}" for line in text_table(table)]
        if len(cmp.recurring) > 10:
            lines.append(f"  ({len(cmp.recurring) - 10} more in the report)")
    elif cmp.findings_known == 0 and len(frame):
        lines += ["", "Findings: none known (no journal.jsonl beside the scorecards)."]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- figures


def _style() -> Any:
    return {
        "font.size": 10,
        "axes.titlesize": 11,
        "axes.edgecolor": INK,
        "text.color": INK,
        "axes.labelcolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        "text.usetex": False,
        # titles just above their axes, where matplotlib would put them (no ticks on top): not measured
        # against every tick label of every panel each time a figure is drawn
        "axes.titley": 1.0,
    }


def scenario_figure(cmp: Comparison, scenario: str) -> bytes:
    """One scenario's key intervals (minutes) and score across its drills, one line per team,
    targets as a black step line, par dotted, a dashed vertical line where the scenario changed."""
    import matplotlib
    from matplotlib.figure import Figure

    part = cmp.drills[cmp.drills["scenario_id"] == scenario].sort_values("order")
    names = [n for n in cmp.intervals if part[n].notna().any() or part[f"{n}_target"].notna().any()]
    panels = [*names, "score"]
    cols = 2 if len(panels) > 1 else 1
    rows = math.ceil(len(panels) / cols)
    records = part.to_dict("records")
    # One slot on the x axis per drill name (label, else date): the teams' drills of a quarter line up.
    slots: dict[str, int] = {}
    for record in records:
        slots.setdefault(drill_name(record), len(slots))
    xs_of = [slots[drill_name(r)] for r in records]
    changed_at = sorted({x for x, r in zip(xs_of, records, strict=True) if r["scenario_changed"]})
    teams = list(dict.fromkeys(r["team"] for r in records))
    many = len(slots) > 40
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
                    if r["team"] == team and not _missing(r[measure])
                ]
                ax.plot(
                    [p[0] for p in points],
                    [p[1] for p in points],
                    marker=None if many else "o",
                    markersize=4,
                    linewidth=1.2 if many else 1.5,
                    color=SERIES[n % len(SERIES)],
                    label=plain(team, 24),
                )
            if measure != "score":
                for column, style in (
                    (f"{measure}_target", {"color": INK, "linewidth": 2, "label": "target"}),
                    (f"{measure}_par", {"color": MUTED, "linestyle": ":", "label": "par"}),
                ):
                    by_slot = {
                        x: r[column] / 60.0 for x, r in zip(xs_of, records, strict=True) if not _missing(r[column])
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
            ax.grid(alpha=0.3)
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
                if not _missing(record[f"{name}_vs_target"]):
                    bucket[name].append(float(record[f"{name}_vs_target"]))
    with matplotlib.rc_context(_style()):
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
            ax.grid(axis="x", alpha=0.3)
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


# ---------------------------------------------------------------------------- rendering and writing


def render_markdown(context: dict[str, Any]) -> str:
    from drillsim.reports.render import render_template

    return render_template("compare.md.j2", context)


def render_html(context: dict[str, Any]) -> str:
    from drillsim.reports.render import render_template

    return render_template("compare.html.j2", context)


def _csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells a spreadsheet would run as a formula get a leading apostrophe."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype).startswith(("string", "str")):
            out[column] = out[column].map(
                lambda v: "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") else v
            )
    return out


def default_out(now: datetime | None = None) -> Path:
    """``./comparisons/<YYYYMMDD-HHMMSS>/``."""
    return Path("comparisons") / (now or datetime.now()).strftime("%Y%m%d-%H%M%S")


def write_comparison(cmp: Comparison, out: str | Path, *, figures: bool = True) -> ComparisonPaths:
    """Write ``comparison.md``, ``comparison.html``, ``drills.csv`` (one row per drill), ``stats.csv``,
    ``findings.csv``, ``recurring.csv`` and ``figures/*.png`` into ``out``, each atomically."""
    from markupsafe import Markup

    folder = Path(out)
    generated = datetime.now().astimezone().isoformat(timespec="seconds")
    pngs = render_figures(cmp) if figures else {}
    figure_paths = [atomic_write(folder / "figures" / f"{name}.png", data) for name, (_, data) in pngs.items()]
    md_figures = {name: (title, Markup(f"figures/{name}.png")) for name, (title, _) in pngs.items()}
    html_figures = {
        name: (title, Markup("data:image/png;base64," + base64.b64encode(data).decode("ascii")))
        for name, (title, data) in pngs.items()
    }
    markdown = atomic_write(folder / "comparison.md", render_markdown(build_context(cmp, md_figures, generated)))
    html = atomic_write(folder / "comparison.html", render_html(build_context(cmp, html_figures, generated)))
    csv = [
        atomic_write(folder / "drills.csv", _csv_safe(cmp.drills).to_csv(index=False)),
        atomic_write(folder / "stats.csv", _csv_safe(cmp.stats).to_csv(index=False)),
        atomic_write(folder / "findings.csv", _csv_safe(cmp.findings).to_csv(index=False)),
        atomic_write(folder / "recurring.csv", _csv_safe(cmp.recurring).to_csv(index=False)),
    ]
    return ComparisonPaths(folder, markdown, html, csv, figure_paths)
