import json
import unittest

import numpy as np
from safetensors.numpy import load_file, safe_open

from support import GOLDEN, NO_BINARY, TemporaryDirectory, binary, has_module, run
from rnnscope import ExportError, export, export_tensors, load_trace

HAS_TORCH = has_module("torch")


def golden(case):
    tensors = load_file(str(GOLDEN / f"{case}.safetensors"))
    with safe_open(str(GOLDEN / f"{case}.safetensors"), "np") as f:
        metadata = f.metadata()
    return tensors, metadata


class ExportTensorsTests(unittest.TestCase):
    """export_tensors needs numpy and safetensors only."""

    def test_golden_tensors_written_again_are_the_same_file_contents(self):
        for case in ["lstm_word_embed", "gru_word_embed", "rnn_tanh_word_onehot", "lstm2_word_embed"]:
            with self.subTest(case=case), TemporaryDirectory() as d:
                tensors, metadata = golden(case)
                written = export_tensors(tensors, metadata["cell"], json.loads(metadata["vocab"]), d / "m.safetensors",
                                         tokenizer=metadata["tokenizer"])
                self.assertEqual(written, {k: metadata[k] for k in ("cell", "tokenizer", "vocab")})
                again = load_file(str(d / "m.safetensors"))
                self.assertEqual(sorted(again), sorted(tensors))
                for name in tensors:
                    np.testing.assert_array_equal(again[name], tensors[name])

    @unittest.skipIf(binary() is None, NO_BINARY)
    def test_an_exported_model_traces_like_the_pytorch_golden_trace(self):
        tensors, metadata = golden("rnn_relu_word_onehot")
        with TemporaryDirectory() as d:
            export_tensors(tensors, "rnn_relu", json.loads(metadata["vocab"]), d / "m.safetensors", tokenizer="word")
            text = (GOLDEN / "rnn_relu_word_onehot.txt").read_text()
            status, _, err = run("trace", "--model", d / "m.safetensors", "--text", text, "-o", d / "t.json")
            self.assertEqual(status, 0, err)
            np.testing.assert_allclose(load_trace(d / "t.json")["h"],
                                       load_trace(GOLDEN / "rnn_relu_word_onehot.trace.json")["h"], atol=1e-5)

    def test_what_rnnscope_cannot_load_is_refused_before_writing(self):
        tensors, metadata = golden("lstm_word_embed")
        vocab = json.loads(metadata["vocab"])
        cases = [
            (dict(cell="gru"), r"rnn.weight_hh_l0 has shape \(12, 3\), but a gru cell needs \[3·H, H\]"),
            (dict(cell="LSTM"), "cell 'LSTM'; expected one of rnn_tanh, rnn_relu, gru, lstm"),
            (dict(vocab=vocab[:-1]), "vocab has 5 tokens but the output layer predicts 6"),
            (dict(vocab=vocab[:-1] + ["I"]), "vocab lists a token twice"),
            (dict(tokenizer="char"), "tokenizer 'char' reads one character per token, but vocab holds 'love'"),
            (dict(tokenizer="bpe"), "tokenizer 'bpe'"),
            (dict(extra={"norm.weight": np.ones(3)}), r"tensors \['norm.weight'\] are not part of"),
            (dict(extra={"rnn.weight_ih_l0": np.ones((12, 5))}), r"embedding.weight has shape \[6, 4\]; expected \[6, 5\]"),
            (dict(extra={"fc.bias": np.array([0, 1, 2, np.nan, 4, 5])}), "fc.bias holds a non-finite value"),
        ]
        for change, message in cases:
            with self.subTest(change=change), TemporaryDirectory() as d:
                args = dict(cell="lstm", vocab=vocab, tokenizer="word")
                args.update({k: v for k, v in change.items() if k != "extra"})
                with self.assertRaisesRegex(ExportError, message):
                    export_tensors({**tensors, **change.get("extra", {})}, args["cell"], args["vocab"],
                                   d / "m.safetensors", tokenizer=args["tokenizer"])
                self.assertFalse((d / "m.safetensors").exists())


