/// Which tensor of a state_dict plays which role, for any module prefix.
///
/// The recurrent tensors are found by PyTorch's fixed suffixes (`weight_ih_l0`, `weight_hh_l0`,
/// `bias_ih_l0`, `bias_hh_l0`), so `rnn.`, `lstm.`, `model.encoder.gru.` all work. The output layer and the
/// optional embedding are nn.Linear / nn.Embedding under names the user chose, so we decide in order:
/// 1. the names rnnscope writes (`…fc.weight`, `…embedding.weight`);
/// 2. common module names (head: fc, linear, head, lm_head, decoder, out…, classifier; embedding: emb…,
///    encoder, wte — `encoder`/`decoder` are the names in PyTorch's word_language_model example);
/// 3. shapes: the head reads the hidden size H (and has a bias), the embedding feeds weight_ih's E columns.
/// Tensors left over are an error: replaying a model while ignoring some of its weights would be wrong.
struct ModelTensorNames {
    var weightIH: String
    var weightHH: String
    var biasIH: String
    var biasHH: String
    var embedding: String?
    var headWeight: String
    var headBias: String

    /// Every tensor the model uses.
    var all: [String] {
        (embedding.map { [$0] } ?? []) + [weightIH, weightHH, biasIH, biasHH, headWeight, headBias]
    }

    static let headModuleNames = ["fc", "linear", "head", "lm_head", "decoder", "out", "classifier"]
    static let embeddingModuleNames = ["emb", "encoder", "wte"]

