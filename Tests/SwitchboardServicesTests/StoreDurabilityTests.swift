import Foundation
import GRDB
import Logging
import SwitchboardServiceKit
import SwitchboardStore
import SwitchboardTopology
import Testing

/// A service's `durability:` reaches its store: `machine` flushes every commit to the disk.
@Suite("Store durability from the topology")
struct StoreDurabilityTests {
    static let logger: Logger = {
        var logger = Logger(label: "switchboard.durability.test")
        logger.logLevel = .critical
        return logger
    }()

    func topology(_ routerExtra: String, directory: URL) throws -> Topology {
        let yaml = """
            hosts:
              a: {address: 127.0.0.1}
            dataDirectory: \(directory.path)
            services:
              router: {host: a, publish: "tcp://127.0.0.1:9001", state: "tcp://127.0.0.1:9002",
                  command: "tcp://127.0.0.1:9003"\(routerExtra)}
            """
        return try Topology.parse(try YAMLValue.parse(yaml, file: "topology.yaml"))
    }

    @Test(
        "process keeps synchronous=NORMAL, machine opens the store with synchronous=FULL",
        arguments: [
            ("", StoreConfiguration.Durability.processCrash, 1),
            (", durability: machine", StoreConfiguration.Durability.powerLoss, 2),
        ])
    func durabilityReachesTheStore(extra: String, expected: StoreConfiguration.Durability, synchronous: Int)
        async throws
    {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sb-durability-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let topology = try topology(extra, directory: directory)
        let service = try #require(topology.service(.router))
        let configuration = AuthorityRuntime.storeConfiguration(.router, service: service, topology: topology)
        #expect(configuration.durability == expected)
        #expect(configuration.path.hasSuffix("router.sqlite"))
        let store = try await AuthorityStore.open(configuration, logger: Self.logger)
        let mode = try await store.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        await store.close()
        #expect(mode == synchronous, "PRAGMA synchronous: 1 is NORMAL, 2 is FULL")
    }
}
