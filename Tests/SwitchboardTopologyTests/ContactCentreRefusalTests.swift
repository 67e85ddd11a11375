import Foundation
import SwitchboardRouting
import SwitchboardTopology
import SwitchboardWorkspace
import Testing

@Suite("Contact-centre files that are refused")
struct ContactCentreRefusalTests {
    /// A small valid file; each case below breaks one thing in it.
    static let valid = """
        version: 1
        name: Test Bank
        skills:
          language: {english: English, spanish: Spanish}
          product: {cards: Cards, loans: Loans}
          tier: {tier-1: First line}
        queues:
          chat-en:
            channel: chat
            requiredSkills: {english: 2}
            intentSkill: true
            fallback:
              - {after: 30, drop: [product]}
              - {after: 90, anyAgentOfQueue: true}
            offer: {timeoutSeconds: 20, missedBeforeAway: 3}
          chat-en-cards:
            channel: chat
            requiredSkills: {english: 2, cards: 2}
            sticky: {windowHours: 8, sameTopicOnly: true}
            fallback:
              - {after: 30, drop: [cards]}
              - {after: 60, lowerLevelsBy: 1}
        capacityProfiles:
          blended:
            capacity: {voice: 1, chat: 3}
            exclusions: {voice: [chat]}
        roles:
          agent:
            queues: [chat-en, chat-en-cards]
            workspace: {tabsRemembered: 6}
          supervisor:
            queues: [chat-en]
            permissions: [observe, whisper, barge, listen]
        agents:
          priya: {name: Priya, role: agent, profile: blended, skills: {english: 5, cards: 3}}
          omar: {name: Omar, role: supervisor, profile: blended, skills: {english: 4}}
        """

    static func parse(_ yaml: String) throws(TopologyError) -> ContactCentre {
        try ContactCentre.parse(try YAMLValue.parse(yaml, file: "bad.yaml"))
    }

    static func refusal(_ yaml: String) -> TopologyError? {
        do {
            _ = try parse(yaml)
            return nil
        } catch {
            return error
        }
    }

    /// `valid` with `old` replaced by `new`. A case whose `old` is missing tests the valid
    /// file, which loads, so the case fails ("accepted") rather than passing by accident.
    static func broken(_ old: String, _ new: String) -> String {
        valid.replacingOccurrences(of: old, with: new)
    }