    init(_ tensors: [String: SafetensorsFile.Tensor], fail: (String) -> EngineError) throws(EngineError) {
        let names = tensors.keys.sorted()
        try Self.rejectUnsupportedLayers(names, fail: fail)

        // MARK: Recurrent layer
        let suffixes = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
        var found: [String: String] = [:]
        for suffix in suffixes {
            let matches = names.filter { $0 == suffix || $0.hasSuffix("." + suffix) }
            if matches.count > 1 {
                throw fail("several tensors end in \(suffix) (\(Self.list(matches))); rnnscope runs a single recurrent layer")
            }
            found[suffix] = matches.first
        }
        // Name a missing tensor with the prefix the others use, so the message shows what to add.
        let prefix = found.sorted { $0.key < $1.key }.first.map { String($0.value.dropLast($0.key.count)) } ?? "rnn."
        for suffix in suffixes where found[suffix] == nil {
            let role: String
            switch suffix {
            case "weight_ih_l0": role = "the recurrent layer's input weights"
            case "weight_hh_l0": role = "the recurrent layer's hidden-to-hidden weights"
            default: role = "a recurrent bias; PyTorch has it unless bias=False, and rnnscope needs it"
            }
            let present = found.isEmpty && !names.isEmpty ? " — the file holds \(Self.list(names))" : ""
            throw fail("missing tensor \(JSONText.quoted(prefix + suffix)) (\(role))\(present)")
        }
        let weightIH = found["weight_ih_l0"] ?? ""
        let weightHH = found["weight_hh_l0"] ?? ""
        let recurrent = Set(found.values)

        // MARK: Output layer and embedding
        let rest = names.filter { !recurrent.contains($0) }
        let weights = rest.filter { $0 == "weight" || $0.hasSuffix(".weight") }
        func module(_ name: String) -> String {
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            return parts.count >= 2 ? parts[parts.count - 2].lowercased() : ""
        }
        func bias(of weight: String) -> String { String(weight.dropLast("weight".count)) + "bias" }
        func hasBias(_ weight: String) -> Bool { tensors[bias(of: weight)] != nil }
        func columns(_ name: String) -> Int? {
            guard let s = tensors[name]?.shape, s.count == 2 else { return nil }
            return s[1]
        }
        /// Exactly one candidate wins; several at the same level of evidence is ambiguous.
        func pick(_ candidates: [String], role: String) throws(EngineError) -> String? {
            if candidates.count > 1 {
                throw fail("cannot tell which tensor is the \(role): \(Self.list(candidates))")
            }
            return candidates.first
        }

        var head = try pick(weights.filter { module($0) == "fc" }, role: "output layer")
        if head == nil {
            head = try pick(weights.filter { w in Self.headModuleNames.contains { module(w).hasPrefix($0) } }, role: "output layer")
        }
        var embedding = try pick(weights.filter { module($0) == "embedding" && $0 != head }, role: "embedding")
        if embedding == nil {
            embedding = try pick(weights.filter { w in w != head && Self.embeddingModuleNames.contains { module(w).hasPrefix($0) } }, role: "embedding")
        }
        if head == nil, let hidden = columns(weightHH) {
            let byShape = weights.filter { $0 != embedding && columns($0) == hidden }
            let withBias = byShape.filter(hasBias)
            head = try pick(withBias.isEmpty ? byShape : withBias, role: "output layer (several [outputs, \(hidden)] matrices)")
        }
        if embedding == nil, let inputs = columns(weightIH) {
            let byShape = weights.filter { $0 != head && columns($0) == inputs && !hasBias($0) }
            embedding = try pick(byShape, role: "embedding (several [V, \(inputs)] matrices)")
        }
        guard let headWeight = head else {
            let hidden = columns(weightHH).map(String.init) ?? "H"
            let others = rest.isEmpty ? "" : " (other tensors: \(Self.list(rest)))"
            throw fail("missing the output layer: no tensor named like \"fc.weight\" with shape [outputs, \(hidden)]\(others)")
        }
        let headBias = bias(of: headWeight)
        guard tensors[headBias] != nil else {
            throw fail("missing tensor \(JSONText.quoted(headBias)) (the output layer's bias; nn.Linear has it unless bias=False, and rnnscope needs it)")
        }

        let used = recurrent.union([headWeight, headBias]).union(embedding.map { [$0] } ?? [])
        let unused = names.filter { !used.contains($0) }
        if !unused.isEmpty {
            throw fail("tensor\(unused.count == 1 ? "" : "s") \(Self.list(unused)) \(unused.count == 1 ? "is" : "are") not part of an embedding → RNN → linear model, which is all rnnscope runs")
        }

        self.weightIH = weightIH
        self.weightHH = weightHH
        self.biasIH = found["bias_ih_l0"] ?? ""
        self.biasHH = found["bias_hh_l0"] ?? ""
        self.embedding = embedding
        self.headWeight = headWeight
        self.headBias = headBias
    }

    /// Stacked, bidirectional and projected layers have tensors rnnscope cannot replay; say so by name.
    private static func rejectUnsupportedLayers(_ names: [String], fail: (String) -> EngineError) throws(EngineError) {
        for name in names {
            let last = name.split(separator: ".").last.map(String.init) ?? name
            if last.hasPrefix("weight_hr_l") {
                throw fail("tensor \(JSONText.quoted(name)) is an LSTM projection (proj_size > 0); rnnscope runs LSTMs without one")
            }
            for base in ["weight_ih_l", "weight_hh_l", "bias_ih_l", "bias_hh_l"] where last.hasPrefix(base) {
                let layer = last.dropFirst(base.count)
                if layer.hasSuffix("_reverse") {
                    throw fail("tensor \(JSONText.quoted(name)) belongs to the backward direction of a bidirectional layer; rnnscope runs one direction")
                }
                if layer != "0", let n = Int(layer) {
                    throw fail("tensor \(JSONText.quoted(name)) belongs to layer \(n); rnnscope runs a single recurrent layer (num_layers=1)")
                }
            }
        }
    }

    /// `"a", "b", "c"` — at most 8 names, then a count.
    static func list(_ names: [String]) -> String {
        let shown = names.prefix(8).map(JSONText.quoted).joined(separator: ", ")
        return names.count > 8 ? shown + ", … (\(names.count) in all)" : shown
    }
}
