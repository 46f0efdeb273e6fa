"""Exit codes and the user-error exception shared by every subcommand module.

Its own module so that the subcommand modules never import :mod:`drillsim.main` back
(which registers them): no import circle.
"""

import sys

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class UserError(Exception):
    """A mistake in the user's input: printed as one line, exit code 2."""


def tell(text: object) -> None:
    """Print one message to stderr with any control character in it shown escaped (``\\x1b``): a
    message quotes what the user or a file wrote (a folder name, an id, a path), and a folder named
    with an escape sequence must not retitle or clear the terminal of whoever runs the command."""
    from drillsim.simulator.text import escape

    print(escape(str(text), lines=True), file=sys.stderr)
