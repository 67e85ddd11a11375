import Testing
import ZeroMQ

@testable import SwitchboardBus

/// The publisher's one-pass encoder must write exactly the bytes docs/PROTOCOL.md describes.
@Suite("Envelope wire bytes")
struct EnvelopeWireBytesTests {
    @Test("an event's frames are the topic and the envelope, byte for byte")
    func exactBytes() {
        let message = EnvelopeCodec.encode(
            prefix: EnvelopeCodec.prefix(source: "router", epoch: 3), topic: Array("conv.c-1.assigned".utf8),
            seq: 1042, timestampMicroseconds: 1_700_000_000_000_000, type: "conversation.assigned",
            data: Array(#"{"a":1}"#.utf8))
        let envelope =
            #"{"v":1,"src":"router","epoch":3,"seq":1042,"ts":1700000000000000,"type":"conversation.assigned","#
            + #""data":{"a":1}}"#
        #expect(message.frames == [Array("conv.c-1.assigned".utf8), Array(envelope.utf8)])
    }

    @Test(
        "the publisher's encoder writes what the envelope writer writes",
        arguments: [
            (UInt64(0), Int64(0), "t", #"{}"#),
            (UInt64(9), Int64(10), "agent.load", #""x""#),
            (UInt64.max, Int64.max, "conversation.assigned", #"[1,2]"#),
            (UInt64(7), Int64(-5), "clock.stepped.back", #"null"#),
            (UInt64(1), Int64(1), "quote\" and\nnewline \\ é", #"{"k":"v"}"#),
        ])
    func sameAsWriter(seq: UInt64, timestamp: Int64, type: String, data: String) {
        let fast = EnvelopeCodec.encode(
            prefix: EnvelopeCodec.prefix(source: "desk \"1\"", epoch: 12), topic: Array("desk.d-1.sent".utf8),
            seq: seq, timestampMicroseconds: timestamp, type: type, data: Array(data.utf8))
        let written = EnvelopeCodec.encode(
            topic: "desk.d-1.sent", source: "desk \"1\"", epoch: 12, seq: seq, timestampMicroseconds: timestamp,
            type: type, data: Array(data.utf8))
        #expect(fast == written)
    }

    @Test(
        "integers are read exactly, long ones and out-of-range ones too",
        arguments: [
            ("0", JSON.int(0)), ("-0", JSON.int(0)), ("123456789012345678", JSON.int(123_456_789_012_345_678)),
            ("-123456789012345678", JSON.int(-123_456_789_012_345_678)),
            ("9223372036854775807", JSON.int(Int64.max)), ("-9223372036854775808", JSON.int(Int64.min)),
            ("92233720368547758070", JSON.double(92_233_720_368_547_758_070)),
        ])
    func integers(text: String, expected: JSON) throws {
        #expect(try JSONParser.parse(Array(text.utf8)) == expected)
    }
}
