"""Printing: report.html prints to A4 and Letter with every figure inside the page, and the comparison
fits a 1280 px window. Rendered with headless Chromium where it is installed (skipped, saying so, where
it is not); `apt-get install chromium poppler-utils` brings both tools."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from drillsim.reports.render import write_report

JOURNALS = Path(__file__).resolve().parents[1] / "data" / "journals"
CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
POPPLER = shutil.which("pdfinfo") and shutil.which("pdfimages")

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)"
)
needs_poppler = pytest.mark.skipif(
    not POPPLER, reason="pdfinfo/pdfimages are not installed (apt-get install poppler-utils)"
)

PAPER = {"A4": (595.0, 842.0), "letter": (612.0, 792.0)}
"""Page sizes in points."""
MARGIN_MM = 12.0
"""The print stylesheet's left and right page margin."""


def chromium(*args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def report_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of the late flash-sale drill (every section full: findings, plan, figures)."""
    run = tmp_path_factory.mktemp("print") / "run"
    run.mkdir()
    shutil.copy(JOURNALS / "flash-sale-late.jsonl", run / "journal.jsonl")
    return write_report(run, par=False).html


def test_captions_sit_above_their_figures(report_html: Path) -> None:
    html = report_html.read_text(encoding="utf-8")
    figures = re.findall(r"<figure>(.*?)</figure>", html, re.DOTALL)
    assert len(figures) == 3
    for figure in figures:
        assert figure.index("<figcaption>") < figure.index("<img")


@needs_chromium
@needs_poppler
@pytest.mark.parametrize("paper", ["A4", "letter"])
def test_report_prints_without_clipped_figures(report_html: Path, tmp_path: Path, paper: str) -> None:
    page = tmp_path / f"report-{paper}.html"
    page.write_text(
        report_html.read_text(encoding="utf-8").replace("</head>", f"<style>@page {{ size: {paper}; }}</style></head>"),
        encoding="utf-8",
    )
    pdf = tmp_path / f"report-{paper}.pdf"
    done = chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert pdf.exists(), done.stderr[-2000:]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    width, height = (float(x) for x in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())  # type: ignore[union-attr]
    assert (round(width), round(height)) == tuple(round(x) for x in PAPER[paper])
    assert 6 <= pages <= 30, f"{pages} pages"
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    images = [r for r in rows if r[2] == "image"]
    assert len(images) == 3, listing
    printable = width - 2 * MARGIN_MM / 25.4 * 72
    for row in images:
        pixels_wide, x_ppi = int(row[3]), float(row[12])
        shown = pixels_wide / x_ppi * 72  # points on the page
        assert shown <= printable + 1.0, f"image {row[1]} is {shown:.0f} pt wide, the page has {printable:.0f} pt"


@needs_chromium
def test_comparison_fits_a_1280_px_window(tmp_path: Path) -> None:
    from drillsim.main import main

    drills = tmp_path / "drills"
    for name in ("flash-sale-seed", "flash-sale-late", "tiny-good"):
        (drills / name).mkdir(parents=True)
        shutil.copy(JOURNALS / f"{name}.jsonl", drills / name / "journal.jsonl")
        write_report(drills / name, par=False, figures=False)
    assert main(["compare", str(drills), "--out", str(tmp_path / "out")]) == 0
    html = (tmp_path / "out" / "comparison.html").read_text(encoding="utf-8")
    scroll, right, viewport = page_widths(html, tmp_path, 1280)
    assert viewport == 1280
    assert scroll <= viewport and right <= viewport, f"scroll width {scroll}, rightmost edge {right}"


@needs_chromium
@pytest.mark.parametrize("width", [1024, 1280])
def test_the_report_page_never_scrolls_sideways(report_html: Path, tmp_path: Path, width: int) -> None:
    """The improvement plan's nine columns were wider than a 1280 px window at the report's projector type:
    the whole page scrolled sideways. Now it fits at 1280 and scrolls inside its own box below that."""
    scroll, _, viewport = page_widths(report_html.read_text(encoding="utf-8"), tmp_path, width)
    assert scroll <= viewport, f"the page is {scroll} px wide in a {viewport} px window"


def page_widths(html: str, tmp_path: Path, width: int) -> tuple[int, int, int]:
    """In headless Chromium at ``width`` px: the page's scroll width, the rightmost element's edge, the window."""
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    probe = (
        "<script>addEventListener('load', () => { let right = 0; for (const e of document.querySelectorAll('body *')) "
        "{ right = Math.max(right, e.getBoundingClientRect().right); } "
        "document.title = 'W' + document.documentElement.scrollWidth + ' R' + Math.round(right) + ' V' + innerWidth; });</script>"
    )
    page = tmp_path / "probe.html"
    page.write_text(html.replace("</head>", probe + "</head>"), encoding="utf-8")
    dom = chromium(f"--window-size={width},900", "--dump-dom", page.as_uri()).stdout
    found = re.search(r"<title>W(\d+) R(\d+) V(\d+)</title>", dom)
    assert found, dom[:500]
    scroll, right, viewport = (int(x) for x in found.groups())
    return scroll, right, viewport
