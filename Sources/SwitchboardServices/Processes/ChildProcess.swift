public import Foundation
public import Glibc

/// A child process of ours (`switchboard` started again with other arguments): its standard
/// output as lines, its exit as an async value. The child dies with its parent (see
/// `ParentWatch`), so a killed supervisor or test leaves nothing behind.
public final class ChildProcess: Sendable {
    public let name: String
    public let process: Process
    /// Lines the child writes to standard output.
    public let lines: AsyncStream<String>
    private let exitStatus: Locked<Int32?>
    private let exitWaiters = Locked<[CheckedContinuation<Int32, Never>]>([])

    /// The path of the running executable, to start it again as a child.
    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Starts `executable` with `arguments`. Standard error is inherited (log lines show up in
    /// the parent's), standard output is read line by line into `lines` unless `captureOutput`
    /// is false (then it is inherited too).
    public init(
        name: String, executable: String = ChildProcess.currentExecutable, arguments: [String],
        environment: [String: String] = [:], removingEnvironment: Set<String> = [], captureOutput: Bool = true
    ) throws {
        self.name = name
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var childEnvironment = ProcessInfo.processInfo.environment
        childEnvironment[ParentWatch.environmentKey] = String(getpid())
        for key in removingEnvironment { childEnvironment[key] = nil }
        for (key, value) in environment { childEnvironment[key] = value }
        process.environment = childEnvironment
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        self.lines = stream
        let exitStatus = Locked<Int32?>(nil)
        self.exitStatus = exitStatus
        if captureOutput {
            let pipe = Pipe()
            process.standardOutput = pipe
            let pending = Locked<[UInt8]>([])
            // The handler runs on a Foundation queue, never on Swift's cooperative pool.
            pipe.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                if data.isEmpty {
                    handle.readabilityHandler = nil
                    let rest = pending.withLock { bytes -> [UInt8] in
                        defer { bytes.removeAll() }
                        return bytes
                    }
                    if !rest.isEmpty { continuation.yield(String(decoding: rest, as: UTF8.self)) }
                    continuation.finish()
                    return
                }
                let complete = pending.withLock { bytes -> [String] in
                    bytes.append(contentsOf: data)
                    var lines: [String] = []
                    while let newline = bytes.firstIndex(of: 0x0A) {
                        lines.append(String(decoding: bytes[..<newline], as: UTF8.self))
                        bytes.removeSubrange(...newline)
                    }
                    return lines
                }
                for line in complete { continuation.yield(line) }
            }
        } else {
            continuation.finish()
        }
        let waiters = exitWaiters
        process.terminationHandler = { process in
            let status = process.terminationStatus
            exitStatus.withLock { $0 = status }
            let pendingWaiters = waiters.withLock { list -> [CheckedContinuation<Int32, Never>] in
                defer { list.removeAll() }
                return list
            }
            for waiter in pendingWaiters { waiter.resume(returning: status) }
        }
        try process.run()
        self.process = process
    }

    public var pid: Int32 { process.processIdentifier }

    /// The exit status once the child has ended (nil while it runs).
    public var status: Int32? { exitStatus.value }

    public var isRunning: Bool { status == nil }

    /// Waits for the child to end and returns its status (a signal shows as its number).
    public func waitForExit() async -> Int32 {
        await withCheckedContinuation { continuation in
            let done = exitWaiters.withLock { list -> Int32? in
                if let status = exitStatus.value { return status }
                list.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// Sends `signal` (SIGTERM by default) if the child still runs.
    public func signal(_ signal: Int32 = SIGTERM) {
        if isRunning { kill(pid, signal) }
    }

    /// Asks the child to stop, and kills it if it has not within `graceSeconds`.
    public func stop(graceSeconds: Double = 5) async -> Int32 {
        signal(SIGTERM)
        let killer = Task {
            try? await Task.sleep(for: .milliseconds(Int64(graceSeconds * 1_000)))
            signal(SIGKILL)
        }
        let status = await waitForExit()
        killer.cancel()
        return status
    }
}

/// A child started by `ChildProcess` dies with its parent: it watches its parent process id and,
/// once it has been re-parented (the parent died, even by SIGKILL), sends itself SIGTERM so it
/// shuts down gracefully. (PR_SET_PDEATHSIG is not used: it fires when the *thread* that started
/// the child exits, and the threads of Swift's concurrency pool come and go.)
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
