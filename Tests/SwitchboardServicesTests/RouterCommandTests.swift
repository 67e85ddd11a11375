import SwitchboardBus
import SwitchboardRouter
import SwitchboardRouting
import Testing

@Suite("Reading router commands")
struct RouterCommandTests {
    func parse(_ type: String, _ data: JSON) -> Result<RouterCommand, CommandFailure> {
        RouterCommand.parse(
            CommandRequest(id: "x", type: type, data: data), classifier: FixedIntent(), agents: { _ in nil })
    }

    @Test("conversation.open reads its fields, skills in either form, and classifies the text")
    func open() throws {
        let result = parse(
            "conversation.open",
            [
                "conversationId": "c-1", "customerId": "cust-1", "queue": "chat-en", "channel": "chat",
                "skills": ["spanish": 3], "priority": 2, "text": "my card is late",
            ])
        guard case .success(.input(.open(let request, let text, let intent))) = result else {
            Issue.record("not read: \(result)")
            return
        }
        #expect(request.extraSkills == [SkillRequirement("spanish", minimumLevel: 3)])
        #expect(request.priority == 2 && request.channel == .chat)
        #expect(text == "my card is late" && intent?.skill == "cards")
    }

    struct BadCommand: Sendable, CustomTestStringConvertible {
        var type: String
        var data: JSON
        var named: String
        var code: CommandFailure.Code
        var testDescription: String { "\(type) \(data.text)" }
    }

    static let badCommands: [BadCommand] = [
        BadCommand(
            type: "conversation.open", data: ["customerId": "c", "queue": "q"], named: "conversationId",
            code: .missingField),
        BadCommand(
            type: "conversation.open", data: ["conversationId": "c.1", "customerId": "c", "queue": "q"],
            named: "not a valid id", code: .invalidArgument),
        BadCommand(
            type: "conversation.open",
            data: ["conversationId": "c", "customerId": "c", "queue": "q", "channel": "fax"], named: "not a channel",
            code: .invalidArgument),
        BadCommand(
            type: "conversation.open",
            data: ["conversationId": "c", "customerId": "c", "queue": "q", "skills": ["x": 9]], named: "1 to 5",
            code: .invalidArgument),
        BadCommand(
            type: "conversation.message", data: ["conversationId": "c", "role": "robot", "author": "a", "text": "t"],
            named: "not a role", code: .invalidArgument),
        BadCommand(
            type: "conversation.message",
            data: ["conversationId": "c", "role": "customer", "author": "a", "text": "t", "audience": "agent"],
            named: "whisper", code: .invalidArgument),
        BadCommand(
            type: "conversation.transfer", data: ["conversationId": "c"], named: "exactly one", code: .invalidArgument),
        BadCommand(type: "agent.update", data: ["agentId": "ghost"], named: "agent.add", code: .notFound),
        BadCommand(type: "conversation.teleport", data: [:], named: "takes no", code: .unknownCommand),
    ]

    @Test("a bad command is refused naming the field and what to send", arguments: badCommands)
    func refusals(bad: BadCommand) {
        guard case .failure(let failure) = parse(bad.type, bad.data) else {
            Issue.record("accepted \(bad.type) \(bad.data.text)")
            return
        }
        #expect(failure.code == bad.code)
        #expect(failure.message.contains(bad.named), "\(failure)")
    }
}
