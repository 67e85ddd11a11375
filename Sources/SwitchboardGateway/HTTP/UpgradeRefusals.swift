import HTTPTypes
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Why a socket upgrade was refused, per connection. The HTTP server answers every refused
/// upgrade with a bare 400 and lets no route choose; the socket routes note here the status the
/// refusal deserves (401 without a session, 403 for a foreign origin or a role) and the JSON
/// error saying why, and `RefusedUpgradeStatusHandler` puts them on the response as it is written.
final class UpgradeRefusals: Sendable {
    struct Refusal: Sendable {
        var status: Int
        /// `{"error":{"code","message"}}`.
        var body: String
    }

    private let statuses = Mutex<[ObjectIdentifier: Refusal]>([:])
    /// Refusals waiting to be written at most; past it they are forgotten (the 400 stays).
    static let waitingMax = 10_000

    func refuse(_ channel: any Channel, _ refusal: Refusal) {
        statuses.withLock { statuses in
            if statuses.count >= Self.waitingMax { statuses.removeAll() }
            statuses[ObjectIdentifier(channel)] = refusal
        }
    }

    func take(_ channel: any Channel) -> Refusal? {
        statuses.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }
}

/// Gives a refused upgrade's bare 400 the status and JSON error its route noted (see
/// `UpgradeRefusals`); every other response passes untouched. One per connection.
final class RefusedUpgradeStatusHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let refusals: UpgradeRefusals
    /// The error to write before the end of the rewritten response.
    private var body: ByteBuffer?

    init(refusals: UpgradeRefusals) {
        self.refusals = refusals
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where head.status == .badRequest:
            guard let refusal = refusals.take(context.channel) else { break }
            let buffer = ByteBuffer(string: refusal.body)
            head.status = HTTPResponse.Status(code: refusal.status)
            head.headerFields[.contentType] = "application/json"
            head.headerFields[.contentLength] = String(buffer.readableBytes)
            body = buffer
            context.write(wrapOutboundOut(.head(head)), promise: promise)
            return
        case .end where body != nil:
            if let body { context.write(wrapOutboundOut(.body(body)), promise: nil) }
            body = nil
        default:
            break
        }
        context.write(data, promise: promise)
    }
}
