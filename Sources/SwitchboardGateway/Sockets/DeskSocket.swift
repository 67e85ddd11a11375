import Foundation
import SwitchboardAssist
import SwitchboardBus
import SwitchboardRouting
import SwitchboardTopology
import SwitchboardWire

/// An agent's desk socket (`/desk/ws`, session cookie): signs them in at the desk, keeps them
/// present while open, and relays their desk, presence, the transcripts and assistance of their
/// open sessions, and the customer typing. Every command acts for the session's agent only.
actor DeskSocket: SocketSession {
    /// The desk commands a page may send (`desk.signIn`/`desk.signOut` are the socket's own).
    static let deskCommands: Set<String> = [
        "desk.accept", "desk.decline", "desk.reply", "desk.close", "desk.endWrapUp", "desk.focus", "desk.browse",
        "desk.selectTab", "desk.openTab", "desk.closeTab", "desk.keepPlace", "desk.saveDraft", "desk.discardDraft",
        "desk.closeSession", "desk.reopen", "desk.completeAction", "desk.setPreferences", "desk.transfer",
        "desk.useSuggestion", "desk.dismissSuggestion", "desk.markArticleHelpful", "desk.editCaseSummary",
    ]

    private let gateway: Gateway
    private let person: People.Person
    private var transcripts: StaffTranscripts

    init(gateway: Gateway, person: People.Person) {
        self.gateway = gateway
        self.person = person
        self.transcripts = StaffTranscripts(people: gateway.people)
    }

    var agentId: String { person.id }

    func start(_ outbox: Outbox) async {
        await gateway.presence.opened(agentId)
        do {
            _ = try await gateway.commands.send(.desk, "desk.signIn", data: ["agentId": .string(agentId)])
        } catch {
            outbox.send(
                [
                    "type": "notice", "level": "warning",
                    "text": .string("The desk did not sign you in yet (\(error.message)); reload to try again."),
                ])
        }
        let status = await gateway.view.status
        outbox.send(["type": "status", "bus": .string(status.bus), "detail": .string(status.detail)])
        // Where a conversation can be transferred to: the contact centre's queues and its people.
        outbox.send(["type": "queues", "queues": gateway.queueList])
        outbox.send(["type": "agents", "agents": .array(gateway.people.everyone.map(\.json))])
        if let presence = await gateway.view.item(.presence, "presence.\(agentId)") { sendPresence(presence, outbox) }
        if let desk = await gateway.view.item(.desk, "desk.\(agentId)") { await deskChanged(desk, outbox) }
    }

    func client(_ message: JSON, _ outbox: Outbox) async {
        let id = message["id"]?.stringValue
        do throws(GatewayError) {
            switch message["type"]?.stringValue {
            case "desk":
                guard let command = message["command"]?.stringValue else {
                    throw GatewayError("missing_field", "command is required (e.g. desk.accept)", field: "command")
                }
                guard Self.deskCommands.contains(command) else {
                    throw GatewayError(
                        "invalid_argument", "'\(command)' is not a desk command a page may send", field: "command")
                }
                let data = try ownData(message["data"], field: "agentId")
                let result = try await gateway.commands.send(.desk, command, data: .object(data))
                outbox.reply(id, result: result)
            case "presence.set":
                guard let status = message["status"]?.stringValue else {
                    throw GatewayError(
                        "missing_field", "status is required (available, away, dnd, offline)", field: "status")
                }
                var data: JSONObject = JSONObject([("agentId", .string(agentId)), ("status", .string(status))])
                if let reason = message["reason"], !reason.isNull { data["reason"] = reason }
                outbox.reply(
                    id, result: try await gateway.commands.send(.presence, "presence.set", data: .object(data)))
            case "knowledge.search":
                outbox.reply(id, result: try searchKnowledge(message["query"]))
            case "typing":
                guard let conversationId = message["conversationId"]?.stringValue,
                    transcripts.isFollowing(conversationId)
                else { return }
                await gateway.view.publishLocal(
                    .typing(conversationId: conversationId, who: "agent", name: person.name))
            case "signOut":
                _ = try await gateway.commands.send(.desk, "desk.signOut", data: ["agentId": .string(agentId)])
                _ = try? await gateway.commands.send(
                    .presence, "presence.set", data: ["agentId": .string(agentId), "status": "offline"])
                outbox.reply(id, result: ["agentId": .string(agentId)])
            default:
                throw GatewayError(
                    "invalid_argument",
                    "unknown message type '\(message["type"]?.stringValue ?? "")'; use desk, presence.set, "
                        + "knowledge.search, typing or signOut",
                    field: "type")
            }
        } catch {
            outbox.reply(id, error: error)
        }
    }

    /// The knowledge base's articles for the agent's words, best first (BM25), answered by the
    /// gateway itself: `{query, articles:[{id, title, snippet, matched, score}]}`.
    private func searchKnowledge(_ query: JSON?) throws(GatewayError) -> JSON {
        guard let text = query?.stringValue else {
            throw GatewayError("missing_field", "query is required: the words to look for", field: "query")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.utf8.count <= KnowledgeSearch.queryBytesMax else {
            throw GatewayError(
                "invalid_argument",
                "query must have some words and at most \(KnowledgeSearch.queryBytesMax) bytes", field: "query")
        }
        guard let knowledge = gateway.knowledge else {
            throw GatewayError(
                "unavailable", "the gateway has no knowledge base to search; ask an administrator to install it")
        }
        let articles = knowledge.search(trimmed, limit: 5).map { hit -> JSON in
            [
                "id": .string(hit.articleId), "title": .string(hit.title), "snippet": .string(hit.snippet),
                "matched": .array(hit.matched.map(JSON.string)), "score": .double(hit.score),
            ]
        }
        return ["query": .string(trimmed), "articles": .array(articles)]
    }

    /// The command's data with the session's agent: an `agentId` naming someone else is refused
    /// (nothing reaches the bus); the browser never chooses who acts.
    private func ownData(_ data: JSON?, field: String) throws(GatewayError) -> JSONObject {
        var object = data?.objectValue ?? JSONObject()
        if let data, !data.isNull, data.objectValue == nil {
            throw GatewayError("invalid_argument", "data must be an object", field: "data")
        }
        if let claimed = object[field], claimed != .string(agentId) {
            throw GatewayError("forbidden", "you can act only on your own desk (signed in as \(agentId))")
        }
        object[field] = .string(agentId)
        return object
    }

    private func sendPresence(_ item: JSON, _ outbox: Outbox) {
        guard let presence = try? PresenceItem(json: item) else { return }
        outbox.send([
            "type": "presence", "status": .string(presence.status.rawValue), "reason": .optional(presence.reason),
        ])
    }

    /// The desk item changed: send it, then follow the sessions it holds now.
    private func deskChanged(_ item: JSON, _ outbox: Outbox) async {
        outbox.send(["type": "desk", "item": item])
        guard let desk = try? DeskItem(json: item) else { return }
        let sessions = desk.summary.sessions.map(\.conversationId.rawValue)
        let now = Set(sessions)
        for gone in transcripts.conversations.subtracting(now) { transcripts.forget(gone) }
        for conversationId in sessions where transcripts.begin(conversationId) {
            let name = try? await gateway.customers.chat(conversationId)?.name
            transcripts.setCustomerName(conversationId, name ?? nil)
            if let assist = await gateway.view.item(.summariser, "assist.\(conversationId)") {
                outbox.send(["type": "assist", "conversationId": .string(conversationId), "item": assist])
            }
            await load(conversationId, outbox)
        }
    }

    private func load(_ conversationId: String, _ outbox: Outbox) async {
        do {
            let messages = try await gateway.commands.transcript(conversationId, as: "agent")
            for push in transcripts.loaded(conversationId, messages) { outbox.send(push) }
        } catch {
            outbox.send(
                [
                    "type": "notice", "conversationId": .string(conversationId), "level": "warning",
                    "text": .string("The transcript could not be loaded (\(error.message)); reload to try again."),
                ])
        }
    }

    func bus(_ change: BusChange, _ outbox: Outbox) async -> Bool {
        switch change {
        case .item(.desk, let key, let value) where key == "desk.\(agentId)":
            if let value { await deskChanged(value, outbox) }
        case .item(.presence, let key, let value) where key == "presence.\(agentId)":
            if let value { sendPresence(value, outbox) }
        case .item(.summariser, let key, let value) where key.hasPrefix("assist."):
            let conversationId = String(key.dropFirst("assist.".count))
            if transcripts.isFollowing(conversationId) {
                outbox.send(["type": "assist", "conversationId": .string(conversationId), "item": value ?? .null])
            }
        case .item(.router, let key, nil) where key == "agent.\(agentId)":
            outbox.send([
                "type": "notice", "level": "warning",
                "text": "You were removed from the contact centre; your session has ended.",
            ])
            return false
        case .message(let conversationId, let data):
            if let message = try? TranscriptMessage(json: data),
                let push = transcripts.message(conversationId, message)
            {
                outbox.send(push)
            }
        case .typing(let conversationId, "customer", _) where transcripts.isFollowing(conversationId):
            outbox.send(["type": "typing", "conversationId": .string(conversationId), "who": "customer"])
        case .customerLeft(let conversationId):
            let conversation = await gateway.view.item(.router, "conv.\(conversationId)").flatMap {
                try? ConversationItem(json: $0)
            }
            if transcripts.isFollowing(conversationId) || conversation?.agentId?.rawValue == agentId {
                outbox.send(
                    [
                        "type": "notice", "conversationId": .string(conversationId), "level": "info",
                        "text": .string(Customers.leftLine),
                    ])
            }
        case .resynced(.router):
            for conversationId in transcripts.conversations { await load(conversationId, outbox) }
        case .resynced(.desk):
            if let desk = await gateway.view.item(.desk, "desk.\(agentId)") { await deskChanged(desk, outbox) }
        case .status(let bus, let detail):
            outbox.send(["type": "status", "bus": .string(bus), "detail": .string(detail)])
        default:
            break
        }
        return true
    }

    func finish() async {
        await gateway.presence.closed(agentId)
    }
}
