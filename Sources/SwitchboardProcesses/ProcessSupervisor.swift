import Foundation
public import Logging
import SwitchboardBus
public import SwitchboardTopology

/// `switchboard up`: starts the services a topology places on this host as child processes,
/// restarts one that dies within the restart policy, and stops them all on request.
public actor ProcessSupervisor {
    /// What happened, for the log and for tools (chaos) that follow `up --json`.
    public enum Event: Sendable, Equatable {
        case started(ServiceName, pid: Int32)
        case exited(ServiceName, pid: Int32, status: Int32)
        case gaveUp(ServiceName, restarts: Int, windowSeconds: Double)
        case stopped
    }

    public let topologyFile: String
    public let services: [ServiceName]
    public let policy: RestartPolicy
    private let logger: Logger
    private let arguments: (ServiceName) -> [String]
    private let environment: [String: String]
    /// Environment given to a service's first start only (a crash plan must not kill its restarts).
    private var firstStartEnvironment: [ServiceName: [String: String]]
    private var children: [ServiceName: ChildProcess] = [:]
    private var restarts: [ServiceName: [Double]] = [:]
    private var stopping = false
    private var stopGraceSeconds: Double = 10
    private var failure: String?
    private let events: AsyncStream<Event>.Continuation
    /// Everything the supervisor does, in order.
    public nonisolated let eventStream: AsyncStream<Event>
    private let started = ContinuousClock.now

    public init(
        topologyFile: String, services: [ServiceName], policy: RestartPolicy, logger: Logger,
        environment: [String: String] = [:], firstStartEnvironment: [ServiceName: [String: String]] = [:],
        arguments: @escaping @Sendable (ServiceName) -> [String] = { _ in [] }
    ) {
        self.firstStartEnvironment = firstStartEnvironment
        self.topologyFile = topologyFile
        self.services = services
        self.policy = policy
        self.logger = logger
        self.environment = environment
        self.arguments = arguments
        (eventStream, events) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
    }

    /// Starts every service and supervises until `stop()` or until a service exceeds its
    /// restart limit. Returns nil after a requested stop, or the reason it gave up.
    public func run() async -> String? {
        for service in services { await start(service) }
        await withTaskGroup(of: Void.self) { group in
            for service in services {
                group.addTask { await self.supervise(service) }
            }
        }
        events.yield(.stopped)
        events.finish()
        return failure
    }

    /// Stops every child (SIGTERM, then SIGKILL after `graceSeconds`).
    public func stop(graceSeconds: Double = 10) async {
        guard !stopping else { return }
        stopping = true
        stopGraceSeconds = graceSeconds
        let running = Array(children.values)
        await withTaskGroup(of: Void.self) { group in
            for child in running {
                group.addTask { _ = await child.stop(graceSeconds: graceSeconds) }
            }
        }
    }

    /// Sends `signal` to every running child but those of `except` (SIGHUP: each re-reads its files).
    public func signalAll(_ signal: Int32, except: Set<ServiceName> = []) {
        for (service, child) in children where child.isRunning && !except.contains(service) { child.signal(signal) }
    }

    /// The current process id of each running service.
    public func pids() -> [ServiceName: Int32] {
        children.filter { $0.value.isRunning }.mapValues(\.pid)
    }

    private func start(_ service: ServiceName) async {
        guard !stopping else { return }
        do {
            var childEnvironment = environment
            for (key, value) in firstStartEnvironment.removeValue(forKey: service) ?? [:] {
                childEnvironment[key] = value
            }
            // A crash plan in up's own environment is not inherited: only `--crash-at` arms one.
            let child = try await ChildProcess(
                name: service.rawValue,
                arguments: [service.rawValue, "--topology", topologyFile] + arguments(service),
                environment: childEnvironment, removingEnvironment: ["SWITCHBOARD_CRASH_AT"], captureOutput: false)
            children[service] = child
            logger.info("started the \(service) (pid \(child.pid))")
            events.yield(.started(service, pid: child.pid))
            // A stop that came while this child was starting did not see it: it stops it here.
            if stopping { _ = await child.stop(graceSeconds: stopGraceSeconds) }
        } catch {
            logger.error("cannot start the \(service): \(error)")
            children[service] = nil
        }
    }

    private func supervise(_ service: ServiceName) async {
        while true {
            guard let child = children[service] else {
                if stopping { return }
                if !(await restartOrGiveUp(service, status: -1)) { return }
                continue
            }
            let status = await child.waitForExit()
            events.yield(.exited(service, pid: child.pid, status: status))
            if stopping { return }
            logger.warning("the \(service) (pid \(child.pid)) exited with status \(status); restarting")
            if !(await restartOrGiveUp(service, status: status)) { return }
        }
    }

    /// Restarts `service` within the policy; false when it gave up (and stopped everything).
    private func restartOrGiveUp(_ service: ServiceName, status: Int32) async -> Bool {
        let now = (ContinuousClock.now - started).seconds
        guard let kept = policy.allowRestart(at: now, after: restarts[service] ?? []) else {
            let reason =
                "the \(service) died \(policy.restartsMax + 1) times within \(Int(policy.windowSeconds)) s "
                + "(last status \(status)); giving up and stopping every service"
            logger.critical("\(reason)")
            failure = reason
            events.yield(.gaveUp(service, restarts: policy.restartsMax, windowSeconds: policy.windowSeconds))
            await stop()
            return false
        }
        restarts[service] = kept
        try? await Task.sleep(for: .milliseconds(Int64(policy.delaySeconds * 1_000)))
        if stopping { return false }
        await start(service)
        return true
    }
}
