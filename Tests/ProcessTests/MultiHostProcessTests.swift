import Foundation
import Glibc
import SwitchboardBus
import SwitchboardProcesses
import SwitchboardServiceKit
import Testing
import ZeroMQ

/// Switchboard across three hosts, each a network namespace, from Topology/three-hosts.yaml:
/// router and presence on h1; desk, summariser and monitor on h2; the simulator and a late
/// consumer on h3. Simulated load survives a cut link and the loss of a whole host.
@Suite(
    "Three hosts in network namespaces", .serialized,
    .enabled(if: NetworkNamespaces.unavailableReason == nil, "\(NetworkNamespaces.unavailableReason ?? "")"))
struct MultiHostProcessTests {
    static let hosts = ["h1": "10.77.0.1", "h2": "10.77.0.2", "h3": "10.77.0.3"]
    static let durationSeconds = 30

    /// The committed topology with this run's data directory and the repository's contact centre;
    /// with `security`, that section instead of `security: off`.
    static func topology(in directory: URL, security: String? = nil) throws -> String {
        let committed = try String(
            contentsOfFile: SystemHarness.root.appendingPathComponent("Topology/three-hosts.yaml").path, encoding: .utf8
        )
        let centre = SystemHarness.root.appendingPathComponent("Topology/contact-centre.yaml").path
        let text =
            committed
            .replacingOccurrences(of: "contactCentre: contact-centre.yaml", with: "contactCentre: \(centre)")
            .replacingOccurrences(
                of: "dataDirectory: ../var/three-hosts",
                with: "dataDirectory: \(directory.appendingPathComponent("data").path)"
            )
            .replacingOccurrences(of: "\nsecurity: off\n", with: "\n\(security ?? "security: off")\n")
        let file = directory.appendingPathComponent("three-hosts.yaml").path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// A running deployment: the namespaces, `up` on h1 and h2, and the services each started.
    final class Deployment: Sendable {
        let network: NetworkNamespaces
        let directory: URL
        let topologyFile: String
        let ups = Locked<[String: ChildProcess]>([:])
        let started = Locked<[String: Set<String>]>([:])
        /// The log lines of each host's `up` and its services, for hosts started with `captureLogs`.
        let logs = Locked<[String: [String]]>([:])

        /// - Parameter keys: with CURVE, the principals to generate keys for and list (each
        ///   service and the tools as `NAME: role`); their keys go to `<directory>/keys`.
        init(keys: [(String, String)] = []) async throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-hosts-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var security: String?
            if !keys.isEmpty {
                let keysDirectory = directory.appendingPathComponent("keys").path
                try await SystemHarness.generateKeys(keys.map(\.0), directory: keysDirectory)
                security =
                    "security:\n  keys: \(keysDirectory)\n  principals:\n"
                    + keys.map { "    \($0.0): {key: \($0.0), role: \($0.1)}\n" }.joined()
            }
            topologyFile = try MultiHostProcessTests.topology(in: directory, security: security)
            network = try await NetworkNamespaces(hosts: MultiHostProcessTests.hosts)
        }

        /// Starts `up` on `host` and waits until it has started every service it places there.
        func up(_ host: String, services: Set<String>, captureLogs: Bool = false) async throws {
            started.withLock { $0[host] = [] }
            let child = try await network.start(
                "up-\(host)", on: host,
                [
                    "up", "--topology", topologyFile, "--host", host, "--json", "--log-level",
                    captureLogs ? "warning" : "error",
                ],
                captureErrors: captureLogs)
            ups.withLock { $0[host] = child }
            if captureLogs {
                let logs = self.logs
                Task {
                    for await line in child.errorLines { logs.withLock { $0[host, default: []].append(line) } }
                }
            }
            let started = self.started
            Task {
                for await line in child.lines {
                    guard let json = try? JSON(parsing: line), json["event"] == "started",
                        let service = json["service"]?.stringValue
                    else { continue }
                    started.withLock { _ = $0[host, default: []].insert(service) }
                }
            }
            guard await eventually(within: 60, { started.value[host] == services }) else {
                throw HarnessError("up on \(host) started \(started.value[host] ?? []) of \(services.sorted())")
            }
        }

        /// Every process on `host` killed at once, as when the machine dies.
        func crash(_ host: String) async {
            if let child = ups.value[host] { child.signal(SIGKILL) }
            await network.killAll(on: host)
            _ = await ups.value[host]?.waitForExit(within: 20)
        }

        /// Runs a load of the test's duration from h3, `simulate` (or `chaos --attach`, which
        /// also keeps an independent record across restarts), calling `during` with the seconds
        /// since it began once a second; returns its JSON summary.
        func load(
            _ tool: String = "simulate", during: @escaping @Sendable (Int) async throws -> Void
        ) async throws -> JSON {
            var arguments = [
                tool, "--topology", topologyFile, "--duration", String(MultiHostProcessTests.durationSeconds),
                "--rate", "3", "--seed", "11", "--json", "--log-level", "error",
            ]
            arguments += tool == "chaos" ? ["--attach"] : ["--agents-through", "desk"]
            let simulator = try await network.start(tool, on: "h3", arguments)
            let lines = Locked<[String]>([])
            let reading = Task { for await line in simulator.lines { lines.withLock { $0.append(line) } } }
            for second in 1...MultiHostProcessTests.durationSeconds {
                try await Task.sleep(for: .seconds(1))
                try await during(second)
            }
            guard await simulator.waitForExit(within: 180) != nil else {
                _ = await simulator.stop(graceSeconds: 5)
                throw HarnessError("the simulator did not end within 180 s of its arrivals")
            }
            await reading.value
            guard let last = lines.value.last, let summary = try? JSON(parsing: last) else {
                throw HarnessError("the simulator printed no summary: \(lines.value.suffix(3))")
            }
            return summary
        }

        func stop() async {
            for child in ups.value.values { _ = await child.stop(graceSeconds: 20) }
            await network.remove()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// What must hold after any run: nothing lost, nothing assigned twice.
    static func expectNothingLost(_ summary: JSON, _ what: String) {
        let opened = summary["opened"]?.intValue ?? 0
        #expect(opened >= durationSeconds, "\(what): about 3 a second: \(summary.text)")
        #expect(summary["openFailed"] == 0, "\(what): \(summary["problems"]?.text ?? "")")
        #expect(summary["commandsFailed"] == 0, "\(what): \(summary["problems"]?.text ?? "")")
        #expect(summary["unfinished"] == 0, "\(what): \(summary.text)")
        #expect(summary["invariants"]?["checked"] == true, "\(what): \(summary["invariants"]?.text ?? "")")
        #expect(summary["invariants"]?["violationCount"] == 0, "\(what): \(summary["invariants"]?.text ?? "")")
        #expect(summary["assigned"]?.intValue ?? 0 >= opened / 2, "\(what): \(summary.text)")
    }

    @Test("load from a third host survives a cut link to the desk's host, and a late consumer catches up")
    func linkCut() async throws {
        let deployment = try await Deployment()
        do {
            try await deployment.up("h1", services: ["router", "presence"])
            try await deployment.up("h2", services: ["desk", "summariser", "monitor"])
            let consumerLines = Locked<[String]>([])
            let summary = try await deployment.load { second in
                switch second {
                case 8: try await deployment.network.setLink(of: "h2", up: false)
                case 12: try await deployment.network.setLink(of: "h2", up: true)
                case 15:
                    // A consumer that joins in the middle: a snapshot of each service, then events.
                    let tap = try await deployment.network.start(
                        "tap", on: "h3",
                        ["tap", "--topology", deployment.topologyFile, "--seconds", "8", "--log-level", "error"])
                    Task {
                        for await line in tap.lines { consumerLines.withLock { $0.append(line) } }
                    }
                default: break
                }
            }
            Self.expectNothingLost(summary, "link cut")
            let consumed = consumerLines.value.compactMap { try? JSON(parsing: $0) }
            let snapshotSources = Set(consumed.compactMap { $0["snapshot"]?.stringValue })
            #expect(
                snapshotSources.isSuperset(of: ["router", "presence", "desk"]),
                "the late consumer's snapshots came from \(snapshotSources.sorted())")
            #expect(
                consumed.contains {
                    $0["snapshot"] == nil && $0["type"]?.stringValue?.hasPrefix("conversation.") == true
                })
        } catch {
            Issue.record("\(error)")
        }
        await deployment.stop()
    }

