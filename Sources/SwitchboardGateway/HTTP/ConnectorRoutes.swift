import HTTPTypes
import Hummingbird
import NIOCore
import SwitchboardBus
import SwitchboardRouting
import SwitchboardTopology
import SwitchboardWire

/// The channel connectors' JSON API (`/api/v1`): API keys, `Idempotency-Key` on every POST, rate
/// limits per key and per address, and an event stream per conversation.
extension Gateway {
    /// A connector's call, authenticated.
    struct Connector {
        var keyName: String
    }

    func addConnectorRoutes(to router: Router<GatewayRequestContext>) {
        router.post("/api/v1/conversations") { request, context in
            await self.connectorPost(request, context: context) {
                (connector, body, idempotencyKey) async throws(GatewayError) -> (Int, JSON) in
                try await self.openConversation(connector, body, idempotencyKey: idempotencyKey)
            }
        }
        router.post("/api/v1/conversations/:id/messages") { request, context in
            let conversationId = context.parameters.get("id") ?? ""
            return await self.connectorPost(request, context: context) {
                (connector, body, idempotencyKey) async throws(GatewayError) -> (Int, JSON) in
                let chat = try await self.ownedChat(conversationId, by: connector)
                let text = try Customers.validate(text: body["text"])
                let result = try await self.customers.send(chat: chat, text: text, lineId: "api:\(idempotencyKey)")
                return (
                    201,
                    ["conversationId": .string(conversationId), "number": result["number"] ?? .null]
                )
            }
        }
        router.post("/api/v1/conversations/:id/leave") { request, context in
            let conversationId = context.parameters.get("id") ?? ""
            return await self.connectorPost(request, context: context, bodyRequired: false) {
                (connector, _, _) async throws(GatewayError) -> (Int, JSON) in
                _ = try await self.ownedChat(conversationId, by: connector)
                try await self.customers.leave(conversationId: conversationId, reason: "customer-left")
                return (200, ["conversationId": .string(conversationId), "state": "ended"])
            }
        }
        router.get("/api/v1/conversations/:id/events") { request, context in
            let conversationId = context.parameters.get("id") ?? ""
            let connector: Connector
            let chat: GatewayStore.Chat
            do throws(GatewayError) {
                connector = try await self.authenticate(request, context: context)
                chat = try await self.ownedChat(conversationId, by: connector)
            } catch {
                return self.connectorError(error)
            }
            return self.eventStream(chat)
        }
    }

    private func connectorError(_ error: GatewayError) -> Response {
        Responses.error(error, retryAfter: error.retryAfterSeconds)
    }

    /// The key of `Authorization: Bearer <key>`, within the rate limits of the key and the address.
    func authenticate(_ request: Request, context: GatewayRequestContext) async throws(GatewayError) -> Connector {
        let header = request.headers[.authorization] ?? ""
        guard header.hasPrefix("Bearer "), case let key = String(header.dropFirst(7)), !key.isEmpty else {
            if let wait = await limits.attempt([(.apiAddress, context.clientAddress)]) {
                throw GatewayError(
                    "rate_limited", "too many requests from this address; retry in \(wait) s", retryAfterSeconds: wait)
            }
            throw GatewayError(
                "unauthenticated",
                "send Authorization: Bearer <key> (keys come from `switchboard gateway apikeys create NAME`)")
        }
        let name: String?
        do {
            name = try await store.apiKeyName(key: key)
        } catch {
            throw GatewayError("unavailable", "the gateway cannot read its keys just now; retry")
        }
        guard let name else {
            _ = await limits.attempt([(.apiAddress, context.clientAddress)])
            throw GatewayError("unauthenticated", "this API key is not known here")
        }
        if let wait = await limits.attempt([(.apiKey, name), (.apiAddress, context.clientAddress)]) {
            throw GatewayError(
                "rate_limited", "too many requests for key '\(name)'; retry in \(wait) s", retryAfterSeconds: wait)
        }
        return Connector(keyName: name)
    }

