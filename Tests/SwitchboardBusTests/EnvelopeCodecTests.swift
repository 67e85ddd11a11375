import SwitchboardBus
import Testing
import ZeroMQ

@Suite("Event envelopes")
struct EnvelopeCodecTests {
    @Test("an encoded event decodes to the same header and data")
    func roundTrip() throws {
        let data: JSON = ["conversationId": "c-1", "agentId": "a-7"]
        let message = EnvelopeCodec.encode(
            topic: "conv.c-1.assigned", source: "router", epoch: 3, seq: 1042,
            timestampMicroseconds: 1_700_000_000_000_000,
            type: "conversation.assigned", data: data.bytes)
        let event = try EnvelopeCodec.decode(message)
        #expect(event.topic == "conv.c-1.assigned")
        #expect(event.family == "conv")
        #expect(event.source == "router")
        #expect(event.epoch == 3)
        #expect(event.seq == 1042)
        #expect(event.timestampMicroseconds == 1_700_000_000_000_000)
        #expect(event.type == "conversation.assigned")
        #expect(try event.data() == data)
    }

    @Test("the JSON line for tap is the envelope with the topic added")
    func jsonLine() throws {
        let message = EnvelopeCodec.encode(
            topic: "agent.a-1.load", source: "router", epoch: 1, seq: 2, timestampMicroseconds: 5, type: "agent.load",
            data: (["agentId": "a-1"] as JSON).bytes)
        let line = try JSON(parsing: try EnvelopeCodec.decode(message).jsonLine)
        #expect(line["topic"] == "agent.a-1.load")
        #expect(line["seq"] == 2)
        #expect(line["data"]?["agentId"] == "a-1")
    }

    @Test(
        "an envelope missing a header field is refused naming the field",
        arguments: [
            (#"{"src":"r","epoch":1,"seq":1,"ts":1,"type":"t","data":{}}"#, "\"v\""),
            (#"{"v":1,"epoch":1,"seq":1,"ts":1,"type":"t","data":{}}"#, "\"src\""),
            (#"{"v":1,"src":"r","seq":1,"ts":1,"type":"t","data":{}}"#, "\"epoch\""),
            (#"{"v":1,"src":"r","epoch":1,"ts":1,"type":"t","data":{}}"#, "\"seq\""),
            (#"{"v":1,"src":"r","epoch":1,"seq":1,"type":"t","data":{}}"#, "\"ts\""),
            (#"{"v":1,"src":"r","epoch":1,"seq":1,"ts":1,"data":{}}"#, "\"type\""),
            (#"{"v":1,"src":"r","epoch":1,"seq":1,"ts":1,"type":"t"}"#, "\"data\""),
            (#"{"v":2,"src":"r","epoch":1,"seq":1,"ts":1,"type":"t","data":{}}"#, "version 2"),
            (#"{"v":1,"src":"r","epoch":-1,"seq":1,"ts":1,"type":"t","data":{}}"#, "\"epoch\""),
        ])
    func missingFields(envelope: String, named: String) {
        do {
            _ = try EnvelopeCodec.decode(Message(Array("conv.c-1.x".utf8), Array(envelope.utf8)))
            Issue.record("accepted \(envelope)")
        } catch {
            #expect(error.message.contains(named), "\(error)")
        }
    }

    @Test("a message with the wrong number of frames or a bad topic is refused")
    func badFramesAndTopics() {
        let envelope = Array(#"{"v":1,"src":"r","epoch":1,"seq":1,"ts":1,"type":"t","data":{}}"#.utf8)
        #expect(throws: MalformedInput.self) { try EnvelopeCodec.decode(Message(frames: [envelope])) }
        #expect(throws: MalformedInput.self) { try EnvelopeCodec.decode(Message(Array("nodots".utf8), envelope)) }
        #expect(throws: MalformedInput.self) { try EnvelopeCodec.decode(Message(Array("conv..x".utf8), envelope)) }
        #expect(throws: MalformedInput.self) { try EnvelopeCodec.decode(Message([0xFF, 0x2E, 0x41], envelope)) }
    }
}
