import Foundation

/// Where every process of a deployment runs and how to reach it: the file a consumer in any
/// language needs to find every publisher and state endpoint (docs/PROTOCOL.md).
public struct Topology: Sendable, Equatable {
    /// The file it was read from (relative paths inside it are relative to its folder).
    public var file: String
    public var name: String
    public var hosts: [String: Host]
    public var services: [ServiceName: Service]
    /// The contact-centre configuration (skills, queues, profiles, roles, agents), resolved.
    public var contactCentreFile: String?
    /// Where the services keep their durable state; each gets `<dataDirectory>/<service>`.
    public var dataDirectory: String
    public var retention: Retention
    public var supervision: Supervision
    public var assist: AssistSettings
    /// The `security:` section; nil when the file has none (then every bus endpoint must be on
    /// loopback).
    public var security: TopologySecurity? = nil

    /// The default of every command.
    public static let defaultFile = "Topology/local.yaml"

    public struct Host: Sendable, Equatable {
        public var name: String
        public var address: String
        /// Where `switchboard up` on this host serves its own metrics and health
        /// (`tcp://HOST:PORT`, `tcp://*:PORT` for every interface); nil: not served.
        public var metrics: String? = nil
    }

    /// One service's place and endpoints (`tcp://host:port`, a concrete port).
    public struct Service: Sendable, Equatable {
        public var name: ServiceName
        public var host: String
        public var publish: String
        public var state: String?
        public var command: String?
        /// Where to bind instead of the advertised endpoint (e.g. `tcp://*:7101` behind NAT).
        public var bind: Bind
        public var dataDirectory: String
        /// Presence: an agent whose heartbeats stop for this long is Offline.
        public var heartbeatTimeoutSeconds: Double
        /// The gateway: where its HTTP server listens (`tcp://HOST:PORT`); nil for the others.
        public var http: String?
        /// Where the process serves `/metrics`, `/healthz` and `/readyz` over HTTP
        /// (`tcp://HOST:PORT`); nil: not served.
        public var metrics: String? = nil
        /// The gateway's settings (defaults for every other service, which ignores them).
        public var gateway = GatewaySettings()
        /// The router: open conversations (queued, offered, assigned, in wrap-up) past which a new
        /// `conversation.open` is refused `overloaded`, so memory stays bounded under a flood.
        public var openConversationsMax = Service.openConversationsMaxDefault

        public static let openConversationsMaxDefault = 1_000_000
        /// The router: how much of its journal (with an hourly checkpoint) it keeps for
        /// `switchboard replay`; 0 keeps none (each checkpoint drops the journal it covers).
        public var journalRetentionSeconds = Service.journalRetentionSecondsDefault

        public static let journalRetentionSecondsDefault = 2 * 86_400.0
        /// How far a commit reaches before the service acknowledges it, for the services that keep
        /// a store (router, presence, desk, monitor).
        public var durability = Durability.process

        /// What an acknowledged command survives.
        public enum Durability: String, Sendable, Equatable, CaseIterable {
            /// The commit is in the write-ahead log in the operating system's cache: it survives
            /// any crash of the process (SIGKILL included), not an OS crash or a power loss.
            case process
            /// The write-ahead log is flushed to the disk at every commit: it survives an OS crash
            /// and a power loss too, at the price of one flush per commit (group commit shares it).
            case machine
        }

        /// The services whose state is a store of their own, where `durability:` applies.
        public static let servicesWithStores: [ServiceName] = [.router, .presence, .desk, .monitor]

        public struct Bind: Sendable, Equatable {
            public var publish: String?
            public var state: String?
            public var command: String?
        }

        public var publishBind: String { bind.publish ?? publish }
        public var stateBind: String? { bind.state ?? state }
        public var commandBind: String? { bind.command ?? command }
    }

    public struct Retention: Sendable, Equatable {
        /// How long a command's reply is kept to answer a repeated id.
        public var commandRepliesSeconds: Double = 3_600
        /// How long a closed conversation stays in the router's snapshot.
        public var closedConversationsSeconds: Double = 3_600
    }

    /// `up`'s restart limits: at most `restartsMax` restarts of one service within `windowSeconds`.
    public struct Supervision: Sendable, Equatable {
        public var restartsMax: Int = 5
        public var windowSeconds: Double = 30
    }

    public struct AssistSettings: Sendable, Equatable {
        /// `offline` (the default) or `openai` (an OpenAI-compatible HTTP endpoint).
        public var backend: String = "offline"
        /// A CSV of `text,intent` to train intent detection from; nil = the shipped example set.
        public var trainingData: String?
        public var endpoint: String?
        public var model: String?
    }

    /// The web gateway's settings (`services.gateway`): cookies, password hashing, customers' idle
    /// time, session length, and request limits per minute.
    public struct GatewaySettings: Sendable, Equatable {
        /// Mark cookies `Secure` (set it when a TLS-terminating proxy stands in front).
        public var cookiesSecure = false
        /// bcrypt's cost (4…31); 10 by default, tests use 4.
        public var bcryptCost = 10
        /// A customer with no message and no open chat for this long is timed out.
        public var customerIdleSeconds: Double = 600
        /// How long a browser session lasts from sign-in.
        public var sessionHours: Double = 12
        /// Sign-in attempts per account per minute.
        public var signinPerAccount = 5
        /// Sign-in attempts per client address per minute.
        public var signinPerAddress = 20
        /// Connector API requests per API key per minute.
        public var apiPerKey = 120
        /// Connector API requests per client address per minute.
        public var apiPerAddress = 600

        public init() {}
    }

    /// The services placed on `host`.
    public func services(on host: String) -> [Service] {
        ServiceName.allCases.compactMap { services[$0] }.filter { $0.host == host }
    }

    public func service(_ name: ServiceName) -> Service? { services[name] }
}

/// The processes a topology places (router, presence, desk, summariser, monitor).
public enum ServiceName: String, Sendable, CaseIterable, Comparable, Codable {
    case router
    case presence
    case desk
    case summariser
    case monitor
    /// The web gateway: pages and sockets for people. It publishes nothing and owns no routing
    /// state, so it has an `http:` endpoint and none of the bus's.
    case gateway

    /// Authorities hold state and take commands; they need state and command endpoints.
    public var needsState: Bool { self != .summariser && self != .gateway }
    public var takesCommands: Bool { self != .summariser && self != .gateway }
    /// Whether it binds a PUB socket (every service but the gateway).
    public var publishes: Bool { self != .gateway }

    public static func < (lhs: ServiceName, rhs: ServiceName) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
