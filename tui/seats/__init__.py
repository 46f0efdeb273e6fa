"""Seats of a hosted drill: the Textual app a role, the controller or the room opens with ``drillsim join``."""
