import SwitchboardBus
import SwitchboardMonitor
import SwitchboardRouting
import SwitchboardServiceKit
import SwitchboardTopology
import Testing

@Suite("Supervisor reassignments and presence changes, forwarded by the monitor")
struct SupervisorForwardTests {
    let centre = monitorCentre()

    func parse(_ type: String, _ data: JSON) -> Result<SupervisorCommand, CommandFailure> {
        SupervisorCommand.parse(CommandRequest(id: "m-1", type: type, data: data))
    }

    func forward(_ command: SupervisorCommand) throws(CommandFailure) -> SupervisorForward? {
        let sender: AgentID
        switch command {
        case .reassign(let who, _, _, _), .setPresence(let who, _, _, _), .intervene(let who, _, _, _),
            .stop(let who, _):
            sender = who
        case .view: sender = "nobody"
        }
        let centre = self.centre
        return try SupervisorForward.make(
            command, senderRole: centre.roleName(of: sender), policy: centre.supervision,
            name: { centre.agent($0)?.name ?? $0.rawValue }, isAgent: { centre.agent($0) != nil })
    }

    @Test("a supervisor's reassignment becomes the router's transfer, its note saying who reassigned")
    func reassignToAgent() throws {
        let command = try parse(
            "supervisor.reassign",
            ["supervisorId": "grace", "conversationId": "c-1", "toAgentId": "tom", "note": "Needs cards help"]
        ).get()
        #expect(
            command == .reassign(supervisor: "grace", conversation: "c-1", to: .agent("tom"), note: "Needs cards help"))
        let sent = try #require(try forward(command))
        #expect(sent.service == .router && sent.type == "conversation.transfer")
        #expect(sent.data["conversationId"] == "c-1" && sent.data["agentId"] == "tom" && sent.data["queue"] == nil)
        #expect(sent.data["note"] == "Reassigned by supervisor Grace: Needs cards help")
        let answer = sent.answer(["conversationId": "c-1"], supervisor: "grace")
        #expect(answer == ["conversationId": "c-1", "supervisorId": "grace", "toAgentId": "tom"])
    }

    @Test("a reassignment to a queue without a note still says who reassigned")
    func reassignToQueue() throws {
        let command = try parse(
            "supervisor.reassign", ["supervisorId": "grace", "conversationId": "c-1", "toQueue": "chat-es"]
        ).get()
        let sent = try #require(try forward(command))
        #expect(sent.data["queue"] == "chat-es" && sent.data["agentId"] == nil)
        #expect(sent.data["note"] == "Reassigned by supervisor Grace.")
    }

    @Test("a long note is cut to what the router keeps, the supervisor's name first")
    func longNote() throws {
        let note = String(repeating: "é", count: SupervisorCommand.noteBytesMax / 2)
        let command = try parse(
            "supervisor.reassign",
            ["supervisorId": "grace", "conversationId": "c-1", "toQueue": "chat-es", "note": .string(note)]
        ).get()
        let sent = try #require(try forward(command))
        let text = try #require(sent.data["note"]?.stringValue)
        #expect(text.utf8.count <= SupervisorCommand.noteBytesMax)
        #expect(text.hasPrefix("Reassigned by supervisor Grace: éé") && text.hasSuffix("…"))
    }

    @Test("a presence change becomes the tracker's presence.set with a reason naming the supervisor")
    func setPresence() throws {
        let command = try parse(
            "supervisor.setPresence",
            ["supervisorId": "grace", "agentId": "tom", "status": "away", "reason": "Coaching"]
        ).get()
        let sent = try #require(try forward(command))
        #expect(sent.service == .presence && sent.type == "presence.set")
        #expect(sent.data == ["agentId": "tom", "status": "away", "reason": "Set by supervisor Grace: Coaching"])
        let item: JSON = ["agentId": "tom", "status": "away", "reason": "Set by supervisor Grace: Coaching"]
        #expect(sent.answer(item, supervisor: "grace") == item)
    }

    @Test("an agent may neither reassign nor set presence: forbidden, naming the role that may")
    func agentRefused() throws {
        let reassign = try parse(
            "supervisor.reassign", ["supervisorId": "priya", "conversationId": "c-1", "toAgentId": "tom"]
        ).get()
        let presence = try parse(
            "supervisor.setPresence", ["supervisorId": "priya", "agentId": "tom", "status": "dnd"]
        ).get()
        for command in [reassign, presence] {
            #expect {
                _ = try forward(command)
            } throws: { error in
                guard let failure = error as? CommandFailure else { return false }
                return failure.code == .forbidden && failure.message.contains("priya has role 'agent'")
                    && failure.message.contains("'supervisor'")
            }
        }
        let stranger = try parse(
            "supervisor.setPresence", ["supervisorId": "stranger", "agentId": "tom", "status": "away"]
        ).get()
        #expect(throws: CommandFailure.self) { _ = try forward(stranger) }
    }

    @Test("an agent the file does not list is not found; the fields are checked with their names")
    func refusals() throws {
        let unknown = try parse(
            "supervisor.setPresence", ["supervisorId": "grace", "agentId": "nobody", "status": "away"]
        ).get()
        #expect {
            _ = try forward(unknown)
        } throws: { error in (error as? CommandFailure)?.code == .notFound }
        let both = parse(
            "supervisor.reassign",
            ["supervisorId": "grace", "conversationId": "c-1", "toAgentId": "tom", "toQueue": "chat-en"])
        #expect(both.failureMessage?.contains("exactly one") == true)
        let neither = parse("supervisor.reassign", ["supervisorId": "grace", "conversationId": "c-1"])
        #expect(neither.failureMessage?.contains("toAgentId") == true)
        let status = parse("supervisor.setPresence", ["supervisorId": "grace", "agentId": "tom", "status": "busy"])
        #expect(status.failureMessage?.contains("'busy' is not a presence") == true)
    }
}

extension Result where Failure == CommandFailure {
    fileprivate var failureMessage: String? {
        if case .failure(let failure) = self { failure.message } else { nil }
    }
}
