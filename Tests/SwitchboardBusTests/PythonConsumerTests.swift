import Foundation
import SwitchboardBus
import Testing
import ZeroMQ

/// docs/PROTOCOL.md promises that a consumer in another language can attach with the topology
/// file and the document alone. Its pyzmq example is run here, as a late consumer.
@Suite("The pyzmq example of docs/PROTOCOL.md")
struct PythonConsumerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let example = root.appendingPathComponent("docs/examples/late_consumer.py")

    @Test("the example printed in docs/PROTOCOL.md is the file the test runs")
    func documentShowsTheExample() throws {
        let document = try String(contentsOf: Self.root.appendingPathComponent("docs/PROTOCOL.md"), encoding: .utf8)
        let example = try String(contentsOf: Self.example, encoding: .utf8)
        #expect(document.contains(example), "docs/PROTOCOL.md must include docs/examples/late_consumer.py verbatim")
    }

    @Test("the pyzmq example attaches as a late consumer and ends with the publisher's state")
    func lateConsumerInPython() async throws {
        let loop = try SocketLoop(name: "sb-py-auth", logger: testLogger)
        let publisher = try await EventPublisher(
            loop: loop, bind: "tcp://127.0.0.1:*", source: "router", epoch: 7, logger: testLogger)
        let authority = CounterAuthority(publisher: publisher)
        let server = try await SnapshotServer(
            loop: loop, bind: "tcp://127.0.0.1:*", sourceName: "router", source: authority, logger: testLogger)
        let serving = Task { await server.run() }
        let heartbeats = Task { await publisher.runHeartbeats(interval: .milliseconds(200)) }
        await authority.run(count: 5_000, keys: 40, seed: 11)  // before the consumer exists

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-py-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let topology = directory.appendingPathComponent("topology.yaml")
        try """
        hosts:
          local: {address: 127.0.0.1}
        services:
          router: {host: local, publish: "\(publisher.endpoint)", state: "\(server.endpoint)"}
        """.write(to: topology, atomically: true, encoding: .utf8)

        let python = try ExternalProcess([
            "python3", Self.example.path, topology.path, "router", "--prefix", "kv.", "--quiet", "1.5", "--seconds",
            "60",
        ])
        // Keep publishing while it attaches and after: it joins late and mid-stream.
        for round in 0..<20 {
            await authority.run(count: 500, keys: 40, seed: 100 + UInt64(round))
            try await Task.sleep(for: .milliseconds(50))
        }
        let expected = await authority.counters
        let status = await python.wait(killAfter: 90)
        #expect(status == 0, "python3 failed (run `make test-deps` for pyzmq and PyYAML): \(python.standardError)")
        let printed = python.standardOutput
        let result = try JSON(parsing: Array(printed))
        #expect(result["epoch"] == 7)
        var state: [String: Int64] = [:]
        for member in result["state"]?.objectValue ?? JSONObject() {
            state[String(member.key.dropFirst("kv.".count))] = member.value["value"]?.intValue
        }
        #expect(state == expected, "the Python consumer's state differs from the publisher's")
        heartbeats.cancel()
        serving.cancel()
        await loop.shutdown()
    }
}
