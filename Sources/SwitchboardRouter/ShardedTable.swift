/// A dictionary split into a fixed number of smaller ones by the key's hash, so that a copy of it
/// shares each part until that part is written: the router's state is copied by every checkpoint
/// (a value copy, taken between two batches), and the loop's next write to a plain dictionary
/// copied the whole table (every open conversation's view) on the loop. Here it copies one part of
/// `shardCount` and the small array holding the parts.
public struct ShardedTable<Key: Hashable & Sendable, Value: Sendable>: Sendable, Sequence {
    /// Parts of the table; a write copies one (when shared) of this many.
    public static var shardCount: Int { 64 }

    private var shards: [[Key: Value]] = Array(repeating: [:], count: Self.shardCount)

    public init() {}

    private func shard(_ key: Key) -> Int {
        // The dictionary inside hashes again with its own seed; the parts only need to be even.
        Int(UInt(bitPattern: key.hashValue) % UInt(Self.shardCount))
    }

    public subscript(key: Key) -> Value? {
        get { shards[shard(key)][key] }
        // In place: a get and a set would copy the value (a transcript's messages) to change it.
        _modify { yield &shards[shard(key)][key] }
    }

    public subscript(key: Key, default defaultValue: @autoclosure () -> Value) -> Value {
        get { shards[shard(key)][key] ?? defaultValue() }
        _modify { yield &shards[shard(key)][key, default: defaultValue()] }
    }

    public var count: Int { shards.reduce(0) { $0 + $1.count } }
    public var isEmpty: Bool { shards.allSatisfy(\.isEmpty) }
    public var keys: [Key] { shards.flatMap(\.keys) }
    public var values: [Value] { shards.flatMap(\.values) }

    public func makeIterator() -> FlattenSequence<[[Key: Value]]>.Iterator {
        shards.joined().makeIterator()
    }
}
