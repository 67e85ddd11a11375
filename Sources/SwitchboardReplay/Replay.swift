import Foundation
public import SwitchboardRouter
public import SwitchboardRouting
import SwitchboardTopology

/// `switchboard replay`: the recorded day, and the same day with a changed centre.
public enum Replay {
    public struct Request: Sendable {
        public var store: String
        public var since: RoutingInstant?
        public var until: RoutingInstant?
        /// A contact-centre file applied at `since` (nil: the recorded centre).
        public var centreFile: String?
        public var explain: ConversationID?
        /// List every recorded decision of the window in the report.
        public var listDecisions: Bool

        public init(
            store: String, since: RoutingInstant? = nil, until: RoutingInstant? = nil, centreFile: String? = nil,
            explain: ConversationID? = nil, listDecisions: Bool = false
        ) {
            self.listDecisions = listDecisions
            self.store = store
            self.since = since
            self.until = until
            self.centreFile = centreFile
            self.explain = explain
        }
    }

    /// Reads the changed centre with the router's own parser, as a reload would.
    public static func centreSettings(file: String) throws(ReplayError) -> RouterSettings {
        do {
            let centre = try ContactCentre.load(file: file)
            return RouterSettings(
                routing: centre.routing, agents: centre.agents, intentSkillLevels: centre.intentSkillLevels)
        } catch {
            throw ReplayError("the changed centre is refused, nothing was replayed: \(error)")
        }
    }

    /// Runs both and compares them. Every refusal comes before anything runs.
    public static func run(_ request: Request) throws(ReplayError) -> ReplayReport {
        let centre = try request.centreFile.map { file throws(ReplayError) in try centreSettings(file: file) }
        let (journal, since, until) = try ReplayJournal.load(
            path: request.store, since: request.since, until: request.until)
        return try run(journal, since: since, until: until, centre: centre, request: request)
    }

    public static func run(
        _ journal: ReplayJournal, since: RoutingInstant, until: RoutingInstant, centre: RouterSettings?,
        request: Request
    ) throws(ReplayError) -> ReplayReport {
        let started = ContinuousClock.now
        let (recordedTrace, _) = try RecordedRun.run(journal, since: since, until: until)
        let models = ReplayModels(recorded: recordedTrace, since: since, until: until)
        let whatIf = try WhatIfRun.run(
            journal, since: since, until: until, centre: centre, recorded: recordedTrace, models: models)
        let elapsed = (ContinuousClock.now - started)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var recordedSettings = journal.checkpoint.settings
        for entry in journal.entries where entry.at <= since {
            if case .reload(let settings) = entry.input { recordedSettings = settings }
        }
        let recordedFigures = ReplayFigures(recordedTrace, settings: recordedSettings, since: since, until: until)
        let replayedFigures = ReplayFigures(
            whatIf.trace, settings: centre ?? recordedSettings, since: since, until: until)
        let conversations = recordedTrace.conversations.values.filter { $0.openedAt >= since && $0.openedAt <= until }
            .count
        var report = ReplayReport(
            window: .init(since: ReplayTime.iso(since), until: ReplayTime.iso(until)),
            centre: .init(changed: request.centreFile), conversations: conversations, inputs: journal.entries.count,
            replaySeconds: ReplayFigures.rounded(seconds),
            conversationsPerSecond: seconds > 0 ? (Double(conversations) / seconds).rounded() : 0,
            reproduction: reproduction(recordedTrace, whatIf, since: since), queues: [], hourly: [], agents: [],
            changedConversations: whatIf.diverged.count,
            models: .init(
                patience: models.patience, handling: models.handling, acceptDelay: models.acceptDelay,
                wrapUp: models.wrapUp),
            explain: nil)
        let queues = Set(recordedFigures.queues.keys).union(replayedFigures.queues.keys).sorted()
        report.queues = queues.map { queue in
            let recorded = recordedFigures.queues[queue] ?? QueueFigures()
            let replayed = replayedFigures.queues[queue] ?? QueueFigures()
            return .init(queue: queue.rawValue, recorded: recorded, replayed: replayed, difference: replayed.minus(recorded))
        }
        for hour in Set(recordedFigures.hourly.keys).union(replayedFigures.hourly.keys).sorted() {
            let recorded = recordedFigures.hourly[hour] ?? [:]
            let replayed = replayedFigures.hourly[hour] ?? [:]
            for queue in Set(recorded.keys).union(replayed.keys).sorted() {
                report.hourly.append(
                    .init(
                        hour: ReplayTime.iso(hour), queue: queue.rawValue, recorded: .init(recorded[queue]),
                        replayed: .init(replayed[queue])))
            }
        }
        for agent in Set(recordedFigures.agents.keys).union(replayedFigures.agents.keys).sorted() {
            report.agents.append(
                .init(
                    agent: agent.rawValue, recorded: recordedFigures.agents[agent],
                    replayed: replayedFigures.agents[agent]))
        }
        if request.listDecisions {
            let all = recordedTrace.order.flatMap { id in
                (recordedTrace.conversations[id]?.decisions ?? []).filter { $0.at >= since }
            }
            report.decisions = all.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
                .map { ReplayReport.Decision($0.element) }
        }
        if let id = request.explain {
            let recorded = recordedTrace.conversations[id]
            let replayed = whatIf.trace.conversations[id]
            guard recorded != nil || replayed != nil else {
                throw ReplayError(
                    "--explain \(id): no such conversation in the window; give an id the replay saw (e.g. from "
                        + "firstDivergence)")
            }
            report.explain = .init(conversation: id.rawValue, recorded: side(recorded), replayed: side(replayed))
        }
        return report
    }

    static func reproduction(_ recorded: ReplayTrace, _ whatIf: WhatIfRun, since: RoutingInstant)
        -> ReplayReport.Reproduction
    {
        var decisions = 0
        var equal = 0
        for (id, record) in recorded.conversations {
            let replayed = whatIf.trace.conversations[id]?.decisions ?? []
            for (position, decision) in record.decisions.enumerated() where decision.at >= since {
                decisions += 1
                if replayed.indices.contains(position), replayed[position].matches(decision) { equal += 1 }
            }
        }
        let divergence = whatIf.firstDivergence.map { divergence in
            ReplayReport.Divergence(
                conversation: divergence.conversation.rawValue, at: ReplayTime.iso(divergence.at),
                recorded: divergence.recorded.map(ReplayReport.Decision.init),
                replayed: divergence.replayed.map(ReplayReport.Decision.init))
        }
        return .init(decisions: decisions, equal: equal, firstDivergence: divergence)
    }

    static func side(_ record: ConversationRecord?) -> ReplayReport.Explanation.Side? {
        guard let record else { return nil }
        let first = record.firstAssignment
        let outcome = first != nil ? "answered" : record.abandonedWaitSeconds != nil ? "abandoned" : "waiting"
        return .init(
            agent: first?.agent.rawValue, rule: first?.rule, reason: first?.reason,
            waitSeconds: record.waitSeconds ?? record.abandonedWaitSeconds, outcome: outcome)
    }
}
