import SwitchboardGateway
import SwitchboardProcesses
import SwitchboardRouting
import SwitchboardTools
import SwitchboardTopology

/// Where people join the demo in a browser: a customer's chat on the demo person's own queue,
/// that person's desk, and the supervisor's dashboard, all with the documented demo password.
struct DemoPages: Sendable {
    /// The agent the simulation leaves to a person (she alone serves `queue`).
    static let person = "priya-raman"
    static let queue = "chat-en-premier"
    static let supervisor = "grace-okafor"
    /// Every agent's password in the demo (README says so): never use it elsewhere.
    static let password = "switchboard"

    let topology: Topology
    let contactCentre: ContactCentre
    let base: String

    /// Nil when the topology places no gateway or the contact-centre file lacks the demo's people.
    init?(topology: Topology, contactCentre: ContactCentre) {
        guard let http = topology.service(.gateway)?.http, contactCentre.agent(.init(Self.person)) != nil,
            contactCentre.queue(.init(Self.queue)) != nil
        else { return nil }
        self.topology = topology
        self.contactCentre = contactCentre
        base = "http://" + http.dropFirst("tcp://".count)
    }

    /// Why the gateway could not listen where the topology says, or nil when it can.
    var portProblem: String? {
        let address = base.dropFirst("http://".count)
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            return nil
        }
        let host = String(address[..<colon])
        if LoopbackPort.canListen(host: host, port: port) { return nil }
        return "something already listens on \(host):\(port), where the gateway must; stop it, or change "
            + "services.gateway.http in \(topology.file)"
    }

    var lines: [String] {
        let personName = contactCentre.agent(.init(Self.person))?.name ?? Self.person
        let supervisorName = contactCentre.agent(.init(Self.supervisor))?.name ?? Self.supervisor
        return [
            "chat as a customer: \(base)/chat/\(Self.queue)",
            "\(personName)'s desk: \(base)/desk (user \(Self.person), password \(Self.password))",
            "supervisor dashboard: \(base)/supervisor (user \(Self.supervisor), \(supervisorName), password "
                + "\(Self.password))",
        ]
    }

    /// Gives every agent of the file the demo password.
    func seedPasswords() async throws {
        for agent in contactCentre.agents {
            try await GatewayAdmin.setPassword(
                topology: topology, contactCentre: contactCentre, agentId: agent.id.rawValue, password: Self.password)
        }
    }
}
