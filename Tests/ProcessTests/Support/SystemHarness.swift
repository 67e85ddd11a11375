import Foundation
import Glibc
import Logging
import SwitchboardBus
import SwitchboardProcesses
import SwitchboardServiceKit
import SwitchboardTools
import SwitchboardTopology
import ZeroMQ

/// The whole system for a process test: a topology of its own on free loopback ports and a
/// temporary data directory, `switchboard up` started as a child (the real binary), command
/// clients for each service, and a recorder of every event. `stop()` ends it all and checks
/// that no process is left.
final class SystemHarness: Sendable {
    let directory: URL
    let topologyFile: String
    let topology: Topology
    let loop: SocketLoop
    let recorder: EventRecorder
    /// With `secure`: CURVE as the principal `harness` on every socket the harness opens.
    let security: BusSecurity?
    /// With `secure`: the keys directory the topology names.
    let keysDirectory: String
    /// The log lines (standard error) of `up` and its services, when `captureLogs`.
    private let logLines = Locked<[String]>([])
    private let up: Locked<ChildProcess?>
    private let upPids = Locked<[ServiceName: Int32]>([:])
    private let allPids = Locked<Set<Int32>>([])
    private let clients = Locked<[ServiceName: CommandClient]>([:])
    private let lines: Task<Void, Never>?
    private let recording: Task<Void, Never>?

    static let logger: Logger = {
        var logger = Logger(label: "switchboard.process-test")
        logger.logLevel = .critical
        return logger
    }()

