public import SwitchboardBus

/// The monitor's item `monitor.rates` (docs/PROTOCOL.md §6.5): how conversations were decided,
/// from the `rule` of every assignment among the conversations the router still holds.
public struct MonitorRatesItem: Sendable, Hashable {
    public var assignments: Int
    /// Assignments per rule family: sticky, skills, holdForOwnerFallback, fallback, transfer.
    public var byRule: [String: Int]
    public var returningCustomers: Int
    public var stickyAssignments: Int
    /// Sticky assignments among returning customers, in percent; nil with none.
    public var stickyPercent: Double?
    public var sameAgentAsBefore: Int
    public var fullSkills: Int
    public var fallback: Int
    /// Full skills among the decisions by skills (full or fallback), in percent; nil with none.
    public var skillMatchPercent: Double?

    public init(
        assignments: Int, byRule: [String: Int], returningCustomers: Int, stickyAssignments: Int,
        stickyPercent: Double?, sameAgentAsBefore: Int, fullSkills: Int, fallback: Int, skillMatchPercent: Double?
    ) {
        self.assignments = assignments
        self.byRule = byRule
        self.returningCustomers = returningCustomers
        self.stickyAssignments = stickyAssignments
        self.stickyPercent = stickyPercent
        self.sameAgentAsBefore = sameAgentAsBefore
        self.fullSkills = fullSkills
        self.fallback = fallback
        self.skillMatchPercent = skillMatchPercent
    }

    public static let key = "monitor.rates"

    public var json: JSON {
        var rules = JSONObject()
        for (rule, count) in byRule.sorted(by: { $0.key < $1.key }) { rules[rule] = .number(count) }
        return [
            "assignments": .number(assignments), "byRule": .object(rules),
            "sticky": [
                "returningCustomers": .number(returningCustomers), "stickyAssignments": .number(stickyAssignments),
                "percent": stickyPercent.map(JSON.double) ?? .null, "sameAgentAsBefore": .number(sameAgentAsBefore),
            ],
            "skillMatch": [
                "fullSkills": .number(fullSkills), "fallback": .number(fallback),
                "percent": skillMatchPercent.map(JSON.double) ?? .null,
            ],
        ]
    }

    public init(json: JSON) throws(WireError) {
        let fields = try WireFields(json, item: "monitor.rates item")
        let rules = try fields.fields("byRule")
        var byRule: [String: Int] = [:]
        for name in rules.object.keys { byRule[name] = try rules.int(name) }
        let sticky = try fields.fields("sticky")
        let skillMatch = try fields.fields("skillMatch")
        self.init(
            assignments: try fields.int("assignments"), byRule: byRule,
            returningCustomers: try sticky.int("returningCustomers"),
            stickyAssignments: try sticky.int("stickyAssignments"), stickyPercent: try sticky.optionalDouble("percent"),
            sameAgentAsBefore: try sticky.int("sameAgentAsBefore"), fullSkills: try skillMatch.int("fullSkills"),
            fallback: try skillMatch.int("fallback"), skillMatchPercent: try skillMatch.optionalDouble("percent"))
    }
}
