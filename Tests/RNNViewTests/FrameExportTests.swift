import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import RNNView

/// The frame as ANSI, SVG and HTML shows the same characters as the text frame, in the frame's colours.
@Suite struct FrameExportTests {
    func frame() throws -> Buffer {
        var state = try Fixtures.state("lstm_word_embed")
        state.jump(toStep: 2)
        return renderFrame(state, width: 120, height: 40)
    }

    /// Each SVG <text> row's characters, collected with an XML parser (so the file must be well-formed).
    final class SVGRows: NSObject, XMLParserDelegate {
        var rows: [String] = []
        var inText = false
        var rects = 0
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if name == "text" { rows.append(""); inText = true }
            if name == "rect" { rects += 1 }
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text" { inText = false }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inText { rows[rows.count - 1] += string }
        }
    }

    @Test func svgParsesAsXMLAndHoldsTheTextFramesCharacters() throws {
        let buffer = try frame()
        let svg = FrameExport.render(buffer, as: .svg)
        let parser = XMLParser(data: Data(svg.utf8))
        let rows = SVGRows()
        parser.delegate = rows
        #expect(parser.parse(), "not well-formed XML: \(String(describing: parser.parserError))")
        #expect(rows.rows.count == buffer.height)
        // Blank runs are not drawn, so compare the characters without spaces, row by row.
        for (y, line) in buffer.lines.enumerated() where y < rows.rows.count {
            #expect(rows.rows[y].filter { $0 != " " } == line.filter { $0 != " " }, "row \(y)")
        }
        #expect(rows.rects > 10, "cell backgrounds (heat colours, the header bar) are drawn")
        #expect(svg.contains("fill=\"#"), "colours are kept")
    }

    @Test func ansiWithoutItsEscapesIsTheTextFrame() throws {
        let buffer = try frame()
        let ansi = FrameExport.render(buffer, as: .ansi)
        let stripped = ansi.replacingOccurrences(of: "\u{1b}\\[[0-9;]*m", with: "", options: .regularExpression)
        // Coloured blanks (the header bar) stay in the ANSI frame; the text frame drops trailing blanks.
        let trimmed = stripped.split(separator: "\n", omittingEmptySubsequences: false).map { FrameExport.trimmedTrailingBlanks(String($0)) }
        #expect(trimmed.joined(separator: "\n") == FrameExport.render(buffer, as: .text))
        #expect(ansi.contains("\u{1b}[0;38;5;") || ansi.contains(";48;5;"), "256-colour escapes are kept")
    }

    @Test func htmlEscapesMarkupAndKeepsTheCharacters() throws {
        var buffer = Buffer(width: 10, height: 1)
        buffer.write("a<b&\"c>", x: 0, y: 0, style: Style(foreground: .ansi(1), modifiers: .bold))
        let html = FrameExport.render(buffer, as: .html)
        #expect(html.contains("<span style=\"color:#cd0000;background:#000000;font-weight:bold\">a&lt;b&amp;&quot;c&gt;</span>"), "\(html)")
        let svg = FrameExport.render(buffer, as: .svg)
        #expect(svg.contains(">a&lt;b&amp;&quot;c&gt;</tspan>"), "\(svg)")
    }
}
