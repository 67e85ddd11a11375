/// One keyed piece of an authority's state, as the snapshot endpoint sends it:
/// `item` + `{"key":"conv.c-1","value":{…}}`. Keys are `family.id`.
public struct SnapshotItem: Sendable, Equatable {
    public let key: String
    /// The value's JSON bytes (kept encoded: snapshots can be large).
    public let valueBytes: [UInt8]

    public init(key: String, value: JSON) {
        self.key = key
        self.valueBytes = value.bytes
    }

    public init(key: String, valueBytes: [UInt8]) {
        self.key = key
        self.valueBytes = valueBytes
    }

    public func value() throws(JSONParseError) -> JSON {
        try JSONParser.parse(valueBytes)
    }

    /// True when the item belongs under `prefix`: a key prefix (`conv.c-1`) or a topic-style
    /// prefix with a trailing dot (`conv.c-1.` matches the key `conv.c-1`).
    public func matches(prefix: String?) -> Bool {
        guard let prefix, !prefix.isEmpty else { return true }
        return key.hasPrefix(prefix) || (key + ".").hasPrefix(prefix)
    }
}

/// A consistent picture of an authority's state: the items and the sequences they reflect,
/// taken in one step by the single writer of that state.
public struct Snapshot: Sendable {
    public var items: [SnapshotItem]
    public var epoch: UInt64
    /// The last seq of every family published when the items were taken.
    public var sequences: [String: UInt64]

    public init(items: [SnapshotItem], epoch: UInt64, sequences: [String: UInt64]) {
        self.items = items
        self.epoch = epoch
        self.sequences = sequences
    }
}

/// The closing message of a snapshot reply:
/// `end` + `{"src":…,"epoch":…,"seq":…,"seqs":{…},"count":…}`.
public struct SnapshotEnd: Sendable, Equatable {
    public var source: String
    public var epoch: UInt64
    /// The seq of the requested prefix's family (0 when no prefix was given).
    public var seq: UInt64
    public var sequences: [String: UInt64]
    /// How many items preceded this message: a client that counted fewer lost some.
    public var count: Int

    public init(source: String, epoch: UInt64, seq: UInt64, sequences: [String: UInt64], count: Int) {
        self.source = source
        self.epoch = epoch
        self.seq = seq
        self.sequences = sequences
        self.count = count
    }

    public var json: JSON {
        var seqs = JSONObject()
        for (family, value) in sequences.sorted(by: { $0.key < $1.key }) { seqs[family] = .number(value) }
        return [
            "src": .string(source), "epoch": .number(epoch), "seq": .number(seq), "seqs": .object(seqs),
            "count": .number(count),
        ]
    }

    public init(json: JSON) throws(MalformedInput) {
        guard let source = json["src"]?.stringValue, let epoch = json["epoch"]?.intValue, epoch >= 0,
            let seq = json["seq"]?.intValue, seq >= 0, let count = json["count"]?.intValue, count >= 0,
            let seqs = json["seqs"]?.objectValue
        else {
            throw MalformedInput(
                code: "bad_snapshot_end", message: "a snapshot's end message needs src, epoch, seq, seqs and count")
        }
        var sequences: [String: UInt64] = [:]
        for member in seqs {
            guard let value = member.value.intValue, value >= 0 else {
                throw MalformedInput(
                    code: "bad_snapshot_end", message: "seqs.\(member.key) is not a non-negative integer")
            }
            sequences[member.key] = UInt64(value)
        }
        self.init(source: source, epoch: UInt64(epoch), seq: UInt64(seq), sequences: sequences, count: Int(count))
    }
}

/// Provides snapshots. The authority implements it so that the items and the sequences come
/// from one isolated step of the single writer (the items must reflect exactly those seqs).
/// A source that cannot read its state now throws: the client is told to ask again later.
public protocol SnapshotSource: Sendable {
    func snapshot(prefix: String?) async throws -> Snapshot
}
