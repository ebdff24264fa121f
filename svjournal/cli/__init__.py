"""The command line (`svjournal`); see main.py. Command modules import from common.py."""

from svjournal.cli.common import EXIT_ERROR, EXIT_OK, read_secret_file
from svjournal.cli.main import build_parser, entry_point, main

__all__ = ["EXIT_ERROR", "EXIT_OK", "build_parser", "entry_point", "main", "read_secret_file"]
