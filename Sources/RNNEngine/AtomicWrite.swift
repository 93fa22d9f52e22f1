/// Writes files the safe way for every layer above the engine: to a temporary file beside the target,
/// then renamed over it, so a user's file is never left half-written.
public enum AtomicWrite {
    public static func write(_ bytes: [UInt8], to path: String) throws(EngineError) {
        try FileBytes.writeAtomically(bytes, to: path)
    }
}
