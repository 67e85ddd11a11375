/// Counts requests per key (an account, an address, an API key) in a sliding minute and says
/// when one is over its limit, and how long until it may try again. A value type with injected
/// time; the gateway keeps one per kind of limit behind an actor.
public struct RateLimiter: Sendable {
    /// What to do with a request.
    public enum Decision: Sendable, Equatable {
        case allowed
        /// Over the limit: try again after this many whole seconds (at least 1).
        case limited(retryAfterSeconds: Int)
    }

    /// Requests allowed per key within `windowSeconds`.
    public let limit: Int
    public let windowSeconds: Double
    /// Keys remembered at most; past it the quietest keys are forgotten (bounded memory).
    public let keysMax: Int
    private var attempts: [String: [Double]] = [:]

    public init(limit: Int, windowSeconds: Double = 60, keysMax: Int = 100_000) {
        self.limit = max(1, limit)
        self.windowSeconds = windowSeconds
        self.keysMax = keysMax
    }

    /// Counts a request for `key` at `now` (seconds) when it is allowed; a refused one is not
    /// counted, so a client that waits `Retry-After` gets in.
    public mutating func attempt(_ key: String, now: Double) -> Decision {
        let decision = check(key, now: now)
        if decision == .allowed {
            attempts[key, default: []].append(now)
            if attempts.count > keysMax { forgetOldest(now: now) }
        }
        return decision
    }

    /// What `attempt` would say, without counting.
    public mutating func check(_ key: String, now: Double) -> Decision {
        var times = attempts[key] ?? []
        times.removeAll { $0 <= now - windowSeconds }
        attempts[key] = times.isEmpty ? nil : times
        guard times.count >= limit, let oldest = times.first else { return .allowed }
        let wait = oldest + windowSeconds - now
        return .limited(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
    }

    private mutating func forgetOldest(now: Double) {
        attempts = attempts.filter { $0.value.last.map { $0 > now - windowSeconds } ?? false }
        while attempts.count > keysMax, let key = attempts.min(by: { ($0.value.last ?? 0) < ($1.value.last ?? 0) })?.key
        {
            attempts[key] = nil
        }
    }
}
