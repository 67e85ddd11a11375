import Foundation
import SwitchboardBus
import SwitchboardMonitor
import SwitchboardRouting
import SwitchboardServiceKit
import SwitchboardTopology
import SwitchboardWire
import SwitchboardWorkspace
import Testing

@Suite("Supervision commands and the monitor's published items")
struct MonitorSupervisionTests {
    let centre = monitorCentre()
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    func apply(
        _ command: SupervisorCommand, to ledger: InterventionLedger, channel: Channel = .chat
    ) throws(SupervisionError) -> SupervisionStep? {
        let sender: AgentID
        switch command {
        case .intervene(let who, _, _, _), .stop(let who, _), .reassign(let who, _, _, _),
            .setPresence(let who, _, _, _):
            sender = who
        case .view: sender = "nobody"
        }
        return try SupervisionStep.apply(
            command, to: ledger, senderRole: centre.roleName(of: sender), channel: channel,
            name: { self.centre.agent($0)?.name ?? $0.rawValue }, now: now)
    }

    @Test("a whisper reaches the agent only; a barge joins everyone, with a notice to the customer")
    func whisperThenBarge() throws {
        let ledger = InterventionLedger(policy: centre.supervision)
        let whisper = try #require(
            try apply(
                .intervene(supervisor: "grace", kind: .whisper, conversation: "c-1", text: "Offer the refund"),
                to: ledger))
        #expect(whisper.routerMessages.map(\.audience) == ["agent"])
        #expect(whisper.routerMessages.first?.data["role"] == "supervisor")
        #expect(whisper.routerMessages.first?.data["text"] == "Offer the refund")
        #expect(whisper.events.map(\.type) == ["monitor.interventionStarted", "monitor.supervisorMessage"])
        #expect(whisper.events.allSatisfy { $0.data["key"] == "monitor.intervention.c-1:grace" })
        #expect(whisper.events.last?.data["item"]?["kind"] == "whisper")

