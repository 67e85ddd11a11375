import SwitchboardBus
import SwitchboardRouting
import SwitchboardTopology
import SwitchboardWire

/// A supervisor's dashboard socket (`/supervisor/ws`, session cookie, a role that may supervise):
/// every monitor item and each change, the transcripts of conversations they watch, and the
/// supervision commands (reassignments and presence changes among them), always with the
/// session's person as `supervisorId`.
actor SupervisorSocket: SocketSession {
    static let superviseCommands: Set<String> = [
        "supervisor.observe", "supervisor.listen", "supervisor.whisper", "supervisor.barge", "supervisor.stop",
        "supervisor.reassign", "supervisor.setPresence",
    ]
    /// Conversations one socket may watch at once.
    static let watchedMax = 20

    private let gateway: Gateway
    private let person: People.Person
    private var transcripts: StaffTranscripts

    init(gateway: Gateway, person: People.Person) {
        self.gateway = gateway
        self.person = person
        self.transcripts = StaffTranscripts(people: gateway.people)
    }

    func start(_ outbox: Outbox) async {
        let status = await gateway.view.status
        outbox.send(["type": "status", "bus": .string(status.bus), "detail": .string(status.detail)])
        for (key, value) in await gateway.view.items(.monitor, prefix: "monitor.") {
            outbox.send(["type": "monitor", "key": .string(key), "item": value])
        }
        outbox.send(["type": "monitorReady"])
        // Where a conversation can be reassigned to: the contact centre's queues and its people.
        outbox.send(["type": "queues", "queues": gateway.queueList])
        outbox.send(["type": "agents", "agents": .array(gateway.people.everyone.map(\.json))])
    }

    func client(_ message: JSON, _ outbox: Outbox) async {
        let id = message["id"]?.stringValue
        do throws(GatewayError) {
            switch message["type"]?.stringValue {
            case "watch":
                guard let conversationId = message["conversationId"]?.stringValue else {
                    throw GatewayError("missing_field", "conversationId is required", field: "conversationId")
                }
                guard transcripts.conversations.count < Self.watchedMax || transcripts.isFollowing(conversationId)
                else {
                    throw GatewayError(
                        "conflict", "you watch \(Self.watchedMax) conversations already; unwatch one first")
                }
                if transcripts.begin(conversationId) {
                    let name = try? await gateway.customers.chat(conversationId)?.name
                    transcripts.setCustomerName(conversationId, name ?? nil)
                }
                do {
                    let messages = try await gateway.commands.transcript(conversationId, as: "supervisor")
                    for push in transcripts.loaded(conversationId, messages) { outbox.send(push) }
                } catch {
                    transcripts.forget(conversationId)
                    throw error
                }
                // What the dashboard needs to offer a reassignment (same channel, not the same agent).
                let conversation = await gateway.view.item(.router, "conv.\(conversationId)")
                outbox.reply(
                    id,
                    result: [
                        "conversationId": .string(conversationId), "channel": conversation?["channel"] ?? .null,
                        "queue": conversation?["queue"] ?? .null, "agentId": conversation?["agentId"] ?? .null,
                        "state": conversation?["state"] ?? .null,
                    ])
            case "unwatch":
                if let conversationId = message["conversationId"]?.stringValue { transcripts.forget(conversationId) }
                outbox.reply(id, result: [:])
            case "supervise":
                guard let command = message["command"]?.stringValue else {
                    throw GatewayError(
                        "missing_field", "command is required (e.g. supervisor.whisper)", field: "command")
                }
                guard Self.superviseCommands.contains(command) else {
                    throw GatewayError(
                        "invalid_argument", "'\(command)' is not a supervision command", field: "command")
                }
                var data = message["data"]?.objectValue ?? JSONObject()
                if let claimed = data["supervisorId"], claimed != .string(person.id) {
                    throw GatewayError("forbidden", "you can act only as yourself (signed in as \(person.id))")
                }
                // Every supervision command is about a conversation, but a presence change is about an agent.
                let subject = command == "supervisor.setPresence" ? "agentId" : "conversationId"
                guard data[subject]?.stringValue != nil else {
                    throw GatewayError("missing_field", "data.\(subject) is required", field: subject)
                }
                data["supervisorId"] = .string(person.id)
                outbox.reply(id, result: try await gateway.commands.send(.monitor, command, data: .object(data)))
            default:
                throw GatewayError(
                    "invalid_argument",
                    "unknown message type '\(message["type"]?.stringValue ?? "")'; use watch, unwatch or supervise",
                    field: "type")
            }
        } catch {
            outbox.reply(id, error: error)
        }
    }

    func bus(_ change: BusChange, _ outbox: Outbox) async -> Bool {
        switch change {
        case .item(.monitor, let key, let value):
            outbox.send(["type": "monitor", "key": .string(key), "item": value ?? .null])
        case .item(.router, let key, nil) where key == "agent.\(person.id)":
            return false
        case .message(let conversationId, let data):
            if let message = try? TranscriptMessage(json: data),
                let push = transcripts.message(conversationId, message)
            {
                outbox.send(push)
            }
        case .resynced(.router):
            for conversationId in transcripts.conversations {
                if let messages = try? await gateway.commands.transcript(conversationId, as: "supervisor") {
                    for push in transcripts.loaded(conversationId, messages) { outbox.send(push) }
                }
            }
        case .status(let bus, let detail):
            outbox.send(["type": "status", "bus": .string(bus), "detail": .string(detail)])
        default:
            break
        }
        return true
    }

    func finish() async {}
}
