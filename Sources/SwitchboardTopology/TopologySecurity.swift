/// The topology's `security:` section: whether the bus sockets use CURVE, where the key files
/// are, and who may connect as whom.
///
///     security: off                    # open sockets (loopback, or a private network)
///
///     security:
///       keys: ../var/keys              # NAME.key / NAME.pub files (`switchboard keys generate`)
///       principals:                    # every key allowed on the bus, and what it may do
///         router:  {key: router, role: service}
///         desk:    {key: desk, role: service, actFor: true}
///         gateway: {key: gateway, role: gateway, actFor: true}
///         anna:    {key: "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7", role: operator}
///         simulator: {key: simulator, role: tool, actFor: true, commands: [conversation.open]}
///
/// Each service the topology places needs a principal of its own name (role `service`, or
/// `gateway` for the gateway): its key file is its own key pair, and its public key is how
/// its clients know it is the server.
public enum TopologySecurity: Sendable, Equatable {
    /// `security: off`: every socket is open.
    case off
    /// CURVE on every bus socket.
    case curve(CurveSettings)

    /// The settings when CURVE is on; nil when off.
    public var curve: CurveSettings? {
        if case .curve(let settings) = self { settings } else { nil }
    }

    public struct CurveSettings: Sendable, Equatable {
        /// The directory of key files, resolved against the topology's folder.
        public var keysDirectory: String
        /// Every principal allowed on the bus, by name.
        public var principals: [String: Principal]

        public init(keysDirectory: String, principals: [String: Principal]) {
            self.keysDirectory = keysDirectory
            self.principals = principals
        }

        /// The principals in name order.
        public var sortedPrincipals: [Principal] { principals.values.sorted { $0.name < $1.name } }
    }

    /// Someone allowed on the bus: the name the services see (the connection's User-Id), its key
    /// and what it may do.
    public struct Principal: Sendable, Equatable {
        public var name: String
        public var key: KeyReference
        public var role: Role
        /// May act for others (a desk forwarding an agent's command, the gateway a person's): the
        /// services then take the agent or supervisor the command names; otherwise only itself.
        public var actFor: Bool
        /// Command types granted beyond what the role may send, at whichever service takes them:
        /// how a test topology lets its simulator (a tool) open conversations and act as the
        /// customers and agents it plays. Empty for every principal of a production topology.
        public var commands: Set<String>

        public init(
            name: String, key: KeyReference, role: Role, actFor: Bool = false, commands: Set<String> = []
        ) {
            self.name = name
            self.key = key
            self.role = role
            self.actFor = actFor
            self.commands = commands
        }
    }

    /// A principal's key: the name of its key files in the keys directory, or its public key.
    public enum KeyReference: Sendable, Equatable {
        /// `NAME.pub` (and, for this process's own principal, `NAME.key`) in the keys directory.
        case file(String)
        /// A public key written in the topology (Z85, 40 characters).
        case publicKey(String)
    }

    public enum Role: String, Sendable, Equatable, CaseIterable {
        /// One of the system's processes.
        case service
        /// The web gateway.
        case gateway
        /// A person at a tool with operator rights (reload, explain).
        case `operator`
        /// A tool (tap, simulate, bench, a pyzmq script).
        case tool
    }
}

extension TopologySecurity.CurveSettings {
    /// Principal name → its key as written: a key file's name in `keysDirectory`, or a public key.
    public var keyReferences: [String: String] {
        principals.mapValues { principal in
            switch principal.key {
            case .file(let name): name
            case .publicKey(let key): key
            }
        }
    }
}

extension Topology {
    /// Every bus endpoint a client connects to (publish, state and command, as advertised) → the
    /// principal of the service there, which is the service's own name.
    public var serverPrincipals: [String: String] {
        var principals: [String: String] = [:]
        for service in services.values where service.name.publishes {
            for endpoint in [service.publish, service.state, service.command].compactMap({ $0 }) {
                principals[endpoint] = service.name.rawValue
            }
        }
        return principals
    }
}
