import SwitchboardBus
import SwitchboardGateway
import SwitchboardRouting
import SwitchboardWire
import Synchronization
import Testing

@Suite("The gateway's view of the bus")
struct BusViewTests {
    static func event(_ topic: String, type: String, seq: UInt64, _ data: JSON) throws -> ReplicaUpdate {
        let message = EnvelopeCodec.encode(
            topic: topic, source: "router", epoch: 1, seq: seq, timestampMicroseconds: 0, type: type, data: data.bytes)
        return .event(try EnvelopeCodec.decode(message))
    }

    /// The changes already waiting on a subscription (they are yielded while `apply` runs, so
    /// the view's end bounds the wait: fewer than `count` means some were never emitted).
    static func take(_ count: Int, from changes: AsyncStream<BusChange>, view: BusView) async -> [BusChange] {
        await view.finishAll()
        var taken: [BusChange] = []
        for await change in changes {
            taken.append(change)
            if taken.count == count { break }
        }
        return taken
    }

    @Test("state-carrying events reach every subscriber as item changes; a line as a message")
    func fanOut() async throws {
        let view = BusView()
        let (_, first) = await view.subscribe()
        let (_, second) = await view.subscribe()
        let item = ConversationItem(
            conversationId: "w-1", customerId: "web-1", channel: .chat, queue: "chat-en-cards", state: .queued,
            openedAt: RoutingInstant(millisecondsSinceEpoch: 1_000)
        ).json
        await view.apply(
            try Self.event("conv.w-1.queued", type: "conversation.queued", seq: 1, ["key": "conv.w-1", "item": item]),
            from: .router)
        let line: JSON = [
            "conversationId": "w-1", "number": 2, "role": "supervisor", "author": "grace-okafor", "text": "psst",
            "audience": "agent", "at": 5, "key": "conv.w-1", "item": item,
        ]
        await view.apply(try Self.event("conv.w-1.message", type: "conversation.message", seq: 2, line), from: .router)
        for changes in [first, second] {
            let taken = await Self.take(3, from: changes, view: view)
            try #require(taken.count == 3)
            #expect(taken[0] == .item(source: .router, key: "conv.w-1", value: item))
            #expect(taken[2] == .message(conversationId: "w-1", message: line))
        }
        #expect(await view.item(.router, "conv.w-1") == item)
    }

    @Test("a message event that does not read as the contract says is not passed on as a line")
    func malformedMessage() async throws {
        let view = BusView()
        let (_, changes) = await view.subscribe()
        // No conversationId: a reader could not tell which conversation's page it belongs to.
        let line: JSON = ["number": 2, "role": "agent", "author": "priya-raman", "text": "hello", "at": 5]
        await view.apply(try Self.event("conv.w-2.message", type: "conversation.message", seq: 1, line), from: .router)
        let taken = await Self.take(1, from: changes, view: view)
        #expect(taken.isEmpty)
    }

    @Test("an agent the router no longer has ends their sessions")
    func agentRemoved() async throws {
        let removed = Mutex<[String]>([])
        let view = BusView(agentRemoved: { agent in removed.withLock { $0.append(agent) } })
        let agent: JSON = ["agentId": "emily-clarke", "name": "Emily Clarke"]
        await view.apply(
            try Self.event(
                "agent.emily-clarke.added", type: "agent.added", seq: 1, ["key": "agent.emily-clarke", "item": agent]),
            from: .router)
        #expect(removed.withLock { $0 }.isEmpty)
        await view.apply(
            try Self.event(
                "agent.emily-clarke.removed", type: "agent.removed", seq: 2, ["key": "agent.emily-clarke",
                    "item": nil]),
            from: .router)
        #expect(removed.withLock { $0 } == ["emily-clarke"])
        #expect(await view.item(.router, "agent.emily-clarke") == nil)
    }

    @Test("a subscriber that stops reading is dropped instead of growing without bound")
    func slowSubscriberDropped() async throws {
        let view = BusView()
        let (_, changes) = await view.subscribe()
        for index in 0...BusView.subscriberBufferMax {
            await view.publishLocal(.typing(conversationId: "w-\(index)", who: "customer", name: "Ana"))
        }
        var received = 0
        for await _ in changes { received += 1 }  // ends: the subscription was finished
        #expect(received == BusView.subscriberBufferMax)
    }
}
