import Testing

@testable import SwitchboardRouting

/// The engine's ordered structures against plain models, over seeded random operations.
@Suite("Index structures")
struct IndexStructureTests {
    @Test("a waiting line keeps entries in key order through inserts and removals", arguments: [1, 2, 3] as [UInt64])
    func waitingLineMatchesSortedModel(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var line = WaitingLine()
        var model: [UInt64] = []
        var nextKey: UInt64 = 1_000_000
        for step in 0..<20_000 {
            let roll = random.int(in: 0...99)
            if roll < 45 {
                // Mostly new arrivals at the back, some re-queued ahead or in between.
                let key: UInt64
                if roll < 35 {
                    nextKey += UInt64(random.int(in: 1...3))
                    key = nextKey
                } else {
                    key = UInt64(random.int(in: 0...1_000_000)) * 2 + 1
                }
                guard !model.contains(key) else { continue }
                line.insert(WaitingEntry(key: key, slot: Int32(step)))
                model.insert(key, at: model.firstIndex { $0 > key } ?? model.count)
            } else if !model.isEmpty {
                let position: Int =
                    switch roll {
                    case 45..<70: 0
                    case 70..<80: model.count - 1
                    default: random.int(in: 0...(model.count - 1))
                    }
                let key = model.remove(at: position)
                let removed = line.remove(key: key)
                #expect(removed, "seed \(seed), step \(step): \(key) was not found")
            }
            let removedStranger = line.remove(key: 0)
            #expect(!removedStranger, "seed \(seed), step \(step): removed a key never inserted")
            guard line.count == model.count, line.first?.key == model.first,
                step % 500 != 0 || line.entries.map(\.key) == model
            else {
                Issue.record("seed \(seed), step \(step): line \(line.count) entries, model \(model.count)")
                return
            }
        }
        #expect(line.entries.map(\.key) == model, "seed \(seed)")
    }

    @Test("timers come out in deadline then scheduling order, lanes or not", arguments: [1, 2, 3] as [UInt64])
    func timerQueueMatchesOneHeap(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var queue = TimerQueue(laneCount: 6)
        var model = MinHeap<TimerEntry>()
        var order: UInt64 = 0
        var now: Int64 = 0
        for step in 0..<20_000 {
            if random.int(in: 0...99) < 55 {
                order += 1
                let lane = random.int(in: -1...6)
                // Usually a fixed delay per lane (in lane order), sometimes earlier than the lane's last.
                let delay = random.chance(0.85) ? Int64(1000 * (lane + 2)) : Int64(random.int(in: 0...9000))
                let entry = TimerEntry(
                    deadline: now + delay, order: order, kind: .ladderStep, slot: Int32(step), arrivalSequence: 0)
                queue.push(entry, lane: lane)
                model.push(entry)
            } else {
                now += Int64(random.int(in: 0...200))
                let expected = model.popMin()
                let popped = queue.popMin()
                guard popped == expected, queue.min == model.min else {
                    let wanted = String(describing: expected)
                    Issue.record("seed \(seed), step \(step): popped \(String(describing: popped)), expected \(wanted)")
                    return
                }
            }
        }
        while let expected = model.popMin() {
            let popped = queue.popMin()
            guard popped == expected else {
                Issue.record("seed \(seed): draining popped \(String(describing: popped)), expected \(expected)")
                return
            }
        }
        let leftOver = queue.popMin()
        #expect(leftOver == nil, "seed \(seed)")
    }

    @Test("a four-ary heap pops in order", arguments: [1, 2] as [UInt64])
    func heapPopsInOrder(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let values = (0..<5000).map { _ in random.int(in: 0...1000) }
        var heap = MinHeap<Int>()
        for value in values.prefix(2500) { heap.push(value) }
        var built = MinHeap(Array(values.suffix(2500)))
        var popped: [Int] = []
        while let value = heap.popMin() { popped.append(value) }
        while let value = built.popMin() { popped.append(value) }
        #expect(Array(popped.prefix(2500)) == values.prefix(2500).sorted(), "seed \(seed)")
        #expect(Array(popped.suffix(2500)) == values.suffix(2500).sorted(), "seed \(seed)")
    }
}
