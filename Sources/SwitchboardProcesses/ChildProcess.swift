public import Foundation
import Glibc
import Subprocess
import SwitchboardServiceKit

/// A child process of ours (`switchboard` started again with other arguments, or a tool): its
/// standard output as lines, its exit as an async value. The child dies with its parent (see
/// `ParentWatch`), so a killed supervisor or test leaves nothing behind.
///
/// Run through swift-subprocess, not Foundation's `Process`: that one learns of an exit through
/// a socket the child inherits, so a sibling spawned at the same moment that inherited the
/// socket too (or a grandchild) hides the exit until it ends as well, and a supervisor waiting
/// for it waits forever. swift-subprocess learns of the exit through the child's pidfd, gives the
/// child nothing but its standard streams (every other descriptor is closed in the child, with
/// or without close-on-exec) and default signal dispositions, and spawns, reads and watches for
/// exits on threads of its own: nothing here blocks the cooperative pool.
public final class ChildProcess: Sendable {
    public let name: String
    /// The child's process id.
    public let pid: Int32
    /// Lines the child writes to standard output (finished when it closes its output or ends).
    public let lines: AsyncStream<String>
    /// Lines the child writes to standard error, when `captureErrors` was set (else finished).
    public let errorLines: AsyncStream<String>

    /// The status once the child has ended, who waits for it until then, and how to signal it
    /// meanwhile.
    struct State: Sendable {
        var status: Int32?
        var spawned = false
        var waiters: [CheckedContinuation<Int32, Never>] = []
        /// Sends a signal through swift-subprocess's execution (by pidfd, so never to a stranger
        /// that reused the pid); set while `run`'s closure runs, which lasts until the exit.
        var send: (@Sendable (Int32) -> Void)?
    }
    private let state: Locked<State>

    /// The longest line passed on whole; a longer one arrives in pieces of this size.
    static let lineBytesMax = 1 << 20

    /// The path of the running executable, to start it again as a child.
    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Starts `executable` (a path) with `arguments`, and returns once it runs. Standard error is
    /// inherited (log lines show up in the parent's) unless `captureErrors`; standard output is
    /// read line by line into `lines` unless `captureOutput` is false (then it is inherited too).
    /// Standard input is inherited.
    public init(
        name: String, executable: String = ChildProcess.currentExecutable, arguments: [String],
        environment: [String: String] = [:], removingEnvironment: Set<String> = [], captureOutput: Bool = true,
        captureErrors: Bool = false
    ) async throws {
        self.name = name
        var childEnvironment = ProcessInfo.processInfo.environment
        childEnvironment[ParentWatch.environmentKey] = String(getpid())
        for key in removingEnvironment { childEnvironment[key] = nil }
        for (key, value) in environment { childEnvironment[key] = value }
        let configuration = Configuration(
            executable: .path(Self.filePath(executable)), arguments: Arguments(arguments),
            environment: .custom(
                Dictionary(
                    uniqueKeysWithValues: childEnvironment.compactMap { key, value in
                        Environment.Key(rawValue: key).map { ($0, value) }
                    })))

        let (lines, output) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        let (errorLines, errors) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        self.lines = lines
        self.errorLines = errorLines
        if !captureOutput { output.finish() }
        if !captureErrors { errors.finish() }
        let state = Locked(State())
        self.state = state
        // `run` lasts as long as the child: it runs in a task of its own, which reports the pid
        // (or the failure to start) back here once the child runs.
        pid = try await withCheckedThrowingContinuation { started in
            let run = Run(
                configuration: configuration, executable: executable, state: state, started: started,
                output: captureOutput ? output : nil, errors: captureErrors ? errors : nil)
            Task { await run.run() }
        }
    }

    /// swift-subprocess's `FilePath` for `path`, made through its string-literal conformance:
    /// naming the type's own initializer would make swift-system a dependency of ours for one call.
    private static func filePath<Path: ExpressibleByStringLiteral>(_ path: String) -> Path
    where Path.StringLiteralType == String {
        Path(stringLiteral: path)
    }

    /// The exit status once the child has ended (nil while it runs): its exit code, or the
    /// number of the signal that ended it.
    public var status: Int32? { state.value.status }

    public var isRunning: Bool { status == nil }

    /// Waits for the child to end and returns its status (a signal shows as its number).
    public func waitForExit() async -> Int32 {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Int32? in
                if let status = state.status { return status }
                state.waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// Waits at most `seconds` for the child to end: its status, or nil while it still runs.
    public func waitForExit(within seconds: Double) async -> Int32? {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int64(seconds * 1_000)))
        while ContinuousClock.now < deadline {
            if let status { return status }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return status
    }

    /// Sends `signal` (SIGTERM by default) if the child still runs.
    public func signal(_ signal: Int32 = SIGTERM) {
        // Under the lock, so the execution (and its pidfd) cannot be given up meanwhile.
        state.withLock { state in state.send?(signal) }
    }

    /// Asks the child to stop, and kills it if it has not within `graceSeconds`.
    public func stop(graceSeconds: Double = 5) async -> Int32 {
        signal(SIGTERM)
        if let status = await waitForExit(within: graceSeconds) { return status }
        signal(SIGKILL)
        return await waitForExit()
    }
}

/// A child that could not be started: what failed and why.
public struct SpawnError: Error, CustomStringConvertible {
    public let what: String
    /// The system's reason when the executable cannot be run, else swift-subprocess's account.
    public let reason: String

    init(what: String, failure: any Error) {
        self.what = what
        // swift-subprocess says "not found or cannot be executed"; the system says which.
        reason = access(what, X_OK) == 0 ? String(describing: failure) : String(cString: strerror(errno))
    }

    public var description: String {
        "could not start \(what): \(reason) (check that the path exists and is executable)"
    }
}

/// A child started by `ChildProcess` dies with its parent: it watches its parent process id and,
/// once it has been re-parented (the parent died, even by SIGKILL), sends itself SIGTERM so it
/// shuts down gracefully. (PR_SET_PDEATHSIG is not used: swift-subprocess offers no hook that
/// runs in the child before `exec` on Linux, and the signal fires when the *thread* that started
/// the child exits, not the process.)
public enum ParentWatch {
    public static let environmentKey = "SWITCHBOARD_PARENT_PID"

    /// Call first thing in `main`; a process not started by `ChildProcess` is unaffected.
    public static func installIfChild() {
        guard let value = ProcessInfo.processInfo.environment[environmentKey], let parent = Int32(value) else { return }
        if getppid() != parent { exit(0) }
        Task.detached {
            while getppid() == parent {
                try? await Task.sleep(for: .milliseconds(250))
            }
            kill(getpid(), SIGTERM)
            // A process that ignores SIGTERM (still starting up) is not left behind either.
            try? await Task.sleep(for: .seconds(10))
            kill(getpid(), SIGKILL)
        }
    }
}
