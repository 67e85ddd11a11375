import Foundation
public import Logging
public import SwitchboardBus
import SwitchboardProcesses
import SwitchboardRouting
public import SwitchboardServiceKit
public import SwitchboardTopology
public import ZeroMQ

/// `switchboard chaos`: the whole system under simulated load while processes are killed
/// with SIGKILL at random moments (`up` restarts them), then a drain and a verdict from an
/// independent record: every acknowledged `conversation.open` and every event seen on the bus.
/// It runs on a copy of the topology with free loopback ports and a fresh data directory, so
/// it neither disturbs nor depends on a system already running.
public struct ChaosRun: Sendable {
    public struct Settings: Sendable {
        public var durationSeconds = 60.0
        public var killEverySeconds = 5.0
        public var services: [ServiceName] = [.router, .presence, .desk]
        public var seed: UInt64 = 1
        public var conversationsPerSecond = 3.0
        /// Share of kills that take two services at once.
        public var doubleKillShare = 0.2
        public var executable = ChildProcess.currentExecutable
        /// Attach to the system the topology describes, already running (on other hosts, say),
        /// instead of starting one: no kills of its own (whoever runs it kills hosts or
        /// processes), the same load, record and verdict.
        public var attach = false
        /// Who chaos's own consumers and load connect as when the topology has CURVE keys (the
        /// copy it runs keeps the original's `security:` section): the simulator's principal,
        /// since its load plays customers and agents.
        public var principal = "simulator"

        public init() {}
    }

    public let topology: Topology
    public let contactCentre: ContactCentre
    public let settings: Settings
    public let utterances: UtteranceBank
    public let logger: Logger

    public init(
        topology: Topology, contactCentre: ContactCentre, settings: Settings, utterances: UtteranceBank, logger: Logger
    ) {
        self.topology = topology
        self.contactCentre = contactCentre
        self.settings = settings
        self.utterances = utterances
        self.logger = logger
    }

