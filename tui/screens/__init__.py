"""The terminal UI's screens."""
