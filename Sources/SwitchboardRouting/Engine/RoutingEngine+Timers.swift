// Deadlines: each fires at its own instant, in order, when the shell passes a later `now`.
extension RoutingEngine {
    mutating func fireTimers(upTo limit: Int64) {
        // Queue closings take their turn among the timers, by instant (a closing first when
        // both are due at once: what it moves or ends has no timers left to fire).
        while true {
            let closing = nextClosingMilliseconds
            let timer = timers.min?.deadline ?? .max
            guard min(closing, timer) <= limit else { return }
            if closing <= timer {
                closeQueues(at: closing)
            } else {
                fireTimers(dueAt: timer)
            }
        }
    }

    /// Fires every timer due at `deadline`, the earliest in the heap.
    private mutating func fireTimers(dueAt deadline: Int64) {
        // Everything due at one instant happens together: conversations reaching a ladder
        // step (or the end of a hold) leave their lines first, then are decided oldest
        // first, so that an agent never takes a younger one whose step came due a moment
        // "earlier". Deciding reads no line, so they need not visit their new lines first.
        // Scratch buffers kept between calls, so that firing allocates nothing.
        var due = dueTimers
        var stepped = steppedSlots
        dueTimers = []
        steppedSlots = []
        defer {
            due.emptyKeepingCapacity()
            stepped.emptyKeepingCapacity()
            dueTimers = due
            steppedSlots = stepped
        }
        while let next = timers.min, next.deadline == deadline {
            timers.popMin()
            forgetLadderTimer(next)
            if isValid(next) { due.append(next) }
        }
        guard !due.isEmpty else { return }
        nowMilliseconds = max(nowMilliseconds, deadline)
        // A conversation may have two timers of one kind due at once (held, then transferred
        // back to its queue in the same instant holds again until the same deadline): the
        // second finds it out of its line or hold already, and must not decide it twice.
        for timer in due where timer.kind == .ladderStep && conversations[Int(timer.slot)].line >= 0 {
            removeFromLine(timer.slot)
            stepped.append(timer.slot)
        }
        for timer in due where timer.kind == .holdExpiry && isHeld(Int(timer.slot)) {
            let slot = timer.slot
            conversations[Int(slot)].heldMilliseconds =
                nowMilliseconds - conversations[Int(slot)].heldSinceMilliseconds
            removeHold(slot)
            conversations[Int(slot)].holdExpired = true
            emit(.queued(queuedFacts(slot)))
            stepped.append(slot)
        }
        if stepped.count > 1 {
            stepped.sort {
                (-conversations[Int($0)].priority, lineKey(Int($0)))
                    < (-conversations[Int($1)].priority, lineKey(Int($1)))
            }
        }
        for slot in stepped where isWaiting(Int(slot)) {
            // A wider step may now let the owner (rule 1) or more agents take it; a hold
            // that ended past the wait limit moves it to the overflow queue.
            decideOrOverflow(slot, announce: .none)
        }
        for timer in due where timer.kind != .ladderStep && timer.kind != .holdExpiry && isValid(timer) {
            fire(timer)
        }
        releasePendingHolds()
        finishStep()
    }

    mutating func dropStaleTimers() {
        while let top = timers.min, !isValid(top) {
            timers.popMin()
            forgetLadderTimer(top)
        }
    }

    /// A ladder timer left the heap: the wait it belonged to no longer has one scheduled.
    mutating func forgetLadderTimer(_ timer: TimerEntry) {
        guard timer.kind == .ladderStep else { return }
        let slot = Int(timer.slot)
        guard slot < conversations.count, conversations[slot].arrivalSequence == timer.arrivalSequence,
            conversations[slot].ladderTimerAt == timer.deadline
        else { return }
        conversations[slot].ladderTimerAt = 0
    }

    mutating func isValid(_ timer: TimerEntry) -> Bool {
        let slot = Int(timer.slot)
        guard slot < conversations.count else { return false }
        guard !conversations[slot].isFree, conversations[slot].arrivalSequence == timer.arrivalSequence else {
            return false
        }
        let state = conversations[slot].state
        switch timer.kind {
        case .ladderStep:
            return state == .queued && conversations[slot].line >= 0
                && conversations[slot].nextLadderAt == timer.deadline
        case .holdExpiry:
            return state == .queued && isHeld(slot) && conversations[slot].holdUntil == timer.deadline
        case .offerExpiry: return state == .offered && conversations[slot].offerExpiresAt == timer.deadline
        case .wrapUpTimeout: return state == .wrapUp && conversations[slot].wrapUpEndsAt == timer.deadline
        case .offlineGrace: return state == .assigned && conversations[slot].graceEndsAt == timer.deadline
        case .waitLimit:
            return state == .queued && !conversations[slot].overdue && conversations[slot].waitLimitAt == timer.deadline
        }
    }

    mutating func fire(_ timer: TimerEntry) {
        let slot = timer.slot
        switch timer.kind {
        case .ladderStep, .holdExpiry:
            // Handled together with everything else due at the same instant (`fireTimers`).
            break
        case .offerExpiry:
            expireOffer(slot)
        case .wrapUpTimeout:
            finishWrapUp(slot, disposition: nil, timedOut: true, refill: true)
        case .offlineGrace:
            requeueFromAgent(slot, reason: .agentOffline)
        case .waitLimit:
            waitLimitPassed(slot)
        }
    }

    /// No answer: the offer goes to the next agent, never back to this one; enough misses in
    /// a row take the agent out of routing (the shell asks presence to set them Away).
    mutating func expireOffer(_ slot: Int32) {
        let index = Int(slot)
        let agentSlot = conversations[index].agent
        let agentID = agents[Int(agentSlot)].profile.id
        agents[Int(agentSlot)].missedOffersInARow += 1
        let missed = agents[Int(agentSlot)].missedOffersInARow
        conversations[index].excluded.append(agentSlot)
        releaseFromAgent(slot)
        emit(.offerExpired(conversations[index].id, agent: agentID, missedInARow: missed))
        let limit = queues[Int(conversations[index].queue)].configuration.offer.missedOffersBeforeAway
        let setAway = limit > 0 && missed >= limit && isAvailable(agent: Int(agentSlot))
        if setAway {
            adjustSkillCounts(agentSlot, by: -1)
            let reason = "Missed \(missed) offers in a row"
            agents[Int(agentSlot)].awayReason = reason
            agentHot[Int(agentSlot)].isSetAway = true
            refreshAgent(agentSlot)
            emit(.agentSetAway(agentID, reason: reason))
            markLoadChanged(agentSlot)
        }
        startWaiting(slot)
        decide(slot, announce: .requeued(.offerExpired, previousAgent: agentID))
        if setAway {
            // Offers still open to them would only expire too: give them to someone who answers.
            let open = agents[Int(agentSlot)].work.filter { conversations[Int($0)].state == .offered }
            for work in open.sorted(by: { arrivalOrder($0, $1) }) { requeueFromAgent(work, reason: .agentSetAway) }
        } else {
            fillAgent(agentSlot)
        }
    }
}
