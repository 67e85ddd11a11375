import SwitchboardBus
import SwitchboardProcesses
import SwitchboardRouting
import SwitchboardServiceKit
import SwitchboardTools
import SwitchboardWire

/// Follows the router's stream for the benchmark: who is Available, what was assigned when.
final class AssignmentWatcher: Sendable {
    struct Counts: Sendable {
        var assigned = 0
        var closed = 0
    }

    private let state = Locked(State())
    private let closer = Locked<CommandClient?>(nil)

    private struct State {
        var available: Set<String> = []
        var counts = Counts()
        var assignedAt: [String: ContinuousClock.Instant] = [:]
        var waiters: [String: CheckedContinuation<ContinuousClock.Instant?, Never>] = [:]
        /// Every agent was seen Available: agent events are no longer read.
        var agentsReady = false
    }

    var counts: Counts { state.withLock { $0.counts } }

    func closeAssigned(with client: CommandClient) {
        closer.withLock { $0 = client }
    }

    func observe(_ update: ReplicaUpdate) {
        switch update {
        case .snapshot(let snapshot):
            for item in snapshot.items where item.key.hasPrefix("agent.") {
                if let value = try? item.value(), let agent = try? AgentItem(json: value), agent.presence == .available
                {
                    state.withLock { _ = $0.available.insert(agent.agentId.rawValue) }
                }
            }
        case .event(let event):
            switch event.type {
            case "agent.load":
                // Only until every agent is Available: afterwards the load phases need no data
                // of these events, and the bench's own parsing would take CPU from the router.
                guard !state.withLock({ $0.agentsReady }), let data = try? event.data(),
                    let item = data["item"], let agent = try? AgentItem(json: item)
                else { return }
                state.withLock { state in
                    if agent.presence == .available || agent.presence == .busy {
                        state.available.insert(agent.agentId.rawValue)
                    } else {
                        state.available.remove(agent.agentId.rawValue)
                    }
                }
            case "conversation.assigned":
                // `conv.<id>.assigned`: the id without parsing the data.
                guard let id = Self.conversationID(inTopic: event.topic) else { return }
                let now = ContinuousClock.now
                let waiter = state.withLock { state -> CheckedContinuation<ContinuousClock.Instant?, Never>? in
                    state.counts.assigned += 1
                    if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                    state.assignedAt[id] = now
                    return nil
                }
                waiter?.resume(returning: now)
                if let client = closer.value {
                    Task {
                        _ = try? await client.send(
                            "conversation.close", data: ["conversationId": .string(id)], deadlineSeconds: 30)
                    }
                }
            case "conversation.closed":
                state.withLock { $0.counts.closed += 1 }
            default:
                break
            }
        case .status:
            break
        }
    }

    static func conversationID(inTopic topic: String) -> String? {
        let parts = topic.split(separator: ".")
        guard parts.count == 3, parts[0] == "conv" else { return nil }
        return String(parts[1])
    }

    func waitUntil(availableAgents: Int, seconds: Double) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int64(seconds * 1_000)))
        while ContinuousClock.now < deadline {
            let ready = state.withLock { state -> Bool in
                if state.available.count >= availableAgents { state.agentsReady = true }
                return state.agentsReady
            }
            if ready { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// When `conversation` is assigned (or nil after `seconds`).
    func waitForAssignment(_ conversation: String, seconds: Double) async -> ContinuousClock.Instant? {
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<ContinuousClock.Instant?, Never>) in
            let already = state.withLock { state -> ContinuousClock.Instant? in
                if let at = state.assignedAt.removeValue(forKey: conversation) { return at }
                state.waiters[conversation] = continuation
                return nil
            }
            if let already {
                continuation.resume(returning: already)
            } else {
                Task {
                    try? await Task.sleep(for: .milliseconds(Int64(seconds * 1_000)))
                    self.state.withLock { $0.waiters.removeValue(forKey: conversation) }?.resume(returning: nil)
                }
            }
        }
        return result
    }
}
