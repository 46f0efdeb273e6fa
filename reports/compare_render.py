"""Writing a comparison of drills: ``comparison.md``, ``comparison.html``, CSV files, ``figures/*.png``
and the plain-text summary printed in the terminal.

Templates are ``reports/templates/compare.md.j2`` and ``compare.html.j2``. As for the
after-action report, the HTML environment autoescapes and the Markdown environment passes
every value through ``reports.render.md_escape``; the HTML is self-contained (figures
inlined as ``data:`` PNGs; the Content-Security-Policy allows no script). The figures are
``reports/compare_figures.py``. CSV cells a spreadsheet would
read as a formula (``=``, ``+``, ``-``, ``@`` first) are prefixed with ``'``.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drillsim.reports.compare import CHANGED_MARK, KEY_INTERVALS, Comparison, drill_name, drill_records, missing
from drillsim.reports.journal_io import atomic_write
from drillsim.simulator.durations import format_time

if TYPE_CHECKING:
    import pandas as pd

TERMINAL_ROWS = 8
"""Per team and scenario, the terminal shows the latest this many drills (the report shows all)."""

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


def span(seconds: Any) -> str:
    """``mm:ss`` (``h:mm:ss`` past an hour); an em dash for none (None or NaN): ``simulator.durations.format_time``."""
    return "—" if missing(seconds) else format_time(float(seconds))


def text(value: Any) -> str:
    """A cell's text: empty for a missing value (None or NaN)."""
    return "" if missing(value) else str(value)


def ratio(value: Any) -> str:
    return "—" if missing(value) else f"{float(value):.2f}×"


def num(value: Any, digits: int = 1) -> str:
    return "—" if missing(value) else f"{float(value):.{digits}f}"


def status_mark(status: Any) -> str:
    return {"met": "✓", "late": "✗", "missed": "✗"}.get(str(status), "")


def stat_range(stats: dict[str, Any], fmt: Any = span) -> str:
    """``median (min–max)``, with ``p10–p90`` when there are enough drills."""
    if not stats.get("n"):
        return "—"
    text = f"{fmt(stats['median'])} ({fmt(stats['min'])}–{fmt(stats['max'])}"
    if not missing(stats.get("p10")):
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
    # one dict per drill and per stat, made once and grouped here: a to_dict per group cost more than the rest
    records_of: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for record in drill_records(cmp):
        records_of.setdefault((record["team"], record["scenario_id"]), []).append(record)
    stats_of: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for s in cmp.stats.to_dict("records"):
        stats_of.setdefault((s["team"], s["scenario_id"]), []).append(s)
    out = []
    for (team, scenario), part in frame.groupby(["team", "scenario_id"], sort=False):
        part = part.sort_values("order")
        names = [n for n in cmp.intervals if not (part[n].isna().all() and part[f"{n}_target"].isna().all())]
        used_objectives = [c for c in objectives if part[c].notna().any()]
        rows = []
        for row in records_of[(team, scenario)]:
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
                    "version": "" if missing(row["scenario_version"]) else int(row["scenario_version"]),
                    "score": num(row["score"]),
                    "par_score": num(row["par_score"]),
                    "intervals": cells,
                    "ratings": [str(row[c]) if not missing(row[c]) else "—" for c in used_objectives],
                }
            )
        stat_rows = []
        for s in stats_of.get((team, scenario), []):
            measure = str(s["measure"])
            is_score = measure == "score"
            fmt = num if is_score else span
            stat_rows.append(
                {
                    "measure": "Score" if is_score else KEY_INTERVALS.get(measure, measure),
                    "n": int(s["n"]),
                    "median": fmt(s["median"]),
                    "range": f"{fmt(s['min'])}–{fmt(s['max'])}" if s["n"] else "—",
                    "p10_p90": "—" if missing(s["p10"]) else f"{fmt(s['p10'])}–{fmt(s['p90'])}",
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
            if not missing(med):
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
        from drillsim.reports.scoring import shorten

        lines += ["", "Recurring areas for improvement"]
        table = [["TEAM", "DRILLS", "STILL OPEN", "FINDING"]]
        for row in cmp.recurring.head(10).to_dict("records"):
            table.append(
                [
                    str(row["team"]),
                    f"{row['drills']}/{row['of']}",
                    "yes" if row["latest"] else "no",
                    shorten(str(row["title"]), 70),
                ]
            )
        lines += [f"  {line}" for line in text_table(table)]
        if len(cmp.recurring) > 10:
            lines.append(f"  ({len(cmp.recurring) - 10} more in the report)")
    elif cmp.findings_known == 0 and len(frame):
        lines += ["", "Findings: none known (no journal.jsonl beside the scorecards)."]
    return "\n".join(lines) + "\n"


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
    from drillsim.reports.compare_figures import render_figures

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
