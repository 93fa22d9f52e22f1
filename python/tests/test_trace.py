import json
import unittest

import numpy as np

from support import GOLDEN, NO_BINARY, TemporaryDirectory, binary, run
from rnnscope import load_trace


class LoadTraceTests(unittest.TestCase):
    def test_golden_traces_give_steps_by_units_arrays_equal_to_the_json(self):
        for case, hidden, layers in [("rnn_tanh_word_onehot", 4, 1), ("lstm_word_embed", 3, 1),
                                     ("gru_word_embed", 4, 1), ("lstm2_word_embed", 8, 2),
                                     ("rnn_relu_word_onehot", 8, 1)]:
            with self.subTest(case=case):
                path = GOLDEN / f"{case}.trace.json"
                raw = json.loads(path.read_text())
                trace = load_trace(path)
                steps = len(raw["steps"])
                self.assertEqual(trace.tokens, raw["tokens"])
                self.assertEqual(trace["h"].shape, (steps, hidden))
                self.assertEqual(trace["grad.h"].shape, (steps, hidden))
                self.assertEqual(len(trace.layers), layers)
                for t, step in enumerate(raw["steps"]):
                    np.testing.assert_array_equal(trace["h"][t], step["h"])
                    np.testing.assert_array_equal(trace["probs"][t], step["probs"])
                    for k in range(layers):
                        source = step["layers"][k] if layers > 1 else step
                        np.testing.assert_array_equal(trace.layers[k]["h"][t], source["h"])
                        np.testing.assert_array_equal(trace.layers[k]["grad.h"][t], source["grad"]["h"])
                # The last step has no target: NaN, not a number.
                self.assertTrue(np.isnan(trace["target"][-1]))
                self.assertEqual(trace["target"][0], raw["steps"][0]["target"])

    def test_gates_per_layer_and_parameter_gradients_in_their_shapes(self):
        trace = load_trace(GOLDEN / "lstm2_word_embed.trace.json")
        raw = json.loads((GOLDEN / "lstm2_word_embed.trace.json").read_text())
        for k in range(2):
            for gate in "ifgo":
                self.assertEqual(trace.layers[k][f"gates.{gate}"].shape, (len(raw["steps"]), 8))
                np.testing.assert_array_equal(trace.layers[k][f"gates.{gate}"][2], raw["steps"][2]["layers"][k]["gates"][gate])
        self.assertNotIn("x", trace.layers[1])  # the input belongs to the model, not to a layer
        np.testing.assert_array_equal(trace["gates.o"], trace.layers[1]["gates.o"])  # top level = top layer
        self.assertEqual(trace.param_grads["fc.weight"].shape, (len(raw["vocab"]), 8))

    def test_not_a_trace_is_refused(self):
        with TemporaryDirectory() as d:
            (d / "m.json").write_text('{"cell": "lstm"}')
            with self.assertRaisesRegex(ValueError, "not an rnnscope trace"):
                load_trace(d / "m.json")

    @unittest.skipIf(binary() is None, NO_BINARY)
    def test_a_trace_rnnscope_writes_reads_back(self):
        with TemporaryDirectory() as d:
            out = d / "t.json"
            status, _, err = run("trace", "--model", GOLDEN / "lstm2_word_embed.safetensors",
                                 "--text", "I love AI and I love RNNs", "-o", out)
            self.assertEqual(status, 0, err)
            trace = load_trace(out)
            expected = load_trace(GOLDEN / "lstm2_word_embed.trace.json")
            self.assertEqual(trace.tokens, expected.tokens)
            for k in range(2):
                np.testing.assert_allclose(trace.layers[k]["c"], expected.layers[k]["c"], atol=1e-5)
                np.testing.assert_allclose(trace.layers[k]["grad.h"], expected.layers[k]["grad.h"], atol=1e-5)


if __name__ == "__main__":
    unittest.main()
