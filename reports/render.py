"""The after-action report: ``report.md``, ``report.html``, ``scorecard.json`` and ``figures/``.

Templates live in ``reports/templates`` (Jinja2, loaded with ``PackageLoader``). The
HTML environment autoescapes (``select_autoescape``); the Markdown environment escapes
every ``{{ ... }}`` through ``finalize`` with ``md_escape`` (a backslash before ``<``, before an ``&`` that would start an entity and a leading ``>``,
backslashes for Markdown's punctuation, one line), so nothing a trainer or participant
typed can inject Markdown or HTML. Only values built here and wrapped in ``Markup`` (a
vetted ``https://`` link, an inlined figure) pass unescaped.

``write_report(run_dir)`` is the entry point; ``render_report(records)`` does the same in
memory.

It is long because ``build_context`` is the one place that turns the scorecard, findings and
AAR into what the templates show: the Markdown and the HTML report read the same dictionary, so they
cannot disagree. The escaping, the Jinja2 environments and writing the files sit around it.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import logging
import re
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drillsim.reports.aar import build_aar
from drillsim.reports.exercise import ExerciseInfo, run_exercise
from drillsim.reports.facts import DrillFacts, before_the_end
from drillsim.reports.journal_io import atomic_write, journal_path, read_journal
from drillsim.reports.lessons import Finding, clauses, declared_roles, findings_from, improvement_plan
from drillsim.reports.par import start_par
from drillsim.reports.scoring import RATING_NAMES, ClockResult, Interval, Par, Scorecard, score, scorecard_json
from drillsim.simulator.describe import describe, readable_number
from drillsim.simulator.durations import format_duration, format_time
from drillsim.simulator.roles import role_title

log = logging.getLogger(__name__)

FIGURE_TITLES = {
    "metrics": "Metrics over time (SLO bands shaded, successful actions marked)",
    "members": "Who did what, when (and how long tasks waited)",
    "milestones": "Milestones against target and par",
}

_SAFE_URL = re.compile(r"^https?://[A-Za-z0-9._~:/?#@!$&'*+,;=%-]+$")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}|#~!^])")
_MD_ENTITY = re.compile(r"&(?=[A-Za-z][A-Za-z0-9]{1,31};)")
"""An ``&`` that starts a named entity (``&#60;`` is none once its ``#`` has its backslash)."""


def md_escape(value: Any) -> str:
    """One line of Markdown showing ``value`` literally: no markup, no HTML, no links."""
    from markupsafe import Markup

    if value is None:
        return "—"
    if isinstance(value, Markup):
        return str(value)
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))
    # what Markdown could read as HTML, an entity or a quote, escaped as it reads best in the raw file:
    # '<' always (a tag, an autolink), '&' only where an entity would start, '>' only where a line starts
    text = _MD_ENTITY.sub(r"\\&", text.replace("<", "\\<"))
    return "\\" + text if text.startswith(">") else text


def _html_finalize(value: Any) -> Any:
    return "—" if value is None else value


def safe_url(url: str | None) -> str | None:
    """The URL when it is a plain http(s) address that needs no escaping, else None."""
    if url and _SAFE_URL.match(url) and len(url) <= 500:
        return url
    return None


