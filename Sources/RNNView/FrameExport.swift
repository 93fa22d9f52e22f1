/// A finished frame in the forms a teacher puts on a slide or a web page: ANSI text (colour kept, for a
/// terminal or an asciinema recording), SVG (one element per run of equal style, aligned to a cell grid,
/// opens in any browser and scales in slides) and HTML (a `<pre>` of coloured spans). The characters are
/// the frame's own, so every format shows exactly the numbers of the text frame.
public enum FrameFormat: String, CaseIterable, Sendable {
    case text, ansi, svg, html
}

/// Runs of cells with one style along a row: (first column, the cells' text, their style).
private func runs(_ buffer: Buffer, row y: Int) -> [(x: Int, text: String, style: Style)] {
    var out: [(x: Int, text: String, style: Style)] = []
    for x in 0..<buffer.width {
        let cell = buffer[x, y]
        if let last = out.last, last.style == cell.style {
            out[out.count - 1].text.append(cell.symbol)
        } else {
            out.append((x, String(cell.symbol), cell.style))
        }
    }
    return out
}

public enum FrameExport {
    /// The frame as `format`. Text and ANSI lines lose trailing blanks of the terminal's own colours.
    public static func render(_ buffer: Buffer, as format: FrameFormat) -> String {
        switch format {
        case .text: return buffer.lines.map(trimmedTrailingBlanks).joined(separator: "\n") + "\n"
        case .ansi: return (0..<buffer.height).map { ansiLine(buffer, row: $0, trimmed: true) }.joined(separator: "\n") + "\n"
        case .svg: return svg(buffer)
        case .html: return html(buffer)
        }
    }

    static func trimmedTrailingBlanks(_ line: String) -> String {
        var end = line.endIndex
        while end > line.startIndex, line[line.index(before: end)].isWhitespace { end = line.index(before: end) }
        return String(line[..<end])
    }

    // MARK: - ANSI

    /// Row `y` with SGR escapes, ending in a reset; `trimmed` drops trailing blanks drawn in the defaults.
    public static func ansiLine(_ buffer: Buffer, row y: Int, trimmed: Bool) -> String {
        var pieces = runs(buffer, row: y)
        if trimmed, let last = pieces.last, last.style == .plain {
            let kept = trimmedTrailingBlanks(last.text)
            if kept.isEmpty { pieces.removeLast() } else { pieces[pieces.count - 1].text = kept }
        }
        var line = ""
        for run in pieces {
            line += sgr(run.style) + run.text
        }
        return line + "\u{1b}[0m"
    }

    /// The escape that sets `style` from scratch (reset first, so runs never inherit).
    static func sgr(_ style: Style) -> String {
        var codes = ["0"]
        if style.modifiers.contains(.bold) { codes.append("1") }
        if style.modifiers.contains(.dim) { codes.append("2") }
        if style.modifiers.contains(.underline) { codes.append("4") }
        if style.modifiers.contains(.reverse) { codes.append("7") }
        func color(_ c: Color, base: Int) -> String? {
            switch c {
            case .default: return nil
            case .ansi(let n): return n < 8 ? "\(base + Int(n))" : "\(base + 60 + Int(n % 8))"
            case .indexed(let n): return "\(base + 8);5;\(n)"
            }
        }
        if let fg = color(style.foreground, base: 30) { codes.append(fg) }
        if let bg = color(style.background, base: 40) { codes.append(bg) }
        return "\u{1b}[" + codes.joined(separator: ";") + "m"
    }

    // MARK: - SVG and HTML

    /// Foreground and background hex colours of `style` as a dark xterm shows them, reverse applied.
    static func colors(_ style: Style) -> (foreground: String, background: String) {
        var fg = XtermColors.hex(XtermColors.rgb(style.foreground, isBackground: false))
        var bg = XtermColors.hex(XtermColors.rgb(style.background, isBackground: true))
        if style.modifiers.contains(.reverse) { swap(&fg, &bg) }
        return (fg, bg)
    }

    static func escapedXML(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Bold, dim and underline as SVG attributes or CSS declarations (reverse is resolved in `colors`).
    static func spelled(_ modifiers: Modifiers, bold: String, dim: String, underline: String) -> String {
        (modifiers.contains(.bold) ? bold : "") + (modifiers.contains(.dim) ? dim : "") + (modifiers.contains(.underline) ? underline : "")
    }

    static let cellWidth = 10, cellHeight = 20

    static func svg(_ buffer: Buffer) -> String {
        let w = buffer.width * cellWidth, h = buffer.height * cellHeight
        let page = XtermColors.hex(XtermColors.rgb(.default, isBackground: true))
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(w)" height="\(h)" viewBox="0 0 \(w) \(h)" \
            font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="16" xml:space="preserve">
            <rect width="\(w)" height="\(h)" fill="\(page)"/>

            """
        for y in 0..<buffer.height {
            let pieces = runs(buffer, row: y)
            for run in pieces {
                let bg = colors(run.style).background
                let width = run.text.count * cellWidth
                if bg != page {
                    out += "<rect x=\"\(run.x * cellWidth)\" y=\"\(y * cellHeight)\" width=\"\(width)\" height=\"\(cellHeight)\" fill=\"\(bg)\"/>\n"
                }
            }
            // One <text> per row, a <tspan> per run: the row's characters in order, each run pinned to its
            // columns so a font of another width cannot shift the grid.
            out += "<text y=\"\(y * cellHeight + 15)\">"
            for run in pieces where !run.text.allSatisfy({ $0 == " " }) || run.style.modifiers.contains(.underline) {
                let (fg, _) = colors(run.style)
                var attributes = "x=\"\(run.x * cellWidth)\" textLength=\"\(run.text.count * cellWidth)\" lengthAdjust=\"spacingAndGlyphs\" fill=\"\(fg)\""
                attributes += spelled(run.style.modifiers, bold: " font-weight=\"bold\"", dim: " fill-opacity=\"0.6\"",
                                      underline: " text-decoration=\"underline\"")
                out += "<tspan \(attributes)>\(escapedXML(run.text))</tspan>"
            }
            out += "</text>\n"
        }
        return out + "</svg>\n"
    }

    static func html(_ buffer: Buffer) -> String {
        let (fg, bg) = colors(.plain)
        var out = """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>rnnscope frame</title></head>
            <body style="margin:0;background:\(bg)">
            <pre style="margin:0;padding:8px;color:\(fg);background:\(bg);font:16px/20px 'DejaVu Sans Mono',Menlo,Consolas,monospace">
            """
        for y in 0..<buffer.height {
            for run in runs(buffer, row: y) {
                guard run.style != .plain else { out += escapedXML(run.text); continue }
                let (f, b) = colors(run.style)
                var css = "color:\(f);background:\(b)"
                css += spelled(run.style.modifiers, bold: ";font-weight:bold", dim: ";opacity:0.6", underline: ";text-decoration:underline")
                out += "<span style=\"\(css)\">\(escapedXML(run.text))</span>"
            }
            out += "\n"
        }
        return out + "</pre>\n</body></html>\n"
    }
}
