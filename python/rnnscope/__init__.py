"""The Python side of rnnscope.

- ``export(model, vocab, path, tokenizer="char")`` writes a PyTorch embedding/RNN/linear model as a
  .safetensors file rnnscope loads (``rnnscope view --model PATH --text ...``), refusing what it cannot show.
- ``export_tensors(tensors, cell, vocab, path, ...)`` does the same from numpy arrays (no torch needed).
- ``load_trace(path)`` reads ``rnnscope trace`` JSON as numpy arrays: steps × units per quantity and layer.
"""

from .export import ExportError, export, export_tensors
from .trace import Trace, load_trace

__all__ = ["ExportError", "Trace", "export", "export_tensors", "load_trace"]