    @Test("load survives the sudden loss of the router's whole host and its restart")
    func hostKilled() async throws {
        let deployment = try await Deployment()
        do {
            try await deployment.up("h1", services: ["router", "presence"])
            try await deployment.up("h2", services: ["desk", "summariser", "monitor"])
            let report = try await deployment.load("chaos") { second in
                switch second {
                case 10: await deployment.crash("h1")
                case 13: try await deployment.up("h1", services: ["router", "presence"])
                default: break
                }
            }
            // The simulator's own checker cannot follow a restarted presence stream; the chaos
            // record can: every acknowledged conversation accounted for, none held twice.
            #expect(report["lost"] == 0, "\(report.text)")
            #expect(report["doubleAssignments"] == 0, "\(report.text)")
            #expect(report["capacityViolations"] == 0, "\(report.text)")
            #expect(report["assignedWhenNotAvailable"] == 0, "\(report.text)")
            #expect(report["lateConsumerConverged"] == true, "\(report.text)")
            #expect((report["acknowledgedConversations"]?.intValue ?? 0) > 30, "\(report.text)")
            #expect(report["violations"] == 0, "\(report["examples"]?.text ?? "")")
        } catch {
            Issue.record("\(error)")
        }
        await deployment.stop()
    }

    @Test(
        "with CURVE across hosts: a key not on the list gets nothing and is logged; the tap's key reads, never commands"
    )
    func unlistedKeyAcrossHosts() async throws {
        let services = ["router", "presence", "desk", "summariser", "monitor"]
        let deployment = try await Deployment(keys: services.map { ($0, "service") } + [("tap", "tool")])
        do {
            try await deployment.up("h1", services: ["router", "presence"], captureLogs: true)
            // The intruder holds a key pair of its own, from a topology of its own that lists it:
            // the servers on h1 know nothing of it.
            let keysDirectory = deployment.directory.appendingPathComponent("keys").path
            try await SystemHarness.generateKeys(["intruder"], directory: keysDirectory)
            let committed = try String(contentsOfFile: deployment.topologyFile, encoding: .utf8)
            let intruderFile = deployment.directory.appendingPathComponent("intruder.yaml").path
            try committed.replacingOccurrences(
                of: "  principals:\n", with: "  principals:\n    intruder: {key: intruder, role: tool}\n"
            ).write(toFile: intruderFile, atomically: true, encoding: .utf8)
            let intruderKey = try KeyFiles.loadKeyPair(file: KeyFiles.keyFile("intruder", in: keysDirectory)).publicKey

            /// Standard output, then standard error.
            func run(_ name: String, _ arguments: [String]) async throws -> (status: Int32?, output: [String]) {
                let child = try await deployment.network.start(
                    name, on: "h3", arguments + ["--log-level", "error"], captureErrors: true)
                let errors = Task { () -> [String] in
                    var lines: [String] = []
                    for await line in child.errorLines { lines.append(line) }
                    return lines
                }
                var output: [String] = []
                for await line in child.lines { output.append(line) }
                let status = await child.waitForExit(within: 60)
                return (status, output + (await errors.value))
            }
            // The tap's own key: a snapshot of the router from another host. `up` says a service
            // started when its process did; the router answers once its intent models are trained
            // (seconds in a debug build), so the tap is given long enough to see it answer.
            let tap = try await run(
                "tap", ["tap", "--topology", deployment.topologyFile, "--service", "router", "--seconds", "15"])
            #expect(tap.output.contains { $0.contains("\"snapshot\":\"router\"") }, "\(tap.output.suffix(3))")
            // The same key cannot command: a reload is an operator's.
            let reload = try await run(
                "reload", ["reload", "--topology", deployment.topologyFile, "--principal", "tap"])
            #expect(reload.status != 0, "the tap reloaded the router: \(reload.output)")
            // The router's refusal, naming the principal and the permission it lacks.
            #expect(
                reload.output.contains { $0.contains("principal 'tap'") && $0.contains("lacks 'administration'") },
                "\(reload.output.suffix(3))")
            // The intruder: no snapshot, no event.
            let intruder = try await run(
                "intruder",
                ["tap", "--topology", intruderFile, "--principal", "intruder", "--service", "router", "--seconds", "4"])
            let received = intruder.output.filter { $0.contains("\"snapshot\"") || $0.contains("\"seq\"") }
            #expect(received.isEmpty, "the intruder received \(received.prefix(3))")
            // h1 logged the refusal of that key from h3's address.
            let logged = await eventually(within: 10) {
                (deployment.logs.value["h1"] ?? []).contains {
                    $0.contains("refused a CURVE client") && $0.contains(intruderKey) && $0.contains("10.77.0.3")
                }
            }
            #expect(logged, "h1's log: \((deployment.logs.value["h1"] ?? []).suffix(5))")
        } catch {
            Issue.record("\(error)")
        }
        await deployment.stop()
    }
}
