import Foundation
import Logging
import SwitchboardAssist
import SwitchboardBus
import SwitchboardRouting
import SwitchboardWire
import Synchronization

@testable import SwitchboardSummariser

/// Shared pieces of the summariser's tests: one assistant trained on the shipped examples (once
/// per test process), router-like transcript lines, and an event sink that records what it is sent.
enum SummariserFixtures {
    static let assistant: Result<Assistant, AssistError> = Result { () throws(AssistError) in
        try Assistant.load(AssistConfiguration()).assistant
    }

    static func context() throws -> AssistTrack.Context {
        AssistTrack.Context(assistant: try assistant.get())
    }

    static let logger: Logger = {
        var logger = Logger(label: "switchboard.summariser-test")
        logger.logLevel = .critical
        return logger
    }()

    /// Transcript line `number`, written at second `number` of a fixed day.
    static func line(
        _ number: Int, _ role: SwitchboardWire.TranscriptMessage.Role, _ author: String, _ text: String,
        audience: SwitchboardWire.TranscriptMessage.Audience = .everyone, atSecond: Int? = nil
    ) -> SwitchboardWire.TranscriptMessage {
        SwitchboardWire.TranscriptMessage(
            number: number, role: role, author: author, text: text, audience: audience,
            at: RoutingInstant(millisecondsSinceEpoch: milliseconds(atSecond ?? number * 10)))
    }

    static func milliseconds(_ second: Int) -> Int64 { 1_800_000_000_000 + Int64(second) * 1_000 }

    /// A card that has not arrived: the customer, the first agent, and what the agent did.
    static let lateCard: [SwitchboardWire.TranscriptMessage] = [
        line(1, .customer, "Dana Whitfield", "Hi, I ordered a new card two weeks ago and it still hasn't arrived."),
        line(2, .agent, "Priya Shah", "I'm sorry about that. Could you confirm the address we should send it to?"),
        line(3, .customer, "Dana Whitfield", "It's 12 Harbour Lane, Leeds. I need the card for a trip next week."),
        line(4, .agent, "Priya Shah", "I've checked the order and it was sent to an old address."),
    ]
}

/// An event sink that records events and assigns seqs per family, like the publisher.
final class RecordingSink: AssistEventSink {
    struct Sent: Sendable {
        let topic: String
        let type: String
        let seq: UInt64
        let data: JSON
    }

    let epoch: UInt64 = 7
    private let state = Mutex<(sent: [Sent], sequences: [String: UInt64])>(([], [:]))

    func send(topic: String, type: String, data: [UInt8]) {
        let family = String(topic.prefix { $0 != "." })
        state.withLock { state in
            let seq = (state.sequences[family] ?? 0) + 1
            state.sequences[family] = seq
            state.sent.append(Sent(topic: topic, type: type, seq: seq, data: (try? JSON(parsing: data)) ?? .null))
        }
    }

    func sequences() -> [String: UInt64] { state.withLock { $0.sequences } }

    var sent: [Sent] { state.withLock { $0.sent } }

    func sent(ofType type: String) -> [Sent] { sent.filter { $0.type == type } }
}

/// Polls `condition` until it holds or `seconds` pass. Generous: the whole suite runs in parallel
/// on a small machine, and long synchronous tests elsewhere can hold the cooperative pool.
func summariserEventually(within seconds: Double = 120, _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int64(seconds * 1_000)))
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}
