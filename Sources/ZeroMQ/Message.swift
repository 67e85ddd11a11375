/// One ZeroMQ multipart message, its frames copied out of libzmq's buffers on the I/O thread
/// (so nothing outside that thread ever touches memory libzmq owns).
public struct Message: Sendable, Hashable {
    public var frames: [[UInt8]]

    public init(frames: [[UInt8]]) {
        self.frames = frames
    }

    public init(_ frames: [UInt8]...) {
        self.frames = frames
    }

    /// Total payload bytes over all frames.
    public var byteCount: Int { frames.reduce(0) { $0 + $1.count } }
}

extension Array where Element == UInt8 {
    /// The UTF-8 bytes of `string`.
    @inlinable
    public init(utf8 string: String) {
        self = Array(string.utf8)
    }
}
