/// OTP-style restart intensity: at most `restartsMax` restarts of one service within
/// `windowSeconds`; one more means the service is broken, not unlucky, and `up` gives up.
public struct RestartPolicy: Sendable, Equatable {
    public var restartsMax: Int
    public var windowSeconds: Double
    /// Wait before a restart, so a crash loop does not spin.
    public var delaySeconds: Double

    public init(restartsMax: Int, windowSeconds: Double, delaySeconds: Double = 0.05) {
        self.restartsMax = restartsMax
        self.windowSeconds = windowSeconds
        self.delaySeconds = delaySeconds
    }

    /// Decides on a restart at `now` given earlier restart times; returns the times to keep
    /// (those inside the window, plus this one) or nil when the limit is exceeded.
    public func allowRestart(at now: Double, after earlier: [Double]) -> [Double]? {
        let recent = earlier.filter { now - $0 < windowSeconds }
        guard recent.count < restartsMax else { return nil }
        return recent + [now]
    }
}
