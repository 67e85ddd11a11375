// Conversation inputs: open, accept, decline, close, wrap-up, abandon, transfer.
// Each validates everything before changing anything, so a refused input leaves no trace.
extension RoutingEngine {
    mutating func openConversation(_ request: ConversationRequest) throws(RoutingError) {
        guard isValidIdentifier(request.id.rawValue) else {
            throw .invalidIdentifier(request.id.rawValue, context: "conversation id")
        }
        guard isValidIdentifier(request.customer.rawValue) else {
            throw .invalidIdentifier(request.customer.rawValue, context: "customer id")
        }
        // The id is claimed with the slot it will get in one probe of the table (a duplicate
        // finds its own slot there instead), and released again if the request is refused.
        let slot = freeConversationSlots.last ?? Int32(conversations.count)
        guard Self.claim(&conversationSlots[request.id, default: -1], for: slot).inserted else {
            throw .duplicateConversation(request.id)
        }
        let queue: Int32
        let queueChannel: Channel
        let priority: Int
        let bucket: Int32
        do throws(RoutingError) {
            guard let queueSlot = queueSlots[request.queue] else { throw .unknownQueue(request.queue) }
            queue = try openQueue(from: queueSlot)
            queueChannel = queues[Int(queue)].channel
            if let channel = request.channel, channel != queueChannel {
                throw .channelMismatch(
                    request.id, channel: channel, queue: queues[Int(queue)].id, queueChannel: queueChannel)
            }
            priority = request.priority ?? queues[Int(queue)].defaultPriority
            bucket = try self.bucket(queue: queue, priority: priority, extraSkills: request.extraSkills)
        } catch {
            conversationSlots.removeValue(forKey: request.id)
            throw error
        }
        let customer = internCustomer(request.customer)
        customers[Int(customer)].openConversations += 1
        let record = ConversationRecord(
            id: request.id, customer: request.customer, customerSlot: customer, queue: queue, channel: queueChannel,
            extraSkills: request.extraSkills, priority: priority, topic: request.topic, state: .queued,
            openedAt: nowMilliseconds,
            arrivalSequence: nextArrivalSequence, waitingSince: nowMilliseconds, bucket: bucket)
        nextArrivalSequence += 1
        storeConversation(record, at: slot)
        // Past `maxWaiting` with an overflow queue: it is announced where it was asked for,
        // then goes on at once (a rule the supervisor reads in the requeued event).
        let full = arrivalOverflowCause(queue, counted: 0)
        startWaiting(slot)
        if let full {
            announceWaiting(slot, .queued)
            if moveToOverflow(slot, cause: full) { return }
            decide(slot, announce: .none)
        } else {
            decide(slot, announce: .queued)
        }
    }

    /// The queue new work of `requested` goes to now: the queue itself when it is open (or has
    /// no hours, or holds work outside them), else the overflow queue its closed rule names,
    /// followed while those are closed too. A closed queue that refuses work refuses it.
    func openQueue(from requested: Int32) throws(RoutingError) -> Int32 {
        var queue = requested
        var hops = 0
        while let hours = queues[Int(queue)].configuration.hours, !hours.calendar.isOpen(at: now) {
            switch hours.closedRule {
            case .hold:
                return queue
            case .refuse:
                throw .queueClosed(queues[Int(queue)].id, opensAt: hours.calendar.nextOpening(after: now))
            case .overflow(let target):
                // Bounded: a ring of closed queues passing work on is refused as the first one.
                guard let next = queueSlots[target], hops < queues.count else {
                    let first = queues[Int(requested)]
                    throw .queueClosed(first.id, opensAt: first.configuration.hours?.calendar.nextOpening(after: now))
                }
                queue = next
                hops += 1
            }
        }
        return queue
    }

    mutating func acceptOffer(_ id: ConversationID, agent: AgentID) throws(RoutingError) {
        let slot = try offeredSlot(id, agent: agent)
        let index = Int(slot)
        let agentSlot = conversations[index].agent
        conversations[index].state = .assigned
        conversations[index].assignedAt = nowMilliseconds
        conversations[index].offerExpiresAt = 0
        agents[Int(agentSlot)].missedOffersInARow = 0
        var decision = conversations[index].decision
        decision?.decidedAt = now
        conversations[index].decision = decision
        if let decision { emit(.assigned(decision)) }
        countAssignment(slot)
        setOwner(of: slot, to: agentSlot, reason: .assigned)
    }

    mutating func declineOffer(_ id: ConversationID, agent: AgentID) throws(RoutingError) {
        let slot = try offeredSlot(id, agent: agent)
        let agentSlot = conversations[Int(slot)].agent
        agents[Int(agentSlot)].missedOffersInARow = 0
        conversations[Int(slot)].excluded.append(agentSlot)
        releaseFromAgent(slot)
        emit(.offerDeclined(id, agent: agent))
        startWaiting(slot)
        decide(slot, announce: .requeued(.offerDeclined, previousAgent: agent))
        fillAgent(agentSlot)
    }

