public import SwitchboardBus
import SwitchboardRouting
public import SwitchboardWire

/// How conversations were decided (`monitor.rates`), from the `rule` of every assignment among
/// the conversations the router still holds (open ones, and ended ones for its retention
/// period, one hour by default): the share of returning customers who went to their sticky
/// owner, and the share decided by the full skills rather than a fallback step.
public struct RoutingRates: Sendable, Equatable {
    /// Conversations assigned to an agent.
    public var assignments: Int
    /// Assignments per rule: sticky, skills, holdForOwnerFallback, fallback (every step), transfer.
    public var byRule: [String: Int]
    /// Assignments of returning customers: those with an earlier assigned conversation among
    /// the ones counted, or decided by the sticky rule (which proves an owner).
    public var returningCustomers: Int
    /// Of them, decided by the sticky rule.
    public var stickyAssignments: Int
    /// Of them, given to the same agent as their previous conversation (by whatever rule).
    public var sameAgentAsBefore: Int
    /// Decided by a fully skilled agent (rules skills and holdForOwnerFallback).
    public var fullSkills: Int
    /// Decided on a widened fallback step.
    public var fallback: Int

    /// Sticky assignments among returning customers, in percent; nil with none.
    public var stickyPercent: Double? { percent(stickyAssignments, of: returningCustomers) }
    /// Full skills among the decisions by skills (full or fallback), in percent; nil with none.
    public var skillMatchPercent: Double? { percent(fullSkills, of: fullSkills + fallback) }

    public init(conversations: some Sequence<MonitoredConversation>) {
        assignments = 0
        byRule = [:]
        returningCustomers = 0
        stickyAssignments = 0
        sameAgentAsBefore = 0
        fullSkills = 0
        fallback = 0
        let assigned = conversations.filter { $0.assignedAtMilliseconds != nil }
            .sorted { ($0.assignedAtMilliseconds ?? 0, $0.id) < ($1.assignedAtMilliseconds ?? 0, $1.id) }
        var previousAgent: [CustomerID: AgentID] = [:]
        for conversation in assigned {
            guard let rule = conversation.rule else { continue }
            assignments += 1
            let family = rule.hasPrefix("fallbackStep") ? "fallback" : rule
            byRule[family, default: 0] += 1
            switch family {
            case "skills", "holdForOwnerFallback": fullSkills += 1
            case "fallback": fallback += 1
            default: break
            }
            let earlier = previousAgent[conversation.customer]
            if earlier != nil || rule == "sticky" {
                returningCustomers += 1
                if rule == "sticky" { stickyAssignments += 1 }
                if let agent = conversation.agent, agent == earlier { sameAgentAsBefore += 1 }
            }
            if let agent = conversation.agent { previousAgent[conversation.customer] = agent }
        }
    }

    /// The wire item `monitor.rates`; percentages rounded to one decimal.
    public var wire: MonitorRatesItem {
        MonitorRatesItem(
            assignments: assignments, byRule: byRule, returningCustomers: returningCustomers,
            stickyAssignments: stickyAssignments, stickyPercent: stickyPercent.map(rounded),
            sameAgentAsBefore: sameAgentAsBefore, fullSkills: fullSkills, fallback: fallback,
            skillMatchPercent: skillMatchPercent.map(rounded))
    }

    public var json: JSON { wire.json }
}

func percent(_ part: Int, of whole: Int) -> Double? {
    whole > 0 ? Double(part) * 100 / Double(whole) : nil
}
