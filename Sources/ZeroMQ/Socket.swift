import CZeroMQ
import Glibc

/// A libzmq socket. ZeroMQ sockets are not thread-safe, so this type is deliberately not
/// `Sendable`: it is created, used and closed on one thread (the `SocketLoop`'s I/O thread,
/// or a test's own thread), and Swift's checker keeps it there.
public final class Socket {
    public let type: SocketType
    private var handle: UnsafeMutableRawPointer?
    /// A CURVE server reads each message's User-Id (the sender's principal).
    private let readsUserID: Bool

    /// Creates a socket in `context` and applies `options`.
    public init(context: UnsafeMutableRawPointer, type: SocketType, options: SocketOptions) throws(ZMQError) {
        guard let handle = zmq_socket(context, type.rawValue) else {
            throw ZMQError.last("create \(type) socket")
        }
        self.type = type
        self.handle = handle
        if case .server? = options.curve?.role {
            readsUserID = true
        } else {
            readsUserID = false
        }
        do {
            try apply(options)
        } catch {
            zmq_close(handle)
            self.handle = nil
            throw error
        }
    }

    deinit {
        close()
    }

    /// Closes the socket; pending messages get the linger time set at creation.
    public func close() {
        if let handle {
            zmq_close(handle)
            self.handle = nil
        }
    }

    /// The raw handle, for `zmq_poll`.
    var rawHandle: UnsafeMutableRawPointer? { handle }

    private func live(_ operation: String) throws(ZMQError) -> UnsafeMutableRawPointer {
        guard let handle else { throw ZMQError(code: ENOTSOCK, operation: operation) }
        return handle
    }

    public func bind(_ endpoint: String) throws(ZMQError) {
        let handle = try live("bind \(endpoint)")
        guard zmq_bind(handle, endpoint) == 0 else { throw ZMQError.last("bind \(endpoint)") }
    }

    public func connect(_ endpoint: String) throws(ZMQError) {
        let handle = try live("connect \(endpoint)")
        guard zmq_connect(handle, endpoint) == 0 else { throw ZMQError.last("connect \(endpoint)") }
    }

    public func disconnect(_ endpoint: String) throws(ZMQError) {
        let handle = try live("disconnect \(endpoint)")
        guard zmq_disconnect(handle, endpoint) == 0 else { throw ZMQError.last("disconnect \(endpoint)") }
    }

    /// The endpoint the socket last bound, with the port the kernel chose for `tcp://host:*`.
    public func lastEndpoint() throws(ZMQError) -> String {
        let handle = try live("read last endpoint")
        var buffer = [CChar](repeating: 0, count: 256)
        var size = buffer.count
        guard zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buffer, &size) == 0 else {
            throw ZMQError.last("read last endpoint")
        }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    public func subscribe(_ prefix: String) throws(ZMQError) {
        try setBytes(ZMQ_SUBSCRIBE, Array(prefix.utf8), "subscribe \"\(prefix)\"")
    }

    public func unsubscribe(_ prefix: String) throws(ZMQError) {
        try setBytes(ZMQ_UNSUBSCRIBE, Array(prefix.utf8), "unsubscribe \"\(prefix)\"")
    }

    /// Sends all frames of `message` as one atomic multipart message, without blocking.
    /// Throws `wouldBlock` when the message cannot be queued (high-water mark, no peer).
    public func send(_ message: Message) throws(ZMQError) {
        let handle = try live("send")
        let last = message.frames.count - 1
        guard last >= 0 else { return }
        for (index, frame) in message.frames.enumerated() {
            let flags = ZMQ_DONTWAIT | (index < last ? ZMQ_SNDMORE : 0)
            let result = frame.withUnsafeBytes { buffer in
                zmq_send(handle, buffer.baseAddress, buffer.count, flags)
            }
            if result < 0 {
                // libzmq accepts every later frame once the first is in, so a failure can only
                // happen on the first frame and nothing partial is left queued.
                throw ZMQError.last("send \(type) frame \(index + 1) of \(last + 1)")
            }
        }
    }

    /// Receives one whole multipart message without blocking, or nil when none is waiting.
    /// Frames beyond `maxFrames` are read and discarded (the message is then reported with
    /// `truncated` set), so a hostile peer cannot make us hold an unbounded list.
    public func receive(maxFrames: Int = 16) throws(ZMQError) -> (message: Message, truncated: Bool)? {
        let handle = try live("receive")
        var frames: [[UInt8]] = []
        frames.reserveCapacity(2)
        var truncated = false
        var userID: String?
        var part = zmq_msg_t()
        zmq_msg_init(&part)
        defer { zmq_msg_close(&part) }
        while true {
            let size = zmq_msg_recv(&part, handle, ZMQ_DONTWAIT)
            if size < 0 {
                let error = ZMQError.last("receive \(type)")
                if error.wouldBlock && frames.isEmpty { return nil }
                throw error
            }
            // A ROUTER's routing-id frame carries no properties, so the first frame that has one
            // counts. The pointer is valid only until the message is closed or reused: copied now.
            if readsUserID && userID == nil, let property = zmq_msg_gets(&part, "User-Id") {
                userID = String(cString: property)
            }
            if frames.count < maxFrames {
                let count = Int(size)
                if let data = zmq_msg_data(&part), count > 0 {
                    frames.append(Array(UnsafeRawBufferPointer(start: data, count: count)))
                } else {
                    frames.append([])
                }
            } else {
                truncated = true
            }
            if zmq_msg_more(&part) == 0 { break }
        }
        return (Message(frames: frames, userID: userID), truncated)
    }

