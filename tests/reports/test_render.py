"""Rendering: escaping of everything people typed, the golden Markdown report, figures and write_report."""

from __future__ import annotations

import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from drillsim.reports.render import md_escape, render_report, write_report

HERE = Path(__file__).resolve().parent
JOURNALS = HERE.parents[1] / "tests" / "data" / "journals"


class Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.handlers: list[tuple[str, str]] = []
        self.hrefs: list[str] = []
        self.srcs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.handlers.append((tag, name))
            if name == "href":
                self.hrefs.append(value or "")
            if name == "src":
                self.srcs.append(value or "")


def test_hostile_texts_render_inert_in_html(journal):
    rendered = render_report(journal("hostile"), figures=False)
    audit = Audit()
    audit.feed(rendered.html)
    assert "script" not in audit.tags
    assert "img" not in audit.tags  # no figures rendered, so any img would come from user text
    assert "b" not in audit.tags and "i" not in audit.tags
    assert audit.handlers == []
    assert all(h.startswith("https://") for h in audit.hrefs)
    assert not any("javascript:" in h for h in audit.hrefs)
    # the texts are shown, escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    assert "&lt;img src=x onerror=alert(1)&gt;" in rendered.html


def test_hostile_texts_render_inert_in_markdown(journal):
    md = render_report(journal("hostile"), figures=False).markdown
    assert "<script" not in md and "<img" not in md and "<b " not in md and "<i>" not in md
    assert not re.search(r"(?<!\\)\]\(javascript:", md)
    assert "\\[x\\](javascript:alert(1))" in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    # every table row keeps its column count: pipes in user text are escaped
    for line in md.splitlines():
        if line.startswith("| Scenario |"):
            assert len(re.findall(r"(?<!\\)\|", line)) == 3


def test_hostile_markdown_rendered_by_a_markdown_engine_is_inert(journal):
    markdown_it = pytest.importorskip("markdown_it")
    md = render_report(journal("hostile"), figures=False).markdown
    html = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(md)
    audit = Audit()
    audit.feed(html)
    assert "script" not in audit.tags and "img" not in audit.tags and "b" not in audit.tags
    assert audit.handlers == []
    assert all(h.startswith("https://") for h in audit.hrefs)


def test_md_escape():
    assert md_escape("a *b* _c_ [d](e) <f> | # `g` \\") == "a \\*b\\* \\_c\\_ \\[d\\](e) &lt;f&gt; \\| \\# \\`g\\` \\\\"
    assert md_escape("two\nlines") == "two lines"
    assert md_escape(None) == "—"


def test_golden_markdown(journal):
    md = render_report(journal("flash-sale-seed"), figures=False).markdown
    golden = JOURNALS / "flash-sale-seed.golden.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(md, encoding="utf-8")
    assert md == golden.read_text(encoding="utf-8")


def test_overrides_and_hotwash_in_report(journal):
    rendered = render_report(journal("flash-sale-late"), figures=False)
    assert "facilitator override of U: Blaming the CDN &lt;b&gt;hurt&lt;/b&gt; trust" in rendered.markdown
    assert "<em>Facilitator override of U:</em> Blaming the CDN &lt;b&gt;hurt&lt;/b&gt;" in rendered.html
    seed = render_report(journal("flash-sale-seed"), figures=False).markdown
    assert "- Strength: The rollback script worked first time." in seed
    assert "10:00 (facilitator): Team checked the CDN alert" in seed


def test_write_report_with_figures(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    shutil.copy(JOURNALS / "torn.jsonl", run / "journal.jsonl")
    paths = write_report(run, par=False)
    assert [p.name for p in paths.figures] == ["metrics.png", "members.png", "milestones.png"]
    for figure in paths.figures:
        assert figure.read_bytes().startswith(b"\x89PNG")
    md = paths.markdown.read_text()
    assert "![Metrics over time" in md and "(figures/metrics.png)" in md
    html = paths.html.read_text()
    audit = Audit()
    audit.feed(html)
    assert len(audit.srcs) == 3 and all(s.startswith("data:image/png;base64,") for s in audit.srcs)
    assert "@media print" in html
    card = json.loads(paths.scorecard.read_text())
    assert card["schema_version"] == 3 and card["scenario_id"] == "tiny"
    assert any("cut mid-write" in w for w in paths.warnings)
    assert "cut mid-write" in md
    leftovers = [p.name for p in run.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
