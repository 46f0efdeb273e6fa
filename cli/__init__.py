"""drillsim: a tabletop drill simulator for crisis response to AI system failures.

The installed package is ``drillsim``; its subpackages are the layers, each in its own
folder of the repository (a setuptools package-dir mapping)::

    drillsim            cli/         the command line (this package's own modules)
    drillsim.tui        tui/         the Textual app
    drillsim.reports    reports/     scoring, lessons, rendering, comparison
    drillsim.simulator  simulator/   the domain and the SimPy engine
    drillsim.scenarios  scenarios/   the built-in library (package data)

Imports point one way: cli -> tui -> reports -> simulator. This module holds only the
version, so that any layer may read it without importing a higher one.
"""

__version__ = "0.1.0"
