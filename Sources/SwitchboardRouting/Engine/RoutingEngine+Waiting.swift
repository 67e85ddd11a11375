// Waiting work: buckets, ladder lines, holds, the customer's waiting list and the
// owner's list of waiting conversations of their customers.
extension RoutingEngine {
    /// The bucket for a queue, priority and extra skills (validated against the catalog).
    mutating func bucket(queue: Int32, priority: Int, extraSkills: [SkillRequirement]) throws(RoutingError) -> Int32 {
        // Most conversations name at most two extra skills: remember where those go, so that
        // an arrival costs one lookup instead of building and interning its requirement set.
        var shortcut: BucketShortcut?
        if extraSkills.count <= 2 {
            var key = BucketShortcut(queue: queue, priority: priority)
            for (position, requirement) in extraSkills.enumerated() {
                guard let skill = skillSlots[requirement.skill] else {
                    throw .unknownSkill(requirement.skill, context: "conversation metadata")
                }
                guard SkillLevel.range.contains(requirement.minimumLevel) else {
                    throw .invalidValue(
                        "skill \(requirement.skill) minimumLevel \(requirement.minimumLevel) must be 1 to 5")
                }
                let need = Int64(skill) << 8 | Int64(requirement.minimumLevel)
                if position == 0 { key.firstExtra = need } else { key.secondExtra = need }
            }
            if let id = bucketShortcuts[key] { return id }
            shortcut = key
        }
        var pairs = queues[Int(queue)].requiredNeeds.map { ($0.skill, Int($0.level)) }
        for requirement in extraSkills {
            guard let skill = skillSlots[requirement.skill] else {
                throw .unknownSkill(requirement.skill, context: "conversation metadata")
            }
            guard SkillLevel.range.contains(requirement.minimumLevel) else {
                throw .invalidValue(
                    "skill \(requirement.skill) minimumLevel \(requirement.minimumLevel) must be 1 to 5")
            }
            pairs.append((skill, requirement.minimumLevel))
        }
        let id = bucket(queue: queue, priority: priority, pairs: pairs, extraSkills: extraSkills.count)
        if let shortcut { bucketShortcuts[shortcut] = id }
        return id
    }

    /// The bucket for validated (skill slot, level) pairs.
    private mutating func bucket(queue: Int32, priority: Int, pairs: [(Int32, Int)], extraSkills: Int) -> Int32 {
        let needs = extraSkills == 0 ? queues[Int(queue)].requiredNeeds : Self.merge(pairs)
        let requirement = internRequirement(needs)
        let key = BucketKey(queue: queue, priority: priority, requirement: requirement)
        if let id = bucketIDs[key] { return id }
        var stepRequirements: [Int32] = []
        var stepIndexes: [Int32] = []
        for step in 0..<queues[Int(queue)].stepCount {
            let relaxed = internRequirement(relax(needs, queue: queue, throughStep: step))
            stepRequirements.append(relaxed)
            stepIndexes.append(agentIndex(queue: queue, requirement: relaxed))
        }
        let id = Int32(buckets.count)
        buckets.append(
            WaitingBucket(
                queue: queue, priority: priority, stepRequirements: stepRequirements, stepIndexes: stepIndexes,
                lines: Array(repeating: WaitingLine(), count: stepRequirements.count)))
        bucketIDs[key] = id
        queues[Int(queue)].buckets.append(id)
        return id
    }

    /// The requirement after the ladder's steps 2...`step + 1` (0-based `step`) relaxed it.
    func relax(_ needs: [SkillNeed], queue: Int32, throughStep step: Int) -> [SkillNeed] {
        var result = needs
        let steps = queues[Int(queue)].configuration.fallbackSteps
        for fallback in steps.prefix(step) {
            if fallback.anyAgentOfQueue { return [] }
            if !fallback.dropSkillKinds.isEmpty {
                result.removeAll { fallback.dropSkillKinds.contains(skillDefinitions[Int($0.skill)].kind) }
            }
            if !fallback.dropSkills.isEmpty {
                result.removeAll { fallback.dropSkills.contains(skillDefinitions[Int($0.skill)].id) }
            }
            if fallback.lowerMinimumLevelsBy > 0 {
                result = result.map {
                    SkillNeed(skill: $0.skill, level: max(1, $0.level - Int8(clamping: fallback.lowerMinimumLevelsBy)))
                }
            }
        }
        return result
    }

