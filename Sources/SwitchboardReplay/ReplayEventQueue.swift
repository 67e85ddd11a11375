import SwitchboardRouter
import SwitchboardRouting

/// An input the what-if run makes from a model (an abandon, an accept, a close, the end of
/// wrap-up), due at `at`. It is applied only if its conversation has not changed since it was
/// made (`generation`): a later change makes a new one.
struct GeneratedInput {
    var at: RoutingInstant
    var order: UInt64
    var input: RouterInput
    var conversation: ConversationID
    var generation: Int
}

/// The generated inputs by time, then by the order they were made (a binary heap).
struct ReplayEventQueue {
    private var heap: [GeneratedInput] = []
    private var made: UInt64 = 0

    var first: GeneratedInput? { heap.first }

    mutating func push(
        _ input: RouterInput, at: RoutingInstant, conversation: ConversationID, generation: Int
    ) {
        made += 1
        heap.append(
            GeneratedInput(at: at, order: made, input: input, conversation: conversation, generation: generation))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> GeneratedInput? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, Self.before(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count, Self.before(heap[right], heap[smallest]) { smallest = right }
            guard smallest != parent else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }

    private static func before(_ a: GeneratedInput, _ b: GeneratedInput) -> Bool {
        (a.at, a.order) < (b.at, b.order)
    }
}
