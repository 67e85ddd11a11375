public import ZeroMQ

/// Writes and reads event envelopes by hand: Foundation's JSON coders are several times slower
/// than the bus, so they stay off the hot path.
public enum EnvelopeCodec {
    /// Builds the two frames of an event. `data` must be one valid JSON value.
    public static func encode(
        topic: String, source: String, epoch: UInt64, seq: UInt64, timestampMicroseconds: Int64, type: String,
        data: some Collection<UInt8>
    ) -> Message {
        var writer = JSONWriter(capacity: 96 + source.utf8.count + type.utf8.count + data.count)
        writer.appendLiteral("{\"v\":1,")
        writer.writeKey("src")
        writer.write(source)
        writer.appendLiteral(",")
        writer.writeKey("epoch")
        writer.write(epoch)
        writer.appendLiteral(",")
        writer.writeKey("seq")
        writer.write(seq)
        writer.appendLiteral(",")
        writer.writeKey("ts")
        writer.write(timestampMicroseconds)
        writer.appendLiteral(",")
        writer.writeKey("type")
        writer.write(type)
        writer.appendLiteral(",")
        writer.writeKey("data")
        writer.writeRaw(data)
        writer.appendLiteral("}")
        return Message(frames: [Array(topic.utf8), writer.bytes])
    }

    /// The part of the envelope that is the same for every event of one publisher in one epoch:
    /// `{"v":1,"src":"router","epoch":3,"seq":`. A publisher computes it once.
    static func prefix(source: String, epoch: UInt64) -> [UInt8] {
        var writer = JSONWriter(capacity: 48 + source.utf8.count)
        writer.appendLiteral("{\"v\":1,")
        writer.writeKey("src")
        writer.write(source)
        writer.appendLiteral(",")
        writer.writeKey("epoch")
        writer.write(epoch)
        writer.appendLiteral(",\"seq\":")
        return writer.bytes
    }

    /// Builds an event from a publisher's cached prefix (the hot path of `EventPublisher`).
    static func encode(
        prefix: [UInt8], topic: [UInt8], seq: UInt64, timestampMicroseconds: Int64, type: String,
        data: some Collection<UInt8>
    ) -> Message {
        let envelope =
            data.withContiguousStorageIfAvailable { data in
                encodeEnvelope(
                    prefix: prefix, seq: seq, timestampMicroseconds: timestampMicroseconds, type: type, data: data)
            }
            ?? Array(data).withUnsafeBufferPointer { data in
                encodeEnvelope(
                    prefix: prefix, seq: seq, timestampMicroseconds: timestampMicroseconds, type: type, data: data)
            }
        return Message(frames: [topic, envelope])
    }

