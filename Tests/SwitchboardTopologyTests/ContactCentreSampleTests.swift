import Foundation
import SwitchboardRouting
import SwitchboardTopology
import SwitchboardWorkspace
import Testing

@Suite("The sample contact centre, Topology/contact-centre.yaml")
struct ContactCentreSampleTests {
    static let file = "\(TopologyTests.root)/Topology/contact-centre.yaml"

    static func sample() throws -> ContactCentre {
        try ContactCentre.load(file: file)
    }

    @Test("the sample loads and passes the routing and workspace validation")
    func sampleLoads() throws {
        let centre = try Self.sample()
        #expect(centre.name == "Northwind Bank")
        #expect(centre.file == Self.file)
        #expect(centre.routing.problems().isEmpty)
        #expect(centre.rolePreferences.validate().isEmpty)
        #expect((45...55).contains(centre.agents.count), "\(centre.agents.count) agents")
        #expect((10...16).contains(centre.routing.queues.count), "\(centre.routing.queues.count) queues")
        #expect(Set(centre.routing.queues.map(\.channel)) == Set(Channel.allCases))
        #expect(Set(centre.agents.map(\.id)).count == centre.agents.count)
    }

    @Test("the local deployment names the sample, and loading it through the topology gives the same centre")
    func loadedThroughTopology() throws {
        let topology = try Topology.load(file: "\(TopologyTests.root)/Topology/local.yaml")
        let centre = try topology.loadContactCentre()
        #expect(centre.routing == (try Self.sample()).routing)
        #expect(centre.agents == (try Self.sample()).agents)
    }

    @Test("the routing engine accepts the sample's configuration and every one of its agents")
    func engineAcceptsSample() throws {
        let centre = try Self.sample()
        var engine = try RoutingEngine(configuration: centre.routing)
        for agent in centre.agents {
            let outcome = engine.handle(.addAgent(agent, presence: .unknown), at: .zero)
            #expect(outcome.rejection == nil, "\(agent.id): \(String(describing: outcome.rejection))")
        }
    }

    @Test("every queue of the sample has agents who serve it with its full skill requirement")
    func everyQueueIsServed() throws {
        let centre = try Self.sample()
        for queue in centre.routing.queues {
            let able = centre.agents(ableToServe: queue.id)
            #expect(!able.isEmpty, "nobody can serve \(queue.id)")
        }
    }

