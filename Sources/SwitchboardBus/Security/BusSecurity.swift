import Glibc
public import Logging
public import ZeroMQ

/// CURVE on the bus sockets of one process: its own key pair, the public key of each server it
/// connects to, and the client keys its servers let in (each with the principal it acts as).
/// Every bus type takes it as an optional: nil keeps today's open sockets.
///
/// Servers (`EventPublisher`, `SnapshotServer`, `CommandServer`) encrypt with this process's key
/// and let in only the listed clients, through the loop's `CurveAuthenticator`, installed by the
/// first server opened on the loop. Clients (`Replica`, `CommandClient`) prove themselves with
/// this process's key and check the server's.
public struct BusSecurity: Sendable, Equatable {
    /// This process's own key pair.
    public var keys: CurveKeyPair
    /// Server public key (Z85) by endpoint (`tcp://host:port`, as connected to).
    public var serverPublicKeys: [String: String]
    /// Client public keys this process's servers let in, with the principal each acts as.
    public var allowList: CurveAllowList
    /// The ZAP domain of this process's servers.
    public var zapDomain: String

    public init(
        keys: CurveKeyPair, serverPublicKeys: [String: String] = [:], allowList: CurveAllowList = CurveAllowList(),
        zapDomain: String = CurveAuthenticator.defaultDomain
    ) {
        self.keys = keys
        self.serverPublicKeys = serverPublicKeys
        self.allowList = allowList
        self.zapDomain = zapDomain
    }

    /// Trusts `publicKey` as the server at each of `endpoints`.
    public mutating func trustServer(_ publicKey: String, at endpoints: [String]) {
        for endpoint in endpoints { serverPublicKeys[endpoint] = publicKey }
    }

    /// `base` with CURVE as a server. The loop must have its authenticator (`prepareServer`).
    public func serverOptions(_ base: SocketOptions) -> SocketOptions {
        var options = base
        options.curve = CurveOptions(role: .server, keys: keys, zapDomain: zapDomain)
        return options
    }

    /// `base` with CURVE as a client of the server at `endpoint`; refused when its key is unknown.
    public func clientOptions(_ base: SocketOptions, connectingTo endpoint: String) throws(ZMQError) -> SocketOptions {
        guard let serverKey = serverPublicKeys[endpoint] else {
            throw ZMQError(
                code: EINVAL,
                operation:
                    "connect to \(endpoint) with CURVE: no server public key is known for this endpoint (add the "
                    + "server's public key to the security settings for it)")
        }
        var options = base
        options.curve = CurveOptions(role: .client(serverPublicKey: serverKey), keys: keys)
        return options
    }

    /// Makes sure `loop` answers ZAP requests before a CURVE server socket is opened on it: the
    /// first server installs an authenticator with this allow-list; later ones share it (replace
    /// its allow-list through `SocketLoop.currentAuthenticator` to revoke keys).
    @discardableResult
    public func prepareServer(on loop: SocketLoop, logger: Logger) async throws(ZMQError) -> CurveAuthenticator {
        try await loop.authenticator(
            installingIfAbsent: CurveAuthenticator(allowList: allowList, domain: zapDomain, logger: logger))
    }

    /// Opens `spec` as a server: with CURVE (authenticator first) when `security` is set.
    static func openServer(
        _ spec: SocketSpec, security: BusSecurity?, loop: SocketLoop, logger: Logger
    ) async throws(ZMQError) -> SocketHandle {
        guard let security else { return try await loop.open(spec) }
        try await security.prepareServer(on: loop, logger: logger)
        var spec = spec
        spec.options = security.serverOptions(spec.options)
        return try await loop.open(spec)
    }
}
