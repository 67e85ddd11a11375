import Foundation
public import Logging
public import ServiceLifecycle
public import SwitchboardAssist
import SwitchboardBus
import SwitchboardServiceKit
public import SwitchboardTopology
import ZeroMQ

/// `switchboard summariser`: the agents' assistance (intent, summary, suggested replies, knowledge,
/// case summary) for every active conversation, derived from the router's stream and rebuilt from
/// its snapshot at every start. It keeps no database and takes no commands; it publishes
/// `assist.<conversationId>.<what>` events and serves `assist.<conversationId>` items on its
/// state endpoint (docs/PROTOCOL.md §6.4).
public struct SummariserService: Service {
    public let topology: Topology
    public let assistant: Assistant
    /// A remote backend for summaries and replies (`assist.backend: openai`); nil: offline.
    public let backend: (any AssistBackend)?
    public let logger: Logger
    public var settings: SummariserCore.Settings
    /// Inputs handed to conversation actors and not yet applied, at most (then the feed waits).
    public var pendingInputsMax = 20_000

    public init(
        topology: Topology, assistant: Assistant, backend: (any AssistBackend)?, logger: Logger,
        settings: SummariserCore.Settings = SummariserCore.Settings()
    ) {
        self.topology = topology
        self.assistant = assistant
        self.backend = backend
        self.logger = logger
        self.settings = settings
    }

    public func run() async throws {
        guard let service = topology.service(.summariser) else {
            throw RuntimeError("the topology \(topology.file) places no summariser (add services.summariser)")
        }
        guard let router = topology.service(.router) else {
            throw RuntimeError("the summariser follows the router: add services.router to \(topology.file)")
        }
        let (epoch, recordError) = SummariserEpoch.start(
            in: service.dataDirectory, nowMilliseconds: UInt64(max(0, WallClock.microseconds() / 1_000)))
        if let recordError {
            logger.warning(
                "cannot record the epoch in \(service.dataDirectory); the wall clock alone orders restarts",
                metadata: ["error": "\(recordError)"])
        }
        let security = try ProcessSecurity.load(principal: "summariser", topology: topology, logger: logger)
        let loop = try SocketLoop(name: "sb-summariser-io", logger: logger)
        do {
            try await serve(service: service, router: router, epoch: epoch, loop: loop, security: security)
        } catch {
            await loop.shutdown()
            throw error
        }
        await loop.shutdown()
        logger.info("summariser stopped")
    }