    public func run(progress: @escaping @Sendable (String) -> Void) async throws -> ChaosReport {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-chaos-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let system = settings.attach ? topology : try Topology.load(file: try writeTopology(in: directory))
        let security = try ProcessSecurity.load(principal: settings.principal, topology: system, logger: logger)
        var running: [ServiceName] = [.router, .presence, .desk]
        for extra in [ServiceName.summariser, .monitor] where settings.services.contains(extra) {
            running.append(extra)
        }

        var upArguments = ["up", "--topology", system.file, "--json", "--log-level", "error"]
        for service in running { upArguments += ["--service", service.rawValue] }
        // Attached, `up` runs elsewhere.
        let up: ChildProcess? =
            settings.attach
            ? nil : try await ChildProcess(name: "up", executable: settings.executable, arguments: upArguments)
        // A service that cannot start at all makes `up` give up: fail fast instead of waiting.
        let upEnded = Task { await up?.waitForExit() }
        let pids = Locked<[ServiceName: Int32]>([:])
        let restarts = Locked(0)
        let watchingUp = Task {
            guard let up else { return }
            for await line in up.lines {
                guard let json = try? JSON(parsing: line),
                    let name = json["service"]?.stringValue.flatMap(ServiceName.init)
                else { continue }
                if json["event"] == "started", let pid = json["pid"]?.intValue {
                    let again = pids.withLock { pids -> Bool in
                        defer { pids[name] = Int32(pid) }
                        return pids[name] != nil
                    }
                    if again { restarts.withLock { $0 += 1 } }
                }
            }
        }

        let loop = try SocketLoop(name: "sb-chaos-io", logger: logger)
        let checker = Locked(ChaosChecker())
        let routerLive = Locked(false)
        let recording = Task {
            await withTaskGroup(of: Void.self) { group in
                for service in [ServiceName.router, .presence] {
                    guard let endpoints = system.service(service) else { continue }
                    group.addTask {
                        var options = Replica.Options(security: security)
                        options.snapshotTimeoutSeconds = 2
                        let replica = Replica(
                            loop: loop, publish: endpoints.publish, state: endpoints.state, prefixes: [],
                            logger: logger,
                            options: options)
                        try? await replica.run { update in
                            Self.record(update, from: service, into: checker, routerLive: routerLive)
                        }
                    }
                }
            }
        }
        func shutDown() async {
            recording.cancel()
            await loop.shutdown()
            _ = await up?.stop(graceSeconds: 30)
            watchingUp.cancel()
        }

        let ready = await Self.eventually(seconds: 120) {
            guard let up else { return routerLive.value }
            return (routerLive.value && pids.value.count == running.count) || up.status != nil
        }
        guard ready, up?.status == nil else {
            await shutDown()
            upEnded.cancel()
            throw RuntimeError("the system did not come up within 120 s (see the services' errors above)")
        }
        progress(
            "chaos: \(running.map(\.rawValue).joined(separator: ", ")) up; "
                + "load for \(Int(settings.durationSeconds)) s, "
                + "killing \(settings.services.map(\.rawValue).joined(separator: ", ")) "
                + "every ~\(Int(settings.killEverySeconds)) s (seed \(settings.seed))"
        )

        // The load, with its own record of what was acknowledged.
        var simulation = SimulationSettings()
        simulation.durationSeconds = settings.durationSeconds
        simulation.conversationsPerSecond = settings.conversationsPerSecond
        simulation.seed = settings.seed
        simulation.agentPath = .desk
        simulation.drainSecondsMax = 60
        var runner = SimulationRunner(
            topology: system, contactCentre: contactCentre, settings: simulation, utterances: utterances, logger: logger
        )
        runner.checkInvariants = false
        runner.security = security
        runner.commandDeadlineSeconds = 30
        runner.readySeconds = 60
        runner.observer = { command, result in
            if command.type == "conversation.open", case .ok = result,
                let id = command.data["conversationId"]?.stringValue
            {
                checker.withLock { $0.acknowledgedOpen(id) }
            }
        }
        let load = Task { try await runner.run() }

        // The killer.
        let kills = Locked<[String]>([])
        let killer = Task {
            guard !settings.attach else { return }
            var random = SplitMix64(seed: settings.seed ^ 0xC4A0_5C4A_05C4)
            let start = ContinuousClock.now
            while !Task.isCancelled {
                let wait = settings.killEverySeconds * (0.5 + Double(random.next() % 1_000) / 1_000)
                try? await Task.sleep(for: .milliseconds(Int64(wait * 1_000)))
                if Task.isCancelled || (ContinuousClock.now - start).seconds > settings.durationSeconds { break }
                var victims = [settings.services[Int(random.next() % UInt64(settings.services.count))]]
                if settings.services.count > 1, Double(random.next() % 1_000) / 1_000 < settings.doubleKillShare {
                    let other = settings.services.filter { $0 != victims[0] }
                    victims.append(other[Int(random.next() % UInt64(other.count))])
                }
                for victim in victims {
                    guard let pid = pids.value[victim] else { continue }
                    let at = WallClock.microseconds()
                    checker.withLock { $0.killed(victim.rawValue, atMicroseconds: at) }
                    kill(pid, SIGKILL)
                    kills.withLock { $0.append(victim.rawValue) }
                    progress("chaos: SIGKILL \(victim.rawValue) (pid \(pid))")
                }
            }
        }

        // A late consumer: attaches halfway through the chaos and must end with the router's state.
        let lateState = Locked<[String: JSON]>([:])
        let lateConsumer = Task {
            try? await Task.sleep(for: .milliseconds(Int64(settings.durationSeconds * 500)))
            guard let router = system.service(.router) else { return }
            let replica = Replica(
                loop: loop, publish: router.publish, state: router.state, prefixes: ["conv."], logger: logger,
                options: Replica.Options(security: security))
            try? await replica.run { update in Self.apply(update, to: lateState) }
        }

        let summary: SimulationSummary
        do {
            summary = try await load.value
        } catch {
            killer.cancel()
            await shutDown()
            throw error
        }
        killer.cancel()
        await killer.value
        progress("chaos: load finished; draining")

        // Everything back, then the router's final word.
        _ = await Self.eventually(seconds: 60) {
            (settings.attach || pids.value.count == running.count) && routerLive.value
        }
        let final = try await Self.finalSnapshot(of: system, loop: loop, security: security, logger: logger)
        checker.withLock { $0.finish(finalRouterItems: final) }
        // Nothing moves any more: the late consumer must hold exactly the router's conversations.
        let converged = await Self.eventually(seconds: 30) { lateState.value == final }
        let differing =
            Set(lateState.value.keys).symmetricDifference(final.keys).count
            + final.filter { key, value in lateState.value[key].map { $0 != value } ?? false }.count
        lateConsumer.cancel()
        await shutDown()

        let verdict = checker.value
        let recovery = verdict.recovery()
        return ChaosReport(
            seed: settings.seed, durationSeconds: settings.durationSeconds, kills: kills.value,
            restarts: restarts.value,
            acknowledged: verdict.acknowledgedCount, assignments: verdict.assignments,
            lost: verdict.count(.lost), doubleAssignments: verdict.count(.doubleAssignment),
            capacityViolations: verdict.count(.overCapacity), notAvailable: verdict.count(.notAvailable),
            unverifiablePresence: verdict.unverifiablePresence,
            routerRecoverySeconds: recovery.routerKillToFirstAssignment,
            longestGapAfterKillSeconds: recovery.longestGapAfterKill,
            examples: verdict.violations.prefix(10).map(\.description),
            lateConsumerConverged: converged, lateConsumerDifferences: converged ? 0 : differing, simulation: summary)
    }

