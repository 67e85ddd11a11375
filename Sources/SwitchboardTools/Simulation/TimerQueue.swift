/// Timers of the simulation: a binary min-heap on (due time, insertion order), so timers due
/// at the same moment fire in the order they were set.
struct TimerQueue<Payload: Sendable>: Sendable {
    private struct Entry: Sendable {
        var due: Double
        var order: UInt64
        var payload: Payload

        func precedes(_ other: Entry) -> Bool {
            (due, order) < (other.due, other.order)
        }
    }

    private var heap: [Entry] = []
    private var nextOrder: UInt64 = 0

    var count: Int { heap.count }
    var isEmpty: Bool { heap.isEmpty }

    /// When the earliest timer is due.
    var nextDue: Double? { heap.first?.due }

    mutating func schedule(_ payload: Payload, at due: Double) {
        heap.append(Entry(due: due, order: nextOrder, payload: payload))
        nextOrder += 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest timer if it is due by `now`.
    mutating func popDue(by now: Double) -> (due: Double, payload: Payload)? {
        guard let first = heap.first, first.due <= now else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < heap.count && heap[left].precedes(heap[smallest]) { smallest = left }
                if right < heap.count && heap[right].precedes(heap[smallest]) { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return (first.due, first.payload)
    }
}