        let barge = try #require(
            try apply(
                .intervene(supervisor: "grace", kind: .barge, conversation: "c-1", text: "Hello, I am Grace."),
                to: whisper.ledger))
        #expect(barge.routerMessages.map(\.idSuffix) == ["joined", "message"])
        #expect(barge.routerMessages.map(\.audience) == ["everyone", "everyone"])
        #expect(barge.routerMessages.first?.data["text"]?.stringValue?.contains("Grace") == true)
        #expect(barge.intervention?.kind == .barge && barge.intervention?.messagesSent == 2)
        #expect(
            barge.events.map(\.type) == [
                "monitor.interventionChanged", "monitor.supervisorJoined", "monitor.supervisorMessage",
            ])

        let stop = try #require(try apply(.stop(supervisor: "grace", conversation: "c-1"), to: barge.ledger))
        #expect(stop.routerMessages.map(\.idSuffix) == ["left"])
        #expect(stop.ledger.interventions.isEmpty)
        #expect(stop.events.last?.type == "monitor.interventionEnded" && stop.events.last?.data["item"] == .null)
    }

    @Test(
        "an agent who tries to barge is refused with forbidden, naming the missing permission and the role that has it")
    func agentRefused() throws {
        let ledger = InterventionLedger(policy: centre.supervision)
        #expect {
            _ = try apply(.intervene(supervisor: "priya", kind: .barge, conversation: "c-1", text: "hi"), to: ledger)
        } throws: { error in
            guard let error = error as? SupervisionError else { return false }
            let failure = error.failure
            return failure.code == .forbidden && failure.message.contains("'barge'")
                && failure.message.contains("'supervisor'") && failure.message.contains("priya has role 'agent'")
        }
        #expect(throws: SupervisionError.senderHasNoRole(sender: "stranger")) {
            _ = try apply(
                .intervene(supervisor: "stranger", kind: .observe, conversation: "c-1", text: nil), to: ledger)
        }
    }

    @Test("observe does not apply to a call: the refusal says to listen")
    func observeOnVoice() throws {
        let ledger = InterventionLedger(policy: centre.supervision)
        do {
            _ = try apply(
                .intervene(supervisor: "grace", kind: .observe, conversation: "c-7", text: nil), to: ledger,
                channel: .voice)
            Issue.record("observe on a call was accepted")
        } catch {
            #expect(error.failure.code == .invalidArgument)
            #expect(error.failure.message.contains("listen"))
        }
        let listen = try #require(
            try apply(
                .intervene(supervisor: "grace", kind: .listen, conversation: "c-7", text: nil), to: ledger,
                channel: .voice))
        #expect(listen.routerMessages.isEmpty && listen.intervention?.kind == .listen)
    }

    @Test("a conversation that ends ends its interventions, with no message to deliver")
    func conversationEnded() throws {
        var ledger = InterventionLedger(policy: centre.supervision)
        ledger = try #require(
            try apply(.intervene(supervisor: "grace", kind: .observe, conversation: "c-1", text: nil), to: ledger)
        ).ledger
        let steps = SupervisionStep.conversationEnded("c-1", in: ledger)
        #expect(steps.count == 1)
        #expect(steps.first?.ledger.interventions.isEmpty == true)
        #expect(steps.first?.routerMessages.isEmpty == true)
        #expect(steps.first?.events.map { $0.data["reason"] } == ["conversation-ended"])
        #expect(SupervisionStep.conversationEnded("c-2", in: ledger).isEmpty)
    }

    @Test("commands are read with refusals that name the field")
    func parsing() {
        let whisper = CommandRequest(
            id: "1", type: "supervisor.whisper", data: ["supervisorId": "grace", "conversationId": "c-1"])
        guard case .failure(let failure) = SupervisorCommand.parse(whisper) else {
            Issue.record("a whisper without text was accepted")
            return
        }
        #expect(failure.code == .missingField && failure.message.contains("\"text\""))
        let dotted = CommandRequest(
            id: "2", type: "supervisor.barge", data: ["supervisorId": "grace", "conversationId": "c.1"])
        guard case .failure(let invalid) = SupervisorCommand.parse(dotted) else {
            Issue.record("an id with a dot was accepted")
            return
        }
        #expect(invalid.code == .invalidArgument)
        let unknown = CommandRequest(id: "3", type: "supervisor.shout", data: [:])
        guard case .failure(let refused) = SupervisorCommand.parse(unknown) else {
            Issue.record("an unknown command was accepted")
            return
        }
        #expect(refused.code == .unknownCommand && refused.message.contains("supervisor.barge"))
        #expect(
            SupervisorCommand.parse(
                CommandRequest(
                    id: "4", type: "supervisor.listen", data: ["supervisorId": "grace", "conversationId": "c-7"]))
                == .success(.intervene(supervisor: "grace", kind: .listen, conversation: "c-7", text: nil)))
    }

    @Test("router command ids derived from a monitor command id stay within the id limit and are stable")
    func derivedIDs() {
        #expect(MonitorCommandHandler.derivedID("abc", suffix: "message") == "abc:message")
        let long = String(repeating: "x", count: 128)
        let derived = MonitorCommandHandler.derivedID(long, suffix: "message")
        #expect(derived.utf8.count <= CommandRequest.idBytesMax)
        #expect(derived == MonitorCommandHandler.derivedID(long, suffix: "message"))
        #expect(derived != MonitorCommandHandler.derivedID(long + "y", suffix: "message"))
    }

    @Test("the alert book raises once, again only when more urgent, and clears what no longer holds")
    func alertBook() {
        var book = MonitorAlertBook()
        func escalation(_ level: String, _ seconds: Int) -> MonitorAlertItem {
            MonitorAlertItem(
                id: "escalation:c-1", source: "monitor", kind: "escalation", level: level,
                sentence: "waiting \(seconds)s", queue: "chat-en", conversationId: "c-1", raisedAt: Int64(seconds))
        }
        #expect(book.update(with: [escalation("watch", 120)]).raised.map(\.sentence) == ["waiting 120s"])
        #expect(book.update(with: [escalation("watch", 121)]).isEmpty)
        #expect(book.alerts.first?.sentence == "waiting 120s")
        #expect(book.update(with: [escalation("intervene", 240)]).raised.map(\.level) == ["intervene"])
        #expect(book.update(with: [escalation("watch", 250)]).isEmpty)
        let cleared = book.update(with: [])
        #expect(cleared.cleared.map(\.id) == ["escalation:c-1"] && book.alerts.isEmpty)
    }

    @Test("the view's items assemble into the document monitor.view answers, and render as text")
    func documentAndText() throws {
        var scenario = try MonitorScenario()
        scenario.open("c-1", customer: "cust-1", queue: "chat-en", text: "I am furious")
        var ledger = InterventionLedger(policy: centre.supervision)
        ledger = try #require(
            try apply(.intervene(supervisor: "grace", kind: .observe, conversation: "c-1", text: nil), to: ledger)
        ).ledger
        let view = scenario.view(after: 130, interventions: ledger.interventions)
        var book = MonitorAlertBook()
        _ = book.update(with: view.monitorAlerts)
        let items = MonitorDocument.items(of: view, monitorAlerts: book.alerts)
        #expect(items["monitor.queue.chat-en"] == view.queue("chat-en")?.json)
        #expect(items["monitor.intervention.c-1:grace"]?["kind"] == "observe")
        #expect(items["alert.escalation:c-1"]?["level"] == "intervene")
        #expect(items["monitor.alert.monitor:escalation:c-1"] == items["alert.escalation:c-1"])
        let document = MonitorDocument.assemble(items: items, atMilliseconds: view.atMilliseconds)
        #expect(document["queues"]?.arrayValue?.count == centre.routing.queues.count)
        #expect(document["queues"]?.arrayValue?.first?["channel"] == "voice")
        #expect(document["conversations"]?.arrayValue?.first?["conversationId"] == "c-1")
        #expect(document["interventions"]?.arrayValue?.count == 1)

        let text = MonitorRenderer().render(document)
        let queueLine = try #require(text.split(separator: "\n").first { $0.hasPrefix("chat-en ") })
        #expect(queueLine.split(separator: " ").contains("1"), "the waiting count: \(queueLine)")
        #expect(queueLine.contains("2m10s"), "the oldest wait: \(queueLine)")
        #expect(text.contains("INTERVENE") && text.contains("negative words: \"furious\""))
        #expect(text.contains("grace") && text.contains("observe"))
        #expect(text.contains("Test Bank"))
    }

    @Test("the desk's item is read from its summary; an item that is not a desk item is left out")
    func deskLines() throws {
        let at = RoutingInstant(millisecondsSinceEpoch: 1_780_000_000_000)
        func session(_ id: ConversationID, _ channel: Channel, unread: Int) -> SwitchboardWire.DeskItem.Session {
            .init(
                conversationId: id, channel: channel, customerId: "cust-1", queue: "q", openedAt: at, unread: unread,
                activeTab: "conversation", tabs: 1)
        }
        let item = SwitchboardWire.DeskItem(
            agentId: "a-1", name: nil, role: "agent", signedIn: false, signedInAt: nil, updatedAt: at,
            summary: .init(
                activeSession: "c-1", unreadTotal: 2, sessionsByChannel: [.voice: 1, .chat: 1],
                sessions: [session("c-1", .voice, unread: 0), session("c-2", .chat, unread: 2)]),
            offers: [], workspace: [:])
        let line = try #require(DeskLine(item: item.json))
        #expect(line.sessions == 2 && line.sessionsByChannel == [.voice: 1, .chat: 1])
        #expect(line.activeSession == "c-1" && line.unread == 2 && !line.signedIn)
        #expect(DeskLine(item: ["agentId": "a-2", "summary": ["sessions": 3]]) == nil)
    }
}
