import SwitchboardBus
import SwitchboardRouting
import SwitchboardWire
import Testing

@Suite("Wire items: encoding then decoding gives the same value")
struct WireRoundTripTests {
    /// Encodes, writes as text, parses, decodes: what a consumer on the other side of the bus gets.
    static func overTheWire(_ json: JSON) throws -> JSON { try JSON(parsing: json.text) }

    @Test("a conversation item round-trips, every field set")
    func conversation() throws {
        let sample = WireSamples.conversation
        #expect(try ConversationItem(json: Self.overTheWire(sample.json)) == sample)
    }

    @Test("a conversation item with every nullable field null round-trips, and writes the nulls")
    func conversationWithNulls() throws {
        let sample = ConversationItem(
            conversationId: "c-1", customerId: "cust-1", channel: .voice, queue: "voice-en", state: .queued,
            openedAt: WireSamples.at)
        let json = sample.json
        #expect(json["agentId"] == .null && json["intent"] == .null && json["endedAt"] == .null)
        #expect(try ConversationItem(json: Self.overTheWire(json)) == sample)
    }

    @Test("agent, sticky, queue, alert, presence items round-trip")
    func routerItems() throws {
        #expect(try AgentItem(json: Self.overTheWire(WireSamples.agent.json)) == WireSamples.agent)
        #expect(try StickyItem(json: Self.overTheWire(WireSamples.sticky.json)) == WireSamples.sticky)
        #expect(try QueueItem(json: Self.overTheWire(WireSamples.queue.json)) == WireSamples.queue)
        #expect(try RouterAlertItem(json: Self.overTheWire(WireSamples.skillAlert.json)) == WireSamples.skillAlert)
        #expect(
            try RouterAlertItem(json: Self.overTheWire(WireSamples.overflowAlert.json)) == WireSamples.overflowAlert)
        #expect(try PresenceItem(json: Self.overTheWire(WireSamples.presence.json)) == WireSamples.presence)
        #expect(try FeedbackItem(json: Self.overTheWire(WireSamples.feedback.json)) == WireSamples.feedback)
    }

    @Test("transcript messages and items round-trip; a message event's extra members are ignored")
    func transcripts() throws {
        #expect(try TranscriptMessage(json: Self.overTheWire(WireSamples.message.json)) == WireSamples.message)
        #expect(try TranscriptItem(json: Self.overTheWire(WireSamples.transcript.json)) == WireSamples.transcript)
        guard case .object(var event) = WireSamples.message.json else {
            Issue.record("an object")
            return
        }
        event["conversationId"] = "c-17"
        event["key"] = "conv.c-17"
        event["item"] = WireSamples.conversation.json
        #expect(try TranscriptMessage(json: .object(event)) == WireSamples.message)
    }

    @Test("a transfer travels as fields, in the event and in the explain history")
    func transfers() throws {
        for transfer in [WireSamples.transferToQueue, WireSamples.transferToAgent] {
            let fields = try WireFields(.object(JSONObject(transfer.members)), item: "conversation.transferred")
            #expect(try ConversationTransfer(fields: fields) == transfer)
        }
        #expect(WireSamples.transferToQueue.toQueue == "chat-en-cards" && WireSamples.transferToQueue.toAgentId == nil)
        let step = WireSamples.historyStep
        #expect(step.json["toAgentId"] == "tom-baker" && step.json["fromAgentId"] == "priya-raman")
        #expect(try HistoryStep(json: Self.overTheWire(step.json)) == step)
        let result: JSON = ["conversation": WireSamples.conversation.json, "history": [step.json]]
        #expect(try HistoryStep.history(ofExplainResult: result) == [step])
    }

    @Test("a transferred step written before the fields existed reads without a transfer")
    func olderTransferredStep() throws {
        let older: JSON = [
            "at": 1, "event": "transferred", "agentId": "priya-raman", "rule": nil,
            "sentence": "Transferred to queue chat-en-cards.",
        ]
        #expect(try HistoryStep(json: older).transfer == nil)
    }

    @Test("the state-machine facts have one meaning each")
    func stateFacts() {
        func item(_ state: ConversationState) -> ConversationItem {
            var item = WireSamples.conversation
            item.state = state
            return item
        }
        let ended = ConversationState.allCases.filter { item($0).isEnded }
        #expect(ended == [.closed, .abandoned])
        #expect(ConversationState.allCases.filter { item($0).isWaiting } == [.queued])
        #expect(ConversationState.allCases.filter { item($0).awaitsAgent } == [.queued, .offered])
        #expect(ConversationState.allCases.filter { item($0).isInWrapUp } == [.wrapUp])
        #expect(ConversationState.allCases.filter { item($0).wasClosedByAgent } == [.wrapUp, .closed])
        #expect(ConversationState.allCases.filter { item($0).isOverForCustomer } == [.wrapUp, .closed, .abandoned])
    }

    @Test("the desk's, the summariser's and the monitor's items round-trip")
    func serviceItems() throws {
        #expect(try DeskItem(json: Self.overTheWire(WireSamples.desk.json)) == WireSamples.desk)
        #expect(try AssistItem(json: Self.overTheWire(WireSamples.assist.json)) == WireSamples.assist)
        #expect(
            try MonitorSourcesItem(json: Self.overTheWire(WireSamples.monitorSources.json))
                == WireSamples.monitorSources)
        #expect(try MonitorQueueItem(json: Self.overTheWire(WireSamples.monitorQueue.json)) == WireSamples.monitorQueue)
        #expect(try MonitorAgentItem(json: Self.overTheWire(WireSamples.monitorAgent.json)) == WireSamples.monitorAgent)
        #expect(try MonitorRatesItem(json: Self.overTheWire(WireSamples.monitorRates.json)) == WireSamples.monitorRates)
        #expect(
            try MonitorConversationItem(json: Self.overTheWire(WireSamples.monitorConversation.json))
                == WireSamples.monitorConversation)
        #expect(try MonitorAlertItem(json: Self.overTheWire(WireSamples.monitorAlert.json)) == WireSamples.monitorAlert)
        #expect(
            try MonitorInterventionItem(json: Self.overTheWire(WireSamples.monitorIntervention.json))
                == WireSamples.monitorIntervention)
    }
}
