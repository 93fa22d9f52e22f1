/// Which tensor of a state_dict plays which role, for any module prefix.
///
/// The recurrent tensors are found by PyTorch's fixed suffixes (`weight_ih_l{k}`, `weight_hh_l{k}`,
/// `bias_ih_l{k}`, `bias_hh_l{k}` for layers k = 0 … L−1), so `rnn.`, `lstm.`, `model.encoder.gru.` all work. The output layer and the
/// optional embedding are nn.Linear / nn.Embedding under names the user chose, so we decide in order:
/// 1. the names rnnscope writes (`…fc.weight`, `…embedding.weight`);
/// 2. common module names (head: fc, linear, head, lm_head, decoder, out…, classifier; embedding: emb…,
///    encoder, wte — `encoder`/`decoder` are the names in PyTorch's word_language_model example);
/// 3. shapes: the head reads the hidden size H (and has a bias), the embedding feeds weight_ih's E columns.
/// Tensors left over are an error: replaying a model while ignoring some of its weights would be wrong.
struct ModelTensorNames {
    /// The four tensors of one recurrent layer.
    struct Layer {
        var weightIH: String
        var weightHH: String
        var biasIH: String
        var biasHH: String
        var all: [String] { [weightIH, weightHH, biasIH, biasHH] }
    }

    /// The recurrent layers, bottom first (`…_l0`, `…_l1`, …).
    var layers: [Layer]
    var embedding: String?
    var headWeight: String
    var headBias: String

    var weightIH: String { layers[0].weightIH }
    var weightHH: String { layers[0].weightHH }

    /// Every tensor the model uses.
    var all: [String] {
        (embedding.map { [$0] } ?? []) + layers.flatMap(\.all) + [headWeight, headBias]
    }

    /// The most stacked layers rnnscope runs.
    static let maxLayers = 4
    static let headModuleNames = ["fc", "linear", "head", "lm_head", "decoder", "out", "classifier"]
    static let embeddingModuleNames = ["emb", "encoder", "wte"]

    init(_ tensors: [String: SafetensorsFile.Tensor], fail: (String) -> EngineError) throws(EngineError) {
        let names = tensors.keys.sorted()
        let layerCount = try Self.layerCount(names, fail: fail)

        // MARK: Recurrent layers
        var layers: [Layer] = []
        var recurrent = Set<String>()
        for k in 0..<layerCount {
            let suffixes = ["weight_ih_l\(k)", "weight_hh_l\(k)", "bias_ih_l\(k)", "bias_hh_l\(k)"]
            var found: [String: String] = [:]
            for suffix in suffixes {
                let matches = names.filter { $0 == suffix || $0.hasSuffix("." + suffix) }
                if matches.count > 1 {
                    throw fail("several tensors end in \(suffix) (\(Self.list(matches))); rnnscope runs one recurrent module")
                }
                found[suffix] = matches.first
            }
            // Name a missing tensor with the prefix the others use, so the message shows what to add.
            let prefix = found.sorted { $0.key < $1.key }.first.map { String($0.value.dropLast($0.key.count)) }
                ?? layers.first.map { String($0.weightIH.dropLast("weight_ih_l0".count)) } ?? "rnn."
            for suffix in suffixes where found[suffix] == nil {
                let which = layerCount == 1 ? "the recurrent layer's" : "recurrent layer \(k)'s"
                let role: String
                switch suffix {
                case suffixes[0]: role = "\(which) input weights"
                case suffixes[1]: role = "\(which) hidden-to-hidden weights"
                default: role = "a recurrent bias; PyTorch has it unless bias=False, and rnnscope needs it"
                }
                let present = found.isEmpty && layers.isEmpty && !names.isEmpty ? " — the file holds \(Self.list(names))" : ""
                throw fail("missing tensor \(JSONText.quoted(prefix + suffix)) (\(role))\(present)")
            }
            let layer = Layer(weightIH: found[suffixes[0]] ?? "", weightHH: found[suffixes[1]] ?? "",
                              biasIH: found[suffixes[2]] ?? "", biasHH: found[suffixes[3]] ?? "")
            layers.append(layer)
            recurrent.formUnion(layer.all)
        }
        let weightIH = layers[0].weightIH
        let weightHH = layers[0].weightHH

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

        self.layers = layers
        self.embedding = embedding
        self.headWeight = headWeight
        self.headBias = headBias
    }

    /// The number of stacked layers: one more than the highest `_l{k}` suffix (at least 1, so a file without
    /// recurrent tensors is reported as missing layer 0's). Bidirectional and projected layers have tensors
    /// rnnscope cannot replay, and more than `maxLayers` layers are refused: say so by name.
    private static func layerCount(_ names: [String], fail: (String) -> EngineError) throws(EngineError) -> Int {
        var highest = 0
        for name in names {
            let last = name.split(separator: ".").last.map(String.init) ?? name
            if last.hasPrefix("weight_hr_l") {
                throw fail("tensor \(JSONText.quoted(name)) is an LSTM projection (proj_size > 0); rnnscope runs LSTMs without one: train with nn.LSTM(..., proj_size=0), the default, to view the model here")
            }
            for base in ["weight_ih_l", "weight_hh_l", "bias_ih_l", "bias_hh_l"] where last.hasPrefix(base) {
                let layer = last.dropFirst(base.count)
                if layer.hasSuffix("_reverse") {
                    throw fail("tensor \(JSONText.quoted(name)) belongs to the backward direction of a bidirectional layer; rnnscope runs one direction: train with bidirectional=False to view the model here (the output layer then reads H, not 2·H)")
                }
                if let n = Int(layer), n >= 0, String(n) == layer {
                    if n >= maxLayers {
                        throw fail("tensor \(JSONText.quoted(name)) belongs to layer \(n); rnnscope runs 1 to \(maxLayers) stacked layers (num_layers ≤ \(maxLayers))")
                    }
                    highest = max(highest, n)
                }
            }
        }
        return highest + 1
    }

    /// `"a", "b", "c"` — at most 8 names, then a count.
    static func list(_ names: [String]) -> String {
        let shown = names.prefix(8).map(JSONText.quoted).joined(separator: ", ")
        return names.count > 8 ? shown + ", … (\(names.count) in all)" : shown
    }
}