    mutating func closeConversation(_ id: ConversationID) throws(RoutingError) {
        let slot = try conversationSlot(id)
        let index = Int(slot)
        guard conversations[index].state == .assigned else {
            throw .wrongState(
                id, state: conversations[index].state,
                expected: "only an assigned conversation can be closed; a waiting or offered one is abandoned")
        }
        let agentSlot = conversations[index].agent
        let channel = conversations[index].channel
        releaseOwnership(of: slot, agent: agentSlot)
        emit(.closed(id, agent: agents[Int(agentSlot)].profile.id, at: now))
        let queue = Int(conversations[index].queue)
        if queues[queue].wrapUpSeconds > 0 {
            let ends = nowMilliseconds + queues[queue].wrapUpMilliseconds
            conversations[index].state = .wrapUp
            conversations[index].wrapUpEndsAt = ends
            conversations[index].graceEndsAt = 0
            agentHot[Int(agentSlot)].live[channel] -= 1
            scheduleTimer(.wrapUpTimeout, at: ends, slot: slot)
            emit(.wrapUpStarted(id, agent: agents[Int(agentSlot)].profile.id, endsAt: instant(ends)))
            refreshAgent(agentSlot)
            markLoadChanged(agentSlot)
        } else {
            releaseFromAgent(slot)
            freeConversation(slot)
        }
        fillAgent(agentSlot)
    }

    mutating func endWrapUp(_ id: ConversationID, disposition: String) throws(RoutingError) {
        let slot = try conversationSlot(id)
        guard conversations[Int(slot)].state == .wrapUp else {
            throw .wrongState(
                id, state: conversations[Int(slot)].state, expected: "only a conversation in wrap-up can end it")
        }
        guard !disposition.isEmpty, disposition.utf8.count <= 128 else {
            throw .invalidValue("disposition code must be 1 to 128 bytes")
        }
        finishWrapUp(slot, disposition: disposition, timedOut: false, refill: true)
    }

    mutating func finishWrapUp(_ slot: Int32, disposition: String?, timedOut: Bool, refill: Bool) {
        let agentSlot = conversations[Int(slot)].agent
        let id = conversations[Int(slot)].id
        releaseFromAgent(slot)
        emit(.wrapUpEnded(id, agent: agents[Int(agentSlot)].profile.id, disposition: disposition, timedOut: timedOut))
        freeConversation(slot)
        if refill { fillAgent(agentSlot) }
    }

    mutating func abandonConversation(_ id: ConversationID) throws(RoutingError) {
        let slot = try conversationSlot(id)
        let index = Int(slot)
        let record = conversations[index]
        let queueID = queues[Int(record.queue)].configuration.id
        let waited = seconds(nowMilliseconds - record.waitingSince)
        switch record.state {
        case .queued:
            stopWaiting(slot)
            queues[Int(record.queue)].abandoned += 1
            emit(.abandoned(id, queue: queueID, waitedSeconds: waited))
            freeConversation(slot)
        case .offered:
            let agentSlot = record.agent
            releaseFromAgent(slot)
            queues[Int(record.queue)].abandoned += 1
            emit(.abandoned(id, queue: queueID, waitedSeconds: waited))
            freeConversation(slot)
            fillAgent(agentSlot)
        default:
            throw .wrongState(
                id, state: record.state, expected: "a customer abandons only while waiting or offered; close it instead"
            )
        }
    }

    mutating func transferConversation(_ id: ConversationID, to target: TransferTarget) throws(RoutingError) {
        let slot = try conversationSlot(id)
        let index = Int(slot)
        let record = conversations[index]
        guard record.state == .queued || record.state == .offered || record.state == .assigned else {
            throw .wrongState(
                id, state: record.state, expected: "only a waiting, offered or assigned conversation moves")
        }
        let previousAgent: Int32 = record.state == .queued ? -1 : record.agent
        let previousID = previousAgent >= 0 ? agents[Int(previousAgent)].profile.id : nil
        switch target {
        case .queue(let queueID):
            guard let queue = queueSlots[queueID] else { throw .unknownQueue(queueID) }
            let channel = queues[Int(queue)].configuration.channel
            guard channel == record.channel else {
                throw .channelMismatch(id, channel: record.channel, queue: queueID, queueChannel: channel)
            }
            let bucket = try bucket(queue: queue, priority: record.priority, extraSkills: record.extraSkills)
            detachForTransfer(slot, previousAgent: previousAgent)
            conversations[index].queue = queue
            conversations[index].bucket = bucket
            conversations[index].waitingSince = nowMilliseconds
            conversations[index].holdExpired = false
            if previousAgent >= 0 {
                conversations[index].aheadOfNewWork = true
                conversations[index].requeueCount += 1
                if !conversations[index].excluded.contains(previousAgent) {
                    conversations[index].excluded.append(previousAgent)
                }
                if customers[Int(record.customerSlot)].owner?.agent == previousAgent {
                    clearOwnership(of: record.customerSlot, reason: .transferred)
                }
            }
            emit(.transferred(id, from: previousID, to: target))
            startWaiting(slot)
            decide(slot, announce: .requeued(.transferred, previousAgent: previousID))
        case .agent(let agentID):
            let targetSlot = try agentSlot(agentID)
            guard targetSlot != previousAgent else {
                throw .agentCannotTake(agentID, conversation: id, why: "they already have it")
            }
            let target = agentHot[Int(targetSlot)]
            guard target.isAvailable else {
                throw .agentCannotTake(agentID, conversation: id, why: "they are not Available")
            }
            guard target.hasRoom(on: record.channel) else {
                throw .agentCannotTake(agentID, conversation: id, why: "no free \(record.channel.rawValue) capacity")
            }
            detachForTransfer(slot, previousAgent: previousAgent)
            emit(.transferred(id, from: previousID, to: .agent(agentID)))
            let channel = record.channel
            let reason = DecisionReason(
                rule: .transfer, agentName: agents[Int(targetSlot)].profile.name, channel: channel,
                loadBefore: target.load[channel],
                capacity: target.capacity[channel],
                transferredFrom: previousAgent >= 0 ? agents[Int(previousAgent)].profile.name : nil)
            conversations[index].excluded.removeAll { $0 == targetSlot }
            assign(slot, to: targetSlot, reason: reason, direct: true)
        }
        if previousAgent >= 0 { fillAgent(previousAgent) }
    }

