public import SwitchboardTopology

/// The gateway's rate limits, per minute: sign-in attempts per account and per address, connector
/// requests per key and per address (the topology's `limits`).
public actor RequestLimits {
    public enum Kind: Sendable, CaseIterable {
        case signinAccount, signinAddress, apiKey, apiAddress
    }

    private var limiters: [Kind: RateLimiter]
    private let started = ContinuousClock.now

    public init(_ settings: Topology.GatewaySettings) {
        limiters = [
            .signinAccount: RateLimiter(limit: settings.signinPerAccount),
            .signinAddress: RateLimiter(limit: settings.signinPerAddress),
            .apiKey: RateLimiter(limit: settings.apiPerKey),
            .apiAddress: RateLimiter(limit: settings.apiPerAddress),
        ]
    }

    /// Counts one request of each (kind, key) and returns the longest wait asked, or nil when all
    /// allow it. Nothing is counted when one refuses.
    public func attempt(_ keys: [(Kind, String)]) -> Int? {
        let now = (ContinuousClock.now - started) / .seconds(1)
        var wait: Int?
        for (kind, key) in keys {
            if case .limited(let seconds) = limiters[kind]?.check(key, now: now) { wait = max(wait ?? 0, seconds) }
        }
        if wait != nil { return wait }
        for (kind, key) in keys { _ = limiters[kind]?.attempt(key, now: now) }
        return nil
    }
}
