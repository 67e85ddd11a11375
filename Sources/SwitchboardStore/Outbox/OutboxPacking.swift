import SwitchboardBus

/// The events of one transaction packed into one outbox row.
///
/// Why one row per transaction rather than one per event: inserting a row costs several
/// microseconds (statement, binding, B-tree, WAL pages), which made the outbox the largest
/// part of a command's commit; appending an event to a buffer costs a few hundred
/// nanoseconds. The row's key is the position of its last event, and its events have
/// consecutive positions from `first_position`, so the relay, the watermark and pruning still
/// work per event.
///
/// Layout, per event, little-endian: `seq` (u64), then `topic`, `type` and `data`, each as a
/// u32 byte count followed by the bytes. The family is the topic's first segment.
enum OutboxPacking {
    /// Appends one event to a packed buffer.
    static func append(seq: UInt64, topic: String, type: String, data: [UInt8], to buffer: inout [UInt8]) {
        appendInteger(seq, to: &buffer)
        appendField(topic.utf8, to: &buffer)
        appendField(type.utf8, to: &buffer)
        appendField(data, to: &buffer)
    }

    static func pack(_ events: [OutboxEvent]) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(events.reduce(0) { $0 + 20 + $1.topic.utf8.count + $1.type.utf8.count + $1.data.count })
        for event in events {
            append(seq: event.seq, topic: event.topic, type: event.type, data: event.data, to: &buffer)
        }
        return buffer
    }

    /// The events of a row; throws on a damaged row (it names the problem).
    static func unpack(_ bytes: [UInt8], firstPosition: UInt64, epoch: UInt64) throws(OutboxPackingError)
        -> [OutboxEvent]
    {
        var events: [OutboxEvent] = []
        var offset = 0
        var position = firstPosition
        while offset < bytes.count {
            let seq: UInt64 = try readInteger(bytes, &offset)
            let topic = try readString(bytes, &offset)
            let type = try readString(bytes, &offset)
            let length = Int(try readInteger(bytes, &offset) as UInt32)
            guard length <= bytes.count - offset else { throw OutboxPackingError(position: position) }
            let data = Array(bytes[offset..<(offset + length)])
            offset += length
            events.append(
                OutboxEvent(
                    position: position, epoch: epoch, family: String(Topic.family(of: topic)), seq: seq, topic: topic,
                    type: type, data: data))
            position += 1
        }
        return events
    }

    private static func appendInteger<Value: FixedWidthInteger>(_ value: Value, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    private static func appendField(_ bytes: some Collection<UInt8>, to buffer: inout [UInt8]) {
        appendInteger(UInt32(truncatingIfNeeded: bytes.count), to: &buffer)
        buffer.append(contentsOf: bytes)
    }

    private static func readInteger<Value: FixedWidthInteger>(_ bytes: [UInt8], _ offset: inout Int)
        throws(OutboxPackingError) -> Value
    {
        let size = MemoryLayout<Value>.size
        guard size <= bytes.count - offset else { throw OutboxPackingError(position: nil) }
        var value = Value.zero
        for index in 0..<size { value |= Value(bytes[offset + index]) << (8 * index) }
        offset += size
        return value
    }

    private static func readString(_ bytes: [UInt8], _ offset: inout Int) throws(OutboxPackingError) -> String {
        let length = Int(try readInteger(bytes, &offset) as UInt32)
        guard length <= bytes.count - offset else { throw OutboxPackingError(position: nil) }
        defer { offset += length }
        return String(decoding: bytes[offset..<(offset + length)], as: UTF8.self)
    }
}

/// An outbox row whose bytes do not decode (a damaged file).
struct OutboxPackingError: Error, CustomStringConvertible {
    let position: UInt64?
    var description: String {
        "an outbox row is damaged" + (position.map { " at event position \($0)" } ?? "")
    }
}