    /// The agent index for a queue and requirement, built on first use from the queue's agents.
    mutating func agentIndex(queue: Int32, requirement: Int32) -> Int32 {
        let key = IndexKey(queue: queue, requirement: requirement)
        if let id = agentIndexIDs[key] { return id }
        let id = Int32(agentIndexes.count)
        agentIndexes.append(AgentRankIndex(queue: queue, requirement: requirement))
        agentIndexIDs[key] = id
        queues[Int(queue)].indexes.append(id)
        for agent in queues[Int(queue)].servingAgents.sorted() where agentSatisfies(Int(agent), requirement) {
            agents[Int(agent)].memberships.append(IndexMembership(index: id))
            refreshMembership(agent: agent, position: agents[Int(agent)].memberships.count - 1)
        }
        return id
    }

    /// 0-based ladder step of a waiting conversation now.
    mutating func currentStep(_ slot: Int32) -> Int {
        let waited = nowMilliseconds - conversations[Int(slot)].waitingSince
        let queue = Int(conversations[Int(slot)].queue)
        let stepCount = queues[queue].stepStartsMilliseconds.count
        var step = 0
        while step + 1 < stepCount, queues[queue].stepStartsMilliseconds[step + 1] <= waited { step += 1 }
        return step
    }

    // MARK: Waiting membership

    /// Counts the conversation as waiting in its queue and lists it for its customer and owner.
    mutating func startWaiting(_ slot: Int32) {
        let index = Int(slot)
        conversations[index].state = .queued
        conversations[index].agent = -1
        let queue = conversations[index].queue
        queues[Int(queue)].waiting += 1
        markDirty(queue)
        linkCustomer(slot)
        listUnderOwner(slot)
        if let maxWaitMilliseconds = queues[Int(queue)].maxWaitMilliseconds {
            let limit = conversations[index].waitingSince + maxWaitMilliseconds
            conversations[index].overdue = false
            if limit <= nowMilliseconds && queues[Int(queue)].overflowTarget == nil {
                conversations[index].waitLimitAt = limit
                markOverdue(slot)
            } else {
                // Already past it (waiting again after a missed offer) with somewhere to go:
                // it moves at the next step, once this one has decided it where it is.
                let at = max(limit, nowMilliseconds)
                conversations[index].waitLimitAt = at
                scheduleTimer(.waitLimit, at: at, slot: slot)
            }
        }
    }

    /// Undoes `startWaiting` and takes it out of its line or hold.
    mutating func stopWaiting(_ slot: Int32) {
        let index = Int(slot)
        removeFromLine(slot)
        removeHold(slot)
        let queue = conversations[index].queue
        queues[Int(queue)].waiting -= 1
        // Its wait-limit timer belongs to this wait (a move to another queue starts a new one).
        conversations[index].waitLimitAt = 0
        if conversations[index].overdue {
            conversations[index].overdue = false
            queues[Int(queue)].overdue -= 1
        }
        markDirty(queue)
        unlinkCustomer(slot)
        unlistFromOwner(slot)
    }

    mutating func markOverdue(_ slot: Int32) {
        guard !conversations[Int(slot)].overdue else { return }
        conversations[Int(slot)].overdue = true
        let queue = conversations[Int(slot)].queue
        queues[Int(queue)].overdue += 1
        markDirty(queue)
    }

    // MARK: Lines and holds

    mutating func placeInLine(_ slot: Int32, step: Int) {
        let index = Int(slot)
        let bucket = Int(conversations[index].bucket)
        buckets[bucket].lines[step].insert(
            WaitingEntry(
                key: lineKey(index), slot: slot, hasExclusions: !conversations[index].excluded.isEmpty))
        buckets[bucket].count += 1
        conversations[index].line = Int8(step)
        let queue = Int(conversations[index].queue)
        if step + 1 < queues[queue].stepStartsMilliseconds.count {
            let next = conversations[index].waitingSince + queues[queue].stepStartsMilliseconds[step + 1]
            conversations[index].nextLadderAt = next
            if conversations[index].ladderTimerAt != next {
                conversations[index].ladderTimerAt = next
                scheduleTimer(.ladderStep, at: next, slot: slot)
            }
        } else {
            conversations[index].nextLadderAt = 0
        }
    }

    mutating func removeFromLine(_ slot: Int32) {
        let index = Int(slot)
        let step = Int(conversations[index].line)
        guard step >= 0 else { return }
        let bucket = Int(conversations[index].bucket)
        buckets[bucket].lines[step].remove(key: lineKey(index))
        buckets[bucket].count -= 1
        conversations[index].line = -1
        conversations[index].nextLadderAt = 0
    }

    mutating func placeHold(_ slot: Int32, owner: Int32, until: Int64) {
        let index = Int(slot)
        conversations[index].heldFor = owner
        conversations[index].holdUntil = until
        conversations[index].heldSinceMilliseconds = nowMilliseconds
        queues[Int(conversations[index].queue)].held += 1
        scheduleTimer(.holdExpiry, at: until, slot: slot)
    }

