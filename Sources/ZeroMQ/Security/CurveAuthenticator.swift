public import Logging
import Synchronization

/// The ZAP handler (RFC 27) of one `SocketLoop`: it answers libzmq's authentication requests for
/// every CURVE server socket of the loop's context from an allow-list of client public keys,
/// replaceable at run time (a key removed by a reload is refused on its next connection;
/// connections already made stay until they end).
///
/// libzmq 4.3 lets a CURVE handshake through unauthenticated when no ZAP handler answers, so
/// the loop binds this handler before any CURVE server socket exists, and every CURVE server
/// socket sets its ZAP domain and ZAP_ENFORCE_DOMAIN (no handler then means no connection).
public final class CurveAuthenticator: Sendable {
    /// Where libzmq sends ZAP requests, within one context (fixed by RFC 27).
    public static let endpoint = "inproc://zeromq.zap.01"
    /// The ZAP domain of Switchboard's CURVE servers.
    public static let defaultDomain = "switchboard"
    /// Refusals remembered for logging once per (key, address); past this, refusals are only counted.
    public static let loggedRefusalsMax = 10_000

    /// The domain answered; requests for another domain are refused.
    public let domain: String
    private let logger: Logger
    private let state: Mutex<State>

    private struct State {
        var allowList: CurveAllowList
        var logged: Set<String> = []
        var accepted = 0
        var refused = 0
        var loggedRefusals = 0
    }

    public init(allowList: CurveAllowList, domain: String = CurveAuthenticator.defaultDomain, logger: Logger) {
        self.domain = domain
        self.logger = logger
        self.state = Mutex(State(allowList: allowList))
    }

    /// The allow-list in force.
    public var allowList: CurveAllowList { state.withLock { $0.allowList } }

    /// Puts `allowList` in force for every handshake from now on (revocation by reload).
    public func replaceAllowList(_ allowList: CurveAllowList) {
        state.withLock { $0.allowList = allowList }
        logger.info("CURVE allow-list replaced", metadata: ["keys": "\(allowList.count)"])
    }

    /// Handshakes allowed so far.
    public var acceptedCount: Int { state.withLock { $0.accepted } }
    /// Handshakes refused so far (a refused client retries, so one client may count many times).
    public var refusedCount: Int { state.withLock { $0.refused } }
    /// Refusals that were logged (once per key and address).
    public var loggedRefusalCount: Int { state.withLock { $0.loggedRefusals } }

    /// What the handler decided for one request.
    public struct Decision: Sendable, Equatable {
        /// 200 (allowed), 400 (refused), 500 (a request the handler cannot read).
        public var statusCode: String
        public var statusText: String
        /// The principal, sent back as the connection's User-Id ("" when refused).
        public var userID: String
    }

    /// Answers the frames of one ZAP request (after the ROUTER's envelope): version, request id,
    /// domain, address, identity, mechanism, credentials. Returns the reply frames: version,
    /// request id, status code, status text, user id, metadata. Called on the I/O thread.
    func reply(to frames: [[UInt8]]) -> [[UInt8]] {
        let requestID = frames.count > 1 ? frames[1] : []
        let decision = decide(frames)
        return [
            Array("1.0".utf8), requestID, Array(decision.statusCode.utf8), Array(decision.statusText.utf8),
            Array(decision.userID.utf8), [],
        ]
    }

    /// The decision for one request, logging a refusal the first time its (key, address) is seen.
    public func decide(_ frames: [[UInt8]]) -> Decision {
        func text(_ index: Int) -> String { String(decoding: frames[index], as: UTF8.self) }
        guard frames.count >= 6, text(0) == "1.0" else {
            return Decision(statusCode: "500", statusText: "malformed ZAP request", userID: "")
        }
        let requestDomain = text(2)
        let address = text(3)
        let mechanism = text(5)
        if mechanism == "NULL" && requestDomain != domain {
            // An open socket of this context: outside the handler's governance, as without it.
            return Decision(statusCode: "200", statusText: "OK", userID: "")
        }
        guard mechanism == "CURVE", frames.count >= 7, frames[6].count == 32,
            let publicKey = Z85.encode(frames[6])
        else {
            return refuse(
                key: "-", address: address,
                reason: "mechanism \(mechanism) is not accepted here; connect with CURVE and a listed key")
        }
        guard requestDomain == domain else {
            return refuse(
                key: publicKey, address: address,
                reason: "ZAP domain '\(requestDomain)' is not served; this process serves '\(domain)'")
        }
        let principal = state.withLock { state -> String? in
            let principal = state.allowList.principal(for: publicKey)
            if principal != nil { state.accepted += 1 }
            return principal
        }
        guard let principal else {
            return refuse(key: publicKey, address: address, reason: "the key is not in the allow-list")
        }
        return Decision(statusCode: "200", statusText: "OK", userID: principal)
    }

    private func refuse(key: String, address: String, reason: String) -> Decision {
        let first = state.withLock { state -> Bool in
            state.refused += 1
            guard state.logged.count < Self.loggedRefusalsMax, state.logged.insert("\(key) \(address)").inserted else {
                return false
            }
            state.loggedRefusals += 1
            return true
        }
        if first {
            logger.warning(
                "refused a CURVE client: \(reason)",
                metadata: ["key": "\(key)", "address": "\(address)", "domain": "\(domain)"])
        }
        return Decision(statusCode: "400", statusText: reason, userID: "")
    }
}
