import Foundation
import Logging
import SwitchboardBus
import SwitchboardServiceKit
import SwitchboardTopology
import Testing
import ZeroMQ

@Suite("A process's bus security from the topology")
struct ProcessSecurityTests {
    static let logger: Logger = {
        var logger = Logger(label: "process-security-test")
        logger.logLevel = .critical
        return logger
    }()

    /// A folder with a topology of a router and a presence tracker, CURVE keys for `principals`
    /// (each listed, with `keysWritten` of them generated), and its file.
    static func topology(
        principals: [String] = ["router", "presence", "tap"], keysWritten: [String]? = nil, in folder: URL
    ) throws -> String {
        let keys = folder.appendingPathComponent("keys").path
        let written = keysWritten ?? principals
        if !written.isEmpty { _ = try KeyFiles.generate(names: written, directory: keys, force: true) }
        var yaml = """
            dataDirectory: \(folder.path)
            security:
              keys: \(keys)
              principals:

            """
        for name in principals {
            let role = ["router", "presence"].contains(name) ? "service" : "tool"
            yaml += "    \(name): {key: \(name), role: \(role)}\n"
        }
        yaml += """
            hosts:
              a: {address: 127.0.0.1}
            services:
              router: \(Self.endpoints(9000))
              presence: \(Self.endpoints(9010))

            """
        let file = folder.appendingPathComponent("topology.yaml").path
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// A service on host `a` with its publish, state and command endpoints on the three ports after `base`.
    static func endpoints(_ base: Int) -> String {
        let endpoint = { (offset: Int) in "\"tcp://127.0.0.1:\(base + offset)\"" }
        return "{host: a, publish: \(endpoint(1)), state: \(endpoint(2)), command: \(endpoint(3))}"
    }

    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sb-psec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("a principal gets its own key pair, every principal on the allow-list and each service's key by endpoint")
    func loads() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let topology = try Topology.load(file: try Self.topology(in: folder))
        let keys = folder.appendingPathComponent("keys").path
        let security = try #require(try ProcessSecurity.load(principal: "tap", topology: topology, logger: Self.logger))
        #expect(security.keys == (try KeyFiles.loadKeyPair(file: KeyFiles.keyFile("tap", in: keys))))
        let router = try KeyFiles.loadPublicKey(file: KeyFiles.publicFile("router", in: keys))
        let presence = try KeyFiles.loadPublicKey(file: KeyFiles.publicFile("presence", in: keys))
        for port in [9001, 9002, 9003] { #expect(security.serverPublicKeys["tcp://127.0.0.1:\(port)"] == router) }
        for port in [9011, 9012, 9013] { #expect(security.serverPublicKeys["tcp://127.0.0.1:\(port)"] == presence) }
        #expect(Set(security.allowList.principals.values) == ["router", "presence", "tap"])
        #expect(security.allowList.principal(for: router) == "router")
    }

    @Test("a missing key file is named with the command that makes it")
    func missingKey() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let topology = try Topology.load(
            file: try Self.topology(keysWritten: ["router", "presence"], in: folder))
        let keys = folder.appendingPathComponent("keys").path
        #expect {
            try ProcessSecurity.load(principal: "tap", topology: topology, logger: Self.logger)
        } throws: { error in
            let text = "\(error)"
            return text.contains("\(keys)/tap.key") && text.contains("switchboard keys generate tap")
        }
        // Another principal's public key missing: named too.
        #expect {
            try ProcessSecurity.load(principal: "router", topology: topology, logger: Self.logger)
        } throws: { error in
            "\(error)".contains("\(keys)/tap.pub") && "\(error)".contains("switchboard keys generate tap")
        }
    }

    @Test("a principal the topology does not list is refused by name")
    func unknownPrincipal() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let topology = try Topology.load(file: try Self.topology(in: folder))
        #expect {
            try ProcessSecurity.load(principal: "simulator", topology: topology, logger: Self.logger)
        } throws: { error in
            "\(error)".contains("no principal 'simulator'") && "\(error)".contains("security.principals")
        }
    }

    @Test("a topology without CURVE gives open sockets")
    func open() throws {
        let topology = try Topology.parse(
            try YAMLValue.parse(
                """
                hosts:
                  a: {address: 127.0.0.1}
                services:
                  router: \(Self.endpoints(9000))
                """, file: "open.yaml"))
        #expect(try ProcessSecurity.load(principal: "router", topology: topology, logger: Self.logger) == nil)
    }

    @Test("a reload puts the re-read allow-list in force: a principal taken off is refused from then on")
    func reload() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.topology(in: folder)
        let security = try #require(
            try ProcessSecurity.load(principal: "router", topology: try Topology.load(file: file), logger: Self.logger))
        let loop = try SocketLoop(name: "sb-psec-reload", logger: Self.logger)
        let authenticator = try await security.prepareServer(on: loop, logger: Self.logger)
        let tap = security.allowList.principals.first { $0.value == "tap" }?.key
        #expect(tap != nil && authenticator.allowList.principal(for: tap!) == "tap")
        // The file again, without the tap (its keys stay on disk).
        _ = try Self.topology(principals: ["router", "presence"], keysWritten: [], in: folder)
        ProcessSecurity.reloadAllowList(topologyFile: file, loop: loop, logger: Self.logger)
        #expect(authenticator.allowList.principal(for: tap!) == nil)
        #expect(Set(authenticator.allowList.principals.values) == ["router", "presence"])
        await loop.shutdown()
    }
}
