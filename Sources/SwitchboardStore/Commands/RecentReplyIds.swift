import Synchronization

/// Ids of replies saved inside committed transactions, with a hash of their bytes, until the
/// command server's `save` sees them (then they are dropped: nothing left to write). Bounded:
/// beyond `capacity` the oldest are forgotten, which only costs `save` an `INSERT OR IGNORE`.
final class RecentReplyIds: Sendable {
    private struct State {
        var hashes: [String: Int] = [:]
        var order: [String] = []
        var orderStart = 0
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    func remember(_ replies: [SavedReply]) {
        state.withLock { state in
            for reply in replies {
                state.hashes[reply.id] = reply.replyHash
                state.order.append(reply.id)
            }
            // Bound the order list itself, not only the map: ids taken by `take` stay in it.
            while state.order.count - state.orderStart > capacity {
                let oldest = state.order[state.orderStart]
                state.orderStart += 1
                // Ids are unique within the retention period (the table's key refuses a second
                // reply), so the oldest entry is this id's only one.
                state.hashes.removeValue(forKey: oldest)
            }
            if state.orderStart > 4_096 && state.orderStart * 2 > state.order.count {
                state.order.removeFirst(state.orderStart)
                state.orderStart = 0
            }
        }
    }

    /// Removes and returns the hash saved for `id`, if it is remembered.
    func take(_ id: String) -> Int? {
        state.withLock { $0.hashes.removeValue(forKey: id) }
    }

    var count: Int { state.withLock { $0.hashes.count } }
}
