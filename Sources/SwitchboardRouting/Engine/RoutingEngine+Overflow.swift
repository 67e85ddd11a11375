// Overflow routing: past its `overflow` limits a queue that names `overflow.to` passes work
// on, instead of only alerting supervisors.
extension RoutingEngine {
    /// The queue work leaving `queue` goes to now, or nil when it names none or that queue is
    /// closed and refuses work (then the work stays and the queue alerts as without `to`).
    func overflowTarget(of queue: Int32) -> Int32? {
        guard let target = queues[Int(queue)].overflowTarget, let slot = queueSlots[target] else { return nil }
        // A closed target passes the work on as it would new work (its hours' rule).
        return try? openQueue(from: slot)
    }

    /// Why new work of `queue` goes past it now: `maxWaiting` conversations already wait
    /// there (`counted` of them are the newcomer itself) and it has somewhere to send it.
    func arrivalOverflowCause(_ queue: Int32, counted: Int) -> OverflowMove.Cause? {
        guard let most = queues[Int(queue)].maxWaiting, queues[Int(queue)].waiting - counted >= most,
            overflowTarget(of: queue) != nil
        else { return nil }
        return .queueFull(maxWaiting: most)
    }

    /// Moves a waiting conversation to its queue's overflow queue, on along the chain while
    /// each next queue is full too, and decides it where it stops. It keeps its arrival
    /// sequence (its place by arrival), priority and extra skills; its wait in the new queue
    /// starts now. Returns false, having changed nothing, when the queue has no target.
    @discardableResult
    mutating func moveToOverflow(_ slot: Int32, cause: OverflowMove.Cause) -> Bool {
        let index = Int(slot)
        var cause = cause
        var hops = 0
        // Bounded: the configuration allows no cycle of overflow targets, and this never takes
        // more hops than there are queues.
        while hops < queues.count {
            let from = conversations[index].queue
            guard let target = overflowTarget(of: from),
                let bucket = try? bucket(
                    queue: target, priority: conversations[index].priority,
                    extraSkills: conversations[index].extraSkills)
            else { break }
            stopWaiting(slot)
            conversations[index].queue = target
            conversations[index].bucket = bucket
            conversations[index].waitingSince = nowMilliseconds
            conversations[index].holdExpired = false
            startWaiting(slot)
            hops += 1
            let move = OverflowMove(fromQueue: queues[Int(from)].id, cause: cause)
            if hops < queues.count, let next = arrivalOverflowCause(target, counted: 1) {
                announceWaiting(slot, .overflowed(move))
                cause = next
                continue
            }
            decide(slot, announce: .overflowed(move))
            return true
        }
        guard hops > 0 else { return false }
        // Announced at the last hop already; it waits where the chain stopped.
        decide(slot, announce: .none)
        return true
    }

    /// A conversation past its queue's wait limit moves on; one held for its sticky owner
    /// stays (the queue alerts) until the hold ends.
    mutating func waitLimitPassed(_ slot: Int32) {
        let queue = Int(conversations[Int(slot)].queue)
        if !isHeld(Int(slot)), let seconds = queues[queue].configuration.overflow.maxWaitSeconds,
            moveToOverflow(slot, cause: .waitedLongerThan(seconds: seconds))
        {
            return
        }
        markOverdue(slot)
    }

    /// Decides a conversation whose hold just ended, unless it is past its queue's wait limit
    /// and moves on instead.
    mutating func decideOrOverflow(_ slot: Int32, announce: Announcement) {
        let queue = Int(conversations[Int(slot)].queue)
        if conversations[Int(slot)].overdue, !isHeld(Int(slot)),
            let seconds = queues[queue].configuration.overflow.maxWaitSeconds,
            moveToOverflow(slot, cause: .waitedLongerThan(seconds: seconds))
        {
            return
        }
        decide(slot, announce: announce)
    }
}
