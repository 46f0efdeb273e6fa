"""Exit codes and the user-error exception shared by every subcommand module.

Its own module so that the subcommand modules never import :mod:`drillsim.main` back
(which registers them): no import circle.
"""

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class UserError(Exception):
    """A mistake in the user's input: printed as one line, exit code 2."""
