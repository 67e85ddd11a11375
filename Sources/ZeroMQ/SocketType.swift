import CZeroMQ

/// The ZeroMQ socket patterns the bus uses.
public enum SocketType: Sendable, Hashable, CustomStringConvertible {
    case publisher
    case subscriber
    case dealer
    case router

    var rawValue: Int32 {
        switch self {
        case .publisher: ZMQ_PUB
        case .subscriber: ZMQ_SUB
        case .dealer: ZMQ_DEALER
        case .router: ZMQ_ROUTER
        }
    }

    public var description: String {
        switch self {
        case .publisher: "PUB"
        case .subscriber: "SUB"
        case .dealer: "DEALER"
        case .router: "ROUTER"
        }
    }
}