    private func serve(
        service: Topology.Service, router: Topology.Service, epoch: UInt64, loop: SocketLoop, security: BusSecurity?
    ) async throws {
        // The first CURVE server installs the loop's ZAP handler before its socket is opened.
        let publisher = try await EventPublisher(
            loop: loop, bind: service.publishBind, source: ServiceName.summariser.rawValue, epoch: epoch,
            logger: logger, security: security)
        let management = Management()
        management.watch(publisher)
        let managementServer = try management.server(at: service.metrics, logger: logger)
        let board = AssistBoard(sink: PublisherSink(publisher: publisher))
        var snapshotServer: SnapshotServer?
        if let stateEndpoint = service.stateBind {
            snapshotServer = try await SnapshotServer(
                loop: loop, bind: stateEndpoint, sourceName: ServiceName.summariser.rawValue, source: board,
                logger: logger, security: security)
            if let snapshotServer { management.watch(snapshotServer) }
        } else {
            logger.warning("no state: endpoint for the summariser in \(topology.file): late consumers get no snapshot")
        }
        var history: RouterHistoryClient?
        if let command = router.command {
            history = RouterHistoryClient(
                client: try await CommandClient(
                    loop: loop, connect: command, serviceName: "router", logger: logger, security: security))
        }
        let limit = PendingWorkLimit(limit: pendingInputsMax)
        var queueLanguages: [String: String] = [:]
        do {
            queueLanguages = QueueLanguages.of(try topology.loadContactCentre())
        } catch {
            logger.warning(
                "cannot read the contact centre: the customer's words alone tell their language",
                metadata: ["error": "\(error)"])
        }
        let deskFeedback = DeskFeedback()
        let environment = AssistantEnvironment(
            context: AssistTrack.Context(assistant: assistant, queueLanguages: queueLanguages), board: board,
            history: history, backend: backend, limit: limit, logger: logger, deskFeedback: deskFeedback)
        let desk = topology.service(.desk)
        let core = SummariserCore(environment: environment, settings: settings)
        logger.info(
            "summariser serving",
            metadata: [
                "epoch": "\(epoch)", "publish": "\(service.publish)", "state": "\(service.state ?? "")",
                "router": "\(router.publish)", "backend": "\(backend?.name ?? "offline")", "pid": "\(getpid())",
            ])
        let logger = self.logger
        let server = snapshotServer
        let topologyFile = topology.file
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                if let managementServer {
                    group.addTask { await ServicePart(serving: managementServer, logger: logger).run() }
                }
                group.addTask { await publisher.runHeartbeats() }
                if let server { group.addTask { await server.run() } }
                group.addTask { await core.runAssistants() }
                group.addTask { await Self.forgetEnded(core) }
                group.addTask {
                    await Self.follow(
                        router, loop: loop, security: security, core: core, limit: limit, management: management,
                        logger: logger)
                }
                if let desk {
                    group.addTask {
                        await Self.followFeedback(
                            desk, loop: loop, security: security, feedback: deskFeedback, core: core,
                            management: management, logger: logger)
                    }
                }
                if security != nil {
                    group.addTask {
                        await ProcessSecurity.reloadAllowListOnSIGHUP(
                            topologyFile: topologyFile, loop: loop, logger: logger)
                    }
                }
                // Runs until cancelled (graceful shutdown cancels the service's task).
                await withTaskCancellationHandler {
                    while !Task.isCancelled { try? await Task.sleep(for: .seconds(3_600)) }
                } onCancel: {
                }
                limit.close()
                group.cancelAll()
            }
        }
    }

    /// Feeds the router's snapshot and events (conversations, transcripts, agent names) to the core.
    static func follow(
        _ router: Topology.Service, loop: SocketLoop, security: BusSecurity?, core: SummariserCore,
        limit: PendingWorkLimit, management: Management, logger: Logger
    ) async {
        let replica = Replica(
            loop: loop, publish: router.publish, state: router.state, prefixes: ["conv.", "transcript.", "agent."],
            logger: logger, options: Replica.Options(security: security))
        management.watch(replica, following: "router")
        do {
            try await replica.run { update in
                let facts: [SummariserFact]
                switch update {
                case .snapshot(let snapshot):
                    facts = [.snapshot(RouterFacts.snapshot(snapshot.items))]
                case .event(let event):
                    guard let data = try? event.data(),
                        let fact = RouterFacts.event(
                            type: event.type, data: data, timestampMicroseconds: event.timestampMicroseconds)
                    else { return }
                    facts = [fact]
                case .status:
                    return  // the replica logs its link changes
                }
                await core.apply(facts, nowMilliseconds: WallClock.microseconds() / 1_000)
                await limit.waitBelowLimit()
            }
        } catch {
            logger.error("cannot follow the router: \(error)")
        }
    }

    /// Follows the desk's `feedback.*` items: what agents did with suggestions ranks the next ones.
    /// The desk may be down or absent: suggestions are then ranked with the counts last seen.
    static func followFeedback(
        _ desk: Topology.Service, loop: SocketLoop, security: BusSecurity?, feedback: DeskFeedback,
        core: SummariserCore, management: Management, logger: Logger
    ) async {
        let replica = Replica(
            loop: loop, publish: desk.publish, state: desk.state, prefixes: ["feedback."], logger: logger,
            options: Replica.Options(security: security))
        management.watch(replica, following: "desk", gatesReadiness: false)
        do {
            try await replica.run { update in
                if feedback.apply(update) { logger.debug("desk feedback applied") }
                // A suggestion used or dismissed is not offered again in its conversation.
                if case .event(let event) = update, event.type.hasPrefix("desk.suggestion."),
                    let data = try? event.data(), let conversationId = data["conversationId"]?.stringValue,
                    let suggestionId = data["suggestionId"]?.stringValue
                {
                    await core.suggestionHandled(suggestionId, in: conversationId)
                }
            }
        } catch {
            logger.error("cannot follow the desk's feedback: \(error)")
        }
    }

    /// Forgets ended conversations once a second.
    static func forgetEnded(_ core: SummariserCore) async {
        while !Task.isCancelled {
            await core.forgetEnded(nowMilliseconds: WallClock.microseconds() / 1_000)
            do {
                try await Task.sleep(for: .seconds(1))
            } catch {
                return
            }
        }
    }
}
