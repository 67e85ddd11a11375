/// One ZeroMQ multipart message, its frames copied out of libzmq's buffers on the I/O thread
/// (so nothing outside that thread ever touches memory libzmq owns).
public struct Message: Sendable, Hashable {
    public var frames: [[UInt8]]
    /// The principal the sender authenticated as (libzmq's `User-Id` property, set from the
    /// ZAP handler's reply), read on the I/O thread before libzmq's message is closed. nil on
    /// sockets without CURVE, and on every message being sent.
    public var userID: String?

    public init(frames: [[UInt8]], userID: String? = nil) {
        self.frames = frames
        self.userID = userID
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
