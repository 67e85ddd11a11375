import Foundation
import Logging
import SwitchboardDesk
import SwitchboardMonitor
import SwitchboardPresence
import SwitchboardTopology
import Testing

/// The build functions the command line calls for each service: a topology whose contact-centre
/// file is broken is refused before anything is bound, naming the file.
@Suite("Building each service from its topology")
struct ServiceBuildTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let logger: Logger = {
        var logger = Logger(label: "switchboard.build.test")
        logger.logLevel = .critical
        return logger
    }()

    /// A topology beside a contact-centre file with `centre` as its text.
    static func topology(centre: String) throws -> (Topology, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-build-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try centre.write(to: directory.appendingPathComponent("centre.yaml"), atomically: true, encoding: .utf8)
        let yaml = """
            version: 1
            contactCentre: centre.yaml
            dataDirectory: data
            hosts:
              local: {address: 127.0.0.1}
            services:
              router: {host: local, publish: "tcp://127.0.0.1:9101", state: "tcp://127.0.0.1:9102",
                  command: "tcp://127.0.0.1:9103"}
            """
        let file = directory.appendingPathComponent("topology.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return (try Topology.load(file: file.path), directory)
    }

    @Test("a good contact centre builds the presence tracker, the desk and the monitor")
    func builds() throws {
        let centre = try String(
            contentsOf: Self.root.appendingPathComponent("Topology/contact-centre.yaml"), encoding: .utf8)
        let (topology, directory) = try Self.topology(centre: centre)
        defer { try? FileManager.default.removeItem(at: directory) }
        let presence = try PresenceService.build(topology: topology, logger: Self.logger)
        #expect(presence.knownAgents.count == (try topology.loadContactCentre()).agents.count)
        _ = try DeskService.build(topology: topology, logger: Self.logger)
        _ = try MonitorService.build(topology: topology, logger: Self.logger)
    }

    @Test("a broken contact centre is refused by every build, naming its file")
    func refusesBrokenCentre() throws {
        let (topology, directory) = try Self.topology(centre: "version: 1\nname: broken\nqueues: [oops]\n")
        defer { try? FileManager.default.removeItem(at: directory) }
        for build in [
            { _ = try PresenceService.build(topology: topology, logger: Self.logger) },
            { _ = try DeskService.build(topology: topology, logger: Self.logger) },
            { _ = try MonitorService.build(topology: topology, logger: Self.logger) },
        ] as [() throws -> Void] {
            #expect {
                try build()
            } throws: { error in
                "\(error)".contains("centre.yaml")
            }
        }
    }
}
