import Foundation
import SwitchboardTopology
import Testing

@Suite("Topology files")
struct TopologyTests {
    /// The repository's root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test("Topology/local.yaml places every process of the system on 127.0.0.1")
    func localTopology() throws {
        let topology = try Topology.load(file: "\(Self.root)/Topology/local.yaml")
        #expect(Set(topology.services.keys) == Set(ServiceName.allCases))
        for service in topology.services.values {
            #expect((service.name.publishes ? service.publish : service.http ?? "").hasPrefix("tcp://127.0.0.1:"))
            #expect(service.host == "local")
        }
        #expect(topology.service(.router)?.state != nil && topology.service(.router)?.command != nil)
        #expect(topology.contactCentreFile?.hasSuffix("Topology/contact-centre.yaml") == true)
        #expect(topology.services(on: "local").count == 6)
    }

    @Test("the gateway has an http endpoint and its own settings, and no bus endpoints")
    func gatewaySettings() throws {
        let topology = try Topology.parse(
            try YAMLValue.parse(
                Self.valid + """

                      gateway: {host: a, http: "tcp://127.0.0.1:8080", bcryptCost: 4, limits: {signinPerAccount: 50}}
                    """, file: "gateway.yaml"))
        let gateway = try #require(topology.service(.gateway))
        #expect(gateway.http == "tcp://127.0.0.1:8080")
        #expect(gateway.gateway.bcryptCost == 4 && gateway.gateway.signinPerAccount == 50)
        #expect(gateway.gateway.signinPerAddress == 20)
        let refused = refusal(
            Self.valid + "\n  gateway: {host: a, http: \"tcp://127.0.0.1:8080\", publish: \"tcp://127.0.0.1:8081\"}")
        #expect(refused?.description.contains("the gateway has no 'publish:'") == true)
        #expect(refusal(Self.valid + "\n  gateway: {host: a}")?.description.contains("http") == true)
    }

    @Test("metrics endpoints: per service on its host, per host for up; a taken port or a foreign host is refused")
    func metricsEndpoints() throws {
        let yaml = Self.valid
            .replacingOccurrences(
                of: "a: {address: 127.0.0.1}", with: "a: {address: 127.0.0.1, metrics: \"tcp://*:9090\"}"
            )
            .replacingOccurrences(
                of: "command: \"tcp://127.0.0.1:9003\"}",
                with: "command: \"tcp://127.0.0.1:9003\",\n      metrics: \"tcp://127.0.0.1:9009\"}")
        let topology = try Topology.parse(try YAMLValue.parse(yaml, file: "metrics.yaml"))
        #expect(topology.service(.router)?.metrics == "tcp://127.0.0.1:9009")
        #expect(topology.hosts["a"]?.metrics == "tcp://*:9090")
        let taken = refusal(yaml.replacingOccurrences(of: ":9009", with: ":9001"))
        #expect(taken?.description.contains("services.router.metrics") == true, "\(String(describing: taken))")
        #expect(taken?.description.contains("already used") == true)
        let foreign = refusal(yaml.replacingOccurrences(of: "127.0.0.1:9009", with: "10.0.0.9:9009"))
        #expect(foreign?.description.contains("not on host 'a'") == true, "\(String(describing: foreign))")
    }

