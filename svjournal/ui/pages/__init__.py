"""The pages of the main window, one module each."""

from svjournal.core.i18n import N_

# The navigation's pages, in order. Here rather than in workspace.py so that the main window
# can name them (remembered page) without importing the journal service behind the lock screen.
# The English names are keys (the remembered page, the workspace's look-ups): marked here,
# translated where shown, tr(name).
PAGES = (
    N_("Today"),
    N_("Cases"),
    N_("Follow-ups"),
    N_("Charts"),
    N_("Reports"),
    N_("Team"),
    N_("Reference"),
    N_("Settings"),
)
