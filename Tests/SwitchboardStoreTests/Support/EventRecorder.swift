import Logging
import SwitchboardBus
import Synchronization
import ZeroMQ

/// A raw SUB socket that records every event a publisher sends (heartbeats apart), in
/// arrival order: what an outside consumer or a chaos checker would see.
final class EventRecorder: Sendable {
    let loop: SocketLoop
    private let events = Mutex<[EventEnvelope]>([])
    private let heartbeats = Mutex(0)
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)
    private let socket: SocketID

    /// Connects to `endpoint` and returns once the subscription is live (a heartbeat arrived).
    static func attach(to publisher: EventPublisher, name: String) async throws -> EventRecorder {
        let loop = try SocketLoop(name: name, logger: testLogger)
        var options = SocketOptions()
        options.subscriptions = [""]
        let handle = try await loop.open(SocketSpec(type: .subscriber, options: options, connect: [publisher.endpoint]))
        let recorder = EventRecorder(loop: loop, socket: handle.id)
        let inbound = handle.inbound
        let task = Task { [recorder] in
            for await batch in inbound {
                for message in batch.messages {
                    guard let envelope = try? EnvelopeCodec.decode(message) else { continue }
                    recorder.record(envelope)
                }
            }
        }
        recorder.task.withLock { $0 = task }
        // PUB drops what it sends before the subscription reaches it: wait for a heartbeat.
        let live = await eventually(within: 10) {
            publisher.sendHeartbeat()
            try? await Task.sleep(for: .milliseconds(20))
            return recorder.heartbeats.withLock { $0 } > 0
        }
        if !live { throw RecorderError.neverLive(publisher.endpoint) }
        return recorder
    }

    private init(loop: SocketLoop, socket: SocketID) {
        self.loop = loop
        self.socket = socket
    }

    private func record(_ envelope: EventEnvelope) {
        if envelope.isHeartbeat {
            heartbeats.withLock { $0 += 1 }
        } else {
            events.withLock { $0.append(envelope) }
        }
    }

    var received: [EventEnvelope] { events.withLock { $0 } }
    var count: Int { events.withLock { $0.count } }

    func stop() async {
        task.withLock { $0?.cancel() }
        await loop.shutdown()
    }

    enum RecorderError: Error {
        case neverLive(String)
    }
}

/// The seqs of each family in arrival order.
func sequencesByFamily(_ events: [EventEnvelope]) -> [String: [UInt64]] {
    var result: [String: [UInt64]] = [:]
    for event in events { result[String(event.family), default: []].append(event.seq) }
    return result
}
