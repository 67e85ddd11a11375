import Foundation
public import SwitchboardRouter
public import SwitchboardRouting

/// A queue's figures over one run, for the conversations that arrived in it within the window.
/// Sticky share and skill match are the quality bench's: returning customers assigned to the
/// agent who last handled them, and assignments made with every required skill (by any rule
/// but a fallback step).
public struct QueueFigures: Sendable, Hashable, Encodable {
    public var arrivals = 0
    public var answered = 0
    public var abandoned = 0
    /// Answered within the queue's service-level threshold over answered and abandoned (as the
    /// router's counters count `assignedWithinServiceLevel`); nil when neither.
    public var serviceLevel: Double?
    public var averageWaitSeconds: Double?
    public var p90WaitSeconds: Double?
    public var stickyShare: Double?
    public var skillMatch: Double?

    enum CodingKeys: String, CodingKey {
        case arrivals, answered, abandoned, serviceLevel, averageWaitSeconds, p90WaitSeconds, stickyShare, skillMatch
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(arrivals, forKey: .arrivals)
        try container.encode(answered, forKey: .answered)
        try container.encode(abandoned, forKey: .abandoned)
        try container.encode(serviceLevel.map(ReplayFigures.rounded), forKey: .serviceLevel)
        try container.encode(averageWaitSeconds.map(ReplayFigures.rounded), forKey: .averageWaitSeconds)
        try container.encode(p90WaitSeconds.map(ReplayFigures.rounded), forKey: .p90WaitSeconds)
        try container.encode(stickyShare.map(ReplayFigures.rounded), forKey: .stickyShare)
        try container.encode(skillMatch.map(ReplayFigures.rounded), forKey: .skillMatch)
    }

    /// `self` minus `other`, figure by figure.
    public func minus(_ other: QueueFigures) -> QueueFigures {
        func difference(_ a: Double?, _ b: Double?) -> Double? { a.flatMap { a in b.map { a - $0 } } }
        return QueueFigures(
            arrivals: arrivals - other.arrivals, answered: answered - other.answered,
            abandoned: abandoned - other.abandoned, serviceLevel: difference(serviceLevel, other.serviceLevel),
            averageWaitSeconds: difference(averageWaitSeconds, other.averageWaitSeconds),
            p90WaitSeconds: difference(p90WaitSeconds, other.p90WaitSeconds),
            stickyShare: difference(stickyShare, other.stickyShare), skillMatch: difference(skillMatch, other.skillMatch))
    }
}

/// An agent's figures over one run: occupancy is the share of capacity in use over the window
/// (assigned item-seconds over the capacity of their channel, summed over channels), handled
/// the assignments made to them within it.
public struct AgentFigures: Sendable, Hashable, Encodable {
    public var occupancy: Double
    public var handled: Int

    enum CodingKeys: String, CodingKey { case occupancy, handled }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ReplayFigures.rounded(occupancy), forKey: .occupancy)
        try container.encode(handled, forKey: .handled)
    }
}

/// The figures of one run.
public struct ReplayFigures: Sendable {
    public var queues: [QueueID: QueueFigures] = [:]
    /// Per hour (its start) and queue.
    public var hourly: [RoutingInstant: [QueueID: QueueFigures]] = [:]
    public var agents: [AgentID: AgentFigures] = [:]

    static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

    public init(
        _ trace: ReplayTrace, settings: RouterSettings, since: RoutingInstant, until: RoutingInstant
    ) {
        let thresholds = Dictionary(
            settings.routing.queues.map { ($0.id, $0.serviceLevel.withinSeconds) }, uniquingKeysWith: { $1 })
        var byQueue: [QueueID: [ConversationRecord]] = [:]
        var byHour: [RoutingInstant: [QueueID: [ConversationRecord]]] = [:]
        var handled: [AgentID: Int] = [:]
        for id in trace.order {
            guard let record = trace.conversations[id] else { continue }
            for decision in record.decisions where !decision.offered && decision.at >= since && decision.at <= until {
                handled[decision.agent, default: 0] += 1
            }
            guard record.openedAt >= since, record.openedAt <= until else { continue }
            byQueue[record.queue, default: []].append(record)
            let hour = RoutingInstant(
                millisecondsSinceEpoch: record.openedAt.millisecondsSinceEpoch / 3_600_000 * 3_600_000)
            byHour[hour, default: [:]][record.queue, default: []].append(record)
        }
        for (queue, records) in byQueue {
            queues[queue] = Self.figures(records, threshold: thresholds[queue] ?? 0)
        }
        for (hour, queuesOfHour) in byHour {
            for (queue, records) in queuesOfHour {
                hourly[hour, default: [:]][queue] = Self.figures(records, threshold: thresholds[queue] ?? 0)
            }
        }
        let windowSeconds = max(until.seconds(since: since), 0.001)
        let profiles = Dictionary(
            settings.routing.capacityProfiles.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        for profile in settings.agents {
            var used = 0.0
            for (channel, seconds) in trace.busySeconds[profile.id] ?? [:] {
                let capacity = profile.capacityOverrides[channel] ?? profiles[profile.capacityProfile]?.capacity[channel] ?? 1
                used += seconds / Double(max(1, capacity))
            }
            agents[profile.id] = AgentFigures(occupancy: used / windowSeconds, handled: handled[profile.id] ?? 0)
        }
    }

    static func figures(_ records: [ConversationRecord], threshold: Double) -> QueueFigures {
        var figures = QueueFigures(arrivals: records.count)
        var waits: [Double] = []
        var within = 0
        var returning = 0
        var reached = 0
        var matched = 0
        for record in records {
            if let wait = record.waitSeconds, let first = record.firstAssignment {
                figures.answered += 1
                waits.append(wait)
                if wait <= threshold { within += 1 }
                if record.returning {
                    returning += 1
                    if record.reachedOwner { reached += 1 }
                }
                if !first.rule.hasPrefix("fallbackStep") { matched += 1 }
            } else if record.abandonedWaitSeconds != nil {
                figures.abandoned += 1
            }
        }
        let served = figures.answered + figures.abandoned
        if served > 0 { figures.serviceLevel = Double(within) / Double(served) }
        if !waits.isEmpty {
            waits.sort()
            figures.averageWaitSeconds = waits.reduce(0, +) / Double(waits.count)
            figures.p90WaitSeconds = waits[min(waits.count - 1, Int((Double(waits.count) * 0.9).rounded(.up)) - 1)]
            figures.skillMatch = Double(matched) / Double(waits.count)
        }
        if returning > 0 { figures.stickyShare = Double(reached) / Double(returning) }
        return figures
    }
}
