/// The options a socket is created with. Every socket gets a bounded linger, so that closing
/// the context never hangs on undelivered messages, and a last-resort size cap far above the
/// bus's own limit (the bus validates sizes itself and answers with an error; the cap only
/// protects memory from a hostile peer, by dropping its connection).
public struct SocketOptions: Sendable, Hashable {
    /// Messages queued per peer before sending drops (PUB) or refuses (ROUTER, DEALER). 0 = no limit.
    public var sendHighWaterMark: Int32 = 100_000
    /// Messages queued per peer on the receiving side. 0 = no limit.
    public var receiveHighWaterMark: Int32 = 100_000
    /// How long close waits to deliver what is queued.
    public var lingerMilliseconds: Int32 = 200
    /// Connections drop a peer sending a larger message.
    public var maxMessageBytes: Int64 = 64 << 20
    /// First reconnect delay, doubled up to `reconnectMaxMilliseconds`.
    public var reconnectMilliseconds: Int32 = 20
    public var reconnectMaxMilliseconds: Int32 = 250
    /// A dead host sends no FIN: TCP keepalive probes an idle connection after this long and
    /// drops it after `keepAliveProbes` unanswered probes `keepAliveIntervalSeconds` apart
    /// (about 5 s in all), and the connecting side reconnects. The bus's own heartbeat events
    /// tell a consumer that a publisher went quiet sooner than that.
    ///
    /// ZMTP heartbeats (ZMQ_HEARTBEAT_IVL) are deliberately not used. libzmq 4.3 aborts the
    /// whole process when a heartbeat time-out ends a connection whose receiving side has
    /// stopped reading because its queue is full (a slow consumer, for a few seconds): the
    /// stalled side is torn down while a wake-up for it is still in flight, and
    /// stream_engine_base.cpp asserts `_input_stopped` or `!_io_error`. A kernel keepalive
    /// does not end a connection whose peer is alive however slowly it reads.
    public var keepAliveIdleSeconds: Int32 = 2
    public var keepAliveIntervalSeconds: Int32 = 1
    public var keepAliveProbes: Int32 = 3
    /// DEALER: queue messages only to completed connections, so a command sent while the
    /// server is down is refused (and retried by the client) instead of piling up.
    public var immediate: Bool = false
    /// ROUTER: report an unknown peer as an error instead of dropping silently.
    public var routerMandatory: Bool = true
    /// SUB: topic prefixes to subscribe to ("" = everything).
    public var subscriptions: [String] = []
    /// CURVE: when set, the socket encrypts and authenticates (see `CurveOptions`).
    public var curve: CurveOptions? = nil

    public init() {}
}

/// CURVE keys, Z85-encoded (40 characters each). A server socket needs its loop's
/// `CurveAuthenticator` installed first (`SocketLoop.installAuthenticator`).
public struct CurveOptions: Sendable, Hashable {
    public enum Role: Sendable, Hashable {
        /// The binding side: proves itself with its secret key.
        case server
        /// The connecting side: must know the server's public key.
        case client(serverPublicKey: String)
    }

    public var role: Role
    public var publicKey: String
    public var secretKey: String
    /// The ZAP domain a server asks its loop's `CurveAuthenticator` about (ignored by clients).
    public var zapDomain: String

    public init(
        role: Role, publicKey: String, secretKey: String, zapDomain: String = CurveAuthenticator.defaultDomain
    ) {
        self.role = role
        self.publicKey = publicKey
        self.secretKey = secretKey
        self.zapDomain = zapDomain
    }

    /// This process's key pair in `role`.
    public init(role: Role, keys: CurveKeyPair, zapDomain: String = CurveAuthenticator.defaultDomain) {
        self.init(role: role, publicKey: keys.publicKey, secretKey: keys.secretKey, zapDomain: zapDomain)
    }
}
