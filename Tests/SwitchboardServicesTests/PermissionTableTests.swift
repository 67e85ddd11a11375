import SwitchboardBus
import SwitchboardDesk
import SwitchboardMonitor
import SwitchboardRouter
import SwitchboardServiceKit
import SwitchboardTopology
import Testing

/// The principals of a test topology: every service, the gateway, an operator, the tap and a
/// simulator granted what it plays.
let testPrincipals: [TopologySecurity.Principal] = [
    .init(name: "router", key: .file("router"), role: .service),
    .init(name: "presence", key: .file("presence"), role: .service),
    .init(name: "desk", key: .file("desk"), role: .service, actFor: true),
    .init(name: "summariser", key: .file("summariser"), role: .service),
    .init(name: "monitor", key: .file("monitor"), role: .service),
    .init(name: "gateway", key: .file("gateway"), role: .gateway, actFor: true),
    .init(name: "anna", key: .file("anna"), role: .operator),
    .init(name: "tap", key: .file("tap"), role: .tool),
    .init(
        name: "simulator", key: .file("simulator"), role: .tool, actFor: true,
        commands: [
            "conversation.open", "conversation.message", "conversation.abandon", "conversation.close",
            "conversation.endWrapUp", "desk.signIn", "desk.signOut", "desk.reply", "desk.close", "desk.endWrapUp",
            "presence.set", "presence.heartbeat",
        ]),
]

/// The policy, as data: for each command (and the fields that matter), who may send it. Every
/// other principal of `testPrincipals` is refused. `ava` is an agent or supervisor who is no
/// principal, so only principals with actFor may name her; `self` names the sender.
struct PolicyRow: Sendable, CustomStringConvertible {
    let service: ServiceName
    let type: String
    var data: JSON = [:]
    /// The acting-for field names the sender itself.
    var forSelf = false
    let allowed: Set<String>

    var description: String { "\(service.rawValue) \(type) \(data.text)\(forSelf ? " (for itself)" : "")" }
}

let readers: Set<String> = ["router", "presence", "desk", "summariser", "monitor", "gateway", "anna"]

let policy: [PolicyRow] =
    [
        // The router: the customer's side from the gateway, agents' actions from the desk.
        PolicyRow(service: .router, type: "conversation.open", allowed: ["gateway", "simulator"]),
        PolicyRow(
            service: .router, type: "conversation.message", data: ["role": "customer"],
            allowed: ["gateway", "simulator"]),
        PolicyRow(
            service: .router, type: "conversation.message", data: ["role": "agent"], allowed: ["desk", "simulator"]),
        PolicyRow(service: .router, type: "conversation.message", data: ["role": "supervisor"], allowed: ["monitor"]),
        PolicyRow(
            service: .router, type: "conversation.message", data: ["role": "system"], allowed: ["monitor", "gateway"]),
        PolicyRow(service: .router, type: "conversation.accept", data: ["agentId": "ava"], allowed: ["desk"]),
        PolicyRow(service: .router, type: "conversation.decline", data: ["agentId": "ava"], allowed: ["desk"]),
        PolicyRow(service: .router, type: "conversation.close", allowed: ["desk", "gateway", "simulator"]),
        PolicyRow(service: .router, type: "conversation.endWrapUp", allowed: ["desk", "simulator"]),
        PolicyRow(service: .router, type: "conversation.abandon", allowed: ["gateway", "simulator"]),
        // The desk for its agents; the monitor for a supervisor's reassignment.
        PolicyRow(
            service: .router, type: "conversation.transfer", data: ["agentId": "ava"], allowed: ["desk", "monitor"]),
        PolicyRow(service: .router, type: "conversation.transcript", allowed: readers),
        PolicyRow(service: .router, type: "conversation.explain", allowed: readers),
        PolicyRow(service: .router, type: "router.status", allowed: readers),
        PolicyRow(service: .router, type: "agent.add", data: ["agentId": "ava"], allowed: ["anna"]),
        PolicyRow(service: .router, type: "agent.update", data: ["agentId": "ava"], allowed: ["anna"]),
        PolicyRow(service: .router, type: "agent.remove", data: ["agentId": "ava"], allowed: ["anna"]),
        PolicyRow(service: .router, type: "router.reload", allowed: ["anna"]),
        // Presence: the gateway for its agents; the router sets Away on its own authority, the
        // monitor what a supervisor chose.
        PolicyRow(
            service: .presence, type: "presence.set", data: ["agentId": "ava"],
            allowed: ["gateway", "router", "monitor", "simulator"]),
        PolicyRow(
            service: .presence, type: "presence.heartbeat", data: ["agentId": "ava"],
            allowed: ["gateway", "simulator"]),
        // Supervision: the gateway for a supervisor; the monitor and operators for themselves.
        PolicyRow(service: .monitor, type: "monitor.view", allowed: readers),
    ]
    + DeskRequest.types.map { type in
        PolicyRow(
            service: .desk, type: type, data: ["agentId": "ava"],
            allowed: ["desk.signIn", "desk.signOut", "desk.reply", "desk.close", "desk.endWrapUp"].contains(type)
                ? ["gateway", "simulator"] : ["gateway"])
    } + [
        PolicyRow(service: .desk, type: "desk.show", forSelf: true, allowed: ["gateway", "anna"])
    ]
    + SupervisorCommand.types.filter { $0.hasPrefix("supervisor.") }.flatMap { type in
        [
            PolicyRow(service: .monitor, type: type, data: ["supervisorId": "ava"], allowed: ["gateway"]),
            PolicyRow(service: .monitor, type: type, forSelf: true, allowed: ["gateway", "monitor", "anna"]),
        ]
    } + [
        // The summariser takes no commands: the service answers unknown_command to those who may ask.
        PolicyRow(service: .summariser, type: "summary.refresh", allowed: readers)
    ]

