"""The schema's migrations, one file per revision: frozen history.

A migration that has shipped is never edited, even where it repeats the shape of another
(`duplicates` lists several pairs here): journals in the field were upgraded by exactly this
code, and a later change would make a fresh journal differ from an upgraded one. A new change
to the schema is a new revision (CONTRIBUTING.md says how).
"""