@unittest.skipUnless(HAS_TORCH, "torch is not installed (pip install torch --index-url https://download.pytorch.org/whl/cpu)")
class ExportTorchTests(unittest.TestCase):
    """export(model, ...) from real torch modules; rnnscope's numbers equal PyTorch's."""

    def model(self, rnn, vocab_size=7, embedding=5, tied=False):
        import torch
        from torch import nn

        class Model(nn.Module):
            def __init__(self):
                super().__init__()
                self.emb = nn.Embedding(vocab_size, embedding) if embedding else None
                self.core = rnn
                self.out = nn.Linear(rnn.hidden_size, vocab_size)
                if tied:
                    self.out.weight = self.emb.weight

            def forward(self, ids):
                x = self.emb(ids) if self.emb is not None else nn.functional.one_hot(ids, vocab_size).float()
                h, _ = self.core(x)
                return self.out(h), h

        torch.manual_seed(0)
        return Model()

    def check_matches_torch(self, model, vocab, text):
        import torch
        ids = torch.tensor([[vocab.index(c) for c in text]])
        model.eval()
        with torch.no_grad():
            _, h = model(ids if model.core.batch_first else ids.T)
        h = h[0] if model.core.batch_first else h[:, 0]
        with TemporaryDirectory() as d:
            export(model, vocab, d / "m.safetensors", tokenizer="char")
            status, _, err = run("trace", "--model", d / "m.safetensors", "--text", text, "-o", d / "t.json")
            self.assertEqual(status, 0, err)
            np.testing.assert_allclose(load_trace(d / "t.json")["h"], h.numpy(), atol=2e-5)

    @unittest.skipIf(binary() is None, NO_BINARY)
    def test_each_cell_and_depth_traces_with_pytorchs_hidden_states(self):
        from torch import nn
        vocab = list("abcde f")
        for make in [lambda: nn.LSTM(5, 6, batch_first=True, dropout=0.3, num_layers=2),
                     lambda: nn.GRU(5, 4, num_layers=3),
                     lambda: nn.RNN(5, 6, nonlinearity="relu", batch_first=True),
                     lambda: nn.RNN(5, 3)]:
            with self.subTest(rnn=make()):
                self.check_matches_torch(self.model(make()), vocab, "abc de fa")

    @unittest.skipIf(binary() is None, NO_BINARY)
    def test_models_rnnscope_trains_load_in_pytorch_with_the_same_hidden_states(self):
        """The other direction: rnnscope train, 2 to 4 stacked layers of every cell, loaded with
        load_state_dict(strict=True) into embedding + nn.RNN/LSTM/GRU + linear; every layer's h as rnnscope's."""
        import torch
        from safetensors.torch import load_file as load_torch
        from torch import nn
        corpus = "ab cab dabc ab cd\nbad cab dab\n"
        make = {"rnn_tanh": lambda n: nn.RNN(3, 5, num_layers=n), "rnn_relu": lambda n: nn.RNN(3, 5, num_layers=n, nonlinearity="relu"),
                "lstm": lambda n: nn.LSTM(3, 5, num_layers=n), "gru": lambda n: nn.GRU(3, 5, num_layers=n)}
        for cell, layers in [(c, n) for c in make for n in (2, 3, 4)]:
            with self.subTest(cell=cell, layers=layers), TemporaryDirectory() as d:
                (d / "c.txt").write_text(corpus)
                status, _, err = run("train", "--text-file", d / "c.txt", "--cell", cell, "--layers", layers, "--hidden", 5,
                                     "--embedding", 3, "--tokenizer", "char", "--epochs", 3, "-o", d / "m.safetensors")
                self.assertEqual(status, 0, err)
                text = "cab dab"
                status, _, err = run("trace", "--model", d / "m.safetensors", "--text", text, "-o", d / "t.json")
                self.assertEqual(status, 0, err)
                trace = load_trace(d / "t.json")
                module = nn.Module()
                module.embedding = nn.Embedding(len(trace.vocab), 3)
                module.rnn = make[cell](layers)
                module.fc = nn.Linear(5, len(trace.vocab))
                module.load_state_dict(load_torch(str(d / "m.safetensors")), strict=True)
                ids = torch.tensor([trace.vocab.index(c) for c in text])
                with torch.no_grad():
                    x = module.embedding(ids)
                    for k in range(layers):
                        # The bottom k + 1 layers of the same weights: their output is layer k's h.
                        lower = make[cell](k + 1)
                        lower.load_state_dict({n: p for n, p in module.rnn.state_dict().items() if int(n.rsplit("_l", 1)[1]) <= k})
                        h, _ = lower(x)
                        np.testing.assert_allclose(trace.layers[k]["h"], h.numpy(), atol=2e-5)
                    top, _ = module.rnn(x)
                    np.testing.assert_allclose(trace["h"], top.numpy(), atol=2e-5)

    @unittest.skipIf(binary() is None, NO_BINARY)
    def test_one_hot_and_tied_models(self):
        from torch import nn
        vocab = list("abcde f")
        self.check_matches_torch(self.model(nn.GRU(7, 4, batch_first=True), embedding=0), vocab, "fab ace")
        self.check_matches_torch(self.model(nn.LSTM(6, 6, batch_first=True), embedding=6, tied=True), vocab, "fab ace")

    def test_what_rnnscope_cannot_show_is_refused(self):
        from torch import nn
        vocab = list("abcde f")
        cases = [
            (self.model(nn.LSTM(5, 6, bidirectional=True)), "bidirectional; rnnscope runs one direction"),
            (self.model(nn.LSTM(5, 6, proj_size=2)), "proj_size=2"),
            (self.model(nn.GRU(5, 6, bias=False)), "bias=False"),
            (self.model(nn.GRU(5, 6, num_layers=5)), "num_layers=5"),
        ]
        extra = self.model(nn.GRU(5, 6))
        extra.norm = nn.LayerNorm(6)
        cases.append((extra, "module\\(s\\) norm have weights rnnscope does not run"))
        two = self.model(nn.GRU(5, 6))
        two.other = nn.LSTM(6, 6)
        cases.append((two, "one recurrent module .*found core, other"))
        for model, message in cases:
            with self.subTest(message=message), TemporaryDirectory() as d:
                with self.assertRaisesRegex(ExportError, message):
                    export(model, vocab, d / "m.safetensors")
                self.assertFalse((d / "m.safetensors").exists())


if __name__ == "__main__":
    unittest.main()
