import Foundation
import SwitchboardBus
import SwitchboardRouting
import SwitchboardStore

/// One agent at the presence tracker: their status, and when their client last sent a
/// heartbeat. A change is committed (row, event, reply) before it is acknowledged.
actor PresenceAgent {
    private(set) var record: PresenceRecord
    private var lastHeartbeat: ContinuousClock.Instant
    private let committer: GroupCommitter

    init(record: PresenceRecord, committer: GroupCommitter) {
        self.record = record
        self.committer = committer
        // After a restart every client gets a full timeout to be heard again.
        self.lastHeartbeat = .now
    }

    /// `presence.set`.
    func set(_ status: PresenceStatus, reason: String?, commandID: String) async throws -> CommandOutcome {
        var next = record
        next.status = status
        next.reason = reason
        next.statusBeforeTimeout = nil
        if status != .offline { lastHeartbeat = .now }
        return try await change(to: next, commandID: commandID)
    }

    /// `presence.heartbeat`: the client is alive. After a timeout it restores the status the
    /// agent had before their heartbeats stopped.
    func heartbeat(commandID: String) async throws -> CommandOutcome {
        lastHeartbeat = .now
        if record.status == .offline, let previous = record.statusBeforeTimeout {
            var next = record
            next.status = previous
            next.reason = "heartbeats resumed"
            next.statusBeforeTimeout = nil
            return try await change(to: next, commandID: commandID)
        }
        let outcome = CommandOutcome.ok(record.json)
        try await committer.commit { transaction in
            _ = try transaction.saveReply(id: commandID, outcome: outcome)
        }
        return outcome
    }

    /// Sets the agent Offline when no heartbeat came for `timeoutSeconds`; true if it did.
    func expireIfSilent(timeoutSeconds: Double) async throws -> Bool {
        guard record.status != .offline,
            (ContinuousClock.now - lastHeartbeat) > .milliseconds(Int64(timeoutSeconds * 1_000))
        else {
            return false
        }
        var next = record
        next.statusBeforeTimeout = record.status
        next.status = .offline
        next.reason = "no heartbeat for \(Int(timeoutSeconds)) s"
        _ = try await change(to: next, commandID: nil)
        return true
    }

    private func change(to next: PresenceRecord, commandID: String?) async throws -> CommandOutcome {
        var next = next
        let previous = record
        if previous.status != next.status { next.sinceMilliseconds = WallClock.microseconds() / 1_000 }
        record = next
        let outcome = CommandOutcome.ok(next.json)
        let changed = previous.status != next.status || previous.reason != next.reason
        try await committer.commit { [next] transaction in
            try PresenceTable.upsert(next, in: transaction.db)
            if changed {
                try transaction.emit(
                    topic: "presence.\(next.agent).changed", type: "presence.changed",
                    data: [
                        "agentId": .string(next.agent.rawValue), "status": .string(next.status.rawValue),
                        "previous": .string(previous.status.rawValue), "reason": .optional(next.reason),
                        "since": .int(next.sinceMilliseconds), "key": .string("presence.\(next.agent)"), "item": next.json,
                    ])
            }
            if let commandID { _ = try transaction.saveReply(id: commandID, outcome: outcome) }
        }
        return outcome
    }
}
