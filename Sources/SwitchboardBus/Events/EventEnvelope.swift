/// One event as it travels: the topic frame and the JSON envelope
/// `{"v":1,"src":…,"epoch":…,"seq":…,"ts":…,"type":…,"data":{…}}`.
/// Decoding reads the header fields and only remembers where `data` is, so a consumer that
/// filters on the header never pays for the payload.
public struct EventEnvelope: Sendable {
    /// The protocol version this code writes and reads.
    public static let version: Int64 = 1

    public let topic: String
    public let source: String
    public let epoch: UInt64
    /// Position in the (source, epoch, family) sequence; 0 for heartbeats, which consume none.
    public let seq: UInt64
    /// Microseconds since the Unix epoch, publisher's wall clock.
    public let timestampMicroseconds: Int64
    public let type: String
    /// The envelope bytes as received (or as written).
    public let envelopeBytes: [UInt8]
    /// Where the `data` value lies inside `envelopeBytes`.
    let dataRange: Range<Int>

    /// The topic's family (`conv`, `agent`, …).
    public var family: Substring { Topic.family(of: topic) }

    /// The payload's raw JSON bytes.
    public var dataBytes: ArraySlice<UInt8> { envelopeBytes[dataRange] }

    /// The payload, parsed.
    public func data() throws(JSONParseError) -> JSON {
        try JSONParser.parse(dataBytes)
    }

    /// True for the once-a-second `sys.<src>.hugz` heartbeat.
    public var isHeartbeat: Bool { type == EventEnvelope.heartbeatType }

    public static let heartbeatType = "sys.heartbeat"

    init(
        topic: String, source: String, epoch: UInt64, seq: UInt64, timestampMicroseconds: Int64, type: String,
        envelopeBytes: [UInt8], dataRange: Range<Int>
    ) {
        self.topic = topic
        self.source = source
        self.epoch = epoch
        self.seq = seq
        self.timestampMicroseconds = timestampMicroseconds
        self.type = type
        self.envelopeBytes = envelopeBytes
        self.dataRange = dataRange
    }

    /// The whole event as one JSON object (the envelope with `topic` added first), for
    /// printing as a line (`switchboard tap`).
    public var jsonLine: [UInt8] {
        var writer = JSONWriter(capacity: envelopeBytes.count + topic.utf8.count + 16)
        writer.appendLiteral("{")
        writer.writeKey("topic")
        writer.write(topic)
        writer.appendLiteral(",")
        // Splice in the envelope's members after its opening brace.
        writer.writeRaw(envelopeBytes.drop { $0 != UInt8(ascii: "{") }.dropFirst())
        return writer.bytes
    }
}