    mutating func removeHold(_ slot: Int32) {
        let index = Int(slot)
        guard conversations[index].heldFor >= 0 else { return }
        conversations[index].heldFor = -1
        conversations[index].holdUntil = 0
        queues[Int(conversations[index].queue)].held -= 1
    }

    // MARK: Customer and owner lists

    mutating func linkCustomer(_ slot: Int32) {
        let customer = Int(conversations[Int(slot)].customerSlot)
        let head = customers[customer].waitingHead
        conversations[Int(slot)].customerPrevious = -1
        conversations[Int(slot)].customerNext = head
        if head >= 0 { conversations[Int(head)].customerPrevious = slot }
        customers[customer].waitingHead = slot
    }

    mutating func unlinkCustomer(_ slot: Int32) {
        let index = Int(slot)
        let previous = conversations[index].customerPrevious
        let next = conversations[index].customerNext
        if previous >= 0 {
            conversations[Int(previous)].customerNext = next
        } else {
            customers[Int(conversations[index].customerSlot)].waitingHead = next
        }
        if next >= 0 { conversations[Int(next)].customerPrevious = previous }
        conversations[index].customerPrevious = -1
        conversations[index].customerNext = -1
    }

    func waitingSlots(of customer: Int32) -> [Int32] {
        var result: [Int32] = []
        var slot = customers[Int(customer)].waitingHead
        while slot >= 0 {
            result.append(slot)
            slot = conversations[Int(slot)].customerNext
        }
        return result
    }

    mutating func listUnderOwner(_ slot: Int32) {
        guard let owner = customers[Int(conversations[Int(slot)].customerSlot)].owner?.agent else { return }
        agents[Int(owner)].waitingOwned.append(slot)
        conversations[Int(slot)].ownerListed = owner
    }

    mutating func unlistFromOwner(_ slot: Int32) {
        let index = Int(slot)
        let owner = conversations[index].ownerListed
        guard owner >= 0 else { return }
        if conversations[index].heldFor == owner {
            // Held for someone who is no longer the owner: the hold ends once this step settles.
            pendingHoldReleases.append((slot, conversations[index].arrivalSequence))
        }
        if let position = agents[Int(owner)].waitingOwned.firstIndex(of: slot) {
            let last = agents[Int(owner)].waitingOwned.removeLast()
            if position < agents[Int(owner)].waitingOwned.count { agents[Int(owner)].waitingOwned[position] = last }
        }
        conversations[index].ownerListed = -1
    }

    /// Adds a customer to their new owner's list of owned customers.
    mutating func listOwnedCustomer(_ customer: Int32, agent: Int32) {
        let head = agents[Int(agent)].ownedCustomersHead
        customers[Int(customer)].ownedPrevious = -1
        customers[Int(customer)].ownedNext = head
        if head >= 0 { customers[Int(head)].ownedPrevious = customer }
        agents[Int(agent)].ownedCustomersHead = customer
    }

    /// Takes a customer off their owner's list of owned customers.
    mutating func unlistOwnedCustomer(_ customer: Int32, agent: Int32) {
        let previous = customers[Int(customer)].ownedPrevious
        let next = customers[Int(customer)].ownedNext
        if previous >= 0 {
            customers[Int(previous)].ownedNext = next
        } else if agents[Int(agent)].ownedCustomersHead == customer {
            agents[Int(agent)].ownedCustomersHead = next
        }
        if next >= 0 { customers[Int(next)].ownedPrevious = previous }
        customers[Int(customer)].ownedPrevious = -1
        customers[Int(customer)].ownedNext = -1
    }

    /// The customers the agent owns (in no particular order).
    func ownedCustomers(of agent: Int32) -> [Int32] {
        var result: [Int32] = []
        var customer = agents[Int(agent)].ownedCustomersHead
        while customer >= 0 {
            result.append(customer)
            customer = customers[Int(customer)].ownedNext
        }
        return result
    }

    // MARK: Sticky ownership

