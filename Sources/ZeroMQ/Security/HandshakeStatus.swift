import Synchronization

/// How the security handshakes of a CURVE client socket went, from its socket monitor, readable
/// from any thread. A client whose key the server refuses is otherwise only disconnected and
/// retried by libzmq, and its caller would see nothing but a time-out.
public final class HandshakeStatus: Sendable {
    private struct State {
        var refusal: HandshakeRefusal?
        var succeeded = 0
        var failed = 0
    }

    private let state = Mutex(State())

    init() {}

    /// The last refusal, unless a handshake succeeded after it.
    public var refusal: HandshakeRefusal? { state.withLock { $0.refusal } }
    /// Handshakes that succeeded.
    public var succeededCount: Int { state.withLock { $0.succeeded } }
    /// Handshakes that failed.
    public var failedCount: Int { state.withLock { $0.failed } }

    func recordSuccess() {
        state.withLock {
            $0.succeeded += 1
            $0.refusal = nil
        }
    }

    func recordFailure(_ refusal: HandshakeRefusal) {
        state.withLock {
            $0.failed += 1
            $0.refusal = refusal
        }
    }
}

/// A security handshake the other side (or this side) refused.
public struct HandshakeRefusal: Sendable, Equatable, Error, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The server's ZAP handler refused this process's key (its status code, e.g. 400).
        case authentication(statusCode: Int)
        /// The peer broke the handshake protocol (e.g. a server that does not speak CURVE).
        case protocolError(code: Int)
        /// The handshake broke off without a reason: most often the server's public key configured
        /// here is not the server's (the server cannot read this side's hello and hangs up).
        case noDetail(code: Int)
    }

    /// The endpoint connected to.
    public let endpoint: String
    public let kind: Kind

    public init(endpoint: String, kind: Kind) {
        self.endpoint = endpoint
        self.kind = kind
    }

    public var description: String {
        switch kind {
        case .authentication(let statusCode):
            "the server at \(endpoint) refused this process's CURVE key (ZAP status \(statusCode)): the key is not "
                + "allowed there; add this process's public key to the server's principals, or use a listed key"
        case .protocolError(let code):
            "the CURVE handshake with \(endpoint) failed (protocol error 0x\(String(code, radix: 16))): check that the "
                + "server's public key configured here is the server's and that the server has CURVE on"
        case .noDetail(let code):
            "the CURVE handshake with \(endpoint) broke off (errno \(code)): check that the server's public key "
                + "configured here is the server's (its NAME.pub) and that the server has CURVE on"
        }
    }
}
