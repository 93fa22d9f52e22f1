import os
import subprocess
import sys
import unittest

from support import NO_BINARY, PYTHON_DIR, TemporaryDirectory, binary, has_module

NOTEBOOK = PYTHON_DIR / "examples" / "train_and_trace.ipynb"
RUNNER = PYTHON_DIR / "examples" / "run_notebook.py"
PNG = b"\x89PNG\r\n\x1a\n"


@unittest.skipIf(binary() is None, NO_BINARY)
@unittest.skipUnless(has_module("matplotlib"), "matplotlib is not installed (pip install matplotlib)")
class NotebookTests(unittest.TestCase):
    """The example notebook runs as a script, cell by cell, and draws its figures."""

    def run_notebook(self, without_torch):
        with TemporaryDirectory() as d:
            # Hiding torch (a None entry in sys.modules makes `import torch` fail) runs the torch-free path.
            hide = "import sys; sys.modules['torch'] = None; " if without_torch else ""
            code = hide + f"import runpy, sys; sys.argv = ['run_notebook.py', {str(NOTEBOOK)!r}]; " \
                          f"runpy.run_path({str(RUNNER)!r}, run_name='__main__')"
            env = {**os.environ, "RNNSCOPE_BINARY": binary(), "RNNSCOPE_NOTEBOOK_DIR": str(d), "MPLBACKEND": "Agg"}
            result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
            self.assertIn("--- cell 5/5", result.stdout)
            self.assertIn("Trace(cell='lstm', steps=22, hidden_size=16, layers=1)", result.stdout)
            for figure in ("gates.png", "gradients.png"):
                self.assertEqual((d / figure).read_bytes()[:8], PNG, figure)
            return result.stdout

    def test_without_torch_rnnscope_trains_the_model(self):
        self.assertIn("torch not installed", self.run_notebook(without_torch=True))

    @unittest.skipUnless(has_module("torch"), "torch is not installed")
    def test_with_torch_pytorch_trains_and_exports_the_model(self):
        self.assertIn("lstm model written to", self.run_notebook(without_torch=False))

    def test_a_failing_cell_is_named_and_the_run_fails(self):
        with TemporaryDirectory() as d:
            broken = d / "broken.ipynb"
            broken.write_text('{"cells": [{"cell_type": "code", "source": ["x = 1\\n"]},'
                              ' {"cell_type": "code", "source": ["x / 0\\n"]}], "nbformat": 4, "nbformat_minor": 5}')
            result = subprocess.run([sys.executable, str(RUNNER), str(broken)], capture_output=True, text=True, timeout=60)
            self.assertEqual(result.returncode, 1)
            self.assertIn(f"{broken}: code cell 2 failed", result.stderr)
            self.assertIn("ZeroDivisionError", result.stderr)


if __name__ == "__main__":
    unittest.main()