@Suite("The permission table")
struct PermissionTableTests {
    let permissions = CommandPermissions(principals: testPrincipals)

    func decide(_ row: PolicyRow, by principal: String) -> PermissionDecision {
        var data = row.data
        if row.forSelf, case .object(var object) = data {
            object[row.type.hasPrefix("supervisor.") ? "supervisorId" : "agentId"] = .string(principal)
            data = .object(object)
        }
        let command = CommandRequest(id: "c-1", type: row.type, data: data, principal: principal)
        return permissions.decide(command, at: row.service)
    }

    @Test("every principal role and command type is allowed or refused as the policy says", arguments: policy)
    func policyHolds(_ row: PolicyRow) {
        for principal in testPrincipals.map(\.name) {
            let decision = decide(row, by: principal)
            let expected = row.allowed.contains(principal)
            #expect(decision.isAllowed == expected, "\(principal): \(decision)")
            if case .forbidden(let permission, let message) = decision {
                #expect(message.contains("'\(principal)'"), "the refusal names the principal")
                #expect(message.contains(permission.rawValue), "the refusal names the permission")
            }
        }
    }

    @Test("the policy lists every command type the services take")
    func everyTypeCovered() {
        let listed = Set(policy.map(\.type))
        let taken =
            RouterCommand.types + DeskRequest.types + SupervisorCommand.types + [
                "presence.set", "presence.heartbeat",
            ]
        #expect(Set(taken).subtracting(listed).isEmpty, "missing: \(Set(taken).subtracting(listed).sorted())")
    }

    @Test("without security every command is allowed")
    func openMode() {
        let open = CommandPermissions(security: nil)
        for row in policy {
            #expect(open.decide(CommandRequest(id: "c", type: row.type, data: row.data), at: row.service) == .allowed)
        }
    }

    @Test("a principal the topology does not list may send nothing")
    func unknownPrincipal() {
        let decision = permissions.decide(
            CommandRequest(id: "c", type: "router.status", data: [:], principal: "mallory"), at: .router)
        #expect(decision.permission == .listedPrincipal)
        #expect(decision.failure?.code == .forbidden)
        #expect(decision.failure?.message.contains("'mallory'") == true)
    }

    @Test("naming another person needs actFor; the refusal says so")
    func actForNamed() {
        let decision = permissions.decide(
            CommandRequest(
                id: "c", type: "supervisor.observe", data: ["supervisorId": "ava", "conversationId": "c-1"],
                principal: "anna"), at: .monitor)
        #expect(decision.permission == .actFor)
        #expect(decision.failure?.message.contains("'ava'") == true)
    }

    @Test("the simulator's grant never covers supervisor or system messages")
    func simulatorMessages() {
        let decision = permissions.decide(
            CommandRequest(id: "c", type: "conversation.message", data: ["role": "system"], principal: "simulator"),
            at: .router)
        #expect(decision.permission == .supervisorMessages)
    }
}
