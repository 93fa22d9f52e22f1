import Foundation
import RNNLessons
import RNNTrace
import Testing
@testable import RNNView

/// The comparison's rows left below each column show every unit over time: h as half-block rows in 256
/// colours (two units a row), the later steps blank while a question waits, and no size traps.
@Suite struct CompareHeatTests {
    /// Each heat block: the column's x of its title, the title row and the title text.
    func titles(_ buffer: Buffer, of name: String) -> [(x: Int, y: Int, text: String)] {
        var found: [(x: Int, y: Int, text: String)] = []
        for (y, line) in buffer.lines.enumerated() {
            let chars = Array(line)
            let needle = Array("\(name) over units × time")
            for x in 0..<max(0, chars.count - needle.count) where Array(chars[x..<(x + needle.count)]) == needle {
                let rest = String(chars[x...]).split(separator: "│").first.map(String.init) ?? ""
                found.append((x, y, rest))
            }
        }
        return found
    }

    func tint(_ v: Double) -> Color { .indexed(HeatPalette.diverging.tint(v)) }

    @Test("lesson 5 at 120×40 in colour: both columns show all 32 units of h over all 32 steps, two units a row")
    func everyUnitOfLessonFive() throws {
        let state = AppState(lesson: try CourseRuns.session(5), options: ViewOptions(colorMode: .color256))
        let cells = try #require(state.comparison)
        let buffer = renderFrame(state, width: 120, height: 40)
        let blocks = titles(buffer, of: "h")
        #expect(blocks.count == cells.count, "\(buffer.lines.joined(separator: "\n"))")
        for (trace, block) in zip(cells, blocks) {
            #expect(!block.text.contains("of \(trace.hiddenSize)"), "every unit shows: \(block.text)")
            // Row r holds units 2r (the ▀'s colour) and 2r+1 (the colour under it), every step in its column.
            let plotX = block.x + UnitTimeHeat.labelWidth
            var units = Set<Int>()
            for r in 0..<(trace.hiddenSize / 2) {
                let y = block.y + 1 + r
                #expect(buffer.lines[y].contains("\(2 * r)-\(2 * r + 1)"))
                for t in 0..<trace.stepCount {
                    let h = trace.step(t).h
                    let cell = buffer[plotX + t, y]
                    #expect(cell.symbol == "▀" && cell.style.foreground == tint(h[2 * r]) && cell.style.background == tint(h[2 * r + 1]),
                            "unit \(2 * r) at t=\(t): \(cell)")
                }
                units.formUnion([2 * r, 2 * r + 1])
            }
            #expect(units.count == trace.hiddenSize)
            // The step axis under the rows marks the current step, at the same offset in every column.
            #expect(buffer[plotX + state.step, block.y + 1 + trace.hiddenSize / 2].symbol == "▲")
        }
        #expect(Set(blocks.map(\.y)).count == 1, "the blocks start on the same row")
    }

    @Test("monochrome: a row per unit, the window named")
    func monochromeNamesItsWindow() throws {
        let state = AppState(lesson: try CourseRuns.session(5), options: ViewOptions(colorMode: .monochrome))
        let buffer = renderFrame(state, width: 120, height: 40)
        let blocks = titles(buffer, of: "h")
        #expect(blocks.count == 2)
        for block in blocks {
            let rows = buffer.lines[(block.y + 1)...].prefix { !$0.contains("│t ") }.count
            #expect(block.text.contains("units 0–\(rows - 1) of 32"), "\(block.text), \(rows) rows")
        }
    }

    @Test("a question waiting at t=0 (lesson 8) leaves the later steps blank, answered they show")
    func laterStepsStayCovered() throws {
        var state = AppState(lesson: try CourseRuns.session(8), options: ViewOptions(colorMode: .color256))
        let open = try #require(state.narration?.openQuestion)
        #expect(state.step == 0 && state.questionCover.waiting)
        /// Each cell of the first heat row with its step: 7 steps take several columns each.
        func heatCells(_ state: AppState) -> [(t: Int, cell: Cell)] {
            let buffer = renderFrame(state, width: 120, height: 40)
            let blocks = titles(buffer, of: "h")
            #expect(!blocks.isEmpty, "\(buffer.lines.joined(separator: "\n"))")
            return blocks.flatMap { block in
                let innerWidth = Array(buffer.lines[block.y])[block.x...].prefix { $0 != "│" }.count
                let window = UnitTimeHeat.stepWindow(stepCount: state.stepCount, plotWidth: innerWidth - UnitTimeHeat.labelWidth,
                                                     current: state.step)
                #expect(window.steps == 0..<state.stepCount && window.columnWidth > 1)
                return (0..<(state.stepCount * window.columnWidth)).map { c in
                    (c / window.columnWidth, buffer[block.x + UnitTimeHeat.labelWidth + c, block.y + 1])
                }
            }
        }
        for (t, cell) in heatCells(state) {
            #expect(t == 0 ? cell.symbol == "▀" : cell == .blank, "t=\(t): \(cell)")
        }
        state.apply(.answer(open.choices[0].letter))
        #expect(!state.questionCover.waiting)
        #expect(heatCells(state).allSatisfy { $0.cell.symbol == "▀" })
    }

    @Test("no size from 80×24 to 300×100 traps, in colour, monochrome and ASCII, forward and backward")
    func everySizeRenders() throws {
        let sizes = Array(stride(from: 80, through: 300, by: 13)) + [300]
        let heights = Array(stride(from: 24, through: 100, by: 7)) + [100]
        for options in [ViewOptions(colorMode: .color256), ViewOptions(colorMode: .monochrome, glyphs: .ascii)] {
            var state = AppState(lesson: try CourseRuns.session(5), options: options)
            for mode in [StepMode.forward, .backward] {
                state.setMode(mode)
                state.jump(toStep: mode == .forward ? 3 : state.stepCount - 1)
                for w in sizes {
                    for h in heights {
                        let b = renderFrame(state, width: w, height: h)
                        #expect(b.width == w && b.height == h)
                    }
                }
            }
        }
    }
}
