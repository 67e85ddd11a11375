import Foundation
import SwitchboardTopology
import Testing

@Suite("The topology's security section")
struct TopologySecurityTests {
    static let publicKey = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"

    static func topology(address: String = "127.0.0.1", bindPublish: String? = nil, security: String? = nil) -> String {
        var yaml = """
            hosts:
              a: {address: \(address)}
            services:
              router:
                host: a
                publish: "tcp://\(address):9001"
                state: "tcp://\(address):9002"
                command: "tcp://\(address):9003"

            """
        if let bindPublish { yaml += "    bind: {publish: \"\(bindPublish)\"}\n" }
        if let security { yaml += security }
        return yaml
    }

    func parse(_ yaml: String) throws(TopologyError) -> Topology {
        try Topology.parse(try YAMLValue.parse(yaml, file: "secure.yaml"))
    }

    func refusal(_ yaml: String) -> TopologyError? {
        do {
            _ = try parse(yaml)
            return nil
        } catch {
            return error
        }
    }

    @Test("loopback endpoints need no security section")
    func loopbackOpen() throws {
        #expect(try parse(Self.topology()).security == nil)
    }

    @Test("a reachable endpoint without a security section is refused, naming the field and both ways out")
    func reachableRefused() throws {
        let error = try #require(refusal(Self.topology(address: "10.0.0.5")))
        #expect(error.key == "services.router.publish")
        #expect(error.line != nil)
        #expect(error.description.contains("security: {keys:") && error.description.contains("security: off"))
        let wildcard = try #require(refusal(Self.topology(bindPublish: "tcp://*:9001")))
        #expect(wildcard.key == "services.router.bind.publish")
    }

    @Test("security: off keeps reachable endpoints open")
    func explicitOff() throws {
        let topology = try parse(Self.topology(address: "10.0.0.5", security: "security: off\n"))
        #expect(topology.security == .off)
    }

    @Test("a CURVE section reads the keys directory and every principal with its key, role and actFor")
    func curve() throws {
        let yaml = Self.topology(
            address: "10.0.0.5",
            security: """
                security:
                  keys: keys
                  principals:
                    router: {key: router, role: service}
                    gateway-1: {key: gateway, role: gateway, actFor: true}
                    anna: {key: "\(Self.publicKey)", role: operator}
                    simulator: {key: simulator, role: tool, actFor: true, commands: [conversation.open, desk.reply]}

                """)
        let topology = try parse(yaml)
        let settings = try #require(topology.security?.curve)
        #expect(settings.keysDirectory.hasSuffix("/keys"))
        #expect(settings.principals["router"] == .init(name: "router", key: .file("router"), role: .service))
        #expect(settings.principals["gateway-1"]?.actFor == true)
        #expect(settings.principals["gateway-1"]?.key == .file("gateway"))
        #expect(settings.principals["anna"]?.key == .publicKey(Self.publicKey))
        #expect(settings.principals["anna"]?.role == .operator)
        #expect(settings.principals["anna"]?.commands == [])
        #expect(settings.principals["simulator"]?.commands == ["conversation.open", "desk.reply"])
        #expect(settings.sortedPrincipals.map(\.name) == ["anna", "gateway-1", "router", "simulator"])
        #expect(
            settings.keyReferences == [
                "router": "router", "gateway-1": "gateway", "anna": Self.publicKey, "simulator": "simulator",
            ])
        #expect(
            topology.serverPrincipals == [
                "tcp://10.0.0.5:9001": "router", "tcp://10.0.0.5:9002": "router", "tcp://10.0.0.5:9003": "router",
            ])
    }

    @Test(
        "a broken security section is refused with the field and what to write",
        arguments: [
            ("security: on\n", "security", "security: off"),
            ("security: {principals: {router: {key: router, role: service}}}\n", "security", "missing 'keys:'"),
            ("security: {keys: k}\n", "security", "missing 'principals:'"),
            (
                "security: {keys: k, principals: {router: {key: router, role: boss}}}\n",
                "security.principals.router.role", "not one of"
            ),
            (
                "security: {keys: k, principals: {router: {role: service}}}\n", "security.principals.router",
                "missing 'key:'"
            ),
            (
                "security: {keys: k, principals: {router: {key: router}}}\n", "security.principals.router",
                "missing 'role:'"
            ),
            (
                "security: {keys: k, principals: {router: {key: \"a/b\", role: service}}}\n",
                "security.principals.router.key", "neither a key file"
            ),
            (
                "security: {keys: k, principals: {router: {key: router, role: service, actfor: true}}}\n",
                "security.principals.router.actfor", "did you mean 'actFor'"
            ),
            (
                "security: {keys: k, principals: {router: {key: router, role: service, commands: [reload]}}}\n",
                "security.principals.router.commands[0]", "not a command type"
            ),
            (
                "security: {keys: k, principals: {desk: {key: desk, role: service}}}\n", "security.principals",
                "no principal 'router'"
            ),
            (
                "security: {keys: k, principals: {router: {key: router, role: tool}}}\n",
                "security.principals.router.role", "role: service"
            ),
            (
                "security: {keys: k, principals: {router: {key: router, role: service}, r2: {key: router, role: "
                    + "tool}}}\n",
                "security.principals.r2.key", "already principal 'router'"
            ),
        ])
    func refusals(security: String, key: String, problem: String) throws {
        let error = try #require(refusal(Self.topology(security: security)), "accepted:\n\(security)")
        #expect(error.key == key, "\(error)")
        #expect(error.description.contains(problem), "\(error)")
    }

    @Test("Topology/local.yaml keeps security off")
    func localIsOff() throws {
        let topology = try Topology.load(file: "\(TopologyTests.root)/Topology/local.yaml")
        #expect(topology.security == .off)
    }

    @Test("Topology/local-secure.yaml is local.yaml with CURVE: keys under its data directory, every service and tool")
    func localSecure() throws {
        let topology = try Topology.load(file: "\(TopologyTests.root)/Topology/local-secure.yaml")
        let local = try Topology.load(file: "\(TopologyTests.root)/Topology/local.yaml")
        let settings = try #require(topology.security?.curve)
        #expect(settings.keysDirectory.hasPrefix(topology.dataDirectory + "/"), "\(settings.keysDirectory)")
        for service in ServiceName.allCases {
            #expect(settings.principals[service.rawValue] != nil, "no principal for the \(service)")
        }
        for tool in ["simulator", "tap", "operator"] {
            #expect(settings.principals[tool] != nil, "no principal for \(tool)")
        }
        #expect(
            topology.services
                == local.services.mapValues { service in
                    var service = service
                    service.dataDirectory = service.dataDirectory.replacingOccurrences(
                        of: local.dataDirectory, with: topology.dataDirectory)
                    return service
                })
    }
}
