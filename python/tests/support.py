"""Where the tests find the repository's golden files and the rnnscope program."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PYTHON_DIR = Path(__file__).resolve().parent.parent
REPO = PYTHON_DIR.parent
GOLDEN = REPO / "Tests" / "Golden"
sys.path.insert(0, str(PYTHON_DIR))


def binary():
    """$RNNSCOPE_BINARY, else the debug build in the repository, else rnnscope on PATH; None if none."""
    for candidate in (os.environ.get("RNNSCOPE_BINARY"), REPO / ".build" / "debug" / "rnnscope", shutil.which("rnnscope")):
        if candidate and os.access(str(candidate), os.X_OK):
            return str(candidate)
    return None


NO_BINARY = "no rnnscope program: run swift build, or set RNNSCOPE_BINARY"


def run(*arguments, stdin=None):
    """Runs rnnscope; returns (status, stdout, stderr)."""
    result = subprocess.run([binary(), *map(str, arguments)], input=stdin, capture_output=True, text=True,
                            env={**os.environ, "NO_COLOR": "1"}, timeout=300)
    return result.returncode, result.stdout, result.stderr


def has_module(name):
    try:
        __import__(name)
        return True
    except ImportError:
        return False


class TemporaryDirectory(tempfile.TemporaryDirectory):
    def __enter__(self):
        return Path(super().__enter__())
