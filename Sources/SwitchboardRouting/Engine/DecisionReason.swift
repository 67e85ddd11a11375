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
    ///
    /// Written into one buffer, since the shell renders one for every decision it publishes.
    public var sentence: String {
        var text = SentenceWriter()
        switch rule {
        case .sticky:
            text += "Sticky: "
            text += agentName
            if let ago = ownerLastHandledSecondsAgo {
                text += " handled this customer "
                Self.appendDuration(ago, to: &text)
                text += " ago"
            } else {
                text += " is handling this customer now"
            }
            text += " and is Available with "
            appendLoad(to: &text)
            if let held = heldSeconds {
                text += "; held "
                Self.appendDuration(held, to: &text)
                text += " for them"
            }
        case .transfer:
            text += "Transfer: "
            text += transferredFrom ?? "a supervisor"
            text += " passed it to "
            text += agentName
            text += ", Available with "
            appendLoad(to: &text)
        case .skills:
            text += "Skills: "
            Self.appendSkills(matchedSkills, to: &text)
            text += "; "
            appendSelection(to: &text)
            appendStickyNote(to: &text)
        case .holdForOwnerFallback:
            text += "Hold for owner expired"
            if let held = heldSeconds {
                text += " after "
                Self.appendDuration(held, to: &text)
            }
            if let stickyNote {
                text += ": "
                text += stickyNote.ownerName
                text += " "
                text += stickyNote.why
            }
            text += "; skills "
            Self.appendSkills(matchedSkills, to: &text)
            text += "; "
            appendSelection(to: &text)
        case .fallbackStep(let step):
            text += "Fallback step "
            text.append(step)
            if let after = stepAfterSeconds {
                text += " after "
                Self.appendDuration(after, to: &text)
            }
            text += ": "
            text += relaxation ?? "requirement widened"
            if !unmetRequirement.isEmpty {
                text += "; no agent with "
                Self.appendSkills(unmetRequirement, to: &text)
                text += " had capacity"
            }
            text += "; "
            text += agentName
            text += " "
            appendSelection(to: &text)
            appendStickyNote(to: &text)
        }
        text += "."
        return text.string
    }

    /// "1 of 3 chats".
    private func appendLoad(to text: inout SentenceWriter) {
        text.append(loadBefore)
        text += " of "
        text.append(capacity)
        text += " "
        text += channel.workNoun(plural: capacity != 1)
    }

    private func appendSelection(to text: inout SentenceWriter) {
        switch selection {
        case .named:
            text += "named agent "
            text += agentName
        case .ranked(let method, let eligible, let idleSeconds, let freeCapacity, let skillScore):
            if rule == .skills || rule == .holdForOwnerFallback {
                text += agentName
                text += ", "
            }
            switch method {
            case .mostIdle:
                text += "most idle of "
                text.append(eligible)
                text += " eligible ("
                Self.appendDuration(idleSeconds, to: &text)
                text += ")"
            case .leastLoaded:
                text += "least loaded of "
                text.append(eligible)
                text += " eligible ("
                text.append(freeCapacity)
                text += " "
                text += channel.workNoun(plural: freeCapacity != 1)
                text += " free)"
            case .roundRobin:
                text += "next in round robin of "
                text.append(eligible)
                text += " eligible"
            case .bestSkillMatch:
                text += "best skill match of "
                text.append(eligible)
                text += " eligible (score "
                text.append(skillScore)
                text += ")"
            }
        case .oldestForFreedAgent(let waitedSeconds, let priority, let queuesServed):
            text += agentName
            text += " freed capacity and this was the oldest waiting ("
            Self.appendDuration(waitedSeconds, to: &text)
            text += ") at priority "
            text.append(priority)
            text += " they could take across "
            if queuesServed == 1 {
                text += "1 queue"
            } else {
                text.append(queuesServed)
                text += " queues"
            }
        }
    }

    private func appendStickyNote(to text: inout SentenceWriter) {
        guard let stickyNote else { return }
        text += "; sticky owner "
        text += stickyNote.ownerName
        text += " "
        text += stickyNote.why
    }

    /// "Spanish 4, cards 3", or "none required".
    private static func appendSkills(_ skills: [SkillLevelFact], to text: inout SentenceWriter) {
        guard !skills.isEmpty else {
            text += "none required"
            return
        }
        for (position, skill) in skills.enumerated() {
            if position > 0 { text += ", " }
            text += skill.skillName
            text += " "
            text.append(skill.level)
        }
    }

    /// "40 s", "4 min", "3 h": what a supervisor wants to read, not a precise figure.
    static func duration(_ seconds: Double) -> String {
        var text = SentenceWriter()
        appendDuration(seconds, to: &text)
        return text.string
    }

    private static func appendDuration(_ seconds: Double, to text: inout SentenceWriter) {
        let value = max(0, seconds)
        if value < 60 {
            text.append(Int(value.rounded()))
            text += " s"
        } else if value < 3600 {
            text.append(Int((value / 60).rounded()))
            text += " min"
        } else {
            text.append(Int((value / 3600).rounded()))
            text += " h"
        }
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

/// Bytes of a sentence being written: appending to a byte array is a copy, where each
/// append to a `String` checks its storage and encoding first.
struct SentenceWriter {
    private var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(200) }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    static func += (text: inout SentenceWriter, piece: String) {
        var piece = piece
        piece.withUTF8 { text.bytes.append(contentsOf: $0) }
    }

    /// A whole number in decimal, as `String(number)` writes it.
    mutating func append(_ number: Int) {
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = number.magnitude
        var divisor: UInt = 1
        while magnitude / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
            divisor /= 10
        }
    }
}
