"""The drill host: one authoritative ``Drill`` and its journal, served to seats (role, controller, room).

Layering: ``tui -> host -> reports -> simulator``; nothing here imports textual.
"""
