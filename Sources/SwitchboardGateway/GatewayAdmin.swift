import SwitchboardRouting
public import SwitchboardTopology

/// What the command line does to the gateway's store while the gateway runs or not: set a
/// person's password, create a connector's API key.
public enum GatewayAdmin {
    /// Passwords shorter than this are refused.
    public static let passwordCharactersMin = 8
    /// bcrypt reads at most 72 bytes; longer passwords would be cut silently, so they are refused.
    public static let passwordBytesMax = 72

    static func store(_ topology: Topology) throws -> GatewayStore {
        try GatewayStore(directory: topology.service(.gateway)?.dataDirectory ?? "\(topology.dataDirectory)/gateway")
    }

    /// Sets `agentId`'s password (hashed with the topology's bcrypt cost) and ends their sessions.
    public static func setPassword(
        topology: Topology, contactCentre: ContactCentre, agentId: String, password: String
    ) async throws {
        guard contactCentre.agent(.init(agentId)) != nil else {
            throw GatewayError(
                "not_found",
                "no agent '\(agentId)' in \(contactCentre.file); people sign in with their agent id (e.g. priya-raman)")
        }
        guard password.count >= passwordCharactersMin else {
            throw GatewayError("invalid_argument", "the password is shorter than \(passwordCharactersMin) characters")
        }
        guard password.utf8.count <= passwordBytesMax else {
            throw GatewayError("invalid_argument", "the password is longer than \(passwordBytesMax) bytes")
        }
        let cost = topology.service(.gateway)?.gateway.bcryptCost ?? Topology.GatewaySettings().bcryptCost
        let hash = await PasswordHasher(cost: cost).hash(password)
        try await store(topology).setPassword(agentId: agentId, hash: hash)
    }

    /// Creates an API key named `name` and returns it (shown once; only its hash is kept).
    public static func createAPIKey(topology: Topology, name: String) async throws -> String {
        guard !name.isEmpty, name.utf8.count <= 40,
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else {
            throw GatewayError(
                "invalid_argument", "a key's name is 1 to 40 letters, digits, '-' or '_' (e.g. whatsapp)")
        }
        let store = try store(topology)
        if try await store.apiKeyExists(name: name) {
            throw GatewayError("conflict", "a key named '\(name)' exists already; choose another name")
        }
        return try await store.createAPIKey(name: name)
    }
}
