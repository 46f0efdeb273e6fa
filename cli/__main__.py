"""``python -m drillsim``: the same command line as the ``drillsim`` script."""

import sys

from drillsim.main import main

if __name__ == "__main__":
    sys.exit(main())