    @Test("the router's limit on open conversations: a default, a value, and refused elsewhere or out of range")
    func openConversationsLimit() throws {
        #expect(
            try Topology.parse(try YAMLValue.parse(Self.valid, file: "a.yaml")).service(.router)?.openConversationsMax
                == Topology.Service.openConversationsMaxDefault)
        let limited = Self.valid.replacingOccurrences(
            of: "command: \"tcp://127.0.0.1:9003\"}",
            with: "command: \"tcp://127.0.0.1:9003\", openConversationsMax: 5000}")
        #expect(
            try Topology.parse(try YAMLValue.parse(limited, file: "b.yaml")).service(.router)?.openConversationsMax
                == 5000)
        let zero = refusal(limited.replacingOccurrences(of: "5000", with: "0"))
        #expect(zero?.key == "services.router.openConversationsMax", "\(String(describing: zero))")
        let elsewhere = refusal(
            Self.valid + "\n  monitor: {host: a, publish: \"tcp://127.0.0.1:9011\", state: \"tcp://127.0.0.1:9012\", "
                + "command: \"tcp://127.0.0.1:9013\", openConversationsMax: 10}")
        #expect(
            elsewhere?.description.contains("belongs to the router only") == true, "\(String(describing: elsewhere))")
    }

    @Test("durability: process by default, machine where asked, refused where there is no store or the word is unknown")
    func durability() throws {
        #expect(
            try Topology.parse(try YAMLValue.parse(Self.valid, file: "a.yaml")).service(.router)?.durability == .process
        )
        let machine = Self.valid.replacingOccurrences(
            of: "command: \"tcp://127.0.0.1:9003\"}", with: "command: \"tcp://127.0.0.1:9003\", durability: machine}")
        #expect(
            try Topology.parse(try YAMLValue.parse(machine, file: "b.yaml")).service(.router)?.durability == .machine)
        let unknown = refusal(machine.replacingOccurrences(of: "durability: machine", with: "durability: disk"))
        #expect(unknown?.key == "services.router.durability", "\(String(describing: unknown))")
        #expect(unknown?.description.contains("use process") == true, "\(String(describing: unknown))")
        let noStore = refusal(
            Self.valid
                + "\n  summariser: {host: a, publish: \"tcp://127.0.0.1:9021\", state: \"tcp://127.0.0.1:9022\", "
                + "durability: machine}")
        #expect(noStore?.key == "services.summariser.durability", "\(String(describing: noStore))")
        #expect(noStore?.description.contains("keep a store") == true, "\(String(describing: noStore))")
    }

    func refusal(_ yaml: String) -> TopologyError? {
        do {
            _ = try Topology.parse(try YAMLValue.parse(yaml, file: "bad.yaml"))
            return nil
        } catch {
            return error
        }
    }

    static let valid = """
        hosts:
          a: {address: 127.0.0.1}
        services:
          router: {host: a, publish: "tcp://127.0.0.1:9001",
              state: "tcp://127.0.0.1:9002", command: "tcp://127.0.0.1:9003"}
        """

    @Test("a valid minimal file loads")
    func minimal() {
        #expect(refusal(Self.valid) == nil)
    }

    @Test(
        "a broken topology is refused with the file, the line, the key and what is wrong",
        arguments: [
            (
                valid.replacingOccurrences(of: "command:", with: "comand:"), "services.router.comand",
                "did you mean 'command'"
            ),
            (valid.replacingOccurrences(of: ":9003", with: ""), "services.router.command", "no port"),
            (valid.replacingOccurrences(of: ":9003", with: ":70000"), "services.router.command", "concrete port"),
            (valid.replacingOccurrences(of: ":9003", with: ":9001"), "services.router.command", "already used"),
            (valid.replacingOccurrences(of: "host: a", with: "host: b"), "services.router.host", "no host 'b'"),
            (
                valid.replacingOccurrences(of: ", command: \"tcp://127.0.0.1:9003\"", with: ""), "services.router",
                "missing 'command:'"
            ),
            (valid.replacingOccurrences(of: "router:", with: "rooter:"), "services.rooter", "did you mean 'router'"),
            (
                valid.replacingOccurrences(of: "tcp://127.0.0.1:9001", with: "tcp://10.0.0.9:9001"),
                "services.router.publish", "not on host 'a'"
            ),
            (
                valid.replacingOccurrences(of: "tcp://127.0.0.1:9001", with: "udp://127.0.0.1:9001"),
                "services.router.publish", "not a tcp endpoint"
            ),
            ("hosts: [1, 2]\nservices: {}", "hosts", "expected a mapping"),
            ("hosts:\n  a: {address: 1\n", "", "not valid YAML"),
            ("services: {}", "hosts", "missing 'hosts:'"),
        ])
    func refusals(yaml: String, key: String, problem: String) throws {
        let error = try #require(refusal(yaml), "accepted:\n\(yaml)")
        #expect(error.key == key, "\(error)")
        #expect(error.description.contains(problem), "\(error)")
        #expect(error.description.hasPrefix("bad.yaml:"), "\(error)")
        if !key.isEmpty { #expect(error.line != nil, "\(error)") }
    }

    @Test("a missing file is refused with what to do")
    func missingFile() {
        do {
            _ = try Topology.load(file: "/nonexistent/topology.yaml")
            Issue.record("loaded a missing file")
        } catch {
            #expect(error.description.contains("--topology"))
        }
    }
}
