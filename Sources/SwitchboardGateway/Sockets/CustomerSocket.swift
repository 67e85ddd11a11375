import Foundation
import SwitchboardBus
import SwitchboardRouting
import SwitchboardTopology
import SwitchboardWire

/// A customer's chat socket (`/chat/ws`, no cookie): start or resume one conversation, then its
/// state, the customer-visible transcript and new lines (never a whisper), the agent typing; the
/// customer's lines, typing and leaving go the other way.
actor CustomerSocket: SocketSession {
    private let gateway: Gateway
    private var chat: GatewayStore.Chat?
    private var feed: CustomerFeed?
    private var attaching = false

    init(gateway: Gateway) {
        self.gateway = gateway
    }

    func start(_ outbox: Outbox) async {
        let status = await gateway.view.status
        outbox.send(["type": "status", "bus": .string(status.bus), "detail": .string(status.detail)])
    }

    func client(_ message: JSON, _ outbox: Outbox) async {
        let id = message["id"]?.stringValue
        do throws(GatewayError) {
            switch message["type"]?.stringValue {
            case "start":
                guard chat == nil, !attaching else {
                    throw GatewayError("conflict", "this socket already has a conversation; open a new one for another")
                }
                attaching = true
                defer { attaching = false }
                let queue = try await gateway.customers.queue(message["queue"])
                let text = try Customers.validate(text: message["text"])
                let name = message["name"]?.stringValue.map { String($0.prefix(100)) }.flatMap { $0.isEmpty ? nil : $0 }
                let started = try await gateway.customers.startChat(
                    queue: queue, text: text, name: name, customerToken: message["customerToken"]?.stringValue)
                // Bound before the reply: a line sent as soon as the reply arrives finds the conversation.
                let chat = try await gateway.customers.chat(started.conversationId)
                if let chat { bind(chat) }
                outbox.reply(
                    id,
                    result: [
                        "conversationId": .string(started.conversationId),
                        "customerToken": .optional(started.customerToken),
                        "customerId": .string(started.customerId),
                    ])
                if chat != nil { await follow(outbox) }
            case "resume":
                guard chat == nil, !attaching else {
                    throw GatewayError("conflict", "this socket already has a conversation; open a new one for another")
                }
                attaching = true
                defer { attaching = false }
                guard let conversationId = message["conversationId"]?.stringValue else {
                    throw GatewayError("missing_field", "conversationId is required to resume", field: "conversationId")
                }
                guard let token = message["customerToken"]?.stringValue else {
                    throw GatewayError("missing_field", "customerToken is required to resume", field: "customerToken")
                }
                let chat = try await gateway.customers.resume(conversationId: conversationId, customerToken: token)
                let state = await status(for: chat).state
                bind(chat)
                outbox.reply(
                    id,
                    result: [
                        "conversationId": .string(chat.conversationId), "customerId": .string(chat.customerId),
                        "state": .string(state),
                    ])
                await follow(outbox)
            case "message":
                let chat = try current()
                let text = try Customers.validate(text: message["text"])
                let result = try await gateway.customers.send(chat: chat, text: text, lineId: id ?? UUID().uuidString)
                outbox.reply(id, result: result)
            case "typing":
                guard let chat else { return }
                await gateway.view.publishLocal(
                    .typing(conversationId: chat.conversationId, who: "customer", name: chat.name ?? "Customer"))
            case "leave":
                let chat = try current()
                // Said before the router's close arrives, so the customer never reads "closed by agent".
                var leaving = chat
                leaving.endedReason = chat.endedReason ?? "customer-left"
                self.chat = leaving
                do {
                    try await gateway.customers.leave(conversationId: chat.conversationId, reason: "customer-left")
                } catch {
                    self.chat = chat
                    throw error
                }
                outbox.reply(id, result: ["conversationId": .string(chat.conversationId)])
                await refresh(outbox)
            default:
                throw GatewayError(
                    "invalid_argument",
                    "unknown message type '\(message["type"]?.stringValue ?? "")'; use start, resume, message, typing "
                        + "or leave",
                    field: "type")
            }
        } catch {
            outbox.reply(id, error: error)
        }
    }

    private func current() throws(GatewayError) -> GatewayStore.Chat {
        guard let chat else { throw GatewayError("conflict", "start or resume a conversation first") }
        return chat
    }

    /// The socket speaks for this conversation from now on.
    private func bind(_ chat: GatewayStore.Chat) {
        self.chat = chat
        feed = CustomerFeed(conversationId: chat.conversationId, people: gateway.people, customerName: chat.name)
    }

    /// Counts the open page (idle timeout), then sends the state and the whole transcript.
    private func follow(_ outbox: Outbox) async {
        guard let chat else { return }
        await gateway.customers.socketOpened(chat.conversationId)
        await refresh(outbox)
        await loadTranscript(outbox)
    }

    private func loadTranscript(_ outbox: Outbox) async {
        guard let chat else { return }
        do {
            let messages = try await gateway.commands.transcript(chat.conversationId, as: "customer")
            if feed?.transcriptSent == true {
                for message in messages { if let push = feed?.message(message) { outbox.send(push) } }
            } else if let push = feed?.transcript(messages) {
                outbox.send(push)
            }
        } catch {
            outbox.send([
                "type": "notice", "level": "warning",
                "text": "Your messages could not be loaded just now; reload to try again.",
            ])
        }
    }

    private func status(for chat: GatewayStore.Chat) async -> CustomerFeed.Status {
        let view = gateway.view
        let conversation = await view.item(.router, "conv.\(chat.conversationId)").flatMap {
            try? ConversationItem(json: $0)
        }
        var agentName: String?
        if let agentId = conversation?.agentId {
            let routerName = (await view.item(.router, "agent.\(agentId)")).flatMap { try? AgentItem(json: $0) }?
                .name
            agentName = gateway.people.person(agentId.rawValue)?.name ?? routerName
        }
        let estimate = await view.item(.monitor, "monitor.queue.\(chat.queue)").flatMap {
            try? MonitorQueueItem(json: $0)
        }
        return CustomerFeed.status(
            conversation: conversation, agentName: agentName, estimatedWaitSeconds: estimate?.estimatedWait.seconds,
            queueName: gateway.queues[chat.queue]?.name ?? chat.queue, recordedEndReason: chat.endedReason,
            hours: estimate?.hours)
    }

    private func refresh(_ outbox: Outbox) async {
        guard let chat else { return }
        let status = await status(for: chat)
        if let push = feed?.update(status) { outbox.send(push) }
    }

    func bus(_ change: BusChange, _ outbox: Outbox) async -> Bool {
        guard let chat else {
            if case .status(let bus, let detail) = change {
                outbox.send(["type": "status", "bus": .string(bus), "detail": .string(detail)])
            }
            return true
        }
        switch change {
        case .item(.router, let key, _) where key == "conv.\(chat.conversationId)":
            await refresh(outbox)
        case .item(.monitor, let key, _) where key == "monitor.queue.\(chat.queue)":
            await refresh(outbox)
        case .message(let conversationId, let data) where conversationId == chat.conversationId:
            if let message = try? TranscriptMessage(json: data), let push = feed?.message(message) {
                outbox.send(push)
            }
        case .typing(let conversationId, "agent", let name) where conversationId == chat.conversationId:
            outbox.send(["type": "typing", "who": "agent", "name": .string(name)])
        case .customerLeft(let conversationId) where conversationId == chat.conversationId:
            if let fresh = try? await gateway.customers.chat(conversationId) { self.chat = fresh }
            await refresh(outbox)
        case .resynced(.router):
            await loadTranscript(outbox)
            await refresh(outbox)
        case .status(let bus, let detail):
            outbox.send(["type": "status", "bus": .string(bus), "detail": .string(detail)])
        default:
            break
        }
        return true
    }

    func finish() async {
        if let chat { await gateway.customers.socketClosed(chat.conversationId) }
    }
}