@functools.cache
def jinja_environments() -> tuple[Any, Any]:
    """The HTML (autoescaped) and Markdown (every value through ``md_escape``) environments, built once."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    loader = PackageLoader("drillsim.reports", "templates")
    html = Environment(
        loader=loader,
        autoescape=select_autoescape(["html", "xml", "html.j2"], default_for_string=True, default=True),
        finalize=_html_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    md = Environment(
        loader=loader,
        autoescape=False,
        finalize=md_escape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    for env in (html, md):
        env.filters["clauses"] = clauses
    return html, md


# ---------------------------------------------------------------------------- the context


@dataclass
class Rendered:
    """A report in memory."""

    scorecard: Scorecard
    findings: list[Finding]
    markdown: str
    html: str
    scorecard_json: str
    figures: dict[str, bytes] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReportPaths:
    run_dir: Path
    scorecard: Path
    markdown: Path
    html: Path
    figures: list[Path]
    warnings: list[str]


PAR_TEAMS = {
    "reference": "a reference team (the playbook, each step a realistic moment late)",
    "playbook": "its playbook",
}
"""How the report names the team par was played by."""

STATUS_WORDS = {"missed": "never", "not_reached": "never", "met": "on time", "late": "late", "reached": "reached"}
"""How interval statuses read in the report: never, late, on time (a missed one whose target had not passed when
the drill ended reads "not reached before the drill ended at ..." instead: ``Scorecard.cut_short``)."""


def _money(value: float, currency: str) -> str:
    return f"{value:,.0f} {currency}"


def _timeline(facts: DrillFacts) -> list[dict[str, Any]]:
    """Every record that reads as a line (``simulator.describe``, the live feed's words), in journal order."""
    rows: list[dict[str, Any]] = []
    for record in facts.records:
        line = describe(record, facts.scenario, facts.clocks)
        if line is not None:
            rows.append(
                {
                    "t": format_time(float(record.get("t", 0.0))),
                    "kind": line.title,
                    "who": line.who,
                    "what": line.report_text,
                }
            )
    return rows


def _recorded(clock: ClockResult) -> str:
    """When the team recorded a clock the law started on evidence, and how long it had run unrecorded."""
    if clock.record_delay is None:
        return "—"
    if clock.recorded_at is None:
        return f"never (ran {format_time(clock.record_delay)} unrecorded)"
    return f"{format_time(clock.recorded_at)} (+{format_time(clock.record_delay)})"


def _decision_log(facts: DrillFacts) -> list[dict[str, Any]]:
    rows = []
    for run in facts.runs:
        if run.rejected:
            outcome = f"rejected: {run.rejected}"
        elif run.success is True:
            outcome = f"done at {format_time(run.finished_at)}"
        elif run.success is False:
            outcome = f"failed at {format_time(run.finished_at)}"
        elif run.started_at is not None:
            outcome = "running at the end"
        else:
            outcome = "queued at the end"
        rows.append(
            {
                "t": format_time(run.submitted_at if run.submitted_at is not None else run.started_at),
                "action": facts.action_label(run.action),
                "by": run.member,
                "source": run.source or "—",
                "started": format_time(run.started_at) if run.started_at is not None else "—",
                "waited": format_time(run.waited) if run.waited else "—",
                "outcome": outcome,
            }
        )
    return rows


def build_context(
    facts: DrillFacts,
    card: Scorecard,
    found: list[Finding],
    figure_src: dict[str, Any],
    warnings: list[str] | None = None,
    aar: dict[str, Any] | None = None,
) -> dict[str, Any]:
    from markupsafe import Markup

    scenario = facts.scenario
    participants: dict[str, str] = facts.start.get("participants") or {}
    currency = card.business.currency
    references = []
    for ref in scenario.references:
        url = safe_url(ref.url)
        references.append(
            {
                "title": ref.title,
                "kind": ref.kind,
                "url": url,
                "md_link": Markup(f"<{url}>") if url else None,
                "unsafe_url": ref.url if ref.url and not url else None,
            }
        )
    roles = []
    for member in card.people.members:
        roles.append(
            {
                "member": member.member,
                "roles": ", ".join(role_title(r, declared_roles(facts)) for r in member.roles) or "—",
                "participant": participants.get(member.member) or "—",
            }
        )
    objectives = [
        {
            "id": o.id,
            "text": o.text,
            "capability": o.capability,
            "target": o.target,
            "computed": o.computed,
            "computed_name": RATING_NAMES[o.computed],
            "computed_reason": o.computed_reason,
            "donts": len(o.penalties),
            "override": o.override,
            "override_name": RATING_NAMES[o.override] if o.override else None,
            "override_reason": o.override_reason,
            "rating": o.rating,
            "rating_name": RATING_NAMES[o.rating],
            "measures": [m.detail for m in o.measures],
        }
        for o in card.objectives
    ]
    intervals = [
        {
            "label": i.label,
            "name": i.name,
            "seconds": format_time(i.seconds) if i.seconds is not None else "not reached",
            "target": format_time(i.target) if i.target is not None else "—",
            "par": par_cell(i, card.par_available),
            "status": f"not reached {before_the_end(card.ended_at)}"
            if card.cut_short(i)
            else STATUS_WORDS.get(i.status, i.status.replace("_", " "))
            + (" (no target)" if i.target is None and i.status == "not_reached" else ""),
            "ok": i.status in ("met", "reached"),
            "optional": i.target is None and i.status == "not_reached",
        }
        for i in card.intervals
    ]
    terms = [
        {
            "component": t.component,
            "label": t.label,
            "detail": t.detail,
            "weight": f"{t.weight:.1f}",
            "credit": f"{t.credit:.2f}",
            "points": f"{t.points:+.1f}" if t.component == "penalties" else f"{t.points:.1f}",
        }
        for t in card.score.terms
    ]
    comm = card.communication
    clocks = [
        {
            "regime": c.regime,
            "deadline": format_duration(c.deadline),
            "started": format_time(c.started_at),
            "due": format_time(c.due_at),
            "notified": format_time(c.notified_at),
            "recorded": _recorded(c),
            "status": c.status.replace("_", " "),
        }
        for c in card.clocks
    ]
    metrics = [
        {
            "label": m.label,
            "unit": m.unit,
            "baseline": f"{readable_number(m.baseline)}{m.unit}",
            "slo": " / ".join(
                x
                for x in (
                    f"≥ {readable_number(m.slo_min)}{m.unit}" if m.slo_min is not None else "",
                    f"≤ {readable_number(m.slo_max)}{m.unit}" if m.slo_max is not None else "",
                )
                if x
            )
            or "—",
            "worst": f"{readable_number(m.worst)}{m.unit}" if m.worst is not None else "—",
            "outside": format_time(m.outside_slo_seconds),
            "breaches": m.breaches,
        }
        for m in card.business.metrics
    ]
    members = [
        {
            "member": m.member,
            "participant": m.participant or "—",
            "actions": m.actions,
            "succeeded": m.succeeded,
            "failed": m.failed,
            "busy": format_time(m.busy_seconds),
            "waited": format_time(m.waited_seconds),
            "mismatches": m.role_mismatches,
            "share": f"{m.share:.0%}",
        }
        for m in card.people.members
    ]
    decisions = [
        {
            "t": format_time(d.arrived_at),
            "prompt": d.prompt,
            "deadline": format_time(d.deadline_at),
            "answer": d.choice_label,
            "answered": format_time(d.answered_at if d.answered_at is not None else d.resolved_at),
            "outcome": (
                "answered"
                if d.answered_at is not None
                else "resolved by what the team had done"
                if d.resolved_at is not None
                else ("timed out" if d.timed_out else "open at the end")
            )
            + (f"; {d.quality}" if d.quality else "")
            + (f" ({d.why})" if d.why else ""),
            "consequence": d.consequence,
        }
        for d in card.people.decisions
    ]
    detection = card.detection
    detection_row = None
    if detection is not None:
        detection_row = {
            "source": detection.source,
            "alert": format_time(detection.first_alert_at),
            "alert_from_impact": format_time(detection.alert_from_impact),
            "target": format_time(detection.alert_target),
            "responder": detection.responder or "nobody",
            "acted": detection.ack_at is not None,
            "ack": format_time(detection.ack_at),
            "ack_from_alert": format_time(detection.ack_from_alert),
            "human": format_time(detection.human_detected_at),
        }

    def finding_row(f: Finding) -> dict[str, Any]:
        return {
            "title": f.title,
            "evidence": f.evidence,
            "action": f.corrective_action,
            "owner": f.owner_title or f.owner,
            "due": f.due or (f"{f.due_days} days after the drill" if f.due_days else "—"),
        }

    figures = [{"name": name, "title": FIGURE_TITLES.get(name, name), "src": src} for name, src in figure_src.items()]
    return {
        "scenario": {
            "id": scenario.id,
            "title": scenario.title,
            "category": scenario.category,
            "severity": scenario.severity,
            "summary": scenario.summary,
            "briefing": scenario.briefing or scenario.summary,
            "duration": format_duration(scenario.duration),
            "hash": (card.scenario_hash or "")[:12] or "—",
            "references": references,
        },
        "card": {
            "team": card.team,
            "label": card.label,
            "seed": card.seed,
            "date": card.date,
            "policy": card.policy,
            "version": card.version,
            "end_reason": (card.end_reason or "not ended").replace("_", " "),
            "ended_at": format_time(card.ended_at),
            "impact": format_time(card.impact_started_at),
            "total": f"{card.score.total:.1f}",
            "earned": f"{card.score.earned:.1f}",
            "penalties": card.score.penalties,
            "penalties_listed": card.penalty_total,
            "par_score": f"{card.par_score:.1f}" if card.par_score is not None else None,
            "par_basis": (
                f"the median of {card.par_basis.runs} drills of this scenario played by "
                + PAR_TEAMS.get(card.par_basis.policy, f"the {card.par_basis.policy} policy")
                + " with this roster; in brackets its fast (10th percentile) and slow (90th percentile) ends"
                if card.par_basis is not None
                else None
            ),
            "revenue_lost": _money(card.business.revenue_lost, currency),
            "harm": [
                {
                    "label": h.label,
                    "amount": f"{h.amount:,.0f}" + (f" {h.unit}" if h.unit else ""),
                    "cost": _money(h.cost, currency),
                }
                for h in card.business.harm
            ],
            "total_cost": _money(card.business.total_cost or card.business.revenue_lost, currency),
            "waited_total": format_time(card.people.waited_total),
            "total_actions": card.people.total_actions,
        },
        "components": [{"name": k, "points": f"{v:.1f}"} for k, v in card.score.components.items()],
        "roles": roles,
        "objectives": objectives,
        "intervals": intervals,
        "terms": terms,
        "communication": {
            "updates": comm.updates,
            "internal": comm.internal_updates,
            "external": comm.external_updates,
            "first": format_time(comm.first_update_from_impact)
            if comm.first_update_from_impact is not None
            else "none",
            "first_target": format_time(comm.first_update_target) if comm.first_update_target is not None else "—",
            "gap": format_time(comm.largest_gap) if comm.largest_gap is not None else "—",
            "gap_from": format_time(comm.largest_gap_from),
            "gap_until": format_time(comm.largest_gap_until),
            "gap_end": comm.gap_end,
            "cadence": format_time(comm.cadence) if comm.cadence is not None else "—",
            "statements": [
                {
                    "t": format_time(st.t),
                    "label": st.label,
                    "kind": st.kind.replace("_", " "),
                    "sound": "sound" if st.sound else "not sound",
                    "counted": "counted" if st.counted else f"not counted: {st.why}",
                }
                for st in comm.statements
            ],
        },
        "detection": detection_row,
        "clocks": clocks,
        "metrics": metrics,
        "members": members,
        "waits": [
            {
                "t": format_time(w.t),
                "action": facts.action_label(w.action),
                "member": w.member,
                "waited": format_time(w.waited),
            }
            for w in card.people.waits
        ],
        "decisions": decisions,
        "submissions": _decision_log(facts),
        "timeline": _timeline(facts),
        "strengths": [finding_row(f) for f in found if f.kind == "strength"],
        "improvements": [finding_row(f) for f in found if f.kind == "improvement"],
        "plan": [finding_row(f) for f in improvement_plan(found)],
        "notes": [
            {
                "t": format_time(float(n.get("t", 0.0))),
                "author": n.get("author") or "facilitator",
                "text": n.get("text"),
            }
            for n in facts.notes
        ],
        "hotwash": [{"kind": h.get("kind") or "note", "text": h.get("text")} for h in facts.hotwash],
        "figures": figures,
        "warnings": warnings or [],
        "css": _css(),
        "aar": aar if aar is not None else build_aar(facts, card, found),
    }


def _css() -> str:
    from importlib.resources import files

    return (files("drillsim.reports.templates") / "report.css").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- rendering


def render_template(name: str, context: dict[str, Any]) -> str:
    """Render ``reports/templates/<name>``: a ``*.md.j2`` with the Markdown environment (runs of
    blank lines folded into one), any other with the HTML one (autoescaped)."""
    html, md = jinja_environments()
    if name.endswith(".md.j2"):
        return re.sub(r"\n{3,}", "\n\n", md.get_template(name).render(**context))
    text: str = html.get_template(name).render(**context)
    return text


def render_markdown(context: dict[str, Any]) -> str:
    return render_template("report.md.j2", context)


def render_html(context: dict[str, Any]) -> str:
    return render_template("report.html.j2", context)


def par_cell(interval: Interval, available: bool) -> str:
    """The par column: ``median (p10–p90)``; "never" where par's drills do not reach it; a dash without par."""
    if not available:
        return "—"

    def at(value: float | None) -> str:
        return "never" if value is None else format_time(value)

    if interval.par is None and interval.par_p10 is None:
        return "never"
    if interval.par_p10 == interval.par == interval.par_p90:
        return at(interval.par)
    return f"{at(interval.par)} ({at(interval.par_p10)}–{at(interval.par_p90)})"


def with_aar(text: str, aar: dict[str, Any]) -> str:
    """The scorecard's JSON with the AAR/IP added under ``aar`` (the scorecard's own keys unchanged)."""
    import json

    data = json.loads(text)
    data["aar"] = aar
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_report(
    records: list[dict[str, Any]],
    par: Par | Future[Par | None] | None = None,
    *,
    figures: bool = True,
    warnings: list[str] | None = None,
    exercise: ExerciseInfo | None = None,
) -> Rendered:
    """Score a journal and render every report artefact in memory; ``exercise``: the AAR/IP overview settings.

    ``par`` may still be being computed (``reports.par.start_par``): the figures without par are drawn
    meanwhile, and a par that cannot be had adds a warning to ``warnings``."""
    from markupsafe import Markup

    facts = DrillFacts.from_records(records)
    pngs: dict[str, bytes] = {}
    if figures:
        from drillsim.reports.figures import figures_without_par, milestones_figure

        pngs = figures_without_par(facts)
    if isinstance(par, Future):
        par = par.result()
        if par is None and warnings is not None:
            warnings.append("par not available: the playbook could not be simulated for this scenario and roster")
    card = score(records, par)
    found = findings_from(facts, card)
    aar = build_aar(facts, card, found, exercise)
    if figures:
        pngs["milestones"] = milestones_figure(facts, card)
    md_src = {name: Markup(f"figures/{name}.png") for name in pngs}
    html_src = {
        name: Markup("data:image/png;base64," + base64.b64encode(data).decode("ascii")) for name, data in pngs.items()
    }
    md_context = build_context(facts, card, found, md_src, warnings, aar)
    html_context = build_context(facts, card, found, html_src, warnings, aar)
    return Rendered(
        scorecard=card,
        findings=found,
        markdown=render_markdown(md_context),
        html=render_html(html_context),
        scorecard_json=with_aar(scorecard_with_findings(card, found), aar),
        figures=pngs,
        warnings=list(warnings or []),
    )


def scorecard_with_findings(card: Scorecard, found: list[Finding]) -> str:
    """The ``scorecard.json`` text with the report's findings in it (``findings``: kind, rule, title,
    corrective action, owner ...), so ``drillsim compare`` reads them instead of re-reading the journal.
    A scorecard without the field (written before) still reads: compare then recomputes them."""
    text = scorecard_json(card)
    data = json.loads(text)
    data["findings"] = [f.model_dump(mode="json") for f in found]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_report(
    run_dir: str | Path,
    par: bool | Par = True,
    *,
    figures: bool = True,
    par_options: dict[str, Any] | None = None,
    notes: list[str] | tuple[str, ...] = (),
) -> ReportPaths:
    """(Re)write a run folder's ``scorecard.json``, ``report.md``, ``report.html`` and ``figures/*.png``.

    Reads ``journal.jsonl`` (a torn last line is skipped with a warning). ``par``: True
    computes the playbook's median over many drills of the drill's scenario and roster (or
    reads it from the cache; ``par_options`` go to ``reports.par.median_par``: ``jobs``,
    ``progress``, ``runs``, ``cache``), a :class:`Par` already computed is used as it is,
    False leaves par out. Every file is written atomically.
    """
    folder = Path(run_dir)
    warnings: list[str] = list(notes)  # the caller's, such as a failed integrity check (shown in the report)
    records = read_journal(folder, warnings)
    # par is computed in the background while the figures are drawn (render_report waits for it)
    par_values = par if isinstance(par, Par) else start_par(records, **(par_options or {})) if par else None
    exercise = run_exercise(folder, warnings)
    rendered = render_report(records, par_values, figures=figures, warnings=warnings, exercise=exercise)
    figure_paths = []
    for name, data in rendered.figures.items():
        figure_paths.append(atomic_write(folder / "figures" / f"{name}.png", data))
    data = json.loads(rendered.scorecard_json)
    if notes:  # a failed integrity check travels with the scorecard: compare reports it without the journal
        data["integrity"] = list(notes)
    # the journal this scorecard was written from: compare trusts the scorecard while the journal keeps this hash
    data["journal_sha256"] = hashlib.sha256(journal_path(folder).read_bytes()).hexdigest()
    scorecard_text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    scorecard = atomic_write(folder / "scorecard.json", scorecard_text)
    markdown = atomic_write(folder / "report.md", rendered.markdown)
    html = atomic_write(folder / "report.html", rendered.html)
    return ReportPaths(folder, scorecard, markdown, html, figure_paths, warnings)
