/// A readable text form of a frame for snapshot files and failing tests.
///
/// The first section is the frame itself. With `withStyles`, a second section maps every cell to a
/// one-character style code (`.` = plain) followed by a legend of the codes, so colour and attribute
/// changes show up in a text diff as well.
public func snapshotText(_ buffer: Buffer, withStyles: Bool) -> String {
    var out = buffer.lines.map { $0 }.joined(separator: "\n")
    guard withStyles else { return out + "\n" }
    let pool = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789αβγδεζηθικλμνξοπρστυφχψωБГДЖЗИЛПФЦЧШЩЪЫЬЭЮЯ")
    var codes: [Style: Character] = [.plain: "."]
    var order: [Style] = []
    var grid: [String] = []
    for y in 0..<buffer.height {
        var line = ""
        for x in 0..<buffer.width {
            let style = buffer[x, y].style
            if codes[style] == nil {
                codes[style] = order.count < pool.count ? pool[order.count] : "?"
                order.append(style)
            }
            line.append(codes[style]!)
        }
        grid.append(line)
    }
    out += "\n--- styles ---\n" + grid.joined(separator: "\n") + "\n--- legend ---\n"
    out += ". plain\n"
    for s in order { out += "\(codes[s]!) \(describe(s))\n" }
    return out
}

private func describe(_ s: Style) -> String {
    func color(_ c: Color) -> String {
        switch c {
        case .default: return "default"
        case .ansi(let n): return "ansi\(n)"
        case .indexed(let n): return "c\(n)"
        }
    }
    var parts: [String] = []
    if s.foreground != .default { parts.append("fg=\(color(s.foreground))") }
    if s.background != .default { parts.append("bg=\(color(s.background))") }
    if s.modifiers.contains(.bold) { parts.append("bold") }
    if s.modifiers.contains(.reverse) { parts.append("reverse") }
    if s.modifiers.contains(.underline) { parts.append("underline") }
    if s.modifiers.contains(.dim) { parts.append("dim") }
    return parts.joined(separator: " ")
}
