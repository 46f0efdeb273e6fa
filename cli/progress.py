"""A text progress bar for long headless work (``simulate``, par for a first report)."""

from __future__ import annotations

import time
from typing import TextIO


class ProgressBar:
    """A one-line text bar on a terminal, redrawn in place at most ten times a second."""

    def __init__(self, stream: TextIO, width: int = 30, enabled: bool | None = None, label: str = "") -> None:
        self.stream = stream
        self.label = label
        self.width = width
        self.enabled = stream.isatty() if enabled is None else enabled
        self.started = time.monotonic()
        self._last = 0.0
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        filled = int(self.width * done / total) if total else self.width
        elapsed = now - self.started
        eta = ""
        if 0 < done < total:
            eta = f", ~{elapsed * (total - done) / done:.0f}s left"
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r{self.label}[{bar}] {done:,}/{total:,} drills ({elapsed:.1f}s{eta})\x1b[K")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
            self._shown = False
