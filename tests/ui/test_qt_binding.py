"""Guards against a Qt binding that corrupts Python's reference counts."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    plain = Signal()
    with_text = Signal(str)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="True is immortal from Python 3.12")
def test_emit_keeps_the_reference_count_of_true() -> None:
    # PySide6 6.12.0 dropped a reference to True on every Python-side emit(); after a few
    # hundred emits Python 3.11 aborted with "bool_dealloc". pyproject.toml bounds PySide6 below
    # 6.12 until a fixed release passes this test.
    emitter = _Emitter()
    before = sys.getrefcount(True)
    for _ in range(50):
        emitter.plain.emit()
        emitter.with_text.emit("x")
    assert sys.getrefcount(True) >= before - 5
