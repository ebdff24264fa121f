"""Allow `python -m svjournal`."""

from svjournal.cli import entry_point

# The guard matters: chart-drawing worker processes are spawned and re-import __main__.
if __name__ == "__main__":
    entry_point()
