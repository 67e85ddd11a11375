import Testing

@testable import SwitchboardRouting

/// `DecisionReason.sentence` is written into one buffer for speed. These tests hold it to
/// the plain interpolated wording it replaced (kept below as the reference), over seeded
/// random facts that reach every rule, selection and optional part.
@Suite("Reason sentences")
struct ReasonSentenceTests {
    @Test("the sentence says exactly what the reference wording says", arguments: [1, 2, 3] as [UInt64])
    func sentenceMatchesReference(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for round in 0..<2000 {
            let reason = Self.randomReason(&random)
            let expected = ReferenceSentence.sentence(reason)
            guard reason.sentence == expected else {
                Issue.record("seed \(seed), round \(round): \(reason.sentence) != \(expected)")
                return
            }
        }
    }

    @Test("numbers are written as String writes them")
    func numbers() {
        for number in [0, 1, 9, 10, 99, 100, 12_345, -1, -10, -987, Int.max, Int.min] {
            var writer = SentenceWriter()
            writer.append(number)
            writer += " é"
            #expect(writer.string == "\(number) é")
        }
    }

    @Test("durations read in seconds, minutes or hours")
    func durations() {
        let reason = DecisionReason(
            rule: .sticky, agentName: "Priya", channel: .chat, loadBefore: 1, capacity: 3,
            ownerLastHandledSecondsAgo: 3 * 3600 + 100)
        #expect(reason.sentence == "Sticky: Priya handled this customer 3 h ago and is Available with 1 of 3 chats.")
        var held = reason
        held.ownerLastHandledSecondsAgo = nil
        held.heldSeconds = 89.6
        #expect(
            held.sentence
                == "Sticky: Priya is handling this customer now and is Available with 1 of 3 chats; held 1 min for "
                    + "them."
        )
    }

    static func randomReason(_ random: inout SplitMix64) -> DecisionReason {
        func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &random)] }
        func chance() -> Bool { Bool.random(using: &random) }
        func seconds() -> Double {
            pick([
                0, 0.4, 29.5, 59.4, 59.6, 61, 3599, 3600, 7300, 40_000, Double.random(in: 0..<20_000, using: &random),
            ])
        }
        func skills() -> [SkillLevelFact] {
            (0..<Int.random(in: 0...3, using: &random)).map { _ in
                SkillLevelFact(
                    skill: pick(["spanish", "cards"]), skillName: pick(["Spanish", "cards", "tier 2"]),
                    level: Int.random(in: 1...5, using: &random))
            }
        }
        let rule = pick([
            RoutingRule.sticky, .transfer, .skills, .holdForOwnerFallback, .fallbackStep(2), .fallbackStep(3),
        ])
        let selection: DecisionReason.Selection =
            switch Int.random(in: 0...2, using: &random) {
            case 0: .named
            case 1:
                .ranked(
                    method: pick(AssignmentMethod.allCases), eligible: Int.random(in: 0...40, using: &random),
                    idleSeconds: seconds(), freeCapacity: Int.random(in: 0...3, using: &random),
                    skillScore: Int.random(in: 0...15, using: &random))
            default:
                .oldestForFreedAgent(
                    waitedSeconds: seconds(), priority: Int.random(in: -2...9, using: &random),
                    queuesServed: Int.random(in: 0...4, using: &random))
            }
        return DecisionReason(
            rule: rule, agentName: pick(["Priya", "Agent 7", "Zoë"]), channel: pick(Channel.allCases),
            loadBefore: Int.random(in: 0...5, using: &random), capacity: Int.random(in: 0...5, using: &random),
            ownerLastHandledSecondsAgo: chance() ? seconds() : nil, heldSeconds: chance() ? seconds() : nil,
            matchedSkills: skills(), selection: selection, stepAfterSeconds: chance() ? seconds() : nil,
            relaxation: chance() ? pick(["product skill dropped", "any agent of the queue"]) : nil,
            unmetRequirement: skills(),
            stickyNote: chance() ? StickyNote(owner: "a-1", ownerName: "Sam", why: "was Away") : nil,
            transferredFrom: chance() ? "Lee" : nil)
    }
}

