"""The pages of the main window, one module each."""

# The navigation's pages, in order. Here rather than in workspace.py so that the main window
# can name them (remembered page) without importing the journal service behind the lock screen.
PAGES = ("Today", "Cases", "Follow-ups", "Charts", "Reports", "Team", "Reference", "Settings")
