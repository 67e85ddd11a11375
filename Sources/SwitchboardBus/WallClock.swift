import Glibc

/// The wall clock, for envelope timestamps (`ts`) and latency measured across processes.
public enum WallClock {
    /// Microseconds since the Unix epoch (CLOCK_REALTIME).
    public static func microseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
    }
}
