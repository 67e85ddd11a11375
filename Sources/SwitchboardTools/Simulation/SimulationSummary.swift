import Foundation
public import SwitchboardBus

/// What a simulation run did and saw, printed at its end (as text, or one JSON line).
public struct SimulationSummary: Sendable, Equatable {
    public var seed: UInt64 = 0
    public var durationSeconds: Double = 0
    public var conversationsPerSecond: Double = 0
    /// Wall-clock seconds from the first arrival to the end of the drain.
    public var elapsedSeconds: Double = 0
    public var agentPath = "desk"
    /// Where the openings came from (`banking77`, `examples` or `file`) and the file.
    public var utteranceOrigin = ""
    public var utterancePath = ""

    public var opened = 0
    public var openFailed = 0
    /// Arrivals that were customers coming back after a closed conversation.
    public var returningCustomers = 0
    /// Openings from the data set, and scripted ones (other languages, product lines it lacks).
    public var datasetOpenings = 0
    public var scriptedOpenings = 0

    /// `conversation.assigned` events seen (a re-queued conversation may be assigned again).
    public var assigned = 0
    public var assignedByRule: [String: Int] = [:]
    /// Assignments by rule 1: the customer's sticky owner.
    public var stickyHits = 0
    /// Returning customers whose conversation went to the agent of their previous one.
    public var returningToPreviousAgent = 0
    public var offered = 0
    public var offersAccepted = 0
    public var offersDeclined = 0
    public var offersExpired = 0
    /// Customers who gave up waiting (patience ran out).
    public var abandoned = 0
    /// Customers still waiting when the run ended, who left then.
    public var leftAtEnd = 0
    public var closed = 0
    public var wrapUpsEnded = 0
    public var customerMessages = 0
    public var agentMessages = 0

    public var signIns = 0
    public var breaks = 0
    public var signOuts = 0
    public var heartbeats = 0

    public var commandsSent = 0
    public var commandsRejected = 0
    public var commandsFailed = 0
    /// Refusals and failures by `type: code`, for the report, with the first message of each.
    public var problems: [String: Int] = [:]
    public var problemExamples: [String: String] = [:]

    public var byQueue: [String: QueueCounts] = [:]
    public var openedByLanguage: [String: Int] = [:]
    /// Seconds waited before assignment (as the router reported them).
    public var waitSecondsTotal = 0.0
    public var waitSecondsMax = 0.0
    /// Conversations that had not ended when the run stopped.
    public var unfinished = 0
    /// The routing invariants over the run's event stream, when they could be checked.
    public var invariants: InvariantReport?

    public init() {}

    public struct QueueCounts: Sendable, Equatable {
        public var opened = 0
        public var assigned = 0
        public var abandoned = 0
    }

    /// The result of checking the routing invariants over what the run saw.
    public struct InvariantReport: Sendable, Equatable {
        /// False when the stream could not be checked (the reason says why).
        public var checked: Bool
        public var facts: Int
        public var violations: [String]
        public var note: String?

        public init(checked: Bool, facts: Int, violations: [String], note: String?) {
            self.checked = checked
            self.facts = facts
            self.violations = violations
            self.note = note
        }
    }

    public var averageWaitSeconds: Double { assigned > 0 ? waitSecondsTotal / Double(assigned) : 0 }

