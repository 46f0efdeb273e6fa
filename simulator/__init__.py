"""The drillsim domain and engine: scenario and roster formats, loading, the SimPy world, the journal.

Nothing here imports the terminal UI, the reports, pandas or matplotlib.
"""
