import SwitchboardRouting

/// Something that happens to the simulated contact centre at an instant: the next customer
/// arrives, or an agent finishes a conversation.
struct SimulationEvent: Sendable {
    enum Kind: Sendable {
        case arrival
        case completion(ConversationID)
    }

    var timeMilliseconds: Int64
    /// Breaks ties between events of one millisecond: first scheduled, first handled.
    var order: UInt64
    var kind: Kind

    func precedes(_ other: SimulationEvent) -> Bool {
        timeMilliseconds != other.timeMilliseconds ? timeMilliseconds < other.timeMilliseconds : order < other.order
    }
}

/// The pending events, earliest first (a binary heap).
struct SimulationEventQueue: Sendable {
    private var heap: [SimulationEvent] = []
    private var nextOrder: UInt64 = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    var first: SimulationEvent? { heap.first }

    mutating func schedule(_ kind: SimulationEvent.Kind, atMilliseconds timeMilliseconds: Int64) {
        heap.append(SimulationEvent(timeMilliseconds: timeMilliseconds, order: nextOrder, kind: kind))
        nextOrder += 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popFirst() -> SimulationEvent? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let first = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].precedes(heap[smallest]) { smallest = left }
            if right < heap.count, heap[right].precedes(heap[smallest]) { smallest = right }
            if smallest == parent { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }
}