    /// The repository root (for Topology/contact-centre.yaml).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The `switchboard` binary built beside the test bundle.
    static var binary: String {
        let tests = URL(fileURLWithPath: ChildProcess.currentExecutable).deletingLastPathComponent()
        let candidates = [
            tests.appendingPathComponent("switchboard").path,
            tests.deletingLastPathComponent().appendingPathComponent("switchboard").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    /// The services the harness's topology places: every one on the bus. The gateway, which
    /// serves people over HTTP and publishes nothing, is tested by the browser suite.
    static let busServices = ServiceName.allCases.filter(\.publishes)

    /// Starts `services` (every bus service by default) under `up`, and waits until each answers
    /// a snapshot.
    init(
        services: [ServiceName] = SystemHarness.busServices, heartbeatTimeoutSeconds: Double = 15,
        contactCentre: String? = nil, environment: [String: String] = [:], extraTopology: String = "",
        upArguments: [String] = [], secure: Bool = false, captureLogs: Bool = false, metrics: Bool = false
    ) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-process-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        keysDirectory = directory.appendingPathComponent("data/keys").path
        var securitySection = ""
        if secure {
            // Every service's key, and the tools' (the harness's own, the simulator's, the tap's, an operator's).
            let tools: [(String, String)] = [
                ("harness", "tool"), ("simulator", "tool"), ("tap", "tool"), ("operator", "operator"),
            ]
            let names = Self.busServices.map(\.rawValue) + tools.map(\.0)
            try await Self.generateKeys(names, directory: keysDirectory)
            securitySection = "security:\n  keys: \(keysDirectory)\n  principals:\n"
            for service in Self.busServices {
                let actFor = service == .desk ? ", actFor: true" : ""
                securitySection += "    \(service.rawValue): {key: \(service.rawValue), role: service\(actFor)}\n"
            }
            // The harness and the simulator play customers, agents and a supervisor's dashboard:
            // granted their commands.
            let played =
                "[conversation.open, conversation.abandon, conversation.close, conversation.message, "
                + "conversation.accept, conversation.decline, conversation.endWrapUp, desk.signIn, desk.signOut, "
                + "desk.accept, desk.decline, desk.reply, desk.close, desk.endWrapUp, presence.set, "
                + "presence.heartbeat, supervisor.reassign, supervisor.setPresence]"
            for (name, role) in tools {
                let grants = ["harness", "simulator"].contains(name) ? ", commands: \(played)" : ""
                securitySection += "    \(name): {key: \(name), role: \(role), actFor: true\(grants)}\n"
            }
        }
        var ports: [Int] = []
        while ports.count < (metrics ? 21 : 15) {
            let port = freeLoopbackPort()
            if !ports.contains(port) { ports.append(port) }
        }
        func endpoint(_ index: Int) -> String { "tcp://127.0.0.1:\(ports[index])" }
        /// `, metrics: …` for the service at `index` among router, presence, desk, summariser, monitor, up.
        func metricsField(_ index: Int) -> String { metrics ? ", metrics: \"\(endpoint(15 + index))\"" : "" }
        let centre = contactCentre ?? Self.root.appendingPathComponent("Topology/contact-centre.yaml").path
        let yaml = """
            version: 1
            name: process-test
            contactCentre: \(centre)
            dataDirectory: \(directory.appendingPathComponent("data").path)
            supervision: {restartsMax: 50, windowSeconds: 30}
            \(extraTopology)
            \(securitySection)
            hosts:
              local: {address: 127.0.0.1\(metricsField(5))}
            services:
              router: {host: local, publish: "\(endpoint(0))", state: "\(endpoint(1))", command: "\(endpoint(2))"\(
                metricsField(0))}
              presence: {host: local, publish: "\(endpoint(3))", state: "\(endpoint(4))", command: "\(endpoint(5))",
                  heartbeatTimeoutSeconds: \(heartbeatTimeoutSeconds)\(metricsField(1))}
              desk: {host: local, publish: "\(endpoint(6))", state: "\(endpoint(7))", command: "\(endpoint(8))"\(
                metricsField(2))}
              summariser: {host: local, publish: "\(endpoint(9))", state: "\(endpoint(10))"\(metricsField(3))}
              monitor: {host: local, publish: "\(endpoint(11))", state: "\(endpoint(12))", command: "\(endpoint(13))"\(
                metricsField(4))}
            """
        topologyFile = directory.appendingPathComponent("topology.yaml").path
        try yaml.write(toFile: topologyFile, atomically: true, encoding: .utf8)
        topology = try Topology.load(file: topologyFile)
        security = try ProcessSecurity.load(principal: "harness", topology: topology, logger: Self.logger)
        loop = try SocketLoop(name: "sb-harness-io", logger: Self.logger)
        recorder = EventRecorder()

        var arguments = ["up", "--topology", topologyFile, "--json", "--log-level", "warning"]
        for service in services { arguments += ["--service", service.rawValue] }
        arguments += upArguments
        let child = try await ChildProcess(
            name: "up", executable: Self.binary, arguments: arguments, environment: environment,
            captureErrors: captureLogs)
        up = Locked(child)
        let pids = upPids
        let every = allPids
        let logLines = self.logLines
        if captureLogs {
            // The services' log lines (their standard error, inherited from `up`'s).
            Task {
                for await line in child.errorLines { logLines.withLock { $0.append(line) } }
            }
        }
        lines = Task {
            for await line in child.lines {
                guard let json = try? JSON(parsing: line), json["event"] == "started",
                    let name = json["service"]?.stringValue.flatMap(ServiceName.init(rawValue:)),
                    let pid = json["pid"]?.intValue
                else { continue }
                pids.withLock { $0[name] = Int32(pid) }
                every.withLock { _ = $0.insert(Int32(pid)) }
            }
        }
        let recorder = self.recorder
        let loop = self.loop
        let topology = self.topology
        let security = self.security
        recording = Task {
            await withTaskGroup(of: Void.self) { group in
                for service in services {
                    guard let endpoints = topology.service(service) else { continue }
                    group.addTask {
                        var options = Replica.Options(security: security)
                        options.snapshotTimeoutSeconds = 2
                        options.deliverHeartbeats = true
                        let replica = Replica(
                            loop: loop, publish: endpoints.publish, state: endpoints.state, prefixes: [],
                            logger: SystemHarness.logger, options: options)
                        try? await replica.run { update in recorder.record(update, from: service) }
                    }
                }
            }
        }
        let ready = await eventually(within: 60) {
            services.allSatisfy { service in self.recorder.isLive(service) }
        }
        if !ready {
            await stop()
            throw HarnessError(
                "the services did not all come up within 60 s: live \(services.filter { recorder.isLive($0) })")
        }
    }

    /// The command client of `service`.
    func client(_ service: ServiceName) async throws -> CommandClient {
        if let client = clients.withLock({ $0[service] }) { return client }
        guard let endpoint = topology.service(service)?.command else {
            throw HarnessError("\(service) takes no commands")
        }
        let client = try await CommandClient(
            loop: loop, connect: endpoint, serviceName: service.rawValue, logger: Self.logger, security: security)
        clients.withLock { $0[service] = client }
        return client
    }

    /// Sends a command and returns its result (throws on a NACK or after `deadlineSeconds`).
    @discardableResult
    func send(
        _ service: ServiceName, _ type: String, _ data: JSON, id: String = CommandClient.newID(),
        deadlineSeconds: Double = 30
    )
        async throws -> JSON
    {
        try await client(service).send(type, data: data, id: id, deadlineSeconds: deadlineSeconds)
    }

    /// Runs `switchboard ARGUMENTS --topology <this system's>` (at most 60 s) and returns what it
    /// printed; throws with its errors when it fails.
    func cli(_ arguments: [String]) async throws -> String {
        let child = try await ChildProcess(
            name: arguments.first ?? "cli", executable: Self.binary,
            arguments: arguments + ["--topology", topologyFile],
            captureErrors: true)
        async let output = child.lines.reduce(into: [String]()) { $0.append($1) }
        async let errors = child.errorLines.reduce(into: [String]()) { $0.append($1) }
        guard let status = await child.waitForExit(within: 60) else {
            _ = await child.stop(graceSeconds: 1)
            throw HarnessError("switchboard \(arguments.joined(separator: " ")) did not end within 60 s")
        }
        let (text, problems) = await (output, errors)
        guard status == 0 else {
            throw HarnessError("switchboard \(arguments.joined(separator: " ")): \(problems.joined(separator: " "))")
        }
        return text.joined(separator: "\n")
    }

    /// What `up` and its services wrote so far (with `captureLogs`).
    var logs: [String] { logLines.value }

    /// Runs `switchboard keys generate NAMES --dir DIRECTORY` (bounded: 60 s).
    static func generateKeys(_ names: [String], directory: String) async throws {
        let child = try await ChildProcess(
            name: "keys", executable: binary, arguments: ["keys", "generate"] + names + ["--dir", directory])
        let killer = Task {
            try? await Task.sleep(for: .seconds(60))
            child.signal(SIGKILL)
        }
        var output: [String] = []
        for await line in child.lines { output.append(line) }
        let status = await child.waitForExit()
        killer.cancel()
        guard status == 0 else {
            throw HarnessError("switchboard keys generate exited with \(status): \(output.joined(separator: "\n"))")
        }
    }

    /// The current pid of each service.
    var pids: [ServiceName: Int32] { upPids.value }

    /// Sends `signal` to `up` itself.
    func signalUp(_ signal: Int32) {
        up.value?.signal(signal)
    }

    /// Kills a service with SIGKILL (up restarts it).
    func kill(_ service: ServiceName) {
        if let pid = pids[service] { Glibc.kill(pid, SIGKILL) }
    }

    /// Stops `up` and its children, and checks that none of the processes it started is left.
    /// `keepingFiles`: the caller reads the stores afterwards and removes `directory` itself.
    func stop(keepingFiles: Bool = false) async {
        if let child = up.value {
            _ = await child.stop(graceSeconds: 20)
        }
        recording?.cancel()
        lines?.cancel()
        await loop.shutdown()
        if !keepingFiles { try? FileManager.default.removeItem(at: directory) }
    }

    /// Processes started during the test that still run (should be none after `stop`).
    var survivors: [Int32] {
        allPids.value.filter { Glibc.kill($0, 0) == 0 && !isZombie($0) }.sorted()
    }

    private func isZombie(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        return stat.contains(") Z ")
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` until it holds or `seconds` pass.
func eventually(within seconds: Double = 30, _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int64(seconds * 1_000)))
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}

/// A loopback TCP port that was free a moment ago.
func freeLoopbackPort() -> Int { LoopbackPort.free() }
