import DequeModule

/// The engine's timers, popped in (deadline, order) order, like one min-heap of them all.
///
/// Most timers of one kind and queue come due in the order they are scheduled (a ladder
/// step is the same delay after every arrival; an offer expires the same timeout after
/// every offer), so each (kind, queue, step) has a lane: a first-in first-out queue that a
/// timer joins at the back when it is not earlier than the lane's last one. Those cost O(1)
/// and touch memory in order, where a heap of a million timers misses the cache at every
/// level. A timer that would break its lane's order goes to an overflow heap; the earliest
/// timer is the earliest of the overflow heap and the lanes' fronts (kept in a small heap of
/// lanes), so the order in which timers come out is exactly that of a single heap.
struct TimerQueue: Sendable {
    private var overflow = MinHeap<TimerEntry>()
    private var lanes: [Deque<TimerEntry>]
    /// Non-empty lanes, as a binary min-heap ordered by each lane's first timer.
    private var laneHeap: [Int32] = []
    /// Where each lane sits in `laneHeap`, or -1.
    private var lanePosition: [Int32]

    init(laneCount: Int) {
        lanes = Array(repeating: Deque(), count: laneCount)
        lanePosition = Array(repeating: -1, count: laneCount)
    }

    /// The earliest timer.
    var min: TimerEntry? {
        guard let lane = laneHeap.first, let front = lanes[Int(lane)].first else { return overflow.min }
        guard let other = overflow.min else { return front }
        return other < front ? other : front
    }

    mutating func push(_ entry: TimerEntry, lane: Int) {
        guard lane >= 0, lane < lanes.count else {
            overflow.push(entry)
            return
        }
        if let last = lanes[lane].last, entry < last {
            overflow.push(entry)
            return
        }
        lanes[lane].append(entry)
        if lanes[lane].count == 1 { insertLane(lane) }
    }

    @discardableResult
    mutating func popMin() -> TimerEntry? {
        guard let lane = laneHeap.first, let front = lanes[Int(lane)].first else { return overflow.popMin() }
        if let other = overflow.min, other < front { return overflow.popMin() }
        lanes[Int(lane)].removeFirst()
        if lanes[Int(lane)].isEmpty {
            removeTopLane()
        } else {
            siftLaneDown(from: 0)
        }
        return front
    }

    // MARK: Heap of lanes

    private func laneComesFirst(_ lhs: Int32, _ rhs: Int32) -> Bool {
        guard let left = lanes[Int(lhs)].first else { return false }
        guard let right = lanes[Int(rhs)].first else { return true }
        return left < right
    }

    private mutating func insertLane(_ lane: Int) {
        laneHeap.append(Int32(lane))
        lanePosition[lane] = Int32(laneHeap.count - 1)
        siftLaneUp(from: laneHeap.count - 1)
    }

    private mutating func removeTopLane() {
        let top = Int(laneHeap[0])
        lanePosition[top] = -1
        let last = laneHeap.removeLast()
        guard !laneHeap.isEmpty else { return }
        laneHeap[0] = last
        lanePosition[Int(last)] = 0
        siftLaneDown(from: 0)
    }

    private mutating func siftLaneUp(from start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard laneComesFirst(laneHeap[child], laneHeap[parent]) else { break }
            swapLanes(child, parent)
            child = parent
        }
    }

    private mutating func siftLaneDown(from start: Int) {
        var parent = start
        while true {
            var child = 2 * parent + 1
            guard child < laneHeap.count else { break }
            if child + 1 < laneHeap.count, laneComesFirst(laneHeap[child + 1], laneHeap[child]) { child += 1 }
            guard laneComesFirst(laneHeap[child], laneHeap[parent]) else { break }
            swapLanes(child, parent)
            parent = child
        }
    }

    private mutating func swapLanes(_ first: Int, _ second: Int) {
        laneHeap.swapAt(first, second)
        lanePosition[Int(laneHeap[first])] = Int32(first)
        lanePosition[Int(laneHeap[second])] = Int32(second)
    }
}
