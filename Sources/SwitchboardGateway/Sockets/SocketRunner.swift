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
    static let messageBytesMax = 256 * 1024
    static let outboxMessagesMax = 10_000
    static let requestsInFlightMax = 32

    /// Runs a socket until either side ends it: the page's messages to `session.client` (each in
    /// its own task, at most `requestsInFlightMax` at once, so a slow command does not hold up
    /// typing), bus changes to `session.bus`, and everything the session sends to the page.
    static func run(
        _ session: some SocketSession, view: BusView, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter
    ) async {
        let (messages, continuation) = AsyncStream<String>.makeStream(
            bufferingPolicy: .bufferingOldest(outboxMessagesMax))
        let outbox = Outbox(continuation: continuation)
        let (subscription, changes) = await view.subscribe()
        let inFlight = InFlightCounter()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await text in messages {
                    do { try await outbound.write(.text(text)) } catch { break }
                }
                try? await outbound.close(.normalClosure, reason: nil)
            }
            group.addTask {
                await session.start(outbox)
                for await change in changes {
                    if !(await session.bus(change, outbox)) { break }
                }
                outbox.finish()
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
            // The first of reader, bus feed or writer to end ends the socket.
            await group.next()
            outbox.finish()
            await view.unsubscribe(subscription)
            group.cancelAll()
        }
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