    /// The envelope frame, written in one pass into one allocation of its exact size (the bytes
    /// are those `JSONWriter` writes: the wire format does not change). A `type` that needs
    /// escaping takes the writer's path.
    static func encodeEnvelope(
        prefix: [UInt8], seq: UInt64, timestampMicroseconds: Int64, type: String, data: UnsafeBufferPointer<UInt8>
    ) -> [UInt8] {
        var type = type
        return type.withUTF8 { typeBytes in
            let seqNumber = Int64(clamping: seq)
            guard timestampMicroseconds >= 0, !typeBytes.contains(where: JSONWriter.needsEscape) else {
                var writer = JSONWriter(capacity: prefix.count + 64 + typeBytes.count + data.count)
                writer.writeRaw(prefix)
                writer.write(seqNumber)
                writer.appendLiteral(",\"ts\":")
                writer.write(timestampMicroseconds)
                writer.appendLiteral(",\"type\":")
                writer.write(String(decoding: typeBytes, as: UTF8.self))
                writer.appendLiteral(",\"data\":")
                writer.writeRaw(data)
                writer.appendLiteral("}")
                return writer.bytes
            }
            let seqDigits = decimalDigits(UInt64(seqNumber))
            let timestampDigits = decimalDigits(UInt64(timestampMicroseconds))
            let timestampKey: StaticString = ",\"ts\":"
            let typeKey: StaticString = ",\"type\":\""
            let dataKey: StaticString = "\",\"data\":"
            let count =
                prefix.count + seqDigits + timestampKey.utf8CodeUnitCount + timestampDigits
                + typeKey.utf8CodeUnitCount + typeBytes.count + dataKey.utf8CodeUnitCount + data.count + 1
            return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                var position = 0
                func copy(_ bytes: UnsafeBufferPointer<UInt8>) {
                    guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
                    (buffer.baseAddress! + position).initialize(from: source, count: bytes.count)
                    position += bytes.count
                }
                func digits(_ value: UInt64, _ count: Int) {
                    var value = value
                    for index in stride(from: position + count - 1, through: position, by: -1) {
                        buffer[index] = UInt8(ascii: "0") + UInt8(value % 10)
                        value /= 10
                    }
                    position += count
                }
                prefix.withUnsafeBufferPointer { copy($0) }
                digits(UInt64(seqNumber), seqDigits)
                timestampKey.withUTF8Buffer { copy($0) }
                digits(UInt64(timestampMicroseconds), timestampDigits)
                typeKey.withUTF8Buffer { copy($0) }
                copy(typeBytes)
                dataKey.withUTF8Buffer { copy($0) }
                copy(data)
                buffer[position] = UInt8(ascii: "}")
                position += 1
                initialized = position
            }
        }
    }

    /// Digits of `value` in decimal (1 for 0).
    static func decimalDigits(_ value: UInt64) -> Int {
        var count = 1
        var rest = value / 10
        while rest > 0 {
            count += 1
            rest /= 10
        }
        return count
    }

    /// Reads an event message: exactly two frames, a valid topic, and an envelope with every
    /// header field of the right type. `data` is located but not parsed.
    public static func decode(_ message: Message) throws(MalformedInput) -> EventEnvelope {
        guard message.frames.count == 2 else {
            throw MalformedInput(
                code: "bad_frames",
                message: "an event has two frames (topic, envelope); this message has \(message.frames.count)")
        }
        let topicBytes = message.frames[0]
        guard topicBytes.count <= Topic.bytesMax,
            let topic = topicBytes.withUnsafeBufferPointer({ JSONParser.string(utf8: $0) })
        else {
            throw MalformedInput(
                code: "bad_topic", message: "the topic frame is not UTF-8 text of at most \(Topic.bytesMax) bytes")
        }
        if let problem = Topic.problem(with: topic) {
            throw MalformedInput(code: "bad_topic", message: problem)
        }
        return try decodeEnvelope(topic: topic, bytes: message.frames[1])
    }

    /// Reads the envelope frame of an event whose topic is known.
    public static func decodeEnvelope(topic: String, bytes: [UInt8]) throws(MalformedInput) -> EventEnvelope {
        guard bytes.count <= BusLimits.eventBytesMax else {
            throw MalformedInput(
                code: "too_large",
                message: "the envelope is \(bytes.count) bytes; the limit is \(BusLimits.eventBytesMax)")
        }
        var version: Int64?
        var source: String?
        var epoch: Int64?
        var seq: Int64?
        var timestamp: Int64?
        var type: String?
        var dataRange: Range<Int>?
        let failure: MalformedInput? = bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer)
            do {
                parser.skipWhitespace()
                guard parser.peek() == UInt8(ascii: "{") else {
                    return MalformedInput(code: "malformed_json", message: "the envelope is not a JSON object")
                }
                try ObjectScanner.scanKeys(&parser) { (key, parser) throws(JSONParseError) in
                    switch key {
                    case .v: version = try parser.parseValue(depth: 1).intValue
                    case .src: source = try parser.parseValue(depth: 1).stringValue
                    case .epoch: epoch = try parser.parseValue(depth: 1).intValue
                    case .seq: seq = try parser.parseValue(depth: 1).intValue
                    case .ts: timestamp = try parser.parseValue(depth: 1).intValue
                    case .type: type = try parser.parseValue(depth: 1).stringValue
                    case .data:
                        let start = try parser.skipValue(depth: 1)
                        dataRange = start..<parser.position
                    case .other: _ = try parser.skipValue(depth: 1)
                    }
                }
                parser.skipWhitespace()
                if parser.position != buffer.count {
                    return MalformedInput(code: "malformed_json", message: "unexpected text after the envelope object")
                }
                return nil
            } catch {
                return MalformedInput(code: "malformed_json", message: "the envelope is not valid JSON: \(error)")
            }
        }
        if let failure { throw failure }
        guard let version else { throw missing("v", "the protocol version, 1") }
        guard version == EventEnvelope.version else {
            throw MalformedInput(
                code: "unsupported_version",
                message: "envelope version \(version) is not supported; this build speaks version 1")
        }
        guard let source, !source.isEmpty else { throw missing("src", "the publishing service's name") }
        guard let epoch, epoch >= 0 else { throw missing("epoch", "a non-negative integer") }
        guard let seq, seq >= 0 else { throw missing("seq", "a non-negative integer") }
        guard let timestamp else { throw missing("ts", "microseconds since the Unix epoch") }
        guard let type, !type.isEmpty else { throw missing("type", "the event type, e.g. conversation.assigned") }
        guard let dataRange else { throw missing("data", "a JSON value") }
        return EventEnvelope(
            topic: topic, source: source, epoch: UInt64(epoch), seq: UInt64(seq), timestampMicroseconds: timestamp,
            type: type, envelopeBytes: bytes, dataRange: dataRange)
    }

    private static func missing(_ field: String, _ expected: String) -> MalformedInput {
        MalformedInput(
            code: "missing_field",
            message: "the envelope's \"\(field)\" is missing or of the wrong type; it must be \(expected)")
    }
}

