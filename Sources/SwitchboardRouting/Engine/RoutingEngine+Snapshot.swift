// Entities out (for persistence and the Clone snapshot) and back in (rebuild on restart).
extension RoutingEngine {
    /// Every entity of the engine's state; `RoutingEngine(snapshot:)` rebuilds an equal engine.
    public func snapshot() -> RoutingSnapshot {
        let liveAgents = agents.indices.filter { !agentHot[$0].isRemoved }.map { exportAgent(Int32($0)) }
        let open = conversationSlots.values.sorted { arrivalOrder($0, $1) }.map { exportConversation($0) }
        let sticky = customers.filter { $0.owner != nil }.map(\.id).sorted().compactMap { stickyOwner(of: $0) }
        return RoutingSnapshot(
            configuration: configuration, agents: liveAgents, conversations: open, stickyOwners: sticky,
            activeAlerts: alerts, now: now, nextArrivalSequence: nextArrivalSequence,
            nextRoundRobinTurn: nextRoundRobinTurn)
    }

    func exportAgent(_ slot: Int32) -> AgentRecord {
        let agent = agents[Int(slot)]
        let hot = agentHot[Int(slot)]
        var turns: [QueueID: UInt64] = [:]
        for (queue, turn) in agent.roundRobinTurns { turns[queues[Int(queue)].configuration.id] = turn }
        return AgentRecord(
            profile: agent.profile, presence: hot.presence, awayReason: agent.awayReason,
            missedOffersInARow: agent.missedOffersInARow, idleSince: instant(hot.idleSince), roundRobinTurns: turns)
    }

    func exportConversation(_ slot: Int32) -> Conversation {
        let record = conversations[Int(slot)]
        func optionalInstant(_ value: Int64, when condition: Bool) -> RoutingInstant? {
            condition ? instant(value) : nil
        }
        return Conversation(
            id: record.id, customer: record.customer, channel: record.channel,
            queue: queues[Int(record.queue)].configuration.id, extraSkills: record.extraSkills,
            priority: record.priority, topic: record.topic, state: record.state,
            agent: record.agent >= 0 ? agents[Int(record.agent)].profile.id : nil, openedAt: instant(record.openedAt),
            arrivalSequence: record.arrivalSequence, waitingSince: instant(record.waitingSince),
            aheadOfNewWork: record.aheadOfNewWork,
            heldFor: record.isHeld ? agents[Int(record.heldFor)].profile.id : nil,
            holdUntil: optionalInstant(record.holdUntil, when: record.isHeld), holdExpired: record.holdExpired,
            excludedAgents: record.excluded.filter { !agentHot[Int($0)].isRemoved }.map { agents[Int($0)].profile.id },
            offerExpiresAt: optionalInstant(record.offerExpiresAt, when: record.state == .offered),
            assignedAt: optionalInstant(record.assignedAt, when: record.state == .assigned || record.state == .wrapUp),
            wrapUpEndsAt: optionalInstant(record.wrapUpEndsAt, when: record.state == .wrapUp),
            offlineGraceEndsAt: optionalInstant(record.graceEndsAt, when: record.graceEndsAt != 0),
            decision: record.decision, requeueCount: record.requeueCount)
    }

    /// Rebuilds an engine from persisted entities; indexes and timers are derived. No
    /// decision is taken: call `handle(.timeAdvanced, at:)` next to fire what came due.
    public init(snapshot: RoutingSnapshot) throws(RoutingError) {
        try self.init(configuration: snapshot.configuration, now: snapshot.now)
        nextArrivalSequence = snapshot.nextArrivalSequence
        nextRoundRobinTurn = snapshot.nextRoundRobinTurn
        for record in snapshot.agents {
            guard agentSlots[record.profile.id] == nil else { throw .duplicateAgent(record.profile.id) }
            let resolved = try resolve(record.profile)
            let slot = Int32(agents.count)
            var state = AgentState(
                profile: record.profile, skillLevels: resolved.levels, exclusionMasks: resolved.exclusions,
                servedQueues: sharedQueueList(resolved.queues))
            var hot = AgentHotState(
                presence: record.presence, idleSince: record.idleSince.millisecondsSinceEpoch,
                capacity: resolved.capacity, exclusions: resolved.exclusions)
            state.awayReason = record.awayReason
            hot.isSetAway = record.awayReason != nil
            state.missedOffersInARow = record.missedOffersInARow
            for (queue, turn) in record.roundRobinTurns {
                if let queueSlot = queueSlots[queue] { state.roundRobinTurns[queueSlot] = turn }
            }
            agents.append(state)
            agentHot.append(hot)
            agentSkillLevels.append(contentsOf: resolved.levels)
            agentSlots[record.profile.id] = slot
            for queue in resolved.queues { queues[Int(queue)].servingAgents.insert(slot) }
            if hot.isAvailable { adjustSkillCounts(slot, by: 1) }
        }
        for ownership in snapshot.stickyOwners {
            guard let agent = agentSlots[ownership.agent] else {
                throw .invalidSnapshot("sticky owner of \(ownership.customer) is unknown agent \(ownership.agent)")
            }
            let customer = internCustomer(ownership.customer)
            if let previous = customers[Int(customer)].owner?.agent {
                unlistOwnedCustomer(customer, agent: previous)
            }
            customers[Int(customer)].owner = OwnerRecord(
                agent: agent, lastHandledAt: ownership.lastHandledAt.millisecondsSinceEpoch,
                openConversations: ownership.openConversations, topic: ownership.topic)
            listOwnedCustomer(customer, agent: agent)
            if ownership.openConversations == 0, longestStickyWindowMilliseconds > 0 {
                ownershipExpiries.push(
                    OwnershipExpiry(
                        deadline: ownership.lastHandledAt.millisecondsSinceEpoch + longestStickyWindowMilliseconds,
                        customer: ownership.customer))
            }
        }
        for conversation in snapshot.conversations.sorted(by: { $0.arrivalSequence < $1.arrivalSequence }) {
            try restore(conversation)
        }
        for slot in agents.indices { rebuildMemberships(Int32(slot)) }
        refreshPendingAgents()
        for alert in snapshot.activeAlerts {
            activeAlerts[alert.key] = alert
            if case .queueOverflow(let queue, _, _, _, _) = alert, let slot = queueSlots[queue] {
                queues[Int(slot)].overflowRaised = true
            }
        }
        dirtyQueues.removeAll()
        loadChangedAgents.removeAll()
        pendingHoldReleases.removeAll()
        output.removeAll()
    }

