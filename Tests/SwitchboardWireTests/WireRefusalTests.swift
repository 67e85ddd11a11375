import SwitchboardBus
import SwitchboardRouting
import SwitchboardWire
import Testing

@Suite("Wire items: what is not the protocol is refused, naming the item and the field")
struct WireRefusalTests {
    static func replacing(_ json: JSON, _ key: String, with value: JSON?) -> JSON {
        guard case .object(var object) = json else { return json }
        object[key] = value
        return .object(object)
    }

    static func refusal(_ read: () throws(WireError) -> Void) -> WireError? {
        do throws(WireError) {
            try read()
            return nil
        } catch {
            return error
        }
    }

    @Test("an unknown state is refused with the states allowed")
    func unknownState() {
        let json = Self.replacing(WireSamples.conversation.json, "state", with: "done")
        let error = Self.refusal { () throws(WireError) in _ = try ConversationItem(json: json) }
        #expect(
            error?.description
                == "conv item: \"state\" must be one of queued, offered, assigned, wrapUp, closed, abandoned; got "
                    + "\"done\""
        )
    }

    @Test("a missing required field is named")
    func missingField() {
        let json = Self.replacing(WireSamples.conversation.json, "conversationId", with: nil)
        let error = Self.refusal { () throws(WireError) in _ = try ConversationItem(json: json) }
        #expect(error?.item == "conv item" && error?.field == "conversationId" && error?.got == nil)
        #expect(error?.description.contains("\"conversationId\" is missing") == true)
    }

    @Test("a field of the wrong type is refused with its path inside the item")
    func nestedPath() {
        let skills: JSON = [["skill": "english", "minimumLevel": "three"]]
        let json = Self.replacing(WireSamples.conversation.json, "requiredSkills", with: skills)
        let error = Self.refusal { () throws(WireError) in _ = try ConversationItem(json: json) }
        #expect(error?.field == "requiredSkills[0].minimumLevel" && error?.got == "\"three\"")

        let intent = Self.replacing(
            WireSamples.conversation.json, "intent", with: ["intent": "card_arrival", "confidence": "high"])
        let intentError = Self.refusal { () throws(WireError) in _ = try ConversationItem(json: intent) }
        #expect(intentError?.field == "intent.confidence")
    }

    @Test("an id with a dot is refused: it could not stand in a topic")
    func dottedId() {
        let json = Self.replacing(WireSamples.agent.json, "agentId", with: "priya.raman")
        let error = Self.refusal { () throws(WireError) in _ = try AgentItem(json: json) }
        #expect(error?.item == "agent item" && error?.field == "agentId")
    }

    @Test("load counts must name channels")
    func unknownChannel() {
        let json = Self.replacing(WireSamples.agent.json, "load", with: ["fax": 1])
        let error = Self.refusal { () throws(WireError) in _ = try AgentItem(json: json) }
        #expect(error?.field == "load.fax")
    }

    @Test("a transcript message needs a known role and audience and a number from 1")
    func messages() {
        let whisperless = Self.replacing(WireSamples.message.json, "audience", with: "customers")
        #expect(
            Self.refusal { () throws(WireError) in _ = try TranscriptMessage(json: whisperless) }?.field == "audience")
        let zero = Self.replacing(WireSamples.message.json, "number", with: 0)
        #expect(Self.refusal { () throws(WireError) in _ = try TranscriptMessage(json: zero) }?.field == "number")
        let badElement = Self.replacing(WireSamples.transcript.json, "messages", with: [WireSamples.message.json, 7])
        let error = Self.refusal { () throws(WireError) in _ = try TranscriptItem(json: badElement) }
        #expect(error?.item == "transcript item" && error?.field == "messages[1]")
    }

    @Test("a transfer needs exactly one target")
    func transferTargets() throws {
        let neither = try WireFields(["fromAgentId": "priya-raman"], item: "conversation.transferred")
        #expect(
            Self.refusal { () throws(WireError) in _ = try ConversationTransfer(fields: neither) }?.field == "toQueue")
        let both = try WireFields(["toQueue": "q", "toAgentId": "a"], item: "conversation.transferred")
        #expect(
            Self.refusal { () throws(WireError) in _ = try ConversationTransfer(fields: both) }?.field == "toAgentId")
    }

    @Test("something that is not an object is refused as a whole")
    func notAnObject() {
        let error = Self.refusal { () throws(WireError) in _ = try QueueItem(json: [1, 2]) }
        #expect(error?.field == "" && error?.description == "queue item: the item must be a JSON object; got [1,2]")
    }
}