/// The envelope's header keys, recognised from their bytes without building Strings.
enum EnvelopeKey {
    case v, src, epoch, seq, ts, type, data, other

    init(_ key: UnsafeBufferPointer<UInt8>) {
        func equals(_ literal: StaticString) -> Bool {
            literal.utf8CodeUnitCount == key.count
                && literal.withUTF8Buffer { expected in (0..<key.count).allSatisfy { key[$0] == expected[$0] } }
        }
        switch key.count {
        case 1 where key[0] == UInt8(ascii: "v"): self = .v
        case 2 where equals("ts"): self = .ts
        case 3 where equals("src"): self = .src
        case 3 where equals("seq"): self = .seq
        case 4 where equals("type"): self = .type
        case 4 where equals("data"): self = .data
        case 5 where equals("epoch"): self = .epoch
        default: self = .other
        }
    }
}

/// Walks the members of a JSON object, handing each key to a closure that must consume the value.
enum ObjectScanner {
    /// Like `scan`, for objects whose interesting keys are known ASCII words: a key with an
    /// escape is reported as `.other`.
    static func scanKeys(
        _ parser: inout JSONParser, member: (EnvelopeKey, inout JSONParser) throws(JSONParseError) -> Void
    ) throws(JSONParseError) {
        try scanMembers(
            &parser,
            key: { (parser: inout JSONParser) throws(JSONParseError) -> EnvelopeKey in
                let keyStart = parser.position + 1
                try parser.skipString()
                let key = parser.bytes(keyStart..<(parser.position - 1))
                return key.contains(UInt8(ascii: "\\")) ? EnvelopeKey.other : EnvelopeKey(key)
            }, member: member)
    }

    static func scan(
        _ parser: inout JSONParser, member: (String, inout JSONParser) throws(JSONParseError) -> Void
    ) throws(JSONParseError) {
        try scanMembers(
            &parser, key: { (parser: inout JSONParser) throws(JSONParseError) in try parser.parseString() },
            member: member)
    }

    /// The object walk both share; `key` reads a key string (the parser is on its opening quote).
    @inline(__always)
    private static func scanMembers<Key>(
        _ parser: inout JSONParser, key readKey: (inout JSONParser) throws(JSONParseError) -> Key,
        member: (Key, inout JSONParser) throws(JSONParseError) -> Void
    ) throws(JSONParseError) {
        parser.skipWhitespace()
        guard parser.peek() == UInt8(ascii: "{") else { throw parser.error("expected an object") }
        parser.position += 1
        parser.skipWhitespace()
        if parser.peek() == UInt8(ascii: "}") {
            parser.position += 1
            return
        }
        while true {
            parser.skipWhitespace()
            guard parser.peek() == UInt8(ascii: "\"") else { throw parser.error("expected a string key in an object") }
            let key = try readKey(&parser)
            parser.skipWhitespace()
            guard parser.peek() == UInt8(ascii: ":") else { throw parser.error("expected ':' after an object key") }
            parser.position += 1
            try member(key, &parser)
            parser.skipWhitespace()
            switch parser.peek() {
            case UInt8(ascii: ","): parser.position += 1
            case UInt8(ascii: "}"):
                parser.position += 1
                return
            default: throw parser.error("expected ',' or '}' in an object")
            }
        }
    }
}
