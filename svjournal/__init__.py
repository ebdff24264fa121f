"""svjournal: an encrypted, offline journal for healthcare peer supporters."""

__version__ = "0.1.0"
APP_NAME = "svjournal"
