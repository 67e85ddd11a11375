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
    /// Non-empty lanes, as a binary min-heap ordered by each lane's first timer, whose
    /// (deadline, order) each heap slot carries: comparing two lanes reads this array only,
    /// not two lanes' storage.
    private var laneHeap: [LaneFront] = []

    /// A lane in `laneHeap`, with the order key of its first timer.
    private struct LaneFront: Sendable {
        var deadline: Int64
        var order: UInt64
        var lane: Int32

        @inline(__always)
        static func comesFirst(_ lhs: LaneFront, _ rhs: LaneFront) -> Bool {
            lhs.deadline != rhs.deadline ? lhs.deadline < rhs.deadline : lhs.order < rhs.order
        }

        /// Whether a timer comes before a lane's first one (`TimerEntry`'s order).
        @inline(__always)
        static func isBefore(_ entry: TimerEntry, _ front: LaneFront) -> Bool {
            entry.deadline != front.deadline ? entry.deadline < front.deadline : entry.order < front.order
        }
    }

    init(laneCount: Int) {
        lanes = Array(repeating: Deque(), count: laneCount)
    }

    /// The earliest timer.
    var min: TimerEntry? {
        guard let top = laneHeap.first, let front = lanes[Int(top.lane)].first else { return overflow.min }
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
        if lanes[lane].count == 1 { insertLane(lane, front: entry) }
    }

    @discardableResult
    mutating func popMin() -> TimerEntry? {
        guard let top = laneHeap.first else { return overflow.popMin() }
        let lane = Int(top.lane)
        if let other = overflow.min, LaneFront.isBefore(other, top) { return overflow.popMin() }
        let front = lanes[lane].removeFirst()
        if let next = lanes[lane].first {
            laneHeap[0].deadline = next.deadline
            laneHeap[0].order = next.order
            siftLaneDown(from: 0)
        } else {
            removeTopLane()
        }
        return front
    }

    // MARK: Heap of lanes

    private mutating func insertLane(_ lane: Int, front: TimerEntry) {
        laneHeap.append(LaneFront(deadline: front.deadline, order: front.order, lane: Int32(lane)))
        siftLaneUp(from: laneHeap.count - 1)
    }

    private mutating func removeTopLane() {
        let last = laneHeap.removeLast()
        guard !laneHeap.isEmpty else { return }
        laneHeap[0] = last
        siftLaneDown(from: 0)
    }

    private mutating func siftLaneUp(from start: Int) {
        var child = start
        let moving = laneHeap[child]
        while child > 0 {
            let parent = (child - 1) / 2
            guard LaneFront.comesFirst(moving, laneHeap[parent]) else { break }
            laneHeap[child] = laneHeap[parent]
            child = parent
        }
        laneHeap[child] = moving
    }

    private mutating func siftLaneDown(from start: Int) {
        let count = laneHeap.count
        var parent = start
        let moving = laneHeap[parent]
        while true {
            var child = 2 * parent + 1
            guard child < count else { break }
            if child + 1 < count, LaneFront.comesFirst(laneHeap[child + 1], laneHeap[child]) { child += 1 }
            guard LaneFront.comesFirst(laneHeap[child], moving) else { break }
            laneHeap[parent] = laneHeap[child]
            parent = child
        }
        laneHeap[parent] = moving
    }
}
