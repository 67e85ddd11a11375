/// Size limits the bus enforces on everything it receives, in our code, so that the sender
/// gets an answer naming the fault. (libzmq's MAXMSGSIZE is set far above these, only as a
/// last resort against a hostile peer: it drops the connection instead of answering.)
public enum BusLimits {
    /// The largest command frame accepted (a message text, a whole agent profile).
    public static let commandBytesMax = 256 * 1024
    /// The largest event envelope accepted.
    public static let eventBytesMax = 1024 * 1024
    /// The largest snapshot request accepted.
    public static let snapshotRequestBytesMax = 4 * 1024
}

/// Input the bus refused: the kind (stable, for counting and for NACK codes) and a sentence
/// naming what was wrong and what to do.
public struct MalformedInput: Error, Equatable, CustomStringConvertible {
    public let code: String
    public let message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
