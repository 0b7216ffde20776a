"""Makes ``tests/_reference.py`` (the plain numpy transcription of the lecture)
importable as ``_reference`` under pytest's importlib import mode, which does
not put the test directory on ``sys.path`` by itself."""

import sys
from pathlib import Path

_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)
