/// The facts behind one offer or assignment, and the one sentence a supervisor reads.
///
/// The engine records facts, not text, so a decision costs no string formatting; the shell
/// renders `sentence` when it publishes the event.
public struct DecisionReason: Sendable, Hashable, Codable {
    public var rule: RoutingRule
    public var agentName: String
    public var channel: Channel
    /// The agent's load on the channel before this decision, and their cap.
    public var loadBefore: Int
    public var capacity: Int
    /// Sticky: seconds since the owner last handled the customer; nil while handling them now.
    public var ownerLastHandledSecondsAgo: Double?
    /// Sticky or hold fallback: how long the conversation was held for its owner.
    public var heldSeconds: Double?
    /// The agent's levels on the skills of the step used.
    public var matchedSkills: [SkillLevelFact]
    /// How the agent was chosen among others.
    public var selection: Selection
    /// Fallback: the step's threshold and what it relaxed ("product skill dropped").
    public var stepAfterSeconds: Double?
    public var relaxation: String?
    /// Fallback: the full requirement nobody could meet ("Spanish 3, cards 2").
    public var unmetRequirement: [SkillLevelFact]
    /// Why the customer's sticky owner did not get it, when they have one.
    public var stickyNote: StickyNote?
    /// Transfer: who passed it on.
    public var transferredFrom: String?

    /// How the agent was picked.
    public enum Selection: Sendable, Hashable, Codable {
        /// The sticky owner, or a transfer target: nobody else was considered.
        case named
        /// Best of `eligible` agents by the queue's method.
        case ranked(method: AssignmentMethod, eligible: Int, idleSeconds: Double, freeCapacity: Int, skillScore: Int)
        /// The agent freed capacity and this was the oldest waiting conversation of the
        /// highest priority they could take.
        case oldestForFreedAgent(waitedSeconds: Double, priority: Int, queuesServed: Int)
    }

    public init(
        rule: RoutingRule, agentName: String, channel: Channel, loadBefore: Int, capacity: Int,
        ownerLastHandledSecondsAgo: Double? = nil, heldSeconds: Double? = nil, matchedSkills: [SkillLevelFact] = [],
        selection: Selection = .named, stepAfterSeconds: Double? = nil, relaxation: String? = nil,
        unmetRequirement: [SkillLevelFact] = [], stickyNote: StickyNote? = nil, transferredFrom: String? = nil
    ) {
        self.rule = rule
        self.agentName = agentName
        self.channel = channel
        self.loadBefore = loadBefore
        self.capacity = capacity
        self.ownerLastHandledSecondsAgo = ownerLastHandledSecondsAgo
        self.heldSeconds = heldSeconds
        self.matchedSkills = matchedSkills
        self.selection = selection
        self.stepAfterSeconds = stepAfterSeconds
        self.relaxation = relaxation
        self.unmetRequirement = unmetRequirement
        self.stickyNote = stickyNote
        self.transferredFrom = transferredFrom
    }

    /// One sentence naming the rule and the facts, e.g. "Sticky: Priya handled this
    /// customer 3 h ago and is Available with 1 of 3 chats."
    public var sentence: String {
        let load = "\(loadBefore) of \(capacity) \(channel.workNoun(plural: capacity != 1))"
        switch rule {
        case .sticky:
            let when =
                ownerLastHandledSecondsAgo.map { "handled this customer \(Self.duration($0)) ago" }
                ?? "is handling this customer now"
            let held = heldSeconds.map { "; held \(Self.duration($0)) for them" } ?? ""
            return "Sticky: \(agentName) \(when) and is Available with \(load)\(held)."
        case .transfer:
            return "Transfer: \(transferredFrom ?? "a supervisor") passed it to \(agentName), Available with \(load)."
        case .skills:
            return "Skills: \(skillsText(matchedSkills)); \(selectionText)\(stickyText)."
        case .holdForOwnerFallback:
            let held = heldSeconds.map { " after \(Self.duration($0))" } ?? ""
            let owner = stickyNote.map { ": \($0.ownerName) \($0.why)" } ?? ""
            return "Hold for owner expired\(held)\(owner); skills \(skillsText(matchedSkills)); \(selectionText)."
        case .fallbackStep(let step):
            let after = stepAfterSeconds.map { " after \(Self.duration($0))" } ?? ""
            let relaxed = relaxation ?? "requirement widened"
            let unmet =
                unmetRequirement.isEmpty ? "" : "; no agent with \(skillsText(unmetRequirement)) had capacity"
            return "Fallback step \(step)\(after): \(relaxed)\(unmet); \(agentName) \(selectionText)\(stickyText)."
        }
    }

    private var selectionText: String {
        switch selection {
        case .named:
            return "named agent \(agentName)"
        case .ranked(let method, let eligible, let idleSeconds, let freeCapacity, let skillScore):
            let who = rule == .skills || rule == .holdForOwnerFallback ? "\(agentName), " : ""
            switch method {
            case .mostIdle:
                return "\(who)most idle of \(eligible) eligible (\(Self.duration(idleSeconds)))"
            case .leastLoaded:
                let noun = channel.workNoun(plural: freeCapacity != 1)
                return "\(who)least loaded of \(eligible) eligible (\(freeCapacity) \(noun) free)"
            case .roundRobin:
                return "\(who)next in round robin of \(eligible) eligible"
            case .bestSkillMatch:
                return "\(who)best skill match of \(eligible) eligible (score \(skillScore))"
            }
        case .oldestForFreedAgent(let waitedSeconds, let priority, let queuesServed):
            let queues = queuesServed == 1 ? "1 queue" : "\(queuesServed) queues"
            return
                "\(agentName) freed capacity and this was the oldest waiting (\(Self.duration(waitedSeconds))) "
                + "at priority \(priority) they could take across \(queues)"
        }
    }

    private var stickyText: String {
        stickyNote.map { "; sticky owner \($0.ownerName) \($0.why)" } ?? ""
    }

    private func skillsText(_ skills: [SkillLevelFact]) -> String {
        skills.isEmpty ? "none required" : skills.map { "\($0.skillName) \($0.level)" }.joined(separator: ", ")
    }

    /// "40 s", "4 min", "3 h": what a supervisor wants to read, not a precise figure.
    static func duration(_ seconds: Double) -> String {
        let value = max(0, seconds)
        if value < 60 { return "\(Int(value.rounded())) s" }
        if value < 3600 { return "\(Int((value / 60).rounded())) min" }
        return "\(Int((value / 3600).rounded())) h"
    }
}

/// A skill and a level, named for a reader ("Spanish 4").
public struct SkillLevelFact: Sendable, Hashable, Codable {
    public var skill: SkillID
    public var skillName: String
    public var level: Int

    public init(skill: SkillID, skillName: String, level: Int) {
        self.skill = skill
        self.skillName = skillName
        self.level = level
    }
}

/// Why the sticky owner did not get the conversation ("was Away", "was at chat capacity").
public struct StickyNote: Sendable, Hashable, Codable {
    public var owner: AgentID
    public var ownerName: String
    public var why: String

    public init(owner: AgentID, ownerName: String, why: String) {
        self.owner = owner
        self.ownerName = ownerName
        self.why = why
    }
}

extension Channel {
    /// "chat"/"chats", "call"/"calls": the unit of work in a reason sentence.
    func workNoun(plural: Bool) -> String {
        let singular: String
        switch self {
        case .voice: singular = "call"
        case .chat: singular = "chat"
        case .messaging: singular = "message thread"
        case .email: singular = "email"
        case .case: singular = "case"
        }
        return plural ? singular + "s" : singular
    }
}
