public import Logging
public import ServiceLifecycle
public import SwitchboardBus
public import SwitchboardTopology
public import ZeroMQ

/// Follows each service the gateway shows (Clone procedure, `Replica`) into the `BusView`, as a
/// service of the gateway's group: it stops at graceful shutdown.
public struct BusFollower: Service {
    let loop: SocketLoop
    let topology: Topology
    let view: BusView
    let logger: Logger
    let security: BusSecurity?

    public init(
        loop: SocketLoop, topology: Topology, view: BusView, logger: Logger, security: BusSecurity? = nil
    ) {
        self.loop = loop
        self.topology = topology
        self.view = view
        self.logger = logger
        self.security = security
    }

    public func run() async throws {
        // Cancelled at graceful shutdown, it returns normally: its end is no failure of the group.
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for source in BusSource.allCases {
                    guard let name = ServiceName(rawValue: source.rawValue), let service = topology.service(name) else {
                        logger.notice("the topology has no \(source.rawValue); the gateway shows nothing of it")
                        continue
                    }
                    let replica = Replica(
                        loop: loop, publish: service.publish, state: service.state, prefixes: source.prefixes,
                        logger: logger, options: Replica.Options(security: security))
                    group.addTask { [view, logger] in
                        do {
                            try await replica.run { update in await view.apply(update, from: source) }
                        } catch {
                            logger.error("cannot follow the \(source.rawValue) at \(service.publish): \(error)")
                        }
                    }
                }
            }
        }
    }
}
