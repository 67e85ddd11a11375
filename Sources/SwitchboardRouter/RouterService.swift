import Foundation
public import Logging
public import ServiceLifecycle
import SwitchboardBus
import SwitchboardRouting
import SwitchboardServiceKit
import SwitchboardStore
public import SwitchboardTopology
import SwitchboardWire
import UnixSignals

/// `switchboard router`: the authority over conversations, queues, offers, assignments and
/// sticky ownership. Takes commands, follows the presence tracker's stream, publishes every
/// decision with its reason, and re-reads the contact centre on SIGHUP or `router.reload`.
public struct RouterService: Service, CustomStringConvertible {
    /// What swift-service-lifecycle logs for the service. (The default description would print
    /// every stored property, the intent model's weights included: half a second at start.)
    public var description: String { "router" }

    public let topology: Topology
    public let logger: Logger
    private let loadSettings: @Sendable () throws -> RouterSettings
    private let classifier: (any IntentClassifying)?

    /// - Parameter loadSettings: reads the contact-centre file named by the topology (called at
    ///   start and at every reload; a throw at reload keeps the old settings).
    public init(
        topology: Topology, logger: Logger, classifier: (any IntentClassifying)?,
        loadSettings: @escaping @Sendable () throws -> RouterSettings
    ) {
        self.topology = topology
        self.logger = logger
        self.classifier = classifier
        self.loadSettings = loadSettings
    }

    public func run() async throws {
        var settings = try loadSettings()
        settings.closedRetentionSeconds = topology.retention.closedConversationsSeconds
        let runtime = try await AuthorityRuntime.start(
            .router, topology: topology, logger: logger, migrations: RouterJournal.migrate)
        let presence = topology.service(.presence)
        let presenceClient: CommandClient? =
            if let command = presence?.command {
                try await CommandClient(
                    loop: runtime.loop, connect: command, serviceName: "presence", logger: logger,
                    security: runtime.security)
            } else { nil }
        let retention = topology.retention.closedConversationsSeconds
        let logger = self.logger
        let core = try await RouterCore(
            store: runtime.store, settings: settings, classifier: classifier, logger: logger,
            reloadSettings: { [loadSettings] in
                // A reload (SIGHUP or router.reload) also re-reads who may connect.
                runtime.reloadAllowList()
                var reloaded = try loadSettings()
                reloaded.closedRetentionSeconds = retention
                return reloaded
            },
            requestPresence: { requests in
                guard let presenceClient else { return }
                for request in requests {
                    Task {
                        do {
                            _ = try await presenceClient.send(
                                "presence.set",
                                data: [
                                    "agentId": .string(request.agent.rawValue), "status": "away",
                                    "reason": .string(request.reason),
                                ], deadlineSeconds: 10)
                        } catch {
                            logger.warning("could not set \(request.agent) Away at the presence tracker: \(error)")
                        }
                    }
                }
            },
            openConversationsMax: topology.service(.router)?.openConversationsMax
                ?? Topology.Service.openConversationsMaxDefault,
            retention: RouterJournal.Retention(
                journalSeconds: topology.service(.router)?.journalRetentionSeconds
                    ?? Topology.Service.journalRetentionSecondsDefault))
        Self.watch(core, in: runtime.management)
        var parts = [ServicePart("router loop", run: { await core.run() })]
        if let presence {
            parts.append(
                ServicePart("router following the presence tracker") {
                    await Self.followPresence(presence, runtime: runtime, core: core)
                })
        }
        parts.append(
            ServicePart("router reload on SIGHUP") {
                for await _ in await UnixSignalsSequence(trapping: .sighup) {
                    logger.notice("SIGHUP: reloading the contact centre")
                    _ = await core.reload()
                }
            })
        try await runtime.serve(snapshots: core, commands: core, parts: parts)
    }

    /// Feeds presence changes (snapshot, then events) into the router's journal.
    static func followPresence(_ presence: Topology.Service, runtime: AuthorityRuntime, core: RouterCore) async {
        let replica = Replica(
            loop: runtime.loop, publish: presence.publish, state: presence.state, prefixes: ["presence."],
            logger: runtime.logger, options: Replica.Options(security: runtime.security))
        // Routing goes on with the presence it last knew: the router stays ready without it.
        runtime.management.watch(replica, following: "presence", gatesReadiness: false)
        do {
            try await replica.run { update in
                switch update {
                case .snapshot(let snapshot):
                    let seq = snapshot.ends.first?.seq ?? 0
                    let inputs = snapshot.items.compactMap { item -> RouterInput? in
                        guard let value = try? item.value() else { return nil }
                        return PresenceView.input(value, stamp: PresenceStamp(epoch: snapshot.epoch, sequence: seq))
                    }
                    core.apply(inputs)
                case .event(let event):
                    guard event.type == "presence.changed", let data = try? event.data(),
                        let input = PresenceView.input(
                            data, stamp: PresenceStamp(epoch: event.epoch, sequence: event.seq))
                    else { return }
                    core.apply([input])
                case .status:
                    break
                }
            }
        } catch {
            runtime.logger.error("cannot follow the presence tracker: \(error)")
        }
    }
}

/// Reading the presence tracker's items and events (`presence.<agent>`, read by the wire's
/// `PresenceItem`; an event's data carries the same members).
enum PresenceView {
    static func input(_ value: JSON, stamp: PresenceStamp) -> RouterInput? {
        guard let fields = try? WireFields(value, item: "presence item"),
            let agent = try? fields.identifier("agentId", as: AgentID.self),
            let status = try? fields.oneOf("status", PresenceStatus.self)
        else { return nil }
        return .presence(agent, status, stamp: stamp)
    }
}

extension RouterService {
    /// The router's own figures at each scrape: decisions by rule, and per queue what waits,
    /// what was answered within the service level, and what was abandoned.
    static func watch(_ core: RouterCore, in management: Management) {
        management.metrics.addCollector { metrics in
            let figures = core.currentFigures
            for (key, count) in figures.decisions {
                metrics.counter(
                    "routing_decisions", help: "Routing decisions (offers and assignments) by the rule that made them.",
                    labels: [("kind", key.kind), ("rule", key.rule)], value: count)
            }
            for (queue, item) in figures.queues {
                let labels = [("queue", queue)]
                metrics.gauge(
                    "queue_waiting", unit: "conversations", help: "Conversations waiting in the queue (held ones too).",
                    labels: labels, value: Double(item.waiting))
                metrics.counter(
                    "queue_assigned", help: "Conversations the queue assigned to an agent.", labels: labels,
                    value: item.assigned)
                metrics.counter(
                    "queue_assigned_within_service_level",
                    help: "Conversations assigned within the queue's service-level time.", labels: labels,
                    value: item.assignedWithinServiceLevel)
                metrics.counter(
                    "queue_abandoned", help: "Conversations the customer left while waiting in the queue.",
                    labels: labels, value: item.abandoned)
                metrics.gauge(
                    "queue_service_level_target", unit: "ratio",
                    help: "The share of conversations the queue aims to assign within its service-level time.",
                    labels: labels, value: item.serviceLevel.percent / 100)
                if item.assigned > 0 {
                    metrics.gauge(
                        "queue_service_level", unit: "ratio",
                        help: "The share of the queue's assignments made within its service-level time.",
                        labels: labels, value: Double(item.assignedWithinServiceLevel) / Double(item.assigned))
                }
            }
        }
    }
}
