"""Writing models rnnscope loads: an embedding (optional) → a recurrent layer stack → one linear layer.

rnnscope runs ``nn.RNN`` (tanh or relu), ``nn.LSTM`` and ``nn.GRU`` with 1 to 4 layers, one direction,
biases, no LSTM projection, and a one-hot input when there is no embedding. What it cannot run is refused
here, before anything is written, with what to change.
"""

import json

import numpy as np

#: rnnscope's cells and how many gate blocks of H rows PyTorch stacks in their weights.
GATE_BLOCKS = {"rnn_tanh": 1, "rnn_relu": 1, "gru": 3, "lstm": 4}
MAX_LAYERS = 4


class ExportError(ValueError):
    """The model or its vocabulary is something rnnscope cannot load; the message says what to change."""


def export(model, vocab, path, tokenizer="char", task="classification"):
    """Writes ``model`` (a torch ``nn.Module``) to ``path`` as a .safetensors file rnnscope loads.

    The module must hold exactly one ``nn.RNN``/``nn.LSTM``/``nn.GRU``, one ``nn.Linear`` reading its hidden
    state, and at most one ``nn.Embedding``, and its forward pass must be embedding → RNN → linear (rnnscope
    replays that order). ``batch_first`` does not matter and dropout is fine (traces run without it).
    ``vocab`` lists the tokens in id order; ``tokenizer`` is "char" (one token per character) or "word"
    (whitespace-separated). Tied embedding and output weights are written twice, as rnnscope keeps both.
    Returns the metadata written.
    """
    from torch import nn

    def named(kinds):
        return [(name, m) for name, m in model.named_modules() if isinstance(m, kinds)]

    cells = named((nn.RNNCell, nn.LSTMCell, nn.GRUCell))
    if cells:
        raise ExportError(f"module {cells[0][0]!r} is an {type(cells[0][1]).__name__}; rnnscope reads nn.RNN, "
                          "nn.LSTM and nn.GRU: copy its weight_ih/weight_hh/bias_ih/bias_hh into a 1-layer "
                          "module of that kind (same maths) and export that")
    rnns = named((nn.RNN, nn.LSTM, nn.GRU))
    if len(rnns) != 1:
        found = ", ".join(name for name, _ in rnns) or "none"
        raise ExportError(f"rnnscope shows one recurrent module (nn.RNN, nn.LSTM or nn.GRU); found {found}")
    rnn_name, rnn = rnns[0]
    if rnn.bidirectional:
        raise ExportError(f"{rnn_name} is bidirectional; rnnscope runs one direction: "
                          "train with bidirectional=False to view the model")
    if getattr(rnn, "proj_size", 0):
        raise ExportError(f"{rnn_name} has proj_size={rnn.proj_size}; rnnscope runs LSTMs without a projection: "
                          "train with proj_size=0 (the default)")
    if not rnn.bias:
        raise ExportError(f"{rnn_name} has bias=False; rnnscope needs the recurrent biases: train with bias=True")
    if not 1 <= rnn.num_layers <= MAX_LAYERS:
        raise ExportError(f"{rnn_name} has num_layers={rnn.num_layers}; rnnscope runs 1 to {MAX_LAYERS} layers")
    if isinstance(rnn, nn.LSTM):
        cell = "lstm"
    elif isinstance(rnn, nn.GRU):
        cell = "gru"
    else:
        cell = "rnn_" + rnn.nonlinearity

    embeddings = named(nn.Embedding)
    if len(embeddings) > 1:
        raise ExportError("rnnscope reads at most one nn.Embedding; found "
                          + ", ".join(name for name, _ in embeddings))
    embedding = embeddings[0][1] if embeddings else None
    if embedding is not None and embedding.max_norm is not None:
        raise ExportError(f"{embeddings[0][0]} has max_norm={embedding.max_norm}, which rescales rows as it reads "
                          "them; rnnscope replays plain lookups: train with max_norm=None")
    heads = [(name, m) for name, m in named(nn.Linear) if m.in_features == rnn.hidden_size]
    if len(heads) != 1:
        found = ", ".join(name for name, _ in heads) or "none"
        raise ExportError(f"rnnscope shows one nn.Linear reading the hidden state (in_features={rnn.hidden_size}); "
                          f"found {found}")
    head_name, head = heads[0]
    if head.bias is None:
        raise ExportError(f"{head_name} has bias=False; rnnscope needs the output layer's bias: train with bias=True")

    known = {id(rnn), id(head)} | ({id(embedding)} if embedding is not None else set())
    extra = [name for name, m in model.named_modules()
             if id(m) not in known and any(True for _ in m.parameters(recurse=False))]
    if extra:
        raise ExportError(f"module(s) {', '.join(extra)} have weights rnnscope does not run: it shows "
                          "embedding → RNN → linear models only")

    def array(t):
        return t.detach().to("cpu").float().numpy().copy()

    tensors = {}
    if embedding is not None:
        tensors["embedding.weight"] = array(embedding.weight)
    for k in range(rnn.num_layers):
        for part in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            tensors[f"rnn.{part}_l{k}"] = array(getattr(rnn, f"{part}_l{k}"))
    tensors["fc.weight"] = array(head.weight)
    tensors["fc.bias"] = array(head.bias)
    return export_tensors(tensors, cell, vocab, path, tokenizer=tokenizer, task=task)


