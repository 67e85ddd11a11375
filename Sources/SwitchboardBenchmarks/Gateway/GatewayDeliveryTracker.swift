import Foundation
import SwitchboardBus
import SwitchboardProcesses
import SwitchboardServiceKit
import SwitchboardTools

/// What the gateway benchmark's agent sockets and customers saw, shared by all of them: which
/// conversations reached an agent, when each customer message was sent and when an agent's
/// socket received it. Texts carry unique tokens (`bench-open-<conversation>`,
/// `bench-msg-<sequence>`), so a socket needs no state of its own to match them.
final class GatewayDeliveryTracker: Sendable {
    struct State: Sendable {
        var socketsConnected = 0
        var socketsFailed = 0
        var agentsAvailable = 0
        var opened = 0
        var openFailed = 0
        var assigned = Set<Int>()
        var sent: [Int: ContinuousClock.Instant] = [:]
        var sendsFinished = 0
        var sendFailed = 0
        var delivered = Set<Int>()
        var delivery: LatencyHistogram
        var fanOut = LatencyHistogram()
        var firstFailures: [String] = []
    }

    let state: Locked<State>

    init(expectedIntervalMicroseconds: UInt64) {
        state = Locked(State(delivery: LatencyHistogram(expectedInterval: expectedIntervalMicroseconds)))
    }

    func socketConnected() { state.withLock { $0.socketsConnected += 1 } }

    func failed(_ what: String, _ count: WritableKeyPath<State, Int>) {
        state.withLock {
            $0[keyPath: count] += 1
            if $0.firstFailures.count < 5 { $0.firstFailures.append(what) }
        }
    }

    func opened() { state.withLock { $0.opened += 1 } }

    func sending(_ sequence: Int) { state.withLock { $0.sent[sequence] = .now } }

    func sendFinished(ok: Bool, _ what: @autoclosure () -> String) {
        if !ok { failed(what(), \.sendFailed) }
        state.withLock { $0.sendsFinished += 1 }
    }

    /// One text message of an agent's socket.
    func observe(_ text: String) {
        let received = ContinuousClock.now
        let wallMilliseconds = Date().timeIntervalSince1970 * 1_000
        let opens = Self.numbers(after: "bench-open-", in: text)
        let messages = Self.numbers(after: "bench-msg-", in: text)
        var available = false
        var fanOutMicroseconds: Int64?
        if text.contains("\"reply\"") || !messages.isEmpty,
            let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        {
            if json["type"] as? String == "reply", json["id"] as? String == "available" {
                available = json["ok"] as? Bool == true
            }
            // The `at` of a pushed line is when the desk appended it (milliseconds, same host).
            if json["type"] as? String == "message", let message = json["message"] as? [String: Any],
                let at = (message["at"] as? NSNumber)?.doubleValue
            {
                fanOutMicroseconds = Int64(((wallMilliseconds - at) * 1_000).rounded())
            }
        }
        if opens.isEmpty && messages.isEmpty && !available { return }
        state.withLock { state in
            if available { state.agentsAvailable += 1 }
            for open in opens { state.assigned.insert(open) }
            for sequence in messages where !state.delivered.contains(sequence) {
                guard let sent = state.sent[sequence] else { continue }
                state.delivered.insert(sequence)
                state.delivery.record(Int64(((received - sent).seconds * 1_000_000).rounded()))
                if let fanOutMicroseconds { state.fanOut.record(fanOutMicroseconds) }
            }
        }
    }

    /// The decimal numbers following each occurrence of `marker` in `text`.
    static func numbers(after marker: String, in text: String) -> [Int] {
        var found: [Int] = []
        var rest = text[...]
        while let range = rest.range(of: marker) {
            rest = rest[range.upperBound...]
            if let number = Int(rest.prefix(while: { $0.isASCII && $0.isNumber })) { found.append(number) }
        }
        return found
    }
}

/// The moment every customer starts sending, given once to all who wait for it; nil when the
/// run is abandoned.
final class StartSignal: Sendable {
    private struct State: Sendable {
        var fired = false
        var start: ContinuousClock.Instant?
        var waiters: [CheckedContinuation<ContinuousClock.Instant?, Never>] = []
    }
    private let state = Locked(State())

    func fire(_ start: ContinuousClock.Instant?) {
        let waiters = state.withLock { state -> [CheckedContinuation<ContinuousClock.Instant?, Never>] in
            guard !state.fired else { return [] }
            state.fired = true
            state.start = start
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: start) }
    }

    func wait() async -> ContinuousClock.Instant? {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> ContinuousClock.Instant?? in
                if state.fired { return .some(state.start) }
                state.waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }
}