    func ownedChat(_ conversationId: String, by connector: Connector) async throws(GatewayError) -> GatewayStore.Chat {
        guard let chat = try await customers.chat(conversationId), chat.owner == "api:\(connector.keyName)" else {
            throw GatewayError(
                "not_found", "no conversation \(conversationId) for key '\(connector.keyName)'", field: "id")
        }
        return chat
    }

    /// One POST of the API: authentication, limits, the Idempotency-Key, a JSON body, then `work`,
    /// whose answer is stored under the key (a retry gets it again; a server-side failure is not
    /// stored, so the retry does the work).
    private func connectorPost(
        _ request: Request, context: GatewayRequestContext, bodyRequired: Bool = true,
        _ work: (Connector, JSONObject, String) async throws(GatewayError) -> (Int, JSON)
    ) async -> Response {
        let connector: Connector
        do throws(GatewayError) {
            connector = try await authenticate(request, context: context)
        } catch {
            return connectorError(error)
        }
        let idempotencyKey = request.headers[HTTPField.Name("Idempotency-Key")!]
        if let problem = Idempotency.problem(with: idempotencyKey) {
            return Responses.error(
                GatewayError(
                    idempotencyKey == nil ? "missing_field" : "invalid_argument", problem, field: "Idempotency-Key"),
                status: 400)
        }
        let key = idempotencyKey!
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            return Responses.error(
                GatewayError("too_large", "the body is larger than \(context.maxUploadSize / 1024) KiB", field: "body"))
        }
        let text = String(buffer: buffer)
        var body = JSONObject()
        if !text.isEmpty || bodyRequired {
            guard let parsed = try? JSON(parsing: text) else {
                return Responses.error(
                    GatewayError("bad_json", "the body is not JSON; send a JSON object", field: "body"))
            }
            guard let object = parsed.objectValue else {
                return Responses.error(GatewayError("bad_json", "the body must be a JSON object", field: "body"))
            }
            body = object
        }
        let bodyHash = SHA256.hex("\(request.method) \(request.uri.path)\n\(text)")
        guard await idempotencyGate.enter(connector.keyName, key) else {
            return Responses.error(
                GatewayError(
                    "conflict", "a request with this Idempotency-Key is still being answered; retry shortly",
                    field: "Idempotency-Key"))
        }
        defer { Task { await self.idempotencyGate.leave(connector.keyName, key) } }
        let stored = try? await store.idempotencyRecord(keyName: connector.keyName, idempotencyKey: key)
        switch Idempotency.decide(stored: stored, bodyHash: bodyHash) {
        case .replay(let status, let body):
            return Responses.jsonText(body, status: status)
        case .mismatch:
            return Responses.error(
                GatewayError(
                    "invalid_argument", "this Idempotency-Key was used with another request body; use a fresh key",
                    field: "Idempotency-Key"), status: 422)
        case .proceed:
            break
        }
        let status: Int
        let answer: JSON
        do throws(GatewayError) {
            (status, answer) = try await work(connector, body, key)
        } catch {
            if error.code == "unavailable" || error.code == "internal" { return Responses.error(error) }
            let failure: JSON = ["error": error.json]
            let code = Responses.httpStatus(for: error.code)
            try? await store.saveIdempotencyRecord(
                keyName: connector.keyName, idempotencyKey: key,
                record: Idempotency.Record(bodyHash: bodyHash, status: code, body: failure.text + "\n"))
            return Responses.json(failure, status: code)
        }
        try? await store.saveIdempotencyRecord(
            keyName: connector.keyName, idempotencyKey: key,
            record: Idempotency.Record(bodyHash: bodyHash, status: status, body: answer.text + "\n"))
        return Responses.json(answer, status: status)
    }

    private func openConversation(_ connector: Connector, _ body: JSONObject, idempotencyKey: String)
        async throws(GatewayError)
        -> (Int, JSON)
    {
        let queue = try await customers.queue(body["queue"], forConnector: true)
        let text = try Customers.validate(text: body["text"])
        var reference: String?
        if let value = body["customerId"], !value.isNull {
            guard let string = value.stringValue, !string.isEmpty, string.utf8.count <= 100,
                string.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_@".contains($0)) })
            else {
                throw GatewayError(
                    "invalid_argument", "customerId must be 1 to 100 letters, digits, '-', '_' or '@'",
                    field: "customerId")
            }
            reference = string
        }
        var extra = JSONObject()
        for field in ["channel", "topic"] {
            if let value = body[field], !value.isNull {
                guard value.stringValue != nil else {
                    throw GatewayError("invalid_argument", "\(field) must be a string", field: field)
                }
                extra[field] = value
            }
        }
        let started = try await customers.startForConnector(
            keyName: connector.keyName, idempotencyKey: idempotencyKey, customerReference: reference, queue: queue,
            text: text,
            name: body["name"]?.stringValue, extra: extra)
        return (
            201,
            [
                "conversationId": .string(started.conversationId), "customerId": .string(started.customerId),
                "queue": .string(queue.id), "state": "waiting",
            ]
        )
    }

    /// `text/event-stream` of one conversation: `state` and `message` events with the chat
    /// socket's JSON (customer-visible only), a comment every 15 s, ending after the conversation ends.
    private func eventStream(_ chat: GatewayStore.Chat) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-store"
        let gateway = self
        let body = ResponseBody { writer in
            let (subscription, changes) = await gateway.view.subscribe()
            let (events, continuation) = AsyncStream<BusChange?>.makeStream(bufferingPolicy: .bufferingOldest(10_000))
            let forward = Task {
                for await change in changes { continuation.yield(change) }
                continuation.finish()
            }
            let ticks = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(15))
                    continuation.yield(nil)
                }
            }
            defer {
                forward.cancel()
                ticks.cancel()
            }
            var feed = CustomerFeed(
                conversationId: chat.conversationId, people: gateway.people, customerName: chat.name)
            var record = chat
            func send(_ event: String, _ data: JSON) async throws {
                try await writer.write(ByteBuffer(string: "event: \(event)\ndata: \(data.text)\n\n"))
            }
            func status() async -> CustomerFeed.Status {
                let conversation = await gateway.view.item(.router, "conv.\(record.conversationId)").flatMap {
                    try? ConversationItem(json: $0)
                }
                let estimate = await gateway.view.item(.monitor, "monitor.queue.\(record.queue)").flatMap {
                    try? MonitorQueueItem(json: $0)
                }
                return CustomerFeed.status(
                    conversation: conversation,
                    agentName: conversation?.agentId.flatMap { gateway.people.person($0.rawValue)?.name },
                    estimatedWaitSeconds: estimate?.estimatedWait.seconds,
                    queueName: gateway.queues[record.queue]?.name ?? record.queue,
                    recordedEndReason: record.endedReason,
                    hours: estimate?.hours)
            }
            do {
                var current = await status()
                if let push = feed.update(current) { try await send("state", push) }
                let messages = (try? await gateway.commands.transcript(chat.conversationId, as: "customer")) ?? []
                try await send("message", feed.transcript(messages))
                for await event in events {
                    guard let change = event else {
                        try await writer.write(ByteBuffer(string: ": still here\n\n"))
                        continue
                    }
                    switch change {
                    case .message(let conversationId, let data) where conversationId == chat.conversationId:
                        if let message = try? TranscriptMessage(json: data), let push = feed.message(message) {
                            try await send("message", push)
                        }
                    case .customerLeft(let conversationId) where conversationId == chat.conversationId:
                        record = (try? await gateway.store.chat(conversationId: conversationId)) ?? record
                        fallthrough
                    case .item(.router, "conv.\(chat.conversationId)", _),
                        .item(.monitor, "monitor.queue.\(chat.queue)", _):
                        current = await status()
                        if let push = feed.update(current) { try await send("state", push) }
                    default:
                        break
                    }
                    if current.state == "ended" { break }
                }
            } catch {}
            await gateway.view.unsubscribe(subscription)
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}

/// Idempotency keys being answered right now, so two copies of one request arriving together
/// are not both carried out.
actor IdempotencyGate {
    private var inFlight: Set<String> = []

    func enter(_ keyName: String, _ key: String) -> Bool {
        inFlight.insert("\(keyName)\n\(key)").inserted
    }

    func leave(_ keyName: String, _ key: String) {
        inFlight.remove("\(keyName)\n\(key)")
    }
}