    /// Makes `agent` the customer's owner as of now (an assignment or a transfer to them).
    mutating func setOwner(of slot: Int32, to agent: Int32, reason: StickyChangeReason) {
        let customer = conversations[Int(slot)].customerSlot
        let index = Int(customer)
        let topic = conversations[Int(slot)].topic
        if customers[index].owner?.agent == agent {
            customers[index].owner?.lastHandledAt = nowMilliseconds
            customers[index].owner?.openConversations += 1
            customers[index].owner?.topic = topic
            return
        }
        if let previous = customers[index].owner?.agent { unlistOwnedCustomer(customer, agent: previous) }
        customers[index].owner = OwnerRecord(
            agent: agent, lastHandledAt: nowMilliseconds, openConversations: 1, topic: topic)
        listOwnedCustomer(customer, agent: agent)
        for waiting in waitingSlots(of: customer) {
            unlistFromOwner(waiting)
            listUnderOwner(waiting)
            // Rule 1 may now hold for the new owner: decide it again once this step settles.
            pendingHoldReleases.append((waiting, conversations[Int(waiting)].arrivalSequence))
        }
        emit(.stickyOwnerChanged(customers[index].id, owner: agents[Int(agent)].profile.id, reason: reason))
    }

    /// The owner stops handling one conversation of the customer (close, re-queue, transfer).
    mutating func releaseOwnership(of slot: Int32, agent: Int32) {
        let index = Int(conversations[Int(slot)].customerSlot)
        guard var record = customers[index].owner, record.agent == agent else { return }
        record.openConversations = max(0, record.openConversations - 1)
        record.lastHandledAt = nowMilliseconds
        customers[index].owner = record
        if record.openConversations == 0, longestStickyWindowMilliseconds > 0 {
            ownershipExpiries.push(
                OwnershipExpiry(
                    deadline: nowMilliseconds + longestStickyWindowMilliseconds, customer: customers[index].id))
        }
    }

    mutating func clearOwnership(of customer: Int32, reason: StickyChangeReason) {
        let index = Int(customer)
        guard let record = customers[index].owner else { return }
        customers[index].owner = nil
        unlistOwnedCustomer(customer, agent: record.agent)
        for waiting in waitingSlots(of: customer) { unlistFromOwner(waiting) }
        emit(.stickyOwnerChanged(customers[index].id, owner: nil, reason: reason))
        releaseCustomerIfUnused(customer)
    }

    /// Forgets ownerships whose every window has passed, so memory follows the windows.
    mutating func purgeExpiredOwnerships() {
        while let top = ownershipExpiries.min, top.deadline <= nowMilliseconds {
            ownershipExpiries.popMin()
            guard let customer = customerSlots[top.customer], let record = customers[Int(customer)].owner,
                record.openConversations == 0, record.lastHandledAt + longestStickyWindowMilliseconds <= nowMilliseconds
            else { continue }
            customers[Int(customer)].owner = nil
            unlistOwnedCustomer(customer, agent: record.agent)
            for waiting in waitingSlots(of: customer) { unlistFromOwner(waiting) }
            releaseCustomerIfUnused(customer)
        }
    }

    /// The conversation's sticky owner if the queue's policy, window and topic rule let
    /// ownership count now.
    mutating func stickyOwner(for slot: Int32) -> (agent: Int32, record: OwnerRecord)? {
        let index = Int(slot)
        let queue = Int(conversations[index].queue)
        guard queues[queue].stickyEnabled, let owner = customers[Int(conversations[index].customerSlot)].owner else {
            return nil
        }
        if owner.openConversations == 0, nowMilliseconds - owner.lastHandledAt > queues[queue].stickyWindowMilliseconds
        {
            return nil
        }
        if queues[queue].sameTopicOnly, let topic = conversations[index].topic, let ownerTopic = owner.topic,
            topic != ownerTopic
        {
            return nil
        }
        return (owner.agent, owner)
    }

    /// Settles conversations whose ownership changed during the step: a hold for someone
    /// who no longer owns the customer ends, and a waiting one is decided again, since rule 1
    /// may now hold for the new owner.
    mutating func releasePendingHolds() {
        var rounds = 0
        while !pendingHoldReleases.isEmpty, rounds < 100_000 {
            rounds += 1
            let (slot, sequence) = pendingHoldReleases.removeFirst()
            let index = Int(slot)
            guard !conversations[index].isFree, conversations[index].arrivalSequence == sequence,
                isWaiting(index)
            else { continue }
            if isHeld(index) {
                let customer = Int(conversations[index].customerSlot)
                guard customers[customer].owner?.agent != conversations[index].heldFor else { continue }
                conversations[index].heldMilliseconds = nowMilliseconds - conversations[index].heldSinceMilliseconds
                removeHold(slot)
                conversations[index].holdExpired = true
                decideOrOverflow(slot, announce: .holdReleased)
            } else if conversations[index].line >= 0, let owner = stickyOwner(for: slot),
                canTake(agent: Int(owner.agent), conversations[index].channel)
            {
                removeFromLine(slot)
                decide(slot, announce: .none)
            }
        }
    }

    mutating func markDirty(_ queue: Int32) {
        if !dirtyQueues.contains(queue) { dirtyQueues.append(queue) }
    }
}
