"""Reading ``rnnscope trace`` JSON as numpy arrays."""

import json

import numpy as np


class Trace:
    """One recorded run. ``trace["h"]`` is a steps × units array for the top layer (``"gates.i"``,
    ``"grad.h"``, ``"grad.gates.f"``, ``"preactivations.o"``, ``"logits"``, ``"probs"``, ``"x"`` likewise;
    per-step numbers such as ``"loss"`` and ``"grad.h_norm"`` are 1-D), and ``trace.layers[k]["h"]`` the
    same for layer k, bottom first. ``param_grads`` maps names to arrays in their weight's shape.
    ``raw`` is the parsed JSON, for anything else.
    """

    def __init__(self, raw):
        self.raw = raw
        steps = raw.get("steps")
        if raw.get("format") != "rnnscope-trace" or not isinstance(steps, list):
            raise ValueError("not an rnnscope trace (expected \"format\": \"rnnscope-trace\" and a steps list)")
        self.tokens = list(raw.get("tokens", [step.get("token") for step in steps]))
        self.cell = raw.get("cell")
        self.hidden_size = raw.get("hidden_size")
        self.num_layers = raw.get("num_layers", 1)
        self.vocab = raw.get("vocab")
        self.loss = raw.get("loss")
        self.steps = _stack([_flatten(step, skip=("layers",)) for step in steps])
        if steps and all(isinstance(step.get("layers"), list) for step in steps):
            count = len(steps[0]["layers"])
            self.layers = [_stack([_flatten(step["layers"][k]) for step in steps]) for k in range(count)]
        else:
            # A one-layer trace's step fields are its only layer.
            self.layers = [{name: value for name, value in self.steps.items() if name not in _STEP_LEVEL}]
        self.param_grads = {name: np.asarray(value, dtype=np.float64)
                            for name, value in raw.get("param_grads", {}).items()}

    def __getitem__(self, name):
        return self.steps[name]

    def __contains__(self, name):
        return name in self.steps

    def quantities(self):
        """The names ``trace[name]`` accepts, sorted."""
        return sorted(self.steps)

    def __repr__(self):
        return (f"Trace(cell={self.cell!r}, steps={len(self.tokens)}, hidden_size={self.hidden_size}, "
                f"layers={len(self.layers)})")


# Per-step fields that belong to the whole model rather than to one recurrent layer.
_STEP_LEVEL = {"t", "token", "target", "x", "logits", "probs", "loss", "prediction", "token_id"}


def load_trace(path):
    """Reads the JSON written by ``rnnscope trace`` (or ``e`` in the viewer) from ``path``."""
    with open(path, encoding="utf-8") as f:
        return Trace(json.load(f))


def _flatten(obj, prefix="", skip=()):
    """{"gates": {"i": [...]}} → {"gates.i": [...]}: numbers, lists of numbers and nulls."""
    out = {}
    for key, value in obj.items():
        if key in skip:
            continue
        name = prefix + key
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        elif value is None or isinstance(value, (int, float, list)) and not isinstance(value, bool):
            out[name] = value
    return out


def _stack(rows):
    """Step dicts → name: array over steps (a missing or null value is NaN; vectors become steps × n)."""
    names = sorted({name for row in rows for name in row})
    columns = {}
    for name in names:
        values = [row.get(name) for row in rows]
        width = max((len(v) for v in values if isinstance(v, list)), default=None)
        if width is None:
            columns[name] = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
        else:
            matrix = np.full((len(values), width), np.nan)
            for i, v in enumerate(values):
                if isinstance(v, list) and len(v) == width:
                    matrix[i] = v
            columns[name] = matrix
    return columns
