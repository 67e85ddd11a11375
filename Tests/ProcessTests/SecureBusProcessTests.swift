import Foundation
import Logging
import SwitchboardBus
import SwitchboardProcesses
import SwitchboardServiceKit
import SwitchboardTools
import SwitchboardTopology
import Testing
import ZeroMQ

/// The whole system with CURVE keys on every bus socket (`switchboard keys generate`, then
/// `switchboard up` on a topology with a `security:` section): the simulated load runs as the
/// `simulator` principal and loses nothing, a key that is not listed gets nothing and is logged
/// once by the server, a tap reads the event stream with its own key, a key taken off the list
/// is refused after SIGHUP; and without keys each process says that its sockets are open.
@Suite("The system over CURVE keys", .serialized)
struct SecureBusProcessTests {
    @Test("under CURVE: a simulated load loses nothing, and a key not on the list gets nothing and is logged once")
    func secureSystem() async throws {
        let system = try await SystemHarness(secure: true, captureLogs: true)
        do {
            #expect(system.security != nil, "the harness connects with its key")
            let summary = try await SimulationProcessTests.simulate(
                system, arguments: ["--rate", "3", "--seed", "7", "--principal", "simulator"])
            let opened = summary["opened"]?.intValue ?? 0
            #expect(opened >= 30, "about 3 a second for \(SimulationProcessTests.durationSeconds) s: \(opened)")
            #expect(summary["openFailed"] == 0)
            #expect(summary["commandsFailed"] == 0, "\(summary["problems"]?.text ?? "")")
            // Nothing the simulator sends is refused: its grants cover what it plays.
            #expect(
                summary["problems"]?.objectValue?.keys.contains { $0.hasSuffix("forbidden") } != true,
                "\(summary["problemExamples"]?.text ?? "")")
            #expect(summary["unfinished"] == 0, "\(summary.text)")
            #expect(summary["invariants"]?["checked"] == true, "\(summary["invariants"]?.text ?? "")")
            #expect(summary["invariants"]?["violationCount"] == 0, "\(summary["invariants"]?.text ?? "")")
            // None lost: every conversation the router knows has ended.
            let state = system.recorder.state(of: .router).filter { $0.key.hasPrefix("conv.") }
            #expect(state.count >= opened)
            let stillOpen = state.filter { !["closed", "abandoned"].contains($0.value["state"]?.stringValue ?? "") }
            #expect(stillOpen.isEmpty, "open in the router's state: \(stillOpen.keys.sorted().prefix(5))")

            try await Self.intruderGetsNothing(system)
        } catch {
            Issue.record("\(error)")
        }
        await system.stop()
        #expect(system.survivors.isEmpty, "processes left behind: \(system.survivors)")
    }

    /// A key generated elsewhere and not listed under the principals: the router's events,
    /// snapshot and commands are all closed to it, and the router logs the refusal once.
    static func intruderGetsNothing(_ system: SystemHarness) async throws {
        let directory = system.directory.appendingPathComponent("intruder-keys").path
        try await SystemHarness.generateKeys(["intruder"], directory: directory)
        let keys = try KeyFiles.loadKeyPair(file: KeyFiles.keyFile("intruder", in: directory))
        let security = BusSecurity(keys: keys, serverPublicKeys: system.security?.serverPublicKeys ?? [:])
        guard let router = system.topology.service(.router), let command = router.command else {
            Issue.record("the harness placed no router")
            return
        }
        let loop = try SocketLoop(name: "sb-intruder-io", logger: SystemHarness.logger)

        // Events and a snapshot: nothing but a refusal, within a window that spans several of the
        // router's one-a-second heartbeats.
        let received = Locked<[ReplicaUpdate]>([])
        var options = Replica.Options(security: security)
        options.deliverHeartbeats = true
        options.snapshotTimeoutSeconds = 2
        let replica = Replica(
            loop: loop, publish: router.publish, state: router.state, prefixes: [], logger: SystemHarness.logger,
            options: options)
        let following = Task {
            try? await replica.run { update in received.withLock { $0.append(update) } }
        }

        // A command: refused, never answered.
        let client = try await CommandClient(
            loop: loop, connect: command, serviceName: "router", logger: SystemHarness.logger, security: security)
        do {
            let result = try await client.send("router.status", deadlineSeconds: 8)
            Issue.record("the router answered a key that is not listed: \(result.text)")
        } catch {
            #expect(error.failure == nil, "refused by the handshake, not answered with a NACK: \(error)")
            if case .refused = error {
            } else {
                Issue.record("expected the handshake's refusal, got \(error)")
            }
        }
        try? await Task.sleep(for: .seconds(4))
        following.cancel()
        await following.value
        await client.close()
        await loop.shutdown()

        let updates = received.value
        let snapshots = updates.filter { if case .snapshot = $0 { true } else { false } }
        let events = updates.filter { if case .event = $0 { true } else { false } }
        #expect(snapshots.isEmpty, "a snapshot reached a key that is not listed")
        #expect(events.isEmpty, "\(events.count) events reached a key that is not listed")

        // The router logged the refusal of this key from this address once, though the key
        // knocked on three sockets (and again on every retry).
        let logged = await eventually(within: 10) {
            system.logs.contains { $0.contains("refused a CURVE client") && $0.contains(keys.publicKey) }
        }
        #expect(logged, "the router did not log the refusal; its log: \(system.logs.suffix(10))")
        let routerLines = system.logs.filter {
            $0.contains("switchboard.router") && $0.contains("refused a CURVE client") && $0.contains(keys.publicKey)
        }
        #expect(routerLines.count == 1, "the refusal logged once per key and address: \(routerLines)")
        #expect(routerLines.first?.contains("127.0.0.1") == true, "the address is named: \(routerLines)")
    }

    @Test("a tap with its tool key reads the snapshot and the event stream")
    func tapReadsWithItsKey() async throws {
        let system = try await SystemHarness(services: [.router], secure: true)
        do {
            let child = try await ChildProcess(
                name: "tap", executable: SystemHarness.binary,
                arguments: [
                    "tap", "--topology", system.topologyFile, "--service", "router", "--heartbeats", "--count", "3",
                    "--seconds", "60", "--log-level", "error",
                ])
            let killer = Task {
                try? await Task.sleep(for: .seconds(90))
                child.signal(SIGKILL)
            }
            var lines: [JSON] = []
            for await line in child.lines {
                if let json = try? JSON(parsing: line) { lines.append(json) }
            }
            let status = await child.waitForExit()
            killer.cancel()
            #expect(status == 0)
            #expect(lines.contains { $0["snapshot"] == "router" }, "no snapshot item: \(lines.prefix(5))")
            let heartbeats = lines.filter { $0["type"] == "sys.heartbeat" }
            #expect(heartbeats.count == 3, "three events, then the tap stops: \(lines.suffix(5))")
        } catch {
            Issue.record("\(error)")
        }
        await system.stop()
        #expect(system.survivors.isEmpty, "processes left behind: \(system.survivors)")
    }

    @Test("a key taken off the topology's principals is refused from its next connection after SIGHUP")
    func revocationOnSIGHUP() async throws {
        // At notice: the reload's line says what changed.
        let system = try await SystemHarness(
            services: [.router], upArguments: ["--log-level", "notice"], secure: true, captureLogs: true)
        do {
            let keys = try KeyFiles.loadKeyPair(file: KeyFiles.keyFile("tap", in: system.keysDirectory))
            let security = BusSecurity(keys: keys, serverPublicKeys: system.security?.serverPublicKeys ?? [:])
            let before = try await Self.snapshotAttempt(system, security: security)
            #expect(before == .snapshot, "the tap's key is listed: \(before)")

            // The tap's principal off the file, then SIGHUP: the router re-reads its allow-list.
            let yaml = try String(contentsOfFile: system.topologyFile, encoding: .utf8)
            let without = yaml.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("    tap:") }.joined(separator: "\n")
            #expect(without != yaml)
            try without.write(toFile: system.topologyFile, atomically: true, encoding: .utf8)
            let pid = try #require(system.pids[.router])
            kill(pid, SIGHUP)
            let replaced = await eventually(within: 20) {
                system.logs.contains { $0.contains("CURVE allow-list replaced") && $0.contains("tap") }
            }
            #expect(replaced, "the router said nothing of the new list: \(system.logs.suffix(10))")

            let after = try await Self.snapshotAttempt(system, security: security)
            #expect(after == .refused, "the tap's key was taken off: \(after)")
            #expect(system.pids[.router] == pid, "the router reloaded without a restart")
        } catch {
            Issue.record("\(error)")
        }
        await system.stop()
        #expect(system.survivors.isEmpty, "processes left behind: \(system.survivors)")
    }

    enum Attempt: Equatable { case snapshot, refused, nothing }

    /// Asks the router for a snapshot with `security`: what came first within 15 s.
    static func snapshotAttempt(_ system: SystemHarness, security: BusSecurity) async throws -> Attempt {
        guard let router = system.topology.service(.router) else { return .nothing }
        let loop = try SocketLoop(name: "sb-attempt-io", logger: SystemHarness.logger)
        let outcome = Locked(Attempt.nothing)
        var options = Replica.Options(security: security)
        options.snapshotTimeoutSeconds = 2
        let replica = Replica(
            loop: loop, publish: router.publish, state: router.state, prefixes: [], logger: SystemHarness.logger,
            options: options)
        let following = Task {
            try? await replica.run { update in
                switch update {
                case .snapshot: outcome.withLock { if $0 == .nothing { $0 = .snapshot } }
                case .status(.failed): outcome.withLock { if $0 == .nothing { $0 = .refused } }
                default: break
                }
            }
        }
        _ = await eventually(within: 15) { outcome.value != .nothing }
        following.cancel()
        await following.value
        await loop.shutdown()
        return outcome.value
    }

    @Test("without keys, each process says once at start that its bus sockets are open")
    func openSocketsWarnOnce() async throws {
        let system = try await SystemHarness(services: [.router, .presence], captureLogs: true)
        #expect(system.security == nil)
        for label in ["switchboard.up", "switchboard.router", "switchboard.presence"] {
            let said = await eventually(within: 10) {
                system.logs.contains { $0.contains(label + ":") && $0.contains("bus sockets are open") }
            }
            #expect(said, "\(label) did not warn: \(system.logs.suffix(10))")
            let lines = system.logs.filter { $0.contains(label + ":") && $0.contains("bus sockets are open") }
            #expect(lines.count == 1, "\(label) warned \(lines.count) times")
            #expect(lines.first?.contains("add a security: section") == true, "\(lines)")
        }
        await system.stop()
        #expect(system.survivors.isEmpty, "processes left behind: \(system.survivors)")
    }
}
