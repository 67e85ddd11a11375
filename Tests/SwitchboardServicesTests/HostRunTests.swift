import SwitchboardProcesses
import SwitchboardTopology
import Testing

@Suite("Which services `up` starts on a host")
struct HostRunTests {
    static let twoHosts = """
        hosts:
          a: {address: 127.0.0.1}
          b: {address: 127.0.0.2}
        services:
          router: {host: a, publish: "tcp://127.0.0.1:9001", state: "tcp://127.0.0.1:9002",
              command: "tcp://127.0.0.1:9003"}
          presence: {host: a, publish: "tcp://127.0.0.1:9011", state: "tcp://127.0.0.1:9012",
              command: "tcp://127.0.0.1:9013"}
          desk: {host: b, publish: "tcp://127.0.0.2:9021", state: "tcp://127.0.0.2:9022",
              command: "tcp://127.0.0.2:9023"}
        security: off
        """

    static func topology() throws -> Topology {
        try Topology.parse(try YAMLValue.parse(twoHosts, file: "two.yaml"))
    }

    func refusal(host: String?, only: [String] = [], crashAt: String? = nil) throws -> String? {
        let topology = try Self.topology()
        do {
            _ = try HostRun(topologyFile: "two.yaml", topology: topology, host: host, only: only, crashAt: crashAt)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("the named host's services start, filtered by --service, with a crash plan for the first start only")
    func plan() throws {
        let run = try HostRun(
            topologyFile: "two.yaml", topology: try Self.topology(), host: "a", only: ["presence"],
            crashAt: "presence:after-commit:2")
        #expect(run.host == "a")
        #expect(run.services == [.presence])
        #expect(run.firstStartEnvironment == [.presence: ["SWITCHBOARD_CRASH_AT": "after-commit:2"]])
        let all = try HostRun(topologyFile: "two.yaml", topology: try Self.topology(), host: "a")
        #expect(Set(all.services) == [.router, .presence])
    }

    @Test("a host is found by this machine's name or address when none is named, and refused when ambiguous")
    func hostChoice() throws {
        let topology = try Self.topology()
        #expect(try topology.host(requested: nil, machineName: "127.0.0.2") == "b")
        #expect(try topology.host(requested: nil, machineName: "a") == "a")
        #expect(throws: TopologyError.self) { try topology.host(requested: nil, machineName: "elsewhere") }
        #expect(throws: TopologyError.self) { try topology.host(requested: "c") }
    }

    @Test(
        "a bad request is refused with what to write instead",
        arguments: [
            ("c", [String](), nil as String?, "no host 'c'"),
            (nil, [], nil, "--host (a, b)"),
            ("a", ["routr"], nil, "unknown service 'routr'"),
            ("b", ["router"], nil, "places no service on host 'b'"),
            ("a", [], "router", "--crash-at takes SERVICE:POINT"),
        ])
    func refusals(host: String?, only: [String], crashAt: String?, expected: String) throws {
        let problem = try refusal(host: host, only: only, crashAt: crashAt)
        #expect(problem?.contains(expected) == true, "\(problem ?? "accepted")")
    }
}
