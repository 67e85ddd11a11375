/// A min-heap (four children per node: half the depth of a binary heap, and the children
/// of a node share a cache line or two, which matters for heaps of a million timers). The
/// engine's indexes use it with lazy deletion: entries carry a version, and an entry whose
/// version is stale is skipped when it reaches the top. Elements are totally ordered, so
/// the order in which they come out does not depend on the heap's shape.
struct MinHeap<Element: Comparable & Sendable>: Sendable {
    private(set) var elements: [Element] = []

    init() {}

    /// Builds a heap from any order in O(n).
    init(_ unordered: [Element]) {
        elements = unordered
        guard elements.count > 1 else { return }
        for index in stride(from: (elements.count - 2) / Self.arity, through: 0, by: -1) { siftDown(from: index) }
    }

    static var arity: Int { 4 }

    var count: Int { elements.count }

    mutating func reserveCapacity(_ capacity: Int) { elements.reserveCapacity(capacity) }
    var isEmpty: Bool { elements.isEmpty }
    var min: Element? { elements.first }

    mutating func push(_ element: Element) {
        elements.append(element)
        siftUp(from: elements.count - 1)
    }

    @discardableResult
    mutating func popMin() -> Element? {
        guard let last = elements.popLast() else { return nil }
        guard !elements.isEmpty else { return last }
        let top = elements[0]
        elements[0] = last
        siftDown(from: 0)
        return top
    }

    private mutating func siftUp(from start: Int) {
        var child = start
        let moving = elements[child]
        while child > 0 {
            let parent = (child - 1) / Self.arity
            guard moving < elements[parent] else { break }
            elements[child] = elements[parent]
            child = parent
        }
        elements[child] = moving
    }

    private mutating func siftDown(from start: Int) {
        let count = elements.count
        var parent = start
        let moving = elements[parent]
        while true {
            let first = Self.arity * parent + 1
            guard first < count else { break }
            var child = first
            var candidate = first + 1
            let end = Swift.min(first + Self.arity, count)
            while candidate < end {
                if elements[candidate] < elements[child] { child = candidate }
                candidate += 1
            }
            guard elements[child] < moving else { break }
            elements[parent] = elements[child]
            parent = child
        }
        elements[parent] = moving
    }
}

extension Array where Element: BitwiseCopyable {
    /// `removeAll(keepingCapacity: true)` for the engine's scratch lists, which hold a few
    /// entries when they hold any: popping those is cheaper than the general replacement
    /// that `removeAll` runs even on an empty array.
    @inline(__always)
    mutating func emptyKeepingCapacity() {
        guard count <= 16 else {
            removeAll(keepingCapacity: true)
            return
        }
        while popLast() != nil {}
    }
}
