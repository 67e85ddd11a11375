import Glibc

/// The wall clock of the store: reply ages and outbox timestamps are wall-clock seconds, so
/// they stay meaningful across restarts (a monotonic clock restarts with the process).
public enum StoreClock {
    /// Seconds since the Unix epoch (CLOCK_REALTIME).
    public static func wallSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1_000_000_000
    }
}
