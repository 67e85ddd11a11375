public import SwitchboardRouting

/// One agent's presence as rules, apart from the store and the clocks: what `presence.set`, a
/// heartbeat and silence do to it. `PresenceAgent` commits what these return.
///
/// Two clocks: heartbeats are timed on a monotonic clock (a wall-clock step must not make
/// everyone Offline), while `sinceMilliseconds`, which people read, is wall time.
public struct PresenceLiveness: Sendable, Equatable {
    public private(set) var record: PresenceRecord
    /// When the agent's client was last heard from (monotonic).
    public private(set) var lastHeard: ContinuousClock.Instant

    /// - Parameter heardAt: after a restart every client gets a full timeout to be heard again,
    ///   so this is the start, not the last heartbeat before the restart.
    public init(record: PresenceRecord, heardAt: ContinuousClock.Instant) {
        self.record = record
        self.lastHeard = heardAt
    }

    /// `presence.set`: the status the agent chose. Choosing anything but Offline counts as
    /// being heard; any status remembered from a timeout is forgotten.
    public mutating func set(
        _ status: PresenceStatus, reason: String?, at now: ContinuousClock.Instant, wallMilliseconds: Int64
    ) -> PresenceRecord {
        var next = record
        next.status = status
        next.reason = reason
        next.statusBeforeTimeout = nil
        if status != .offline { lastHeard = now }
        return move(to: next, wallMilliseconds: wallMilliseconds)
    }

    /// `presence.heartbeat`: the client is alive. After a timeout it restores the status the
    /// agent had before their heartbeats stopped; otherwise nothing changes (nil).
    public mutating func heartbeat(at now: ContinuousClock.Instant, wallMilliseconds: Int64) -> PresenceRecord? {
        lastHeard = now
        guard record.status == .offline, let previous = record.statusBeforeTimeout else { return nil }
        var next = record
        next.status = previous
        next.reason = "heartbeats resumed"
        next.statusBeforeTimeout = nil
        return move(to: next, wallMilliseconds: wallMilliseconds)
    }

    /// Offline when nothing was heard for more than `timeoutSeconds` (remembering the status to
    /// restore on the next heartbeat); nil when the agent is already Offline or was heard in time.
    public mutating func expireIfSilent(
        timeoutSeconds: Double, at now: ContinuousClock.Instant, wallMilliseconds: Int64
    ) -> PresenceRecord? {
        guard record.status != .offline, now - lastHeard > .milliseconds(Int64(timeoutSeconds * 1_000)) else {
            return nil
        }
        var next = record
        next.statusBeforeTimeout = record.status
        next.status = .offline
        next.reason = "no heartbeat for \(Int(timeoutSeconds)) s"
        return move(to: next, wallMilliseconds: wallMilliseconds)
    }

    /// Whether going from `previous` to `next` is news for the bus (status or reason changed).
    public static func isChange(from previous: PresenceRecord, to next: PresenceRecord) -> Bool {
        previous.status != next.status || previous.reason != next.reason
    }

    private mutating func move(to next: PresenceRecord, wallMilliseconds: Int64) -> PresenceRecord {
        var next = next
        if record.status != next.status { next.sinceMilliseconds = wallMilliseconds }
        record = next
        return next
    }
}
