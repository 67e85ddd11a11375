import SwitchboardBus
import SwitchboardGateway
import SwitchboardRouting
import SwitchboardWire
import Testing

@Suite("What a customer's chat receives")
struct CustomerFeedTests {
    static let people = People(
        centreName: "Northwind Bank",
        people: [
            .init(id: "priya-raman", name: "Priya Raman", role: "senior-agent", maySupervise: false),
            .init(id: "grace-okafor", name: "Grace Okafor", role: "supervisor", maySupervise: true),
        ])

    static func line(_ number: Int, _ role: String, _ author: String, _ text: String, audience: String = "everyone")
        -> TranscriptMessage
    {
        TranscriptMessage(
            number: number, role: TranscriptMessage.Role(rawValue: role)!, author: author, text: text,
            audience: TranscriptMessage.Audience(rawValue: audience)!, at: RoutingInstant(millisecondsSinceEpoch: 1_000)
        )
    }

    static func texts(_ push: JSON?) -> [String] {
        push?["messages"]?.arrayValue?.compactMap { $0["text"]?.stringValue } ?? []
    }

    @Test("a whisper never reaches the customer, in the transcript or as a new line")
    func whispersNeverReachTheCustomer() {
        var feed = CustomerFeed(conversationId: "w-1", people: Self.people)
        let transcript = feed.transcript([
            Self.line(1, "customer", "Ana", "My card is blocked"),
            Self.line(2, "supervisor", "grace-okafor", "Ask for the last four digits", audience: "agent"),
            Self.line(3, "agent", "priya-raman", "I can help with that"),
        ])
        #expect(Self.texts(transcript) == ["My card is blocked", "I can help with that"])
        let result1 = feed.message(Self.line(4, "supervisor", "grace-okafor", "Offer a new card", audience: "agent"))
        #expect(result1 == nil)
        let next = feed.message(Self.line(5, "agent", "priya-raman", "Shall I send a new card?"))
        #expect(Self.texts(next) == ["Shall I send a new card?"])
        #expect(next?["messages"]?.arrayValue?.first?["author"] == "Priya Raman")
    }

    @Test("lines that arrive while the transcript loads are sent once, after it, in order")
    func heldLinesOnce() {
        var feed = CustomerFeed(conversationId: "w-1", people: Self.people)
        let result2 = feed.message(Self.line(3, "agent", "priya-raman", "third"))
        #expect(result2 == nil)
        let result3 = feed.message(Self.line(2, "agent", "priya-raman", "second"))
        #expect(result3 == nil)
        let transcript = feed.transcript([
            Self.line(1, "customer", "Ana", "first"), Self.line(2, "agent", "priya-raman", "second"),
        ])
        #expect(Self.texts(transcript) == ["first", "second", "third"])
        let result4 = feed.message(Self.line(3, "agent", "priya-raman", "third"))
        #expect(result4 == nil)
    }

    @Test("the conversation's state as the customer sees it, pushed only when it changes")
    func status() {
        var feed = CustomerFeed(conversationId: "w-1", people: Self.people)
        let waiting = CustomerFeed.status(
            conversation: nil, agentName: nil, estimatedWaitSeconds: 40, queueName: "Chat, English, cards",
            recordedEndReason: nil)
        #expect(waiting.state == "waiting" && waiting.estimatedWaitSeconds == 40)
        #expect(feed.update(waiting)?["state"] == "waiting")
        let result5 = feed.update(waiting)
        #expect(result5 == nil)
        let left = CustomerFeed.status(
            conversation: nil, agentName: "Priya Raman", estimatedWaitSeconds: 40, queueName: "Chat, English, cards",
            recordedEndReason: "customer-left")
        #expect(left.state == "ended" && left.endedReason == "customer-left" && left.estimatedWaitSeconds == nil)
        // The router ended it because its queue closed: the customer is told when it opens.
        let turnedAway = ConversationItem(
            conversationId: "w-1", customerId: "cust-1", channel: .chat, queue: "chat-en", state: .abandoned,
            openedAt: .zero, endedAt: .seconds(60), endCause: "queue-closed")
        let hours = MonitorQueueItem.Hours(
            open: false, opensAt: "2026-12-07T08:00:00Z", closesAt: nil, timeZone: "Europe/Paris")
        let closed = CustomerFeed.status(
            conversation: turnedAway, agentName: nil, estimatedWaitSeconds: nil, queueName: "Chat, English",
            recordedEndReason: nil, hours: hours)
        #expect(closed.endedReason == "queue-closed" && closed.opensAt == "2026-12-07T08:00:00Z")
        #expect(feed.update(closed)?["timeZone"] == "Europe/Paris")
        var left2 = turnedAway
        left2.endCause = "customer"
        let leftAgain = CustomerFeed.status(
            conversation: left2, agentName: nil, estimatedWaitSeconds: nil, queueName: "Chat, English",
            recordedEndReason: nil, hours: hours)
        #expect(leftAgain.endedReason == "customer-left" && leftAgain.opensAt == nil)
    }

    @Test("an agent's and a supervisor's transcript keeps whispers, names people, and sends each line once")
    func staffTranscripts() {
        var transcripts = StaffTranscripts(people: Self.people)
        let result6 = transcripts.begin("w-1")
        #expect(result6)
        let result7 = transcripts.message(
            "w-1", Self.line(2, "supervisor", "grace-okafor", "whisper", audience: "agent"))
        #expect(result7 == nil)
        let pushes = transcripts.loaded("w-1", [Self.line(1, "customer", "Ana", "hello")])
        #expect(pushes.count == 1)
        #expect(pushes[0]["messages"]?.arrayValue?.count == 2)
        #expect(pushes[0]["messages"]?.arrayValue?.last?["author"] == "Grace Okafor")
        #expect(pushes[0]["messages"]?.arrayValue?.last?["audience"] == "agent")
        let result8 = transcripts.message(
            "w-1", Self.line(2, "supervisor", "grace-okafor", "whisper", audience: "agent"))
        #expect(result8 == nil)
        #expect(transcripts.message("w-1", Self.line(3, "agent", "priya-raman", "hi"))?["type"] == "message")
        let result9 = transcripts.message("w-2", Self.line(1, "customer", "Bo", "not followed"))
        #expect(result9 == nil)
    }
}
