import Foundation
import SwitchboardBus
import SwitchboardProcesses
import SwitchboardServiceKit
import SwitchboardTopology
import Testing
import ZeroMQ

/// SIGTERM to a service: its parts stop in the declared order, and everything it acknowledged
/// reaches its subscribers before it exits.
@Suite("Graceful shutdown of a service process", .serialized)
struct GracefulShutdownProcessTests {
    @Test("the router stops taking commands first, drains its loop and outbox, then stops its heartbeat")
    func routerStopsInOrder() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sb-graceful-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var ports: [Int] = []
        while ports.count < 3 {
            let port = freeLoopbackPort()
            if !ports.contains(port) { ports.append(port) }
        }
        let centre = SystemHarness.root.appendingPathComponent("Topology/contact-centre.yaml").path
        let topologyFile = directory.appendingPathComponent("topology.yaml").path
        try """
        version: 1
        name: graceful
        contactCentre: \(centre)
        dataDirectory: \(directory.appendingPathComponent("data").path)
        hosts:
          local: {address: 127.0.0.1}
        services:
          router: {host: local, publish: "tcp://127.0.0.1:\(ports[0])", state: "tcp://127.0.0.1:\(ports[1])",
              command: "tcp://127.0.0.1:\(ports[2])"}
        """.write(toFile: topologyFile, atomically: true, encoding: .utf8)
        let topology = try Topology.load(file: topologyFile)
        let router = try #require(topology.service(.router))

        let process = try await ChildProcess(
            name: "router", executable: SystemHarness.binary,
            arguments: ["router", "--topology", topologyFile, "--log-level", "debug"], captureErrors: true)
        let logLines = Locked<[String]>([])
        let logging = Task { for await line in process.errorLines { logLines.withLock { $0.append(line) } } }
        let loop = try SocketLoop(name: "sb-graceful-io", logger: SystemHarness.logger)
        let recorder = EventRecorder()
        let following = Task {
            let replica = Replica(
                loop: loop, publish: router.publish, state: router.state, prefixes: ["conv."],
                logger: SystemHarness.logger)
            try? await replica.run { update in recorder.record(update, from: .router) }
        }
        let client = try await CommandClient(
            loop: loop, connect: router.command!, serviceName: "router", logger: SystemHarness.logger)
        #expect(await eventually(within: 60) { recorder.isLive(.router) }, "the router answers a snapshot")
        // Commands in flight while SIGTERM arrives: some are answered, the rest refused or
        // left unanswered; every one answered must be on the wire before the process ends.
        let acknowledged = Locked<[String]>([])
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<600 {
                group.addTask {
                    let id = "g-\(index)"
                    let reply = try? await client.send(
                        "conversation.open",
                        data: [
                            "conversationId": .string(id), "customerId": .string("cust-\(index)"), "queue": "email-en",
                        ],
                        deadlineSeconds: 5)
                    if reply != nil { acknowledged.withLock { $0.append(id) } }
                }
            }
            group.addTask {
                _ = await eventually(within: 30) { acknowledged.value.count >= 100 }
                process.signal(SIGTERM)
            }
        }
        let stopped = await process.waitForExit(within: 30)
        if stopped == nil { _ = await process.stop(graceSeconds: 1) }
        let answered = acknowledged.value
        func missing() -> [String] {
            let seen = Set(
                recorder.events(ofType: "conversation.queued").compactMap { $0.data["conversationId"]?.stringValue })
            return answered.filter { !seen.contains($0) }
        }
        // What the router sent before it exited may still be on its way through this side's
        // sockets; it arrives within the bound or it was never sent.
        _ = await eventually(within: 10) { missing().isEmpty }
        following.cancel()
        logging.cancel()
        await loop.shutdown()
        try? logLines.value.joined(separator: "\n").write(
            toFile: "/tmp/graceful.log", atomically: true, encoding: .utf8)

        #expect(stopped == 0, "SIGTERM ends the router cleanly")
        #expect(!answered.isEmpty, "the commands before SIGTERM were answered")
        #expect(missing().isEmpty, "acknowledged but never published: \(missing().prefix(10))")

        let order = ["router command server", "router loop", "router outbox relay", "router heartbeat"]
        let positions = order.map { part in logLines.value.firstIndex { $0.contains("\(part) stopped") } }
        #expect(positions.allSatisfy { $0 != nil }, "each part logs its stop: \(logLines.value.suffix(30))")
        let found = positions.compactMap { $0 }
        #expect(
            found == found.sorted(),
            "parts stop in the declared order: \(zip(order, positions).map { "\($0): \($1.map(String.init) ?? "-")" })")
    }
}
