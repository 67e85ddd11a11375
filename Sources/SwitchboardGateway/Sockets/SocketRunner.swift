import HummingbirdWebSocket
import NIOWebSocket
public import SwitchboardBus
import Synchronization

/// Where a socket's messages go: one writer sends them in order. Bounded: a page that does not
/// read is disconnected (and, when it reconnects, gets its whole state again).
public struct Outbox: Sendable {
    let continuation: AsyncStream<String>.Continuation

    public func send(_ message: JSON) {
        if case .dropped = continuation.yield(message.text) { continuation.finish() }
    }

    /// `{"type":"reply","id","ok":true,"result"}`.
    public func reply(_ id: String?, result: JSON) {
        guard let id else { return }
        send(["type": "reply", "id": .string(id), "ok": true, "result": result])
    }

    /// `{"type":"reply","id","ok":false,"error":{code,message}}`.
    public func reply(_ id: String?, error: GatewayError) {
        guard let id else { return }
        send(["type": "reply", "id": .string(id), "ok": false, "error": error.json])
    }

    /// Closes the socket after what is queued.
    public func finish() { continuation.finish() }
}

/// One page's socket: its start, each client message, each bus change.
protocol SocketSession: Sendable {
    func start(_ outbox: Outbox) async
    func client(_ message: JSON, _ outbox: Outbox) async
    /// False to close the socket (the person's session ended).
    func bus(_ change: BusChange, _ outbox: Outbox) async -> Bool
    func finish() async
}

enum SocketRunner {
    static let sessionEnded: JSON = [
        "type": "notice", "level": "warning", "text": "Your session has ended; sign in again.",
    ]

    static let messageBytesMax = 256 * 1024
    static let outboxMessagesMax = 10_000
    static let requestsInFlightMax = 32

    /// Runs a socket until either side ends it: the page's messages to `session.client` (each in
    /// its own task, at most `requestsInFlightMax` at once, so a slow command does not hold up
    /// typing), bus changes to `session.bus`, and everything the session sends to the page.
    /// How often an open socket checks that its person's session still stands.
    static let sessionCheckSeconds = 10.0

    /// - Parameter allowed: whether the person's session still stands (signed out, expired, a
    ///   password changed or the agent removed: the socket is closed). Checked before each
    ///   message of the page and every `sessionCheckSeconds`.
    static func run(
        _ session: some SocketSession, view: BusView, inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter,
        allowed: @escaping @Sendable () async -> Bool = { true }
    ) async {
        let (messages, continuation) = AsyncStream<String>.makeStream(
            bufferingPolicy: .bufferingOldest(outboxMessagesMax))
        let outbox = Outbox(continuation: continuation)
        let (subscription, changes) = await view.subscribe()
        let inFlight = InFlightCounter()
        // The writer is not cancelled with the others: it sends what is queued, then the close frame.
        let writer = Task {
            for await text in messages {
                do { try await outbound.write(.text(text)) } catch { break }
            }
            try? await outbound.close(.normalClosure, reason: nil)
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await session.start(outbox)
                for await change in changes {
                    if !(await session.bus(change, outbox)) { break }
                }
                outbox.finish()
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(Int64(sessionCheckSeconds * 1_000)))
                    if Task.isCancelled { return }
                    if !(await allowed()) {
                        outbox.send(Self.sessionEnded)
                        outbox.finish()
                        return
                    }
                }
            }
            group.addTask {
                do {
                    for try await message in inbound.messages(maxSize: messageBytesMax) {
                        guard case .text(let text) = message, let json = try? JSON(parsing: text),
                            json.objectValue != nil
                        else {
                            outbox.send([
                                "type": "error",
                                "error": ["code": "bad_json", "message": "send JSON objects as text frames"],
                            ])
                            continue
                        }
                        guard await allowed() else {
                            outbox.reply(
                                json["id"]?.stringValue,
                                error: GatewayError(
                                    "unauthenticated", "your session has expired or was signed out; sign in again"))
                            outbox.send(Self.sessionEnded)
                            break
                        }
                        guard inFlight.enter(max: requestsInFlightMax) else {
                            outbox.reply(
                                json["id"]?.stringValue,
                                error: GatewayError("rate_limited", "too many requests at once; wait for the answers"))
                            continue
                        }
                        Task {
                            await session.client(json, outbox)
                            inFlight.leave()
                        }
                    }
                } catch {}
                outbox.finish()
            }
            // The first of reader, bus feed or session check to end ends the socket.
            await group.next()
            outbox.finish()
            await view.unsubscribe(subscription)
            group.cancelAll()
        }
        await writer.value
        await session.finish()
    }
}

/// Requests of one socket being answered.
private final class InFlightCounter: Sendable {
    private let count = Mutex(0)

    func enter(max: Int) -> Bool {
        count.withLock { count in
            if count >= max { return false }
            count += 1
            return true
        }
    }

    func leave() { count.withLock { $0 -= 1 } }
}
