"""Qt-free core: vault, data model, service API, statistics."""