    /// Several lines for a person.
    public var text: String {
        func percent(_ part: Int, _ whole: Int) -> String {
            whole > 0 ? " (\(Int((Double(part) * 100 / Double(whole)).rounded()))%)" : ""
        }
        let rules = assignedByRule.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
            .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let languages = openedByLanguage.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            .joined(separator: ", ")
        var lines = [
            "Simulation summary (seed \(seed), "
                + (durationSeconds.isFinite ? "\(format(durationSeconds)) s" : "until stopped")
                + " at \(format(conversationsPerSecond))/s, "
                + "ran \(format(elapsedSeconds)) s, agents through the \(agentPath))",
            "  opened      \(opened)\(openFailed > 0 ? ", \(openFailed) refused" : "")  by language: \(languages)",
            "  openings    \(datasetOpenings) from \(utteranceOrigin) (\(utterancePath)), \(scriptedOpenings) scripted",
            "  returning   \(returningCustomers) customers came back; \(returningToPreviousAgent) reached their "
                + "previous agent",
            "  assigned    \(assigned)  by rule: \(rules.isEmpty ? "none" : rules)",
            "  sticky hits \(stickyHits)\(percent(stickyHits, assigned))",
            "  offers      \(offered) offered, \(offersAccepted) accepted, \(offersDeclined) declined, "
                + "\(offersExpired) expired",
            "  waited      \(format(averageWaitSeconds)) s on average, \(format(waitSecondsMax)) s at most",
            "  abandoned   \(abandoned)\(percent(abandoned, opened)), \(leftAtEnd) left when the run ended",
            "  closed      \(closed), \(wrapUpsEnded) wrap-ups ended with a disposition, \(unfinished) unfinished",
            "  messages    \(customerMessages) from customers, \(agentMessages) from agents",
            "  agents      \(signIns) signed in, \(breaks) breaks, \(signOuts) signed out, \(heartbeats) heartbeats",
            "  commands    \(commandsSent) sent, \(commandsRejected) refused, \(commandsFailed) unanswered",
        ]
        if !problems.isEmpty {
            lines.append(
                "  refusals    "
                    + problems.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", "))
            for (key, example) in problemExamples.sorted(by: { $0.key < $1.key }) {
                lines.append("    \(key), e.g. \(example)")
            }
        }
        if let invariants {
            if invariants.checked {
                lines.append(
                    "  invariants  "
                        + "\(invariants.violations.isEmpty ? "held" : "BROKEN \(invariants.violations.count) times") "
                        + "over \(invariants.facts) facts from the event stream")
                for violation in invariants.violations.prefix(5) { lines.append("    \(violation)") }
            } else {
                lines.append("  invariants  not checked: \(invariants.note ?? "no stream")")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// One JSON object.
    public var json: JSON {
        var queues = JSONObject()
        for (queue, counts) in byQueue.sorted(by: { $0.key < $1.key }) {
            queues[queue] = [
                "opened": .number(counts.opened), "assigned": .number(counts.assigned),
                "abandoned": .number(counts.abandoned),
            ]
        }
        func object(_ counts: [String: Int]) -> JSON {
            .object(JSONObject(counts.sorted { $0.key < $1.key }.map { ($0.key, JSON.number($0.value)) }))
        }
        let base: JSON = [
            "seed": .number(seed), "durationSeconds": durationSeconds.isFinite ? .double(durationSeconds) : .null,
            "conversationsPerSecond": .double(conversationsPerSecond),
            "elapsedSeconds": .double(rounded(elapsedSeconds)),
            "agentPath": .string(agentPath), "utterances": .string(utteranceOrigin),
            "utterancePath": .string(utterancePath),
            "opened": .number(opened), "openFailed": .number(openFailed),
            "returningCustomers": .number(returningCustomers),
            "datasetOpenings": .number(datasetOpenings), "scriptedOpenings": .number(scriptedOpenings),
            "assigned": .number(assigned), "assignedByRule": object(assignedByRule), "stickyHits": .number(stickyHits),
            "returningToPreviousAgent": .number(returningToPreviousAgent), "offered": .number(offered),
            "offersAccepted": .number(offersAccepted), "offersDeclined": .number(offersDeclined),
            "offersExpired": .number(offersExpired), "abandoned": .number(abandoned), "leftAtEnd": .number(leftAtEnd),
            "closed": .number(closed), "wrapUpsEnded": .number(wrapUpsEnded),
            "customerMessages": .number(customerMessages),
            "agentMessages": .number(agentMessages), "signIns": .number(signIns), "breaks": .number(breaks),
            "signOuts": .number(signOuts), "heartbeats": .number(heartbeats), "commandsSent": .number(commandsSent),
            "commandsRejected": .number(commandsRejected), "commandsFailed": .number(commandsFailed),
            "problems": object(problems),
            "problemExamples": .object(
                JSONObject(problemExamples.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) })),
            "byQueue": .object(queues), "openedByLanguage": object(openedByLanguage),
            "averageWaitSeconds": .double(rounded(averageWaitSeconds)),
            "maxWaitSeconds": .double(rounded(waitSecondsMax)),
            "unfinished": .number(unfinished),
        ]
        var object = base.objectValue ?? JSONObject()
        if let invariants {
            object["invariants"] = [
                "checked": .bool(invariants.checked), "facts": .number(invariants.facts),
                "violations": .array(invariants.violations.prefix(20).map(JSON.string)),
                "violationCount": .number(invariants.violations.count), "note": .optional(invariants.note),
            ]
        }
        return .object(object)
    }

    private func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

    private func format(_ value: Double) -> String {
        guard value.isFinite else { return "∞" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format: "%.1f", value)
    }
}