    /// Feeds one update of the router's or the presence tracker's stream to the checker
    /// (`routerLive` turns true once the router's stream is live).
    public static func record(
        _ update: ReplicaUpdate, from service: ServiceName, into checker: Locked<ChaosChecker>, routerLive: Locked<Bool>
    ) {
        switch update {
        case .snapshot(let snapshot):
            var items: [String: JSON] = [:]
            for item in snapshot.items { items[item.key] = try? item.value() }
            if service == .router {
                checker.withLock { $0.routerSnapshot(items) }
            } else {
                // Asked without a prefix: the end's `seq` is 0, `seqs` holds the family's.
                let seq = snapshot.ends.first?.sequences["presence"] ?? 0
                checker.withLock { $0.presenceSnapshot(items, epoch: snapshot.epoch, seq: seq) }
            }
        case .event(let event):
            guard let data = try? event.data() else { return }
            checker.withLock {
                $0.event(
                    topic: event.topic, type: event.type, epoch: event.epoch, seq: event.seq,
                    timestampMicroseconds: event.timestampMicroseconds, data: data)
            }
        case .status(.live) where service == .router:
            routerLive.withLock { $0 = true }
        case .status:
            break
        }
    }

    /// A consumer's copy of the state: the snapshot, then each state-carrying event's item.
    static func apply(_ update: ReplicaUpdate, to state: Locked<[String: JSON]>) {
        switch update {
        case .snapshot(let snapshot):
            var items: [String: JSON] = [:]
            for item in snapshot.items { items[item.key] = try? item.value() }
            state.withLock { $0 = items }
        case .event(let event):
            guard let data = try? event.data(), let key = data["key"]?.stringValue, let item = data["item"] else {
                return
            }
            state.withLock { $0[key] = item.isNull ? nil : item }
        case .status:
            break
        }
    }

    /// The router's whole state, from a fresh snapshot.
    public static func finalSnapshot(of topology: Topology, loop: SocketLoop, security: BusSecurity?, logger: Logger)
        async throws -> [String: JSON]
    {
        guard let router = topology.service(.router) else { return [:] }
        let result = Locked<[String: JSON]?>(nil)
        let replica = Replica(
            loop: loop, publish: router.publish, state: router.state, prefixes: ["conv."], logger: logger,
            options: Replica.Options(security: security))
        let task = Task {
            try? await replica.run { update in
                if case .snapshot(let snapshot) = update {
                    var items: [String: JSON] = [:]
                    for item in snapshot.items { items[item.key] = try? item.value() }
                    result.withLock { $0 = items }
                }
            }
        }
        _ = await eventually(seconds: 60) { result.value != nil }
        task.cancel()
        guard let items = result.value else { throw RuntimeError("no final snapshot from the router within 60 s") }
        return items
    }

    static func eventually(seconds: Double, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int64(seconds * 1_000)))
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }

    /// The topology with the same services and contact centre on free ports and a fresh data directory.
    private func writeTopology(in directory: URL) throws -> String {
        var services = ""
        for service in ServiceName.allCases where topology.service(service) != nil && service.publishes {
            let ports = (0..<3).map { _ in LoopbackPort.free() }
            var line = "  \(service.rawValue): {host: local, publish: \"tcp://127.0.0.1:\(ports[0])\""
            if service.needsState { line += ", state: \"tcp://127.0.0.1:\(ports[1])\"" }
            if service.takesCommands { line += ", command: \"tcp://127.0.0.1:\(ports[2])\"" }
            if service == .presence {
                line += ", heartbeatTimeoutSeconds: \(topology.service(.presence)?.heartbeatTimeoutSeconds ?? 15)"
            }
            services += line + "}\n"
        }
        let training =
            topology.assist.trainingData.map {
                "assist: {trainingData: \"\(URL(fileURLWithPath: $0).standardizedFileURL.path)\"}\n"
            } ?? ""
        let yaml = """
            version: 1
            name: chaos
            contactCentre: \(URL(fileURLWithPath: contactCentre.file).standardizedFileURL.path)
            dataDirectory: \(directory.appendingPathComponent("data").path)
            supervision: {restartsMax: 1000, windowSeconds: 60}
            \(training)\(Self.securitySection(topology.security))hosts:
              local: {address: 127.0.0.1}
            services:
            \(services)
            """
        let file = directory.appendingPathComponent("topology.yaml").path
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// The original's `security:` section for the copy (its keys directory as an absolute path).
    static func securitySection(_ security: TopologySecurity?) -> String {
        guard let settings = security?.curve else { return "" }
        var text = "security:\n  keys: \"\(URL(fileURLWithPath: settings.keysDirectory).standardizedFileURL.path)\"\n"
        text += "  principals:\n"
        for principal in settings.sortedPrincipals {
            let key: String
            switch principal.key {
            case .file(let name): key = name
            case .publicKey(let publicKey): key = publicKey
            }
            text += "    \(principal.name): {key: \"\(key)\", role: \(principal.role.rawValue), "
            text += "actFor: \(principal.actFor)}\n"
        }
        return text
    }
}