    private func apply(_ options: SocketOptions) throws(ZMQError) {
        try setInt(ZMQ_LINGER, options.lingerMilliseconds, "set LINGER")
        try setInt(ZMQ_SNDHWM, options.sendHighWaterMark, "set SNDHWM")
        try setInt(ZMQ_RCVHWM, options.receiveHighWaterMark, "set RCVHWM")
        var maxSize = options.maxMessageBytes
        try setRaw(ZMQ_MAXMSGSIZE, &maxSize, MemoryLayout<Int64>.size, "set MAXMSGSIZE")
        try setInt(ZMQ_RECONNECT_IVL, options.reconnectMilliseconds, "set RECONNECT_IVL")
        try setInt(ZMQ_RECONNECT_IVL_MAX, options.reconnectMaxMilliseconds, "set RECONNECT_IVL_MAX")
        try setInt(ZMQ_TCP_KEEPALIVE, 1, "set TCP_KEEPALIVE")
        try setInt(ZMQ_TCP_KEEPALIVE_IDLE, options.keepAliveIdleSeconds, "set TCP_KEEPALIVE_IDLE")
        try setInt(ZMQ_TCP_KEEPALIVE_INTVL, options.keepAliveIntervalSeconds, "set TCP_KEEPALIVE_INTVL")
        try setInt(ZMQ_TCP_KEEPALIVE_CNT, options.keepAliveProbes, "set TCP_KEEPALIVE_CNT")
        if type == .dealer || type == .router {
            try setInt(ZMQ_IMMEDIATE, options.immediate ? 1 : 0, "set IMMEDIATE")
        }
        if type == .router {
            try setInt(ZMQ_ROUTER_MANDATORY, options.routerMandatory ? 1 : 0, "set ROUTER_MANDATORY")
        }
        if let curve = options.curve {
            try applyCurve(curve)
        }
        if type == .subscriber {
            for prefix in options.subscriptions {
                try subscribe(prefix)
            }
        }
    }

    private func applyCurve(_ curve: CurveOptions) throws(ZMQError) {
        switch curve.role {
        case .server:
            try setInt(ZMQ_CURVE_SERVER, 1, "set CURVE_SERVER")
            // With a domain and ZAP enforced, a handshake is allowed only by the ZAP handler's
            // answer; without them libzmq 4.3 lets any client in when no handler answers.
            try setBytes(ZMQ_ZAP_DOMAIN, Array(curve.zapDomain.utf8), "set ZAP_DOMAIN")
            try setInt(zapEnforceDomainOption, 1, "set ZAP_ENFORCE_DOMAIN")
        case .client(let serverPublicKey):
            try setBytes(ZMQ_CURVE_SERVERKEY, Array(serverPublicKey.utf8) + [0], "set CURVE_SERVERKEY")
        }
        try setBytes(ZMQ_CURVE_PUBLICKEY, Array(curve.publicKey.utf8) + [0], "set CURVE_PUBLICKEY")
        try setBytes(ZMQ_CURVE_SECRETKEY, Array(curve.secretKey.utf8) + [0], "set CURVE_SECRETKEY")
    }

    /// ZMQ_ZAP_ENFORCE_DOMAIN. Debian's libzmq 4.3.4 implements it, but its header declares the
    /// name only under the draft API, which we do not build against; the number is libzmq's.
    private let zapEnforceDomainOption: Int32 = 93

    private func setInt(_ option: Int32, _ value: Int32, _ operation: String) throws(ZMQError) {
        var value = value
        try setRaw(option, &value, MemoryLayout<Int32>.size, operation)
    }

    private func setBytes(_ option: Int32, _ bytes: [UInt8], _ operation: String) throws(ZMQError) {
        let handle = try live(operation)
        let result = bytes.withUnsafeBytes { buffer in
            zmq_setsockopt(handle, option, buffer.baseAddress, buffer.count)
        }
        guard result == 0 else { throw ZMQError.last(operation) }
    }

    private func setRaw(
        _ option: Int32, _ value: UnsafeRawPointer, _ size: Int, _ operation: String
    ) throws(ZMQError) {
        let handle = try live(operation)
        guard zmq_setsockopt(handle, option, value, size) == 0 else { throw ZMQError.last(operation) }
    }
}

extension Socket {
    /// A raw socket of the I/O thread's own (the ZAP handler's ROUTER, a monitor's PAIR), read
    /// and written without blocking. Like `Socket`, used on the I/O thread only.
    struct Raw {
        let handle: UnsafeMutableRawPointer

        init(_ handle: UnsafeMutableRawPointer) {
            self.handle = handle
        }

        /// One whole multipart message, or nil when none is waiting (or on an error). Frames
        /// past `maxFrames` are read and dropped.
        func receiveFrames(maxFrames: Int) -> [[UInt8]]? {
            var frames: [[UInt8]] = []
            var part = zmq_msg_t()
            zmq_msg_init(&part)
            defer { zmq_msg_close(&part) }
            while true {
                let size = zmq_msg_recv(&part, handle, ZMQ_DONTWAIT)
                if size < 0 { return frames.isEmpty ? nil : frames }
                if frames.count < maxFrames {
                    if let data = zmq_msg_data(&part), size > 0 {
                        frames.append(Array(UnsafeRawBufferPointer(start: data, count: Int(size))))
                    } else {
                        frames.append([])
                    }
                }
                if zmq_msg_more(&part) == 0 { return frames }
            }
        }

        /// Sends `frames` as one multipart message without blocking; false when refused.
        @discardableResult
        func sendFrames(_ frames: [[UInt8]]) -> Bool {
            for (index, frame) in frames.enumerated() {
                let flags = ZMQ_DONTWAIT | (index < frames.count - 1 ? ZMQ_SNDMORE : 0)
                let result = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
                if result < 0 { return false }
            }
            return true
        }
    }
}
