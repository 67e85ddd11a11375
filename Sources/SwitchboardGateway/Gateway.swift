public import Logging
public import ServiceLifecycle
import SwitchboardAssist
import SwitchboardBus
import SwitchboardServiceKit
public import SwitchboardTopology
import ZeroMQ

/// The web gateway: everything its routes and sockets share (settings, store, the bus view and
/// commands, who may sign in, customers' chats, rate limits, the page files).
public final class Gateway: Sendable {
    public let topology: Topology
    public let settings: Topology.GatewaySettings
    public let store: GatewayStore
    public let view: BusView
    public let commands: BusCommands
    public let people: People
    public let queues: [String: QueueInfo]
    public let customers: Customers
    public let presence: PresenceKeeper
    public let limits: RequestLimits
    public let hasher: PasswordHasher
    public let web: WebFiles
    /// What-if replays of the router's journal, one at a time (`/whatif`).
    public let whatIf: WhatIfRunner
    /// The agents' search of the knowledge base (nil when its file cannot be found or read).
    let knowledge: KnowledgeSearch?
    let idempotencyGate = IdempotencyGate()
    let upgradeRefusals = UpgradeRefusals()
    public let logger: Logger
    /// Where the HTTP server listens.
    public let host: String
    public let port: Int
    let loop: SocketLoop
    /// CURVE on the gateway's bus connections (nil: the topology leaves them open).
    let security: BusSecurity?

    /// Opens the store, the bus connections and the page files for the topology's gateway.
    public init(topology: Topology, contactCentre: ContactCentre, logger: Logger, webDirectory: String? = nil)
        async throws
    {
        guard let service = topology.service(.gateway), let http = service.http else {
            throw GatewayError("invalid_argument", "\(topology.file) places no gateway (services.gateway with http:)")
        }
        let address = http.dropFirst("tcp://".count)
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            throw GatewayError("invalid_argument", "\(http) is not tcp://HOST:PORT")
        }
        self.host = String(address[..<colon])
        self.port = port
        self.topology = topology
        self.settings = service.gateway
        self.logger = logger
        self.store = try GatewayStore(directory: service.dataDirectory)
        self.web = try WebFiles(directory: webDirectory)
        self.whatIf = WhatIfRunner(logger: logger)
        self.people = People(contactCentre: contactCentre)
        self.queues = QueueInfo.all(contactCentre)
        self.hasher = PasswordHasher(cost: settings.bcryptCost)
        self.limits = RequestLimits(settings)
        self.knowledge = Self.loadKnowledge(logger: logger)
        let security = try ProcessSecurity.load(principal: "gateway", topology: topology, logger: logger)
        self.security = security
        let loop = try SocketLoop(name: "sb-gateway-io", logger: logger)
        self.loop = loop
        let store = store
        self.view = BusView(agentRemoved: { agentId in
            logger.notice("the router no longer has \(agentId); ending their sessions")
            try? await store.revokeSessions(agentId: agentId)
        })
        self.commands = try await BusCommands(loop: loop, topology: topology, logger: logger, security: security)
        self.presence = PresenceKeeper(commands: commands, logger: logger)
        self.customers = Customers(
            store: store, commands: commands, view: view, queues: queues, idleSeconds: settings.customerIdleSeconds,
            logger: logger)
    }

    /// The gateway's long-running parts, for one `ServiceGroup`: the bus followers, the
    /// idle-customer sweeper and the HTTP server (pages, sockets, connector API). A group shuts
    /// down in reverse order: people's connections close first, the bus view last.
    public func services() -> [any Service] {
        [
            BusFollower(loop: loop, topology: topology, view: view, logger: logger, security: security),
            IdleCustomerSweeper(customers: customers),
            GatewayHTTPServer(gateway: self),
        ]
    }

    /// The shipped knowledge base (the folder `SWITCHBOARD_ASSIST_RESOURCES` names, else the one beside
    /// the binary); without it the desk's knowledge search answers that it is unavailable.
    static func loadKnowledge(logger: Logger) -> KnowledgeSearch? {
        do {
            let resources = try AssistResources.locate()
            let base = try KnowledgeBase.load(path: resources.path(of: AssistResources.knowledgeBaseFileName))
            return KnowledgeSearch(knowledgeBase: base)
        } catch {
            logger.warning(
                "no knowledge base for the desk's search; set SWITCHBOARD_ASSIST_RESOURCES to its folder",
                metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// The contact centre's queues, `[{id, name, channel}]` by id: where a conversation can be
    /// transferred.
    var queueList: JSON {
        .array(
            queues.values.sorted { $0.id < $1.id }.map { queue -> JSON in
                ["id": .string(queue.id), "name": .string(queue.name), "channel": .string(queue.channel)]
            })
    }

    /// Closes the bus connections (after the group has stopped).
    public func close() async {
        await presence.stopAll()
        await commands.close()
        await loop.shutdown()
    }
}
