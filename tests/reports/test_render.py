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


def markdown_to_html(md: str) -> str:
    """The report's Markdown as a CommonMark renderer with GFM tables shows it (raw HTML allowed, as on GitHub)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table").render(md)


def test_hostile_texts_render_inert_in_markdown(journal):
    md = render_report(journal("hostile"), figures=False).markdown
    assert not re.search(r"(?<!\\)<(script|img|b |i>)", md)  # every '<' of theirs has its backslash
    assert not re.search(r"(?<!\\)\]\(javascript:", md)
    assert "\\[x\\](javascript:alert(1))" in md
    assert "\\<script>alert(1)\\</script>" in md
    # and rendered, nothing they typed is markup: no tag, no handler, no javascript link; the text shows
    audit = Audit()
    html = markdown_to_html(md)
    audit.feed(html)
    assert not {"script", "img", "b", "i", "blockquote"} & set(audit.tags)
    assert audit.handlers == [] and not any("javascript:" in h for h in audit.hrefs)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
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
    assert md_escape("a *b* _c_ [d](e) <f> | # `g` \\") == "a \\*b\\* \\_c\\_ \\[d\\](e) \\<f> \\| \\# \\`g\\` \\\\"
    # the raw file stays readable: a comparison, an ampersand in words, a quote mark mid-line as typed
    assert md_escape("answers >= 99.2% & Q&A > 3") == "answers >= 99.2% & Q&A > 3"
    assert md_escape("&amp; &#60; &#x3c;") == "\\&amp; &\\#60; &\\#x3c;"
    assert md_escape("> not a quote") == "\\> not a quote"


@pytest.mark.parametrize(
    "text",
    [
        "answers >= 99.2% & Q&A",
        "<script>alert(1)</script>",
        "<b>bold</b> <i>x</i> <img src=x onerror=alert(1)>",
        "&amp; &lt;b&gt; &#60;script&#62; &#x3c;",
        "> a quote? >> no",
        "<https://evil.example> <mailto:a@b.c>",
        "a\\<b \\&amp; c\\",
        "*a* _b_ `c` [d](javascript:e) ![f](g) | h | ~~i~~ # j",
        "<!-- comment --> <?php x ?> <![CDATA[ y ]]>",
    ],
)
def test_md_escape_renders_as_the_text_itself(text: str) -> None:
    """What a CommonMark renderer shows of an escaped value, in a paragraph, a list item or a table cell, is the
    value: the same characters, no element."""
    import html as html_module

    for line, tag in ((md_escape(text), "p"), (f"- {md_escape(text)}", "li")):
        rendered = markdown_to_html(line).strip()
        inner = re.fullmatch(rf"(?:<ul>\n)?<{tag}>(.*)</{tag}>(?:\n</ul>)?", rendered, re.S)
        assert inner, rendered
        assert "<" not in inner.group(1), rendered
        assert html_module.unescape(inner.group(1)) == text
    table = markdown_to_html(f"| a |\n|---|\n| {md_escape(text)} |\n")
    cell = re.search(r"<td>(.*)</td>", table, re.S)
    assert cell and "<" not in cell.group(1) and html_module.unescape(cell.group(1)) == text
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
    assert "facilitator override of U: Blaming the CDN \\<b>hurt\\</b> trust" in rendered.markdown
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


def test_action_labels_above_the_metrics_never_overlap_and_use_no_more_lanes_than_needed() -> None:
    """The done actions' labels were rotated above the first chart and ran into each other when actions
    bunched (five within two minutes); now each goes on the first free lane of a strip."""
    import random

    from drillsim.reports.figures import action_lanes

    rng = random.Random(3)
    for _ in range(200):
        starts = sorted(rng.uniform(0, 30) for _ in range(rng.randint(0, 25)))
        spans = [(s, s + rng.uniform(1, 8)) for s in starts]
        lanes = action_lanes(spans)
        for i, (a0, a1) in enumerate(spans):
            for j, (b0, b1) in enumerate(spans[:i]):
                if lanes[i] == lanes[j]:
                    assert a1 <= b0 or b1 <= a0, (spans[i], spans[j])
        most = max((sum(1 for s, e in spans if s <= t < e) for t, _ in spans), default=0)
        assert len(set(lanes)) == most


def test_a_task_label_near_the_right_edge_ends_with_its_own_bar() -> None:
    """Labels that would run past the members figure's right edge all ended at the edge, so two of one
    member's late tasks had their labels side by side at the edge and neither said which bar it was."""
    from drillsim.reports.figures import task_label_span

    assert task_label_span(100.0, 160.0, 200.0, 840.0) == (100.0, 300.0)  # room: from the bar's start
    assert task_label_span(720.0, 750.0, 200.0, 840.0) == (550.0, 750.0)  # late: ends where its bar ends
    assert task_label_span(780.0, 840.0, 200.0, 840.0) == (640.0, 840.0)
    assert task_label_span(800.0, 900.0, 200.0, 840.0) == (640.0, 840.0)  # never past the edge
