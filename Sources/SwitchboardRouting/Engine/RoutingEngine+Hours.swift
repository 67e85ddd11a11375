// Business hours at the instant a queue closes: the conversations waiting in it follow the
// queue's closed rule, as new work would (refused, kept, or sent on).
extension RoutingEngine {
    /// Sets each queue's next closing after `milliseconds` from its calendar, and the earliest.
    mutating func scheduleClosings(after milliseconds: Int64) {
        for index in queues.indices {
            queues[index].closesAtMilliseconds = nextClosing(of: index, after: milliseconds)
        }
        nextClosingMilliseconds = queues.map(\.closesAtMilliseconds).min() ?? .max
    }

    func nextClosing(of queue: Int, after milliseconds: Int64) -> Int64 {
        guard let hours = queues[queue].configuration.hours,
            let closing = hours.calendar.nextClosing(after: instant(milliseconds))
        else { return .max }
        return closing.millisecondsSinceEpoch
    }

    /// Every queue that closes at `milliseconds` deals with its waiting work by its rule, in
    /// queue order, each queue's conversations oldest first. Offered, assigned and wrap-up
    /// work is not touched: an agent who has it finishes it.
    mutating func closeQueues(at milliseconds: Int64) {
        nowMilliseconds = max(nowMilliseconds, milliseconds)
        var closing: [Int32] = []
        for index in queues.indices where queues[index].closesAtMilliseconds <= milliseconds {
            // Strictly later, so each closing happens once.
            queues[index].closesAtMilliseconds = nextClosing(of: index, after: milliseconds)
            closing.append(Int32(index))
        }
        nextClosingMilliseconds = queues.map(\.closesAtMilliseconds).min() ?? .max
        for queue in closing {
            guard let hours = queues[Int(queue)].configuration.hours, queues[Int(queue)].waiting > 0 else { continue }
            // A closing is rare (once a day per queue), so one pass over the open conversations
            // costs less than an index of waiting work per queue kept up at every step.
            var waiting: [Int32] = []
            for (index, record) in conversations.enumerated()
            where !record.isFree && record.state == .queued && record.queue == queue {
                waiting.append(Int32(index))
            }
            waiting.sort { arrivalOrder($0, $1) }
            switch hours.closedRule {
            case .hold:
                continue
            case .refuse:
                let opensAt = hours.calendar.nextOpening(after: now)
                for slot in waiting { turnAway(slot, opensAt: opensAt) }
            case .overflow(let target):
                for slot in waiting where isWaiting(slot) && conversations[Int(slot)].queue == queue {
                    moveAtClosing(slot, to: target)
                }
            }
        }
        releasePendingHolds()
        finishStep()
    }

    /// Ends a waiting conversation because its queue closed and refuses work outside its hours.
    mutating func turnAway(_ slot: Int32, opensAt: RoutingInstant?) {
        let index = Int(slot)
        let record = conversations[index]
        let queue = Int(record.queue)
        stopWaiting(slot)
        queues[queue].abandoned += 1
        emit(
            .turnedAway(
                record.id, queue: queues[queue].id, waitedSeconds: seconds(nowMilliseconds - record.waitingSince),
                opensAt: opensAt))
        freeConversation(slot)
    }

    /// Moves a waiting conversation of a closing queue to the queue its closed rule names (on
    /// by that queue's own rule while it is closed too), keeping its arrival sequence and
    /// priority; its wait there starts now. Where every queue along the way refuses work, it
    /// stays where it is, for the agents who serve that queue when they come.
    mutating func moveAtClosing(_ slot: Int32, to targetID: QueueID) {
        let index = Int(slot)
        let from = conversations[index].queue
        guard let requested = queueSlots[targetID], let target = try? openQueue(from: requested), target != from,
            let bucket = try? bucket(
                queue: target, priority: conversations[index].priority, extraSkills: conversations[index].extraSkills)
        else { return }
        stopWaiting(slot)
        conversations[index].queue = target
        conversations[index].bucket = bucket
        conversations[index].waitingSince = nowMilliseconds
        conversations[index].holdExpired = false
        startWaiting(slot)
        decide(slot, announce: .overflowed(OverflowMove(fromQueue: queues[Int(from)].id, cause: .queueClosed)))
    }
}
