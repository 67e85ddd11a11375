import DequeModule

/// One waiting conversation in a line: its order key and its slot in the engine.
struct WaitingEntry: Sendable, Equatable {
    var key: UInt64
    var slot: Int32
    /// Whether some agents may never get it (they declined it or let the offer expire). A
    /// conversation's exclusions do not change while it waits, so a freed agent looking
    /// down a line reads this instead of the conversation's record.
    var hasExclusions = false
}

/// Conversations in service order (lowest key first), as sorted chunks.
///
/// New arrivals append at the back and the oldest leave from the front, both O(1); the
/// few that return to their old place (a declined offer) or jump ahead (re-queued after
/// an agent left) cost a binary search and a move within one chunk of at most
/// `2 * chunkSize` entries.
struct WaitingLine: Sendable {
    private(set) var chunks: [Deque<WaitingEntry>] = []
    /// The last key of each chunk, side by side, so that finding a chunk reads one array
    /// instead of one chunk object per probe.
    private var lastKeys: [UInt64] = []
    private(set) var count = 0
    /// The first entry, kept beside the chunks: freed agents read the front of many lines.
    private(set) var first: WaitingEntry?
    static let chunkSize = 256

    var isEmpty: Bool { count == 0 }

    /// Order key: conversations re-queued ahead of new work first, then by arrival.
    @inline(__always)
    static func key(arrivalSequence: UInt64, aheadOfNewWork: Bool) -> UInt64 {
        (aheadOfNewWork ? 0 : 1 << 62) | (arrivalSequence & ((1 << 62) - 1))
    }

    mutating func insert(_ entry: WaitingEntry) {
        // Keys are distinct, so the first entry changes only when the new one goes before it.
        if first.map({ entry.key < $0.key }) ?? true { first = entry }
        count += 1
        guard let lastKey = lastKeys.last else {
            chunks.append([entry])
            lastKeys.append(entry.key)
            return
        }
        let lastChunk = chunks.count - 1
        if entry.key > lastKey {
            if chunks[lastChunk].count >= Self.chunkSize {
                chunks.append([entry])
                lastKeys.append(entry.key)
            } else {
                chunks[lastChunk].append(entry)
                lastKeys[lastChunk] = entry.key
            }
            return
        }
        // Below the chunk's last key, so that key stays its last.
        let chunk = chunkIndex(for: entry.key)
        let position = Self.position(of: entry.key, in: chunks[chunk])
        chunks[chunk].insert(entry, at: position)
        if chunks[chunk].count > 2 * Self.chunkSize {
            let upper = Deque(chunks[chunk][Self.chunkSize...])
            chunks[chunk].removeLast(chunks[chunk].count - Self.chunkSize)
            chunks.insert(upper, at: chunk + 1)
            lastKeys.insert(lastKeys[chunk], at: chunk + 1)
            lastKeys[chunk] = chunks[chunk][Self.chunkSize - 1].key
        }
    }

    /// Removes the entry with `key`; false when it is not in the line.
    @discardableResult
    mutating func remove(key: UInt64) -> Bool {
        guard !chunks.isEmpty else { return false }
        // Most removals take the oldest (served first) or the newest (just placed): no search.
        if first?.key == key {
            chunks[0].removeFirst()
            if chunks[0].isEmpty {
                chunks.removeFirst()
                lastKeys.removeFirst()
            }
            count -= 1
            first = chunks.first?.first
            return true
        }
        // Any other entry is behind the first one, which stays first.
        let chunk = lastKeys.last == key ? chunks.count - 1 : chunkIndex(for: key)
        guard chunk < chunks.count else { return false }
        let position = Self.position(of: key, in: chunks[chunk])
        guard position < chunks[chunk].count, chunks[chunk][position].key == key else { return false }
        chunks[chunk].remove(at: position)
        if let last = chunks[chunk].last {
            lastKeys[chunk] = last.key
        } else {
            chunks.remove(at: chunk)
            lastKeys.remove(at: chunk)
        }
        count -= 1
        return true
    }

    /// The first entry, in order, for which `accept` is true, looking at no more than
    /// `limit` entries.
    func first(limit: Int, where accept: (WaitingEntry) -> Bool) -> WaitingEntry? {
        var seen = 0
        for chunk in chunks {
            for entry in chunk {
                if accept(entry) { return entry }
                seen += 1
                if seen >= limit { return nil }
            }
        }
        return nil
    }

    /// Every entry in order (snapshots and checks, not the hot path).
    var entries: [WaitingEntry] { chunks.flatMap { Array($0) } }

    /// The first chunk whose last key is at least `key` (or the last chunk).
    private func chunkIndex(for key: UInt64) -> Int {
        var low = 0
        var high = lastKeys.count - 1
        while low < high {
            let middle = (low + high) / 2
            if lastKeys[middle] < key {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }

    private static func position(of key: UInt64, in chunk: Deque<WaitingEntry>) -> Int {
        var low = 0
        var high = chunk.count
        while low < high {
            let middle = (low + high) / 2
            if chunk[middle].key < key { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
