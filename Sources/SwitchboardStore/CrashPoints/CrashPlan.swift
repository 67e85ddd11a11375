/// A place in the command path where a test may ask the process to die, to prove that what
/// was acknowledged survives and what was committed is published exactly from the outbox.
public enum CrashPoint: String, Sendable, CaseIterable {
    /// The transaction committed; the command's reply has not been sent. The service calls
    /// `CrashPoints.hit(.afterCommit)` right after its `commit` returns.
    case afterCommit = "after-commit"
    /// The replies were sent; the relay has not published the transaction's events. The relay
    /// checks it before each event.
    case beforePublish = "before-publish"
}

/// What `SWITCHBOARD_CRASH_AT` asks for: die at the `hitNumber`-th time `point` is reached.
///
/// Syntax: `<point>[:<n>]`, where point is `after-commit`, `before-publish` or its alias
/// `after-ack`, and n ≥ 1 (default 1). `after-commit` counts commits the service reports;
/// `before-publish` counts events the relay is about to publish.
public struct CrashPlan: Sendable, Equatable {
    public static let environmentVariable = "SWITCHBOARD_CRASH_AT"

    public let point: CrashPoint
    public let hitNumber: Int

    public init(point: CrashPoint, hitNumber: Int = 1) {
        self.point = point
        self.hitNumber = hitNumber
    }

    /// Reads the variable's value; nil or empty means no crash.
    public static func parse(_ value: String?) throws(CrashPlanError) -> CrashPlan? {
        guard let value, !value.isEmpty else { return nil }
        let parts = value.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = parts[0]
        let point: CrashPoint
        switch name {
        case "after-commit": point = .afterCommit
        case "before-publish", "after-ack": point = .beforePublish
        default:
            throw CrashPlanError(
                value: value,
                problem: "'\(name)' is not a crash point; use after-commit, after-ack or before-publish, "
                    + "optionally followed by :N")
        }
        guard parts.count == 2 else { return CrashPlan(point: point) }
        guard let number = Int(parts[1]), number >= 1 else {
            throw CrashPlanError(value: value, problem: "'\(parts[1])' is not a hit number; write a whole number ≥ 1")
        }
        return CrashPlan(point: point, hitNumber: number)
    }
}

/// A `SWITCHBOARD_CRASH_AT` value that cannot be read.
public struct CrashPlanError: Error, Sendable, Equatable, CustomStringConvertible {
    public let value: String
    public let problem: String

    public var description: String { "\(CrashPlan.environmentVariable)=\(value): \(problem)" }
}

/// Counts hits of the planned point and says when to die: the pure decision behind
/// `CrashPoints`, tested without killing anything.
public struct CrashCountdown: Sendable, Equatable {
    public let plan: CrashPlan?
    public private(set) var hits = 0

    public init(plan: CrashPlan?) {
        self.plan = plan
    }

    /// Registers one passage through `point`; true exactly at the planned hit.
    public mutating func hit(_ point: CrashPoint) -> Bool {
        guard let plan, plan.point == point else { return false }
        hits += 1
        return hits == plan.hitNumber
    }
}
