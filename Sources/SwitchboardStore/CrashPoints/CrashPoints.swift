import Glibc
import Synchronization

/// Crash points for recovery tests. When `SWITCHBOARD_CRASH_AT` is set (see `CrashPlan`),
/// the process kills itself with SIGKILL at the planned passage, so that nothing (no defer,
/// no flush, no close) runs after it, as in a real crash. Unset, every call is one load of a
/// constant. A restarted process must not inherit the variable, or it dies again.
public enum CrashPoints {
    /// The plan read from the environment at first use; an unreadable value arms nothing
    /// (call `validateEnvironment()` at startup to refuse it loudly instead).
    private static let countdown: Mutex<CrashCountdown> = Mutex(CrashCountdown(plan: environmentPlan()))

    /// True when the environment plans a crash.
    public static let isArmed: Bool = environmentPlan() != nil

    /// How long the relay waits at `before-publish` before dying, without publishing
    /// anything: the command server queues its replies right after the commit returns, and this
    /// lets the I/O thread put them on the wire, so the client really holds an ACK whose events
    /// were never published.
    public static let beforePublishGraceMilliseconds = 200

    /// Reads `SWITCHBOARD_CRASH_AT`; throws on a value that is set but unreadable.
    public static func validateEnvironment() throws(CrashPlanError) -> CrashPlan? {
        try CrashPlan.parse(environmentValue())
    }

    /// Passes `point`: dies here if this is the planned hit.
    public static func hit(_ point: CrashPoint) {
        guard isArmed, shouldCrash(at: point) else { return }
        killSelf()
    }

    /// Counts a passage through `point`; true when the process must die now.
    static func shouldCrash(at point: CrashPoint) -> Bool {
        countdown.withLock { $0.hit(point) }
    }

    /// Waits the grace period (publishing nothing), then dies.
    static func crashAfterGrace() async {
        try? await Task.sleep(for: .milliseconds(beforePublishGraceMilliseconds))
        killSelf()
    }

    private static func killSelf() {
        kill(getpid(), SIGKILL)
        // SIGKILL cannot be caught; should delivery lag, never run on past the crash point.
        while true { pause() }
    }

    private static func environmentValue() -> String? {
        getenv(CrashPlan.environmentVariable).map { String(cString: $0) }
    }

    private static func environmentPlan() -> CrashPlan? {
        try? CrashPlan.parse(environmentValue())
    }
}