/// What a chaos run found.
public struct ChaosReport: Sendable {
    public var seed: UInt64
    public var durationSeconds: Double
    public var kills: [String]
    public var restarts: Int
    public var acknowledged: Int
    public var assignments: Int
    public var lost: Int
    public var doubleAssignments: Int
    public var capacityViolations: Int
    public var notAvailable: Int
    public var unverifiablePresence: Int
    public var routerRecoverySeconds: [Double]
    public var longestGapAfterKillSeconds: Double
    public var examples: [String]
    /// Whether a consumer attached halfway through ended with the router's final state.
    public var lateConsumerConverged: Bool
    public var lateConsumerDifferences: Int
    public var simulation: SimulationSummary

    public var violations: Int {
        lost + doubleAssignments + capacityViolations + notAvailable + (lateConsumerConverged ? 0 : 1)
    }

    public var json: JSON {
        let recovery = routerRecoverySeconds.sorted()
        return [
            "seed": .number(seed), "durationSeconds": .double(durationSeconds), "kills": .number(kills.count),
            "killed": .array(kills.map(JSON.string)), "restarts": .number(restarts),
            "acknowledgedConversations": .number(acknowledged), "assignments": .number(assignments),
            "lost": .number(lost), "doubleAssignments": .number(doubleAssignments),
            "capacityViolations": .number(capacityViolations), "assignedWhenNotAvailable": .number(notAvailable),
            "assignmentsWithUnverifiablePresence": .number(unverifiablePresence),
            "routerKillToFirstAssignmentSeconds": .array(recovery.map { .double(($0 * 1000).rounded() / 1000) }),
            "routerRecoveryMaxSeconds": .double(((recovery.last ?? 0) * 1000).rounded() / 1000),
            "longestTimeWithoutRoutingAfterKillSeconds": .double((longestGapAfterKillSeconds * 1000).rounded() / 1000),
            "lateConsumerConverged": .bool(lateConsumerConverged),
            "lateConsumerDifferences": .number(lateConsumerDifferences),
            "violations": .number(violations), "examples": .array(examples.map(JSON.string)),
            "opened": .number(simulation.opened), "closed": .number(simulation.closed),
            "abandoned": .number(simulation.abandoned),
        ]
    }

    public var text: String {
        let recovery = routerRecoverySeconds.sorted()
        let killCounts = Dictionary(grouping: kills, by: { $0 }).map { "\($0.key) \($0.value.count)" }.sorted()
        let recoveryText =
            recovery.isEmpty ? "no router kill" : recovery.map { String(format: "%.3f s", $0) }.joined(separator: ", ")
        let lateText =
            lateConsumerConverged
            ? "converged to the router's state" : "DIFFERS from the router's state in \(lateConsumerDifferences) items"
        var lines: [String] = [
            "Chaos report (seed \(seed), \(Int(durationSeconds)) s of load)",
            "  kills                      \(kills.count) (\(killCounts.joined(separator: ", ")));"
                + " restarts by up: \(restarts)",
            "  conversations acknowledged \(acknowledged); assignments seen \(assignments); opened "
                + "\(simulation.opened), closed \(simulation.closed), abandoned \(simulation.abandoned)",
            "  lost                       \(lost)",
            "  double assignments         \(doubleAssignments)",
            "  capacity violations        \(capacityViolations)",
            "  assigned when not Available \(notAvailable) (\(unverifiablePresence) assignments named a presence event "
                + "not seen)",
            "  router kill → first assignment of the restarted router: \(recoveryText)",
            "  longest time without routing after a kill: \(String(format: "%.3f", longestGapAfterKillSeconds)) s",
            "  late consumer (attached halfway) \(lateText)",
        ]
        lines.append(violations == 0 ? "  verdict: no violation" : "  verdict: \(violations) VIOLATIONS")
        for example in examples { lines.append("    - \(example)") }
        return lines.joined(separator: "\n")
    }
}