    @Test("the English queues that take the intent's skill have an agent for every product line")
    func intentQueuesCoverEveryProduct() throws {
        let centre = try Self.sample()
        let english = centre.queuesUsingIntentSkill.filter {
            centre.queue($0)?.requiredSkills.contains { $0.skill == "english" } == true
        }
        #expect(english.count >= 3)
        for queue in english.sorted() {
            for product in centre.productSkills {
                let requirement = try #require(centre.intentRequirement(skill: product.rawValue, queue: queue))
                #expect(
                    !centre.agents(ableToServe: queue, extraSkills: [requirement]).isEmpty,
                    "\(queue) has nobody for \(product)")
            }
        }
    }

    @Test("the catalog holds the product skills intent detection implies")
    func catalogHoldsIntentSkills() throws {
        let centre = try Self.sample()
        let products = Set(centre.productSkills.map(\.rawValue))
        for skill in ["cards", "transfers", "top-ups", "payments", "cash", "exchange", "account", "security"] {
            #expect(products.contains(skill), "missing product skill \(skill)")
        }
        let languages = centre.routing.skills.filter { $0.kind == .language }.map(\.id.rawValue)
        #expect(Set(["english", "spanish", "french", "german"]).isSubset(of: languages))
    }

    @Test("Spanish, French and German speakers are far fewer than English ones, so ladders get used")
    func rareLanguagesAreThin() throws {
        let centre = try Self.sample()
        func speakers(_ language: SkillID) -> Int { centre.agents.filter { $0.skills[language] != nil }.count }
        let english = speakers("english")
        for language: SkillID in ["spanish", "french", "german"] {
            #expect(speakers(language) > 0)
            #expect(speakers(language) * 4 < english, "\(language): \(speakers(language)) of \(english)")
        }
        // A Spanish chat about a product no Spanish speaker knows waits for the ladder to drop it.
        let spanishGaps = centre.productSkills.filter { product in
            centre.agents(ableToServe: "chat-es", extraSkills: [SkillRequirement(product)]).isEmpty
        }
        #expect(!spanishGaps.isEmpty)
        let ladder = try #require(centre.queue("chat-es")).fallbackSteps
        #expect(ladder.first?.dropSkillKinds == [.product])
    }

    @Test("only supervisors may observe, whisper, barge or listen")
    func onlySupervisorsSupervise() throws {
        let centre = try Self.sample()
        let supervisors = centre.agents.filter { $0.role == "supervisor" }
        #expect((2...5).contains(supervisors.count))
        for role in centre.routing.roles {
            let granted = try #require(centre.supervision.permissionsByRole[RoleName(role.id.rawValue)])
            #expect(
                granted == (role.id == "supervisor" ? [.observe, .whisper, .barge, .listen] : []), "\(role.id)")
        }
        let supervisor = try #require(supervisors.first).id
        try centre.supervision.authorize(
            sender: supervisor, senderRole: centre.roleName(of: supervisor), kind: .barge, conversation: "c-1",
            channel: .chat)
        #expect(throws: SupervisionError.self) {
            try centre.supervision.authorize(
                sender: "james-walker", senderRole: centre.roleName(of: "james-walker"), kind: .whisper,
                conversation: "c-1", channel: .chat)
        }
    }

    @Test("role defaults apply to every agent of the role and an agent's own settings win over them")
    func roleDefaultsOverriddenPerAgent() throws {
        let centre = try Self.sample()
        let plain = try #require(centre.preferences(for: "james-walker"))
        #expect(plain.values.tabsRemembered == 6)
        #expect(plain.source(of: .tabsRemembered) == .role(name: "agent"))
        #expect(plain.values.paneTools == [.suggestedReplies, .knowledge, .conversationSummary, .customerHistory])

        let george = try #require(centre.preferences(for: "george-evans"))
        #expect(george.values.paneTools == [.knowledge, .suggestedReplies])
        #expect(george.source(of: .paneTools) == .agent)
        #expect(george.values.notifications.idleSessionMessage == .toastAndSound)
        #expect(george.values.tabsRemembered == 6)
        #expect(george.source(of: .tabsRemembered) == .role(name: "agent"))

        let supervisor = try #require(centre.preferences(for: "grace-okafor"))
        #expect(supervisor.values.notifications.supervisorMessage == .off)
        #expect(centre.preferences(for: "nobody") == nil)
    }

    @Test("a queue that asks for the intent's skill gets it as a requirement; other queues and unknown skills do not")
    func intentRequirement() throws {
        let centre = try Self.sample()
        #expect(centre.intentRequirement(skill: "cards", queue: "chat-en-general") == SkillRequirement("cards"))
        #expect(
            centre.intentRequirement(skill: "transfers", queue: "case-disputes")
                == SkillRequirement("transfers", minimumLevel: 2))
        #expect(centre.intentRequirement(skill: "cards", queue: "voice-en-general") == nil)
        #expect(centre.intentRequirement(skill: "general", queue: "chat-en-general") == nil)
        #expect(centre.intentRequirement(skill: "english", queue: "chat-en-general") == nil)
    }

    @Test("per-agent capacity overrides and extra queues come through")
    func perAgentOverrides() throws {
        let centre = try Self.sample()
        let trainee = try #require(centre.agent("ben-taylor"))
        #expect(centre.capacity(of: trainee, on: .chat) == 1)
        #expect(centre.capacity(of: trainee, on: .voice) == 1)
        let laura = try #require(centre.agent("laura-bennett"))
        #expect(centre.servedQueues(of: laura).contains("voice-en-fraud"))
        let plain = try #require(centre.agent("james-walker"))
        #expect(!centre.servedQueues(of: plain).contains("voice-en-fraud"))
    }
}