/// The wording as first written, with string interpolation.
enum ReferenceSentence {
    static func sentence(_ reason: DecisionReason) -> String {
        let load = "\(reason.loadBefore) of \(reason.capacity) \(noun(reason.channel, plural: reason.capacity != 1))"
        switch reason.rule {
        case .sticky:
            let when =
                reason.ownerLastHandledSecondsAgo.map { "handled this customer \(duration($0)) ago" }
                ?? "is handling this customer now"
            let held = reason.heldSeconds.map { "; held \(duration($0)) for them" } ?? ""
            return "Sticky: \(reason.agentName) \(when) and is Available with \(load)\(held)."
        case .transfer:
            return
                "Transfer: \(reason.transferredFrom ?? "a supervisor") passed it to \(reason.agentName), Available "
                    + "with \(load)."
        case .skills:
            return "Skills: \(skillsText(reason.matchedSkills)); \(selectionText(reason))\(stickyText(reason))."
        case .holdForOwnerFallback:
            let held = reason.heldSeconds.map { " after \(duration($0))" } ?? ""
            let owner = reason.stickyNote.map { ": \($0.ownerName) \($0.why)" } ?? ""
            return
                "Hold for owner expired\(held)\(owner); skills \(skillsText(reason.matchedSkills)); "
                    + "\(selectionText(reason))."
        case .fallbackStep(let step):
            let after = reason.stepAfterSeconds.map { " after \(duration($0))" } ?? ""
            let relaxed = reason.relaxation ?? "requirement widened"
            let unmet =
                reason.unmetRequirement.isEmpty
                ? "" : "; no agent with \(skillsText(reason.unmetRequirement)) had capacity"
            return
                "Fallback step \(step)\(after): \(relaxed)\(unmet); \(reason.agentName) "
                    + "\(selectionText(reason))\(stickyText(reason))."
        }
    }

    static func selectionText(_ reason: DecisionReason) -> String {
        switch reason.selection {
        case .named:
            return "named agent \(reason.agentName)"
        case .ranked(let method, let eligible, let idleSeconds, let freeCapacity, let skillScore):
            let who = reason.rule == .skills || reason.rule == .holdForOwnerFallback ? "\(reason.agentName), " : ""
            switch method {
            case .mostIdle:
                return "\(who)most idle of \(eligible) eligible (\(duration(idleSeconds)))"
            case .leastLoaded:
                return
                    "\(who)least loaded of \(eligible) eligible (\(freeCapacity) "
                        + "\(noun(reason.channel, plural: freeCapacity != 1)) free)"
            case .roundRobin:
                return "\(who)next in round robin of \(eligible) eligible"
            case .bestSkillMatch:
                return "\(who)best skill match of \(eligible) eligible (score \(skillScore))"
            }
        case .oldestForFreedAgent(let waitedSeconds, let priority, let queuesServed):
            let queues = queuesServed == 1 ? "1 queue" : "\(queuesServed) queues"
            return
                "\(reason.agentName) freed capacity and this was the oldest waiting (\(duration(waitedSeconds))) "
                + "at priority \(priority) they could take across \(queues)"
        }
    }

    static func stickyText(_ reason: DecisionReason) -> String {
        reason.stickyNote.map { "; sticky owner \($0.ownerName) \($0.why)" } ?? ""
    }

    static func skillsText(_ skills: [SkillLevelFact]) -> String {
        skills.isEmpty ? "none required" : skills.map { "\($0.skillName) \($0.level)" }.joined(separator: ", ")
    }

    static func duration(_ seconds: Double) -> String {
        let value = max(0, seconds)
        if value < 60 { return "\(Int(value.rounded())) s" }
        if value < 3600 { return "\(Int((value / 60).rounded())) min" }
        return "\(Int((value / 3600).rounded())) h"
    }

    static func noun(_ channel: Channel, plural: Bool) -> String {
        let singular =
            switch channel {
            case .voice: "call"
            case .chat: "chat"
            case .messaging: "message thread"
            case .email: "email"
            case .case: "case"
            }
        return plural ? singular + "s" : singular
    }
}
