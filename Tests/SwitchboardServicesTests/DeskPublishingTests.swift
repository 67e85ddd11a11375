import Foundation
import SwitchboardBus
import SwitchboardRouting
import SwitchboardWire
import SwitchboardWorkspace
import Testing

@testable import SwitchboardDesk

/// What the desk publishes and shows: events, the snapshot item, `desk show`.
@Suite("Desk: events, item and show")
struct DeskPublishingTests {
    private func busyRecord() throws -> DeskRecord {
        var record = signedInRecord()
        _ = record.apply(.assigned(deskItem("chat-1", .chat), at: deskTime(0), transcript: []), now: deskTime(0))
        _ = record.apply(
            .assigned(deskItem("chat-2", .chat, customer: "cust-2"), at: deskTime(1), transcript: []), now: deskTime(1))
        _ = record.apply(
            .assigned(
                deskItem("call-1", .voice, customer: "cust-3", queue: "voice-en-general"), at: deskTime(2),
                transcript: []),
            now: deskTime(2))
        _ = record.apply(.message("chat-2", transcriptMessage(1, .customer, "is anyone there?")), now: deskTime(3))
        _ = record.apply(
            .offered(
                DeskOffer(
                    item: deskItem("chat-3", .chat, customer: "cust-4"), rule: "skills",
                    reason: "Skills: English 5; most idle of 3 eligible.", offeredAt: deskTime(4),
                    expiresAt: deskTime(120))),
            now: deskTime(4))
        _ = record.apply(
            .assistance("call-1", .summary(text: "Lost card abroad; card blocked, replacement pending.")),
            now: deskTime(5))
        return record
    }

    @Test("the last event of a change carries the key and the item; the ones before carry their fields")
    func lastEventCarriesItem() throws {
        var record = signedInRecord()
        let events = record.apply(
            .assigned(deskItem("call-1", .voice), at: deskTime(0), transcript: []), now: deskTime(0))
        let item = try DeskWireItem.json(record, name: "Priya Raman", updatedAt: deskTime(0))
        let bus = DeskBusEvent.events(for: events, of: priya, item: item)
        #expect(bus.count == events.count && bus.count > 1)
        #expect(bus.first?.topic == "desk.priya-raman.session.opened")
        #expect(bus.first?.type == "desk.session.opened")
        #expect(bus.first?.data["conversationId"] == "call-1")
        #expect(bus.first?.data["placement"] == "focused")
        #expect(bus.dropLast().allSatisfy { $0.data["key"] == nil && $0.data["item"] == nil })
        #expect(bus.last?.data["key"] == "desk.priya-raman")
        #expect(bus.last?.data["item"] == item)
    }

    @Test("the item summarises the sessions and holds the workspace, which reads back with its drafts")
    func itemHoldsWorkspace() throws {
        var record = try busyRecord()
        _ = record.apply(
            .assigned(deskItem("mail-1", .email, queue: "email-en"), at: deskTime(6), transcript: []), now: deskTime(6))
        let body = "Dear Ms Tan,\r\nyour card \u{1F4B3} is on its way. Cafe\u{301}."
        _ = try record.handle(.saveDraft(conversation: "mail-1", subject: "Your card", body: body), now: deskTime(7))
        let item = try DeskWireItem.json(record, name: "Priya Raman", updatedAt: deskTime(8))
        #expect(item["signedIn"] == true)
        #expect(item["summary"]?["activeSession"] == "call-1")
        #expect(item["summary"]?["liveCall"] == "call-1")
        #expect(item["summary"]?["sessions"]?.arrayValue?.count == 4)
        #expect(item["summary"]?["sessionsByChannel"]?["chat"] == 2)
        #expect(item["offers"]?.arrayValue?.first?["conversationId"] == "chat-3")
        let workspace = try DeskCoding.workspace(fromBus: try #require(item["workspace"]))
        #expect(workspace.sessions.map(\.id) == record.workspace.sessions.map(\.id))
        #expect(Array(try #require(workspace.draft(for: "mail-1")).body.utf8) == Array(body.utf8))
        // Through the bus's own writer and parser, as a consumer receives it.
        let reparsed = try JSON(parsing: item.bytes)
        #expect(reparsed["workspace"]?["drafts"]?.arrayValue?.first?["body"]?.stringValue == body)
    }

    @Test("desk show names the agent, the offer, the sessions with the call focused, the pane and the conversation")
    func showRendersWorkspace() throws {
        let record = try busyRecord()
        let facts = RouterMirror.AgentFacts(
            name: "Priya Raman", role: "senior-agent", presence: "busy", load: [.voice: 1, .chat: 2],
            capacity: [.voice: 1, .chat: 2, .email: 2])
        let text = DeskShowRenderer(width: 100).render(
            record, agentFacts: facts, transcript: [transcriptMessage(1, .customer, "I lost my card in Lisbon")],
            now: deskTime(65))
        #expect(text.hasPrefix("Priya Raman (priya-raman) - signed in 1m05s ago"))
        #expect(text.contains("Router: busy; load voice 1/1, chat 2/2, email 0/2"))
        #expect(text.contains("OFFERS"))
        #expect(text.contains("chat-3") && text.contains("expires in 55s"))
        #expect(text.contains("Focus: voice call-1"))
        #expect(text.contains("Lost card abroad"))
        #expect(text.contains("I lost my card in Lisbon"))
        let conversation = try #require(text.range(of: "CONVERSATION call-1"))
        let preferences = try #require(text.range(of: "PREFERENCES"))
        #expect(conversation.lowerBound < preferences.lowerBound, "the conversation shows under its session")
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 100 })
    }
}