def export_tensors(tensors, cell, vocab, path, tokenizer="char", task="classification"):
    """Checks and writes numpy arrays under rnnscope's names (``embedding.weight`` if any,
    ``rnn.{weight_ih,weight_hh,bias_ih,bias_hh}_l{k}``, ``fc.weight``, ``fc.bias``) with the metadata
    rnnscope reads. ``vocab`` is None for ``task="regression"``. Returns the metadata written."""
    from safetensors.numpy import save_file

    if cell not in GATE_BLOCKS:
        raise ExportError(f"cell {cell!r}; expected one of {', '.join(GATE_BLOCKS)}")
    if task not in ("classification", "regression"):
        raise ExportError(f"task {task!r}; expected classification or regression")
    if tokenizer not in ("char", "word"):
        raise ExportError(f"tokenizer {tokenizer!r}; expected 'char' (one token per character) or 'word'")
    arrays = {name: np.ascontiguousarray(np.asarray(value, dtype=np.float32)) for name, value in tensors.items()}

    def shape(name):
        if name not in arrays:
            raise ExportError(f"missing tensor {name!r}")
        return arrays[name].shape

    layers = 0
    while f"rnn.weight_ih_l{layers}" in arrays:
        layers += 1
    if not 1 <= layers <= MAX_LAYERS:
        raise ExportError(f"{layers} recurrent layers; rnnscope runs 1 to {MAX_LAYERS}")
    hh = shape("rnn.weight_hh_l0")
    g = GATE_BLOCKS[cell]
    if len(hh) != 2 or hh[0] != g * hh[1]:
        raise ExportError(f"rnn.weight_hh_l0 has shape {hh}, but a {cell} cell needs [{g}·H, H]")
    hidden = hh[1]
    input_size = shape("rnn.weight_ih_l0")[-1]
    for k in range(layers):
        width = input_size if k == 0 else hidden
        expected = {f"rnn.weight_ih_l{k}": (g * hidden, width), f"rnn.weight_hh_l{k}": (g * hidden, hidden),
                    f"rnn.bias_ih_l{k}": (g * hidden,), f"rnn.bias_hh_l{k}": (g * hidden,)}
        for name, want in expected.items():
            if shape(name) != want:
                raise ExportError(f"{name} has shape {list(shape(name))}; expected {list(want)}")
    outputs = shape("fc.weight")[0]
    if shape("fc.weight") != (outputs, hidden) or shape("fc.bias") != (outputs,):
        raise ExportError(f"fc.weight/fc.bias have shapes {list(shape('fc.weight'))}/{list(shape('fc.bias'))}; "
                          f"expected [V, {hidden}] and [V]")
    names = {"fc.weight", "fc.bias", "embedding.weight"} | {
        f"rnn.{p}_l{k}" for k in range(layers) for p in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
    unknown = sorted(set(arrays) - names)
    if unknown:
        raise ExportError(f"tensors {unknown} are not part of an embedding → RNN → linear model")
    for name, value in arrays.items():
        if not np.isfinite(value).all():
            raise ExportError(f"{name} holds a non-finite value; every weight must be a finite number")

    metadata = {"cell": cell}
    if task == "regression":
        if vocab:
            raise ExportError("a regression model reads numbers: give vocab=None")
        if "embedding.weight" in arrays or input_size != 1 or outputs != 1:
            raise ExportError("a regression model reads one number and predicts one (no embedding, [., 1] input, 1 output)")
        metadata["task"] = "regression"
    else:
        vocab = list(vocab)
        if not all(isinstance(token, str) for token in vocab):
            raise ExportError("vocab must list the tokens as strings, in id order (vocab[i] is token id i)")
        if len(set(vocab)) != len(vocab):
            raise ExportError("vocab lists a token twice; token ids must be unique")
        if tokenizer == "char" and any(len(token) != 1 for token in vocab):
            bad = next(token for token in vocab if len(token) != 1)
            raise ExportError(f"tokenizer 'char' reads one character per token, but vocab holds {bad!r}: "
                              "use tokenizer='word'")
        if len(vocab) != outputs:
            raise ExportError(f"vocab has {len(vocab)} tokens but the output layer predicts {outputs}")
        if "embedding.weight" in arrays:
            if shape("embedding.weight") != (outputs, input_size):
                raise ExportError(f"embedding.weight has shape {list(shape('embedding.weight'))}; "
                                  f"expected [{outputs}, {input_size}]")
        elif input_size != outputs:
            raise ExportError(f"with no embedding the input is one-hot over {outputs} tokens, "
                              f"but rnn.weight_ih_l0 reads {input_size}")
        metadata["tokenizer"] = tokenizer
        metadata["vocab"] = json.dumps(vocab)
    save_file(arrays, str(path), metadata=metadata)
    return metadata
