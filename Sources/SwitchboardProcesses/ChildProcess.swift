public import Foundation
import Glibc
import SwitchboardServiceKit

/// A child process of ours (`switchboard` started again with other arguments, or a tool): its
/// standard output as lines, its exit as an async value. The child dies with its parent (see
/// `ParentWatch`), so a killed supervisor or test leaves nothing behind.
///
/// Started with `posix_spawn`, not Foundation's `Process`: that one learns of an exit through a
/// socket the child inherits, so a sibling spawned at the same moment that inherited the socket
/// too (or a grandchild) hides the exit until it ends as well, and a supervisor waiting for it
/// waits forever. Here the child inherits nothing but its standard streams (every other
/// descriptor is closed in the child), and one thread per child sits in `waitpid` for exactly
/// that pid, and another reads its output: both are threads of their own, never the
/// cooperative pool.
public final class ChildProcess: Sendable {
    public let name: String
    /// The child's process id.
    public let pid: Int32
    /// Lines the child writes to standard output (finished when it closes its output).
    public let lines: AsyncStream<String>
    /// Lines the child writes to standard error, when `captureErrors` was set (else finished).
    public let errorLines: AsyncStream<String>
    /// The status once the reaper has seen the exit, and who waits for it until then.
    private struct Exit: Sendable {
        var status: Int32?
        var waiters: [CheckedContinuation<Int32, Never>] = []
    }
    private let ending = Locked(Exit())

    /// The path of the running executable, to start it again as a child.
    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Starts `executable` (a path) with `arguments`. Standard error is inherited (log lines show
    /// up in the parent's) unless `captureErrors`; standard output is read line by line into
    /// `lines` unless `captureOutput` is false (then it is inherited too).
    public init(
        name: String, executable: String = ChildProcess.currentExecutable, arguments: [String],
        environment: [String: String] = [:], removingEnvironment: Set<String> = [], captureOutput: Bool = true,
        captureErrors: Bool = false
    ) throws {
        self.name = name
        var childEnvironment = ProcessInfo.processInfo.environment
        childEnvironment[ParentWatch.environmentKey] = String(getpid())
        for key in removingEnvironment { childEnvironment[key] = nil }
        for (key, value) in environment { childEnvironment[key] = value }

        let output = captureOutput ? try Self.pipe() : nil
        let errors = captureErrors ? try Self.pipe() : nil
        let spawned: Int32
        do {
            spawned = try Self.spawn(
                executable, arguments: [executable] + arguments,
                environment: childEnvironment.map { "\($0.key)=\($0.value)" },
                output: output?.write, errors: errors?.write)
        } catch {
            for end in [output?.read, output?.write, errors?.read, errors?.write] { if let end { close(end) } }
            throw error
        }
        pid = spawned
        if let output { close(output.write) }
        if let errors { close(errors.write) }
        lines = Self.readLines(output?.read, name: "\(name)-out")
        errorLines = Self.readLines(errors?.read, name: "\(name)-err")

        let ending = self.ending
        let reaper = Thread {
            var raw: Int32 = 0
            var result: Int32
            repeat { result = waitpid(spawned, &raw, 0) } while result == -1 && errno == EINTR
            // The status as a shell reports it: the exit code, or the number of the signal.
            let status = result == -1 ? -1 : ((raw & 0x7f) == 0 ? (raw >> 8) & 0xff : raw & 0x7f)
            let pending = ending.withLock { exit -> [CheckedContinuation<Int32, Never>] in
                exit.status = status
                defer { exit.waiters.removeAll() }
                return exit.waiters
            }
            for waiter in pending { waiter.resume(returning: status) }
        }
        reaper.name = "sb-reap-\(name)"
        reaper.stackSize = 64 * 1024
        reaper.start()
    }

    /// The exit status once the child has ended (nil while it runs): its exit code, or the
    /// number of the signal that ended it.
    public var status: Int32? { ending.value.status }

    public var isRunning: Bool { status == nil }

    /// Waits for the child to end and returns its status (a signal shows as its number).
    public func waitForExit() async -> Int32 {
        await withCheckedContinuation { continuation in
            let done = ending.withLock { exit -> Int32? in
                if let status = exit.status { return status }
                exit.waiters.append(continuation)
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
        if isRunning { kill(pid, signal) }
    }

    /// Asks the child to stop, and kills it if it has not within `graceSeconds`.
    public func stop(graceSeconds: Double = 5) async -> Int32 {
        signal(SIGTERM)
        if let status = await waitForExit(within: graceSeconds) { return status }
        signal(SIGKILL)
        return await waitForExit()
    }

    // MARK: Spawning

    private static func pipe() throws -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        guard Glibc.pipe(&ends) == 0 else { throw SpawnError(what: "a pipe", code: errno) }
        // Close-on-exec for the parent's own children; ours close every descriptor anyway.
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34), looked up at run time because the
    /// C library's headers declare it only for `_GNU_SOURCE`.
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
    private static let closeFrom: CloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        else { return nil }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()

    private static func spawn(
        _ executable: String, arguments: [String], environment: [String], output: Int32?, errors: Int32?
    ) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let output { posix_spawn_file_actions_adddup2(&actions, output, STDOUT_FILENO) }
        if let errors { posix_spawn_file_actions_adddup2(&actions, errors, STDERR_FILENO) }
        // Nothing but the three standard streams reaches the child; descriptors opened without
        // close-on-exec by a library are closed here too.
        if let closeFrom { _ = closeFrom(&actions, 3) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with every signal at its default action and none blocked, whatever
        // the parent's threads had set (an ignored SIGPIPE would otherwise be inherited).
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw SpawnError(what: executable, code: result) }
        return pid
    }

    /// Reads `descriptor` on a thread of its own until end of file, as lines.
    private static func readLines(_ descriptor: Int32?, name: String) -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        guard let descriptor else {
            continuation.finish()
            return stream
        }
        let reader = Thread {
            var pending: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                pending.append(contentsOf: buffer[..<count])
                var start = 0
                while let newline = pending[start...].firstIndex(of: 0x0A) {
                    continuation.yield(String(decoding: pending[start..<newline], as: UTF8.self))
                    start = newline + 1
                }
                pending.removeFirst(start)
            }
            if !pending.isEmpty { continuation.yield(String(decoding: pending, as: UTF8.self)) }
            close(descriptor)
            continuation.finish()
        }
        reader.name = "sb-read-\(name)"
        reader.start()
        return stream
    }
}

/// A child that could not be started: what failed and the system's reason.
public struct SpawnError: Error, CustomStringConvertible {
    public let what: String
    public let code: Int32
    public var description: String {
        "could not start \(what): \(String(cString: strerror(code))) (check that the path exists and is executable)"
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