    /// Takes a conversation away from where it is before a transfer: out of waiting, or off its agent.
    mutating func detachForTransfer(_ slot: Int32, previousAgent: Int32) {
        if conversations[Int(slot)].state == .queued {
            stopWaiting(slot)
        } else {
            if conversations[Int(slot)].state == .assigned { releaseOwnership(of: slot, agent: previousAgent) }
            releaseFromAgent(slot)
        }
    }

    /// The agent loses an offered or assigned conversation, which waits again ahead of new work.
    mutating func requeueFromAgent(_ slot: Int32, reason: RequeueReason) {
        let index = Int(slot)
        let agentSlot = conversations[index].agent
        let wasAssigned = conversations[index].state == .assigned
        if wasAssigned { releaseOwnership(of: slot, agent: agentSlot) }
        releaseFromAgent(slot)
        if wasAssigned { conversations[index].waitingSince = nowMilliseconds }
        conversations[index].aheadOfNewWork = true
        conversations[index].requeueCount += 1
        conversations[index].holdExpired = false
        startWaiting(slot)
        decide(slot, announce: .requeued(reason, previousAgent: agents[Int(agentSlot)].profile.id))
    }

    /// Frees the agent's capacity held by this conversation (offer, assignment or wrap-up).
    mutating func releaseFromAgent(_ slot: Int32) {
        let index = Int(slot)
        let agentSlot = conversations[index].agent
        guard agentSlot >= 0 else { return }
        let channel = conversations[index].channel
        let state = conversations[index].state
        agentHot[Int(agentSlot)].load[channel] -= 1
        if state == .offered || state == .assigned { agentHot[Int(agentSlot)].live[channel] -= 1 }
        if let position = agents[Int(agentSlot)].work.firstIndex(of: slot) {
            agents[Int(agentSlot)].work.remove(at: position)
        }
        if state == .offered || state == .assigned { agentHot[Int(agentSlot)].idleSince = nowMilliseconds }
        conversations[index].agent = -1
        conversations[index].offerExpiresAt = 0
        conversations[index].graceEndsAt = 0
        conversations[index].wrapUpEndsAt = 0
        conversations[index].decision = nil
        refreshAgent(agentSlot)
        markLoadChanged(agentSlot)
    }

    func offeredSlot(_ id: ConversationID, agent: AgentID) throws(RoutingError) -> Int32 {
        let slot = try conversationSlot(id)
        let record = conversations[Int(slot)]
        guard record.state == .offered else {
            throw .wrongState(
                id, state: record.state, expected: "only an offered conversation can be accepted or declined")
        }
        guard record.agent >= 0, agents[Int(record.agent)].profile.id == agent else {
            throw .notOfferedTo(id, agent: agent)
        }
        return slot
    }

    mutating func allocateConversation(_ record: ConversationRecord) -> Int32 {
        let slot = freeConversationSlots.last ?? Int32(conversations.count)
        storeConversation(record, at: slot)
        conversationSlots[record.id] = slot
        return slot
    }

    /// Stores a record at `slot`, which must be the next free slot (the last one freed, or a
    /// new one at the end).
    mutating func storeConversation(_ record: ConversationRecord, at slot: Int32) {
        if freeConversationSlots.last == slot {
            freeConversationSlots.removeLast()
            conversations[Int(slot)] = record
        } else {
            conversations.append(record)
        }
    }

    mutating func freeConversation(_ slot: Int32) {
        let index = Int(slot)
        conversationSlots.removeValue(forKey: conversations[index].id)
        conversations[index].isFree = true
        conversations[index].state = .closed
        conversations[index].extraSkills = []
        conversations[index].excluded = []
        conversations[index].decision = nil
        conversations[index].topic = nil
        freeConversationSlots.append(slot)
        let customer = conversations[index].customerSlot
        customers[Int(customer)].openConversations -= 1
        releaseCustomerIfUnused(customer)
    }
}
