import HeapModule

/// Timers of the simulation, on (due time, insertion order): timers due at the same moment
/// fire in the order they were set.
struct TimerQueue<Payload: Sendable>: Sendable {
    private struct Entry: Comparable, Sendable {
        var due: Double
        var order: UInt64
        var payload: Payload

        static func < (lhs: Entry, rhs: Entry) -> Bool { (lhs.due, lhs.order) < (rhs.due, rhs.order) }
        static func == (lhs: Entry, rhs: Entry) -> Bool { (lhs.due, lhs.order) == (rhs.due, rhs.order) }
    }

    private var heap = Heap<Entry>()
    private var nextOrder: UInt64 = 0

    var count: Int { heap.count }
    var isEmpty: Bool { heap.isEmpty }

    /// When the earliest timer is due.
    var nextDue: Double? { heap.min?.due }

    mutating func schedule(_ payload: Payload, at due: Double) {
        heap.insert(Entry(due: due, order: nextOrder, payload: payload))
        nextOrder += 1
    }

    /// Removes and returns the earliest timer if it is due by `now`.
    mutating func popDue(by now: Double) -> (due: Double, payload: Payload)? {
        guard let first = heap.min, first.due <= now else { return nil }
        _ = heap.removeMin()
        return (first.due, first.payload)
    }
}