    @Test("the small valid file loads with what it says")
    func validLoads() throws {
        let centre = try Self.parse(Self.valid)
        #expect(centre.name == "Test Bank")
        #expect(centre.agents.map(\.id) == ["priya", "omar"])
        #expect(centre.queuesUsingIntentSkill == ["chat-en"])
        let cards = try #require(centre.queue("chat-en-cards"))
        #expect(
            cards.requiredSkills == [
                SkillRequirement("english", minimumLevel: 2), SkillRequirement("cards", minimumLevel: 2),
            ])
        #expect(
            cards.fallbackSteps == [
                FallbackStep(afterSeconds: 30, dropSkills: ["cards"]),
                FallbackStep(afterSeconds: 60, lowerMinimumLevelsBy: 1),
            ])
        #expect(cards.sticky == StickyPolicy(enabled: true, windowSeconds: 8 * 3_600, sameTopicOnly: true))
        #expect(cards.offer == .assignDirectly)
        let general = try #require(centre.queue("chat-en"))
        #expect(general.offer == .offer(timeoutSeconds: 20, missedOffersBeforeAway: 3))
        #expect(general.fallbackSteps.last?.anyAgentOfQueue == true)
        let profile = try #require(centre.routing.capacityProfiles.first)
        #expect(profile.capacity == [.voice: 1, .chat: 3])
        #expect(profile.exclusions == [ChannelExclusion(channel: .voice, blocks: [.chat])])
        #expect(centre.supervision.permissionsByRole["agent"] == [])
        #expect(centre.supervision.permissionsByRole["supervisor"] == [.observe, .whisper, .barge, .listen])
    }

    @Test(
        "a broken file is refused with the file, the line, the key and what to write instead",
        arguments: [
            // Unknown keys, with the nearest spelling.
            (broken("    offer: {", "    ofer: {"), "queues.chat-en.ofer", "did you mean 'offer'"),
            (broken("agents:", "agent:"), "agent", "did you mean 'agents'"),
            (
                broken("tabsRemembered: 6", "tabsRemember: 6"), "roles.agent.workspace.tabsRemember",
                "did you mean 'tabsRemembered'"
            ),
            // References to things the file does not define.
            (
                broken("[chat-en, chat-en-cards]", "[chat-en, chat-en-card]"), "roles.agent.queues[1]",
                "no queue 'chat-en-card' under queues:; did you mean 'chat-en-cards'"
            ),
            (
                broken("profile: blended, skills: {english: 5", "profile: blend, skills: {english: 5"),
                "agents.priya.profile", "no capacity profile 'blend' under capacityProfiles:; did you mean 'blended'"
            ),
            (broken("role: supervisor,", "role: supervsor,"), "agents.omar.role", "did you mean 'supervisor'"),
            (
                broken("requiredSkills: {english: 2}", "requiredSkills: {englsh: 2}"),
                "queues.chat-en.requiredSkills.englsh", "did you mean 'english'"
            ),
            (
                broken("skills: {english: 4}", "skills: {english: 4, klingon: 2}"), "agents.omar.skills.klingon",
                "no skill 'klingon' in the catalog"
            ),
            (
                broken("drop: [product]", "drop: [produkt]"), "queues.chat-en.fallback[0].drop[0]",
                "did you mean 'product'"
            ),
            (
                broken(
                    "channel: chat\n    requiredSkills: {english: 2}",
                    "channel: chatt\n    requiredSkills: {english: 2}"), "queues.chat-en.channel", "did you mean 'chat'"
            ),
            (
                broken("[observe, whisper, barge, listen]", "[observe, whisper, barg, listen]"),
                "roles.supervisor.permissions[2]", "did you mean 'barge'"
            ),
            // Values out of range.
            (
                broken("skills: {english: 5, cards: 3}", "skills: {english: 7, cards: 3}"),
                "agents.priya.skills.english", "level 7 is out of range; skill levels run 1 (basic) to 5 (expert)"
            ),
            (
                broken("requiredSkills: {english: 2, cards: 2}", "requiredSkills: {english: 2, cards: 0}"),
                "queues.chat-en-cards.requiredSkills.cards", "skill levels run 1"
            ),
            (
                broken("capacity: {voice: 1, chat: 3}", "capacity: {voice: 1, chat: -1}"),
                "capacityProfiles.blended.capacity.chat", "out of range"
            ),
            (
                broken("capacity: {voice: 1, chat: 3}", "capacity: {voice: 0, chat: 0}"),
                "capacityProfiles.blended.capacity", "takes no work on any channel"
            ),
            // Ids and names.
            (
                broken(
                    "  priya: {name: Priya",
                    "  priya: {name: Priya, role: agent, profile: blended}\n  priya: {name: Priya"), "agents.priya",
                "appears twice"
            ),
            (
                broken("skills: {english: 5, cards: 3}", "skills: {english: 5, english: 3}"),
                "agents.priya.skills.english", "appears twice"
            ),
            (
                broken("  chat-en-cards:\n", "  chat-en:\n    channel: email\n  chat-en-cards:\n"), "queues.chat-en",
                "appears twice"
            ),
            (broken("  omar: {", "  omar.k: {"), "agents.omar.k", "write e.g. 'omar-k'"),
            (broken("  chat-en:\n", "  chat en:\n"), "queues.chat en", "write e.g. 'chat-en'"),
            (
                broken("tier: {tier-1: First line}", "tier: {tier-1: First line, cards: Cards}"), "skills.tier.cards",
                "already a product skill"
            ),
            // Ladders.
            (
                broken("{after: 60, lowerLevelsBy: 1}", "{after: 20, lowerLevelsBy: 1}"),
                "queues.chat-en-cards.fallback[1].after",
                "steps must rise: this step's 20 s is not after the previous step's 30 s"
            ),
            (
                broken("{after: 30, drop: [cards]}", "{after: 0, drop: [cards]}"),
                "queues.chat-en-cards.fallback[0].after", "more than 0 seconds"
            ),
            (
                broken("{after: 60, lowerLevelsBy: 1}", "{after: 60}"), "queues.chat-en-cards.fallback[1]",
                "widens nothing"
            ),
            (
                broken(
                    "{after: 90, anyAgentOfQueue: true}",
                    "{after: 90, anyAgentOfQueue: true}\n      - {after: 120, lowerLevelsBy: 1}"),
                "queues.chat-en.fallback[2]", "remove this step"
            ),
            (
                broken("drop: [cards]", "drop: [loans]"), "queues.chat-en-cards.fallback[0].drop[0]",
                "does not require 'loans'"
            ),
            (
                broken("drop: [cards]", "drop: [tier]"), "queues.chat-en-cards.fallback[0].drop[0]",
                "requires no tier skill"
            ),
            // Policies that contradict each other.
            (
                broken("sticky: {windowHours: 8, sameTopicOnly: true}", "sticky: false\n    holdForOwnerSeconds: 10"),
                "queues.chat-en-cards.holdForOwnerSeconds", "needs stickiness"
            ),
            (
                broken("sticky: {windowHours: 8,", "sticky: {windowHours: 8, windowMinutes: 30,"),
                "queues.chat-en-cards.sticky.windowMinutes", "not both"
            ),
            (
                broken(
                    "requiredSkills: {english: 2, cards: 2}",
                    "requiredSkills: {english: 2, cards: 2}\n    intentSkill: true"),
                "queues.chat-en-cards.intentSkill", "already requires the product skill 'cards'"
            ),
            (
                broken("exclusions: {voice: [chat]}", "exclusions: {voice: [voice]}"),
                "capacityProfiles.blended.exclusions.voice[0]", "does not block itself"
            ),
            // Workspace defaults the workspace model refuses.
            (
                broken("tabsRemembered: 6", "tabsRemembered: 40"), "roles.agent.workspace.tabsRemembered",
                "40 must be between 2 and 20"
            ),
            (
                broken("workspace: {tabsRemembered: 6}", "workspace: {paneTools: [summary, knowledge, summary]}"),
                "roles.agent.workspace.paneTools", "lists a tool twice"
            ),
            (
                broken("workspace: {tabsRemembered: 6}", "workspace: {notifications: {newSession: loud}}"),
                "roles.agent.workspace.notifications.newSession", "is not one of off, badge, toast, toast-and-sound"
            ),
            (
                broken("skills: {english: 4}}", "skills: {english: 4}, workspace: {tabsRemembered: 1}}"),
                "agents.omar.workspace.tabsRemembered", "1 must be between 2 and 20"
            ),
            // Whole sections.
            (broken("version: 1", "version: 2"), "version", "version 1"),
            (broken("capacityProfiles:", "capacityProfile:"), "capacityProfile", "did you mean 'capacityProfiles'"),
            ("skills: {}\nqueues: {}\ncapacityProfiles: {}\nroles: {}", "skills", "the catalog is empty"),
        ])
    func refusals(yaml: String, key: String, problem: String) throws {
        let error = try #require(Self.refusal(yaml), "accepted:\n\(yaml)")
        #expect(error.key == key, "\(error)")
        #expect(error.description.contains(problem), "\(error)")
        #expect(error.description.hasPrefix("bad.yaml:"), "\(error)")
        #expect(error.line != nil, "\(error)")
    }

    @Test("a missing section is refused by name with what it holds")
    func missingSection() throws {
        let rolesStart = try #require(Self.valid.range(of: "roles:")).lowerBound
        let error = try #require(Self.refusal(String(Self.valid[..<rolesStart])))
        #expect(error.key == "roles")
        #expect(error.problem.contains("missing 'roles:'"))
    }

    @Test("the refusal points at the line of the bad value")
    func lineOfTheBadValue() throws {
        let yaml = Self.broken("skills: {english: 5, cards: 3}", "skills: {english: 7, cards: 3}")
        let error = try #require(Self.refusal(yaml))
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        let expected = try #require(lines.firstIndex { $0.contains("english: 7") }) + 1
        #expect(error.line == expected, "\(error)")
    }

    @Test("a file that is not there is refused with where to look")
    func missingFile() {
        do {
            _ = try ContactCentre.load(file: "/nonexistent/contact-centre.yaml")
            Issue.record("loaded a missing file")
        } catch {
            #expect(error.file == "/nonexistent/contact-centre.yaml")
            #expect(error.problem.contains("contactCentre:"))
        }
    }

    @Test("agents able to serve a queue need the queue, capacity on its channel and its skills")
    func agentsAbleToServe() throws {
        let centre = try Self.parse(Self.valid)
        #expect(centre.agents(ableToServe: "chat-en-cards").map(\.id) == ["priya"])
        #expect(centre.agents(ableToServe: "chat-en").map(\.id) == ["priya", "omar"])
        #expect(centre.agents(ableToServe: "chat-en", extraSkills: [SkillRequirement("loans")]).isEmpty)
        let withoutCards = try Self.parse(
            Self.broken("skills: {english: 5, cards: 3}", "skills: {english: 5, cards: 1}"))
        #expect(withoutCards.agents(ableToServe: "chat-en-cards").isEmpty)
        let noChat = try Self.parse(Self.broken("skills: {english: 4}}", "skills: {english: 4}, capacity: {chat: 0}}"))
        #expect(noChat.agents(ableToServe: "chat-en").map(\.id) == ["priya"])
        #expect(centre.agents(ableToServe: "no-such-queue").isEmpty)
    }

    @Test("the profile's queues and the agent's own queues are served beyond the role's")
    func servedQueues() throws {
        let yaml = Self.broken(
            "exclusions: {voice: [chat]}", "exclusions: {voice: [chat]}\n    queues: [chat-en-cards]")
        let centre = try Self.parse(yaml.replacingOccurrences(of: "queues: [chat-en]\n", with: "queues: []\n"))
        let omar = try #require(centre.agent("omar"))
        #expect(centre.servedQueues(of: omar) == ["chat-en-cards"])
        let extra = try Self.parse(
            Self.broken("skills: {english: 4}}", "skills: {english: 4}, queues: [chat-en-cards]}"))
        #expect(try extra.servedQueues(of: #require(extra.agent("omar"))) == ["chat-en", "chat-en-cards"])
    }
}