    private mutating func restore(_ conversation: Conversation) throws(RoutingError) {
        guard conversationSlots[conversation.id] == nil else { throw .duplicateConversation(conversation.id) }
        guard let queue = queueSlots[conversation.queue] else { throw .unknownQueue(conversation.queue) }
        let bucket = try bucket(queue: queue, priority: conversation.priority, extraSkills: conversation.extraSkills)
        let customer = internCustomer(conversation.customer)
        customers[Int(customer)].openConversations += 1
        var record = ConversationRecord(
            id: conversation.id, customer: conversation.customer, customerSlot: customer, queue: queue,
            channel: conversation.channel,
            extraSkills: conversation.extraSkills, priority: conversation.priority, topic: conversation.topic,
            state: conversation.state, openedAt: conversation.openedAt.millisecondsSinceEpoch,
            arrivalSequence: conversation.arrivalSequence,
            waitingSince: conversation.waitingSince.millisecondsSinceEpoch, bucket: bucket)
        record.aheadOfNewWork = conversation.aheadOfNewWork
        record.holdExpired = conversation.holdExpired
        record.excluded = conversation.excludedAgents.compactMap { agentSlots[$0] }
        record.decision = conversation.decision
        record.requeueCount = conversation.requeueCount
        record.assignedAt = conversation.assignedAt?.millisecondsSinceEpoch ?? 0
        var agentSlot: Int32 = -1
        if conversation.state != .queued {
            guard let agentID = conversation.agent, let slot = agentSlots[agentID] else {
                throw .invalidSnapshot(
                    "conversation \(conversation.id) is \(conversation.state.rawValue) without a known agent")
            }
            agentSlot = slot
        }
        nextArrivalSequence = max(nextArrivalSequence, conversation.arrivalSequence + 1)
        let slot = allocateConversation(record)
        switch conversation.state {
        case .queued:
            startWaiting(slot)
            if let owner = conversation.heldFor, let ownerSlot = agentSlots[owner], let until = conversation.holdUntil,
                until.millisecondsSinceEpoch > nowMilliseconds
            {
                placeHold(slot, owner: ownerSlot, until: until.millisecondsSinceEpoch)
            } else {
                placeInLine(slot, step: currentStep(slot))
            }
        case .offered, .assigned, .wrapUp:
            conversations[Int(slot)].agent = agentSlot
            agentHot[Int(agentSlot)].load[conversation.channel] += 1
            if conversation.state != .wrapUp { agentHot[Int(agentSlot)].live[conversation.channel] += 1 }
            agents[Int(agentSlot)].work.append(slot)
            if conversation.state == .offered {
                let expires = conversation.offerExpiresAt?.millisecondsSinceEpoch ?? nowMilliseconds
                conversations[Int(slot)].offerExpiresAt = expires
                scheduleTimer(.offerExpiry, at: expires, slot: slot)
            } else if conversation.state == .wrapUp {
                let ends = conversation.wrapUpEndsAt?.millisecondsSinceEpoch ?? nowMilliseconds
                conversations[Int(slot)].wrapUpEndsAt = ends
                scheduleTimer(.wrapUpTimeout, at: ends, slot: slot)
            } else if let grace = conversation.offlineGraceEndsAt?.millisecondsSinceEpoch {
                conversations[Int(slot)].graceEndsAt = grace
                scheduleTimer(.offlineGrace, at: grace, slot: slot)
            }
        case .closed, .abandoned:
            throw .invalidSnapshot(
                "conversation \(conversation.id) is \(conversation.state.rawValue); keep only open ones")
        }
    }
}
