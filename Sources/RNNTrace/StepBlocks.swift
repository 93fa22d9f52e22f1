import Dispatch
import Foundation

/// Writes the steps of an export in blocks formatted on every core, then appended in step order, so the
/// bytes are the same whatever the number of cores: turning numbers into shortest text is most of an
/// export's work (the recording itself is SIMD arithmetic). At most `window` blocks are held at a time.
enum StepBlocks {
    static let stepsPerBlock = 16

    /// Calls `step` for every t in 0..<count, each block of steps into its own buffer, and adds the buffers
    /// to `out` in order.
    static func write(count: Int, to out: inout TraceOutput, step: @Sendable (Int, inout TraceOutput) -> Void) {
        let blocks = (count + stepsPerBlock - 1) / stepsPerBlock
        let window = max(1, ProcessInfo.processInfo.activeProcessorCount) * 2
        var done = 0
        // Room for a block as large as the first one, so that blocks do not grow by copying.
        var capacity = 1 << 16
        while done < blocks && out.failure == nil {
            let batch = min(window, blocks - done)
            let first = done, reserve = capacity
            var formatted = [TraceOutput](repeating: TraceOutput(keeping: 0), count: batch)
            formatted.withUnsafeMutableBufferPointer { slots in
                let results = Slots(base: slots.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: batch) { i in
                    var block = TraceOutput(keeping: reserve)
                    let start = (first + i) * stepsPerBlock
                    for t in start..<min(count, start + stepsPerBlock) { step(t, &block) }
                    results.base[i] = block
                }
            }
            capacity = max(capacity, formatted[0].count + formatted[0].count / 8)
            for block in formatted { out.append(block) }
            done += batch
        }
    }
}

/// Where the blocks of one batch land: each iteration writes only its own slot, so no two threads touch
/// the same memory.
private struct Slots: @unchecked Sendable {
    let base: UnsafeMutablePointer<TraceOutput>
}
