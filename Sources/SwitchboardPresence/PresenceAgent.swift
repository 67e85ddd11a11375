import Foundation
import SwitchboardBus
import SwitchboardRouting
import SwitchboardStore

/// One agent at the presence tracker: the rules of `PresenceLiveness` carried out, each change
/// committed (row, event, reply) before it is acknowledged.
actor PresenceAgent {
    private var liveness: PresenceLiveness
    private let committer: GroupCommitter

    var record: PresenceRecord { liveness.record }

    init(record: PresenceRecord, committer: GroupCommitter) {
        // After a restart every client gets a full timeout to be heard again.
        self.liveness = PresenceLiveness(record: record, heardAt: .now)
        self.committer = committer
    }

    /// `presence.set`.
    func set(_ status: PresenceStatus, reason: String?, commandID: String) async throws -> CommandOutcome {
        let previous = liveness.record
        let next = liveness.set(status, reason: reason, at: .now, wallMilliseconds: Self.wallMilliseconds())
        return try await commit(from: previous, to: next, commandID: commandID)
    }

    /// `presence.heartbeat`.
    func heartbeat(commandID: String) async throws -> CommandOutcome {
        let previous = liveness.record
        if let next = liveness.heartbeat(at: .now, wallMilliseconds: Self.wallMilliseconds()) {
            return try await commit(from: previous, to: next, commandID: commandID)
        }
        let outcome = CommandOutcome.ok(previous.json)
        try await committer.commit { transaction in
            _ = try transaction.saveReply(id: commandID, outcome: outcome)
        }
        return outcome
    }

    /// Sets the agent Offline when nothing was heard for `timeoutSeconds` by `now`; true if it did.
    func expireIfSilent(timeoutSeconds: Double, now: ContinuousClock.Instant = .now) async throws -> Bool {
        let previous = liveness.record
        guard
            let next = liveness.expireIfSilent(
                timeoutSeconds: timeoutSeconds, at: now, wallMilliseconds: Self.wallMilliseconds())
        else { return false }
        _ = try await commit(from: previous, to: next, commandID: nil)
        return true
    }

    private func commit(
        from previous: PresenceRecord, to next: PresenceRecord, commandID: String?
    ) async throws -> CommandOutcome {
        let outcome = CommandOutcome.ok(next.json)
        let changed = PresenceLiveness.isChange(from: previous, to: next)
        try await committer.commit { [next] transaction in
            try PresenceTable.upsert(next, in: transaction.db)
            if changed {
                try transaction.emit(
                    topic: "presence.\(next.agent).changed", type: "presence.changed",
                    data: [
                        "agentId": .string(next.agent.rawValue), "status": .string(next.status.rawValue),
                        "previous": .string(previous.status.rawValue), "reason": .optional(next.reason),
                        "since": .int(next.sinceMilliseconds), "key": .string("presence.\(next.agent)"),
                        "item": next.json,
                    ])
            }
            if let commandID { _ = try transaction.saveReply(id: commandID, outcome: outcome) }
        }
        return outcome
    }

    private static func wallMilliseconds() -> Int64 { WallClock.microseconds() / 1_000 }
}
