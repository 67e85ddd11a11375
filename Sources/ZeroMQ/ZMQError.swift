import CZeroMQ
import Glibc

/// A failed libzmq call: which operation, on what, and libzmq's own text for the error.
public struct ZMQError: Error, Equatable, CustomStringConvertible {
    /// The errno value libzmq reported (EAGAIN, EHOSTUNREACH, ETERM, ...).
    public let code: Int32
    /// What we were doing, e.g. "bind tcp://127.0.0.1:7101".
    public let operation: String

    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// The error of the last failed libzmq call on this thread.
    static func last(_ operation: String) -> ZMQError {
        ZMQError(code: zmq_errno(), operation: operation)
    }

    /// libzmq's explanation of `code`.
    public var reason: String { String(cString: zmq_strerror(code)) }

    public var description: String { "\(operation) failed: \(reason) (errno \(code))" }

    /// The call would have blocked (high-water mark reached, or no peer yet).
    public var wouldBlock: Bool { code == EAGAIN }
    /// A ROUTER with ROUTER_MANDATORY has no peer with that routing id.
    public var hostUnreachable: Bool { code == EHOSTUNREACH }
    /// The context is shutting down.
    public var terminated: Bool { code == ETERM }
}
