#!/usr/bin/env python3
"""Runs a notebook's code cells in order, as one script, without Jupyter: the way CI runs the examples.

usage: python3 python/examples/run_notebook.py NOTEBOOK.ipynb

Cells share one namespace; figures go to files (matplotlib's Agg backend). The first failing cell is named
and the run exits 1. The repository's python/ folder is importable, so `import rnnscope` works uninstalled.
"""

import json
import os
import sys
import traceback
from pathlib import Path


def main(path):
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    os.environ.setdefault("MPLBACKEND", "Agg")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    namespace = {"__name__": "__main__"}
    code_cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    for number, cell in enumerate(code_cells, 1):
        source = "".join(cell["source"])
        magic = next((line for line in source.splitlines() if line.lstrip().startswith(("%", "!"))), None)
        if magic is not None:
            print(f"{path}: code cell {number} uses IPython syntax ({magic.strip()}), which a script cannot run", file=sys.stderr)
            return 1
        print(f"--- cell {number}/{len(code_cells)}", flush=True)
        try:
            exec(compile(source, f"{path}:cell{number}", "exec"), namespace)
        except Exception:
            traceback.print_exc()
            print(f"{path}: code cell {number} failed", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[2])
    sys.exit(main(sys.argv[1]))
