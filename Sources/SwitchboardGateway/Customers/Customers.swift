public import Logging
public import SwitchboardBus
import SwitchboardRouting
import SwitchboardTopology
import SwitchboardWire

/// Customers' conversations through the gateway, from the chat page or a connector: starting one
/// (the gateway issues the customer's id; a page can only reuse an id through the token it was
/// given), resuming it, sending lines, leaving, and the idle timeout. The router owns the
/// conversation; the gateway keeps only who may speak in it (its store's `chats`).
public actor Customers {
    /// The longest customer line (the router's limit).
    public static let textCharactersMax = 8_000
    /// What the agent reads when the customer leaves or is timed out.
    public static let leftLine = "The customer left the chat."

    private let store: GatewayStore
    private let commands: BusCommands
    private let view: BusView
    private let queues: [String: QueueInfo]
    private let idleSeconds: Double
    private let logger: Logger
    private var openSockets: [String: Int] = [:]

    public init(
        store: GatewayStore, commands: BusCommands, view: BusView, queues: [String: QueueInfo], idleSeconds: Double,
        logger: Logger
    ) {
        self.store = store
        self.commands = commands
        self.view = view
        self.queues = queues
        self.idleSeconds = idleSeconds
        self.logger = logger
    }

    /// A conversation the gateway started.
    public struct Started: Sendable, Equatable {
        public var conversationId: String
        public var customerId: String
        public var customerToken: String?
    }

    /// Checks a customer's line: present, not blank, not too long.
    public static func validate(text: JSON?) throws(GatewayError) -> String {
        guard let text else {
            throw GatewayError("missing_field", "text is required: the customer's message", field: "text")
        }
        guard let string = text.stringValue else {
            throw GatewayError("invalid_argument", "text must be a string", field: "text")
        }
        if string.allSatisfy(\.isWhitespace) {
            throw GatewayError("invalid_argument", "text is empty; write a message", field: "text")
        }
        if string.count > textCharactersMax {
            throw GatewayError(
                "invalid_argument", "text is longer than \(textCharactersMax) characters; split it in several messages",
                field: "text")
        }
        return string
    }

    /// The queue named, if customers may start conversations in it: from the chat page (chat and
    /// messaging queues) or, with `forConnector`, through the API (every channel but voice).
    public func queue(_ id: JSON?, forConnector: Bool = false) throws(GatewayError) -> QueueInfo {
        let accepts: (QueueInfo) -> Bool = { forConnector ? $0.takesConnectors : $0.takesCustomers }
        guard let id else {
            throw GatewayError("missing_field", "queue is required (e.g. chat-en-cards)", field: "queue")
        }
        guard let name = id.stringValue, let queue = queues[name] else {
            let open = queues.values.filter(accepts).map(\.id).sorted().joined(separator: ", ")
            throw GatewayError(
                "invalid_argument", "no queue '\(id.stringValue ?? id.text)'; use one of \(open)", field: "queue")
        }
        guard accepts(queue) else {
            throw GatewayError(
                "invalid_argument",
                "queue '\(queue.id)' is a \(queue.channel) queue; "
                    + (forConnector
                        ? "calls do not come through this API" : "customers write to chat or messaging queues"),
                field: "queue")
        }
        return queue
    }

    /// Starts a chat from the page: reuses the customer of a known token, else issues a new one.
    public func startChat(queue: QueueInfo, text: String, name: String?, customerToken: String?)
        async throws(GatewayError)
        -> Started
    {
        var customer: (customerId: String, token: String)?
        if let customerToken, let known = try await guarded({ try await self.store.customer(token: customerToken) }) {
            customer = (known, customerToken)
        }
        // No token, or one this gateway never issued (a wiped store): a new customer.
        if customer == nil {
            let issued = try await guarded { try await self.store.issueCustomer() }
            customer = (issued.customerId, issued.token)
        }
        guard let (customerId, token) = customer else { throw GatewayError("internal", "no customer was issued") }
        let conversationId = RandomToken.busID(prefix: "w-")
        try await open(
            conversationId: conversationId, customerId: customerId, queue: queue, text: text, name: name, owner: "chat",
            extra: JSONObject(), commandId: CommandClient.newID())
        return Started(conversationId: conversationId, customerId: customerId, customerToken: token)
    }

    /// Starts a conversation for a connector; ids derive from the key and its Idempotency-Key, so
    /// a retried request opens the conversation once even if the first answer was lost.
    public func startForConnector(
        keyName: String, idempotencyKey: String, customerReference: String?, queue: QueueInfo, text: String,
        name: String?, extra: JSONObject
    ) async throws(GatewayError) -> Started {
        let digest = SHA256.hex("\(keyName)\n\(idempotencyKey)")
        let customerId = customerReference.map { "\(keyName):\($0)" } ?? "\(keyName):anon-\(digest.prefix(12))"
        let conversationId = "api-" + digest.prefix(16)
        try await open(
            conversationId: conversationId, customerId: customerId, queue: queue, text: text, name: name,
            owner: "api:\(keyName)", extra: extra, commandId: "gw-open-" + digest.prefix(40))
        return Started(conversationId: conversationId, customerId: customerId, customerToken: nil)
    }

    private func open(
        conversationId: String, customerId: String, queue: QueueInfo, text: String, name: String?, owner: String,
        extra: JSONObject, commandId: String
    ) async throws(GatewayError) {
        let chat = GatewayStore.Chat(
            conversationId: conversationId, customerId: customerId, queue: queue.id, name: name, owner: owner,
            lastActivityAt: GatewayStore.now(), endedReason: nil)
        try await guarded { try await self.store.addChat(chat) }
        var data = extra
        data["conversationId"] = .string(conversationId)
        data["customerId"] = .string(customerId)
        data["queue"] = .string(queue.id)
        data["channel"] = data["channel"] ?? .string(queue.channel)
        data["text"] = .string(text)
        _ = try await commands.send(.router, "conversation.open", data: .object(data), id: commandId)
    }

    /// The chat if `customerToken` is its customer's.
    public func resume(conversationId: String, customerToken: String) async throws(GatewayError) -> GatewayStore.Chat {
        guard let chat = try await guarded({ try await self.store.chat(conversationId: conversationId) }) else {
            throw GatewayError("not_found", "no conversation \(conversationId) here; start a new chat")
        }
        let customer = try await guarded { try await self.store.customer(token: customerToken) }
        guard customer == chat.customerId else {
            throw GatewayError("forbidden", "this conversation belongs to another customer")
        }
        return chat
    }

    public func chat(_ conversationId: String) async throws(GatewayError) -> GatewayStore.Chat? {
        try await guarded { try await self.store.chat(conversationId: conversationId) }
    }

    /// Sends the customer's line; `lineId` makes a resent line count once.
    public func send(chat: GatewayStore.Chat, text: String, lineId: String) async throws(GatewayError) -> JSON {
        if chat.endedReason != nil {
            throw GatewayError("conflict", "conversation \(chat.conversationId) has ended; start a new one")
        }
        if let item = await view.item(.router, "conv.\(chat.conversationId)"),
            let conversation = try? ConversationItem(json: item), conversation.isOverForCustomer
        {
            throw GatewayError("conflict", "conversation \(chat.conversationId) has ended; start a new one")
        }
        let result = try await commands.send(
            .router, "conversation.message",
            data: [
                "conversationId": .string(chat.conversationId), "role": "customer",
                "author": .string(chat.name ?? "Customer"),
                "text": .string(text),
            ], id: "gw-line-" + SHA256.hex("\(chat.conversationId)\n\(lineId)").prefix(40))
        try? await store.touchChat(conversationId: chat.conversationId)
        return result
    }

    /// The customer leaves (`customer-left`) or is timed out (`timed-out`): a waiting conversation
    /// is abandoned; an assigned one gets the line "The customer left the chat." and is closed, so
    /// the agent goes to wrap-up.
    public func leave(conversationId: String, reason: String) async throws(GatewayError) {
        for attempt in 0..<2 {
            let item = await view.item(.router, "conv.\(conversationId)")
            let conversation = item.flatMap { try? ConversationItem(json: $0) }
            do throws(GatewayError) {
                if conversation?.isOverForCustomer == true { break }
                if conversation?.state == .assigned {
                    _ = try await commands.send(
                        .router, "conversation.message",
                        data: [
                            "conversationId": .string(conversationId), "role": "system", "author": "system",
                            "text": .string(Self.leftLine),
                        ], id: "gw-left-line-\(conversationId)")
                    _ = try await commands.send(
                        .router, "conversation.close", data: ["conversationId": .string(conversationId)],
                        id: "gw-left-close-\(conversationId)")
                } else {
                    _ = try await commands.send(
                        .router, "conversation.abandon", data: ["conversationId": .string(conversationId)],
                        id: "gw-left-abandon-\(conversationId)-\(attempt)")
                }
                break
            } catch {
                // The conversation moved between our look and the command (assigned meanwhile):
                // look again once.
                if error.code != "conflict" || attempt == 1 { throw error }
                try? await Task.sleep(for: .milliseconds(300))
            }
        }
        try await guarded { try await self.store.endChat(conversationId: conversationId, reason: reason) }
        await view.publishLocal(.customerLeft(conversationId: conversationId))
    }

    public func socketOpened(_ conversationId: String) {
        openSockets[conversationId, default: 0] += 1
    }

    public func socketClosed(_ conversationId: String) async {
        let remaining = (openSockets[conversationId] ?? 1) - 1
        openSockets[conversationId] = remaining > 0 ? remaining : nil
        try? await store.touchChat(conversationId: conversationId)
    }

    /// Times out chat customers idle for `idleSeconds` with no page open; marks chats the agent
    /// ended as over. Returns the conversations timed out.
    @discardableResult
    public func sweep() async -> [String] {
        let idle: [GatewayStore.Chat]
        do {
            idle = try await store.idleChats(before: GatewayStore.now() - idleSeconds)
        } catch {
            logger.warning("cannot read idle chats: \(error)")
            return []
        }
        var timedOut: [String] = []
        for chat in idle where chat.owner == "chat" && openSockets[chat.conversationId] == nil {
            let item = await view.item(.router, "conv.\(chat.conversationId)")
            if let conversation = item.flatMap({ try? ConversationItem(json: $0) }), conversation.isOverForCustomer {
                try? await store.endChat(conversationId: chat.conversationId, reason: nil)
                continue
            }
            do {
                try await leave(conversationId: chat.conversationId, reason: "timed-out")
                timedOut.append(chat.conversationId)
            } catch {
                if error.code == "not_found" {
                    try? await store.endChat(conversationId: chat.conversationId, reason: nil)
                } else {
                    logger.info("cannot time out \(chat.conversationId) yet: \(error)")
                }
            }
        }
        try? await store.purge()
        return timedOut
    }

    private func guarded<T: Sendable>(_ body: () async throws -> T) async throws(GatewayError) -> T {
        do {
            return try await body()
        } catch {
            logger.error("gateway store: \(error)")
            throw GatewayError("unavailable", "the gateway cannot read its store just now; try again")
        }
    }
}
