import Foundation
import SwitchboardBus
import SwitchboardMonitor
import SwitchboardRouter
import SwitchboardRouting
import SwitchboardServiceKit
import SwitchboardTopology
import SwitchboardWire
import SwitchboardWorkspace

/// A small contact centre for the monitor's tests: English and Spanish chat (Spanish falls
/// back to any agent after 30 s), English voice, three agents and one supervisor.
func monitorCentre() -> ContactCentre {
    let routing = RoutingConfiguration(
        skills: [
            SkillDefinition(id: "english", kind: .language), SkillDefinition(id: "spanish", kind: .language),
            SkillDefinition(id: "cards", kind: .product),
        ],
        capacityProfiles: [
            CapacityProfile(id: "blended", capacity: [.voice: 1, .chat: 2], exclusions: [.voiceBlocksText])
        ],
        roles: [
            Role(id: "agent", queues: ["chat-en", "chat-es", "voice-en"]), Role(id: "supervisor", queues: []),
        ],
        queues: [
            QueueConfiguration(
                id: "chat-en", name: "Chat, English", channel: .chat,
                requiredSkills: [SkillRequirement("english", minimumLevel: 2)],
                serviceLevel: ServiceLevelTarget(percent: 80, withinSeconds: 20)),
            QueueConfiguration(
                id: "chat-es", name: "Chat, Spanish", channel: .chat,
                requiredSkills: [SkillRequirement("spanish", minimumLevel: 3)],
                fallbackSteps: [FallbackStep(afterSeconds: 30, dropSkillKinds: [.language])]),
            QueueConfiguration(
                id: "voice-en", channel: .voice, requiredSkills: [SkillRequirement("english", minimumLevel: 2)]),
        ])
    let agents = [
        AgentProfile(id: "priya", name: "Priya", role: "agent", capacityProfile: "blended", skills: ["english": 4]),
        AgentProfile(id: "tom", name: "Tom", role: "agent", capacityProfile: "blended", skills: ["english": 3]),
        AgentProfile(
            id: "lucia", name: "Lucía", role: "agent", capacityProfile: "blended", skills: ["spanish": 5,
                "english": 2]),
        AgentProfile(
            id: "grace", name: "Grace", role: "supervisor", capacityProfile: "blended", skills: ["english": 5]),
    ]
    return ContactCentre(
        name: "Test Bank", routing: routing, agents: agents,
        supervision: SupervisionPolicy(permissionsByRole: [
            "agent": [], "supervisor": [.observe, .listen, .whisper, .barge],
        ]))
}

/// The real router state machine with the monitor's state fed from its events, as the monitor
/// process would see them on the bus (and the presence tracker's events alongside).
struct MonitorScenario {
    var router: RouterState
    var monitor: MonitorState
    var now: RoutingInstant
    let centre: ContactCentre
    var settings = MonitorSettings()
    /// Every router event so far, for tests that replay them.
    var routerEvents: [MonitorEvent] = []

    static let start = RoutingInstant(millisecondsSinceEpoch: 1_700_000_000_000)

    init(centre: ContactCentre = monitorCentre()) throws {
        self.centre = centre
        let settings = RouterSettings(
            routing: centre.routing, agents: centre.agents, intentSkillLevels: [:], closedRetentionSeconds: 3_600)
        router = try RouterState(settings: settings, now: Self.start)
        now = Self.start
        monitor = MonitorState(
            followed: [.router, .presence, .desk, .summariser], startedAtMilliseconds: Self.start.millisecondsSinceEpoch
        )
        monitor.apply(
            .snapshot(.router, items: Self.items(of: router)),
            nowMilliseconds: nowMilliseconds)
        monitor.apply(.status(.router, .live(epoch: 1)), nowMilliseconds: nowMilliseconds)
        monitor.apply(.snapshot(.presence, items: []), nowMilliseconds: nowMilliseconds)
        monitor.apply(.status(.presence, .live(epoch: 1)), nowMilliseconds: nowMilliseconds)
    }

    var nowMilliseconds: Int64 { now.millisecondsSinceEpoch }

    /// The router's snapshot as the monitor receives it: each of its prefixes, transcripts included.
    static func items(of router: RouterState) -> [MonitorItem] {
        MonitorService.snapshotPrefixes(of: .router).flatMap { router.snapshotItems(prefix: $0) }.compactMap { item in
            (try? item.value()).map { MonitorItem(key: item.key, value: $0) }
        }
    }

    /// Applies `input` at the router `seconds` after the previous step, and feeds its events.
    @discardableResult
    mutating func apply(_ input: RouterInput, after seconds: Double = 0) -> RouterStep {
        now = now.adding(seconds: seconds)
        let step = router.apply(input, at: now)
        for event in step.events {
            let monitored = MonitorEvent(
                topic: event.topic, type: event.type, data: event.data, atMilliseconds: nowMilliseconds)
            routerEvents.append(monitored)
            monitor.apply(.event(.router, monitored), nowMilliseconds: nowMilliseconds)
        }
        return step
    }

    /// The agent sets a presence at the tracker; both the router and the monitor hear it.
    mutating func presence(_ agent: AgentID, _ status: PresenceStatus, sequence: UInt64) {
        apply(.presence(agent, status, stamp: PresenceStamp(epoch: 1, sequence: sequence)))
        let item: JSON = [
            "agentId": .string(agent.rawValue), "status": .string(status.rawValue), "since": .int(nowMilliseconds),
        ]
        monitor.apply(
            .event(
                .presence,
                MonitorEvent(
                    topic: "presence.\(agent).changed", type: "presence.changed",
                    data: ["agentId": .string(agent.rawValue), "key": .string("presence.\(agent)"), "item": item],
                    atMilliseconds: nowMilliseconds)), nowMilliseconds: nowMilliseconds)
    }

    mutating func open(
        _ id: ConversationID, customer: CustomerID, queue: QueueID, text: String? = nil, after seconds: Double = 0
    ) {
        apply(
            .open(ConversationRequest(id: id, customer: customer, queue: queue), text: text, intent: nil),
            after: seconds)
    }

    mutating func message(
        _ id: ConversationID, _ role: SwitchboardWire.TranscriptMessage.Role, _ text: String,
        after seconds: Double = 0
    ) {
        apply(
            .message(
                id,
                SwitchboardWire.TranscriptMessage(
                    number: 0, role: role, author: role.rawValue, text: text, audience: .everyone, at: .zero)),
            after: seconds)
    }

    /// The view `seconds` after the last step (time passes at the router too, so its
    /// deadlines fire as they would).
    mutating func view(after seconds: Double = 0, interventions: [Intervention] = []) -> MonitorView {
        if seconds > 0 { apply(.tick, after: seconds) }
        return MonitorView.compute(
            state: monitor, centre: centre, interventions: interventions, settings: settings,
            nowMilliseconds: nowMilliseconds)
    }

    /// The router's own item of `queue`.
    func routerQueue(_ queue: QueueID) -> JSON? {
        router.snapshotItems(prefix: "queue.").first { $0.key == "queue.\(queue)" }.flatMap { try? $0.value() }
    }
}

extension MonitorView {
    func queue(_ id: QueueID) -> QueueFigures? { queues.first { $0.queue == id } }
    func agent(_ id: AgentID) -> MonitorAgentItem? { agents.first { $0.agentId == id } }
    func health(_ id: ConversationID) -> ConversationHealthLine? { conversations.first { $0.conversation == id } }
}
