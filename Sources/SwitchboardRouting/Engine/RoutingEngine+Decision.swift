// The decision itself: for one waiting conversation (the rules in order: sticky owner, hold
// for owner, skilled agents, fallback ladder, wait), and for an agent who freed capacity or
// came back.
extension RoutingEngine {
    /// How a conversation entering `decide` is announced to observers.
    enum Announcement {
        /// Already announced and unchanged (a ladder step came due).
        case none
        /// Just opened.
        case queued
        /// Waiting again after an agent declined, missed, left or transferred it.
        case requeued(RequeueReason, previousAgent: AgentID?)
        /// Its hold for the sticky owner ended.
        case holdReleased
        /// Moved to its queue's overflow queue.
        case overflowed(OverflowMove)
    }

    enum OwnerCheck {
        case eligible
        /// On break or at capacity: worth holding for.
        case busy(OwnerShortfall)
        /// Not skilled enough for the current ladder step (or gone): not worth holding for.
        case unsuitable(OwnerShortfall)
    }

    /// Why the sticky owner could not take a conversation, kept as facts so that the words
    /// are only written when a reason needs them.
    enum OwnerShortfall {
        case removed
        case lacksSkills
        case setAway
        case offline
        case away
        case doNotDisturb
        case atCapacity(Channel, load: Int, capacity: Int)
        case onLiveWork(Channel?)

        var text: String {
            switch self {
            case .removed: "was removed"
            case .lacksSkills: "lacks the skills this step needs"
            case .setAway: "was set Away after missed offers"
            case .offline: "was Offline"
            case .away: "was Away"
            case .doNotDisturb: "was on Do not disturb"
            case .atCapacity(let channel, let load, let capacity):
                "was at \(channel.workNoun(plural: false)) capacity (\(load) of \(capacity))"
            case .onLiveWork(let channel):
                "was on a live \(channel?.workNoun(plural: false) ?? "exclusive conversation")"
            }
        }
    }

    /// The sticky owner who did not get a conversation, and why.
    struct PassedOverOwner {
        var owner: Int32
        var shortfall: OwnerShortfall
    }

    // MARK: One waiting conversation

    /// Decides a waiting conversation that is in no line and not held: sticky owner, hold
    /// for owner, skilled agents step by step, else its ladder line.
    mutating func decide(_ slot: Int32, announce: Announcement) {
        let index = Int(slot)
        let bucket = Int(conversations[index].bucket)
        let step = currentStep(slot)
        raiseRarityAlerts(slot)
        var passedOver: PassedOverOwner?
        if let (owner, ownerRecord) = stickyOwner(for: slot), !conversations[index].excluded.contains(owner) {
            let requirement = buckets[bucket].stepRequirements[step]
            switch ownerCheck(owner, channel: conversations[index].channel, requirement: requirement) {
            case .eligible:
                announceWaiting(slot, announce)
                stopWaiting(slot)
                assign(
                    slot, to: owner,
                    reason: stickyReason(slot, owner: owner, record: ownerRecord, heldMilliseconds: nil))
                return
            case .busy(let shortfall):
                if let holdMilliseconds = queues[Int(conversations[index].queue)].holdForOwnerMilliseconds,
                    !conversations[index].holdExpired, agentHot[Int(owner)].presence.status != .offline
                {
                    let until = conversations[index].waitingSince + holdMilliseconds
                    if until > nowMilliseconds {
                        placeHold(slot, owner: owner, until: until)
                        announceWaiting(slot, announce)
                        return
                    }
                }
                passedOver = PassedOverOwner(owner: owner, shortfall: shortfall)
            case .unsuitable(let shortfall):
                passedOver = PassedOverOwner(owner: owner, shortfall: shortfall)
            }
        }
        for candidateStep in 0...step {
            let agentIndex = buckets[bucket].stepIndexes[candidateStep]
            if let (agent, eligible) = bestAgent(index: agentIndex, excluding: conversations[index].excluded) {
                announceWaiting(slot, announce)
                stopWaiting(slot)
                let selection = rankedSelection(slot, agent: agent, step: candidateStep, eligible: eligible)
                let reason = rankedReason(
                    slot, agent: agent, step: candidateStep, selection: selection, passedOver: passedOver)
                assign(slot, to: agent, reason: reason)
                return
            }
        }
        placeInLine(slot, step: step)
        announceWaiting(slot, announce)
    }

    mutating func announceWaiting(_ slot: Int32, _ announce: Announcement) {
        switch announce {
        case .none:
            if isHeld(Int(slot)) { emit(.queued(queuedFacts(slot))) }
        case .queued, .holdReleased:
            emit(.queued(queuedFacts(slot)))
        case .requeued(let reason, let previousAgent):
            emit(
                .requeued(
                    RequeuedConversation(waiting: queuedFacts(slot), previousAgent: previousAgent, reason: reason)))
        case .overflowed(let move):
            emit(
                .requeued(
                    RequeuedConversation(
                        waiting: queuedFacts(slot), previousAgent: nil, reason: .overflowed, overflow: move)))
        }
    }

    mutating func queuedFacts(_ slot: Int32) -> QueuedConversation {
        let index = Int(slot)
        let held = isHeld(index)
        return QueuedConversation(
            conversation: conversations[index].id, customer: conversations[index].customer,
            queue: queues[Int(conversations[index].queue)].id, channel: conversations[index].channel,
            priority: conversations[index].priority,
            requiredSkills: requirementSkills[Int(buckets[Int(conversations[index].bucket)].stepRequirements[0])],
            topic: conversations[index].topic, arrivalSequence: conversations[index].arrivalSequence,
            waitingSince: instant(conversations[index].waitingSince),
            aheadOfNewWork: conversations[index].aheadOfNewWork,
            heldFor: held ? agents[Int(conversations[index].heldFor)].profile.id : nil,
            holdUntil: held ? instant(conversations[index].holdUntil) : nil)
    }

    /// Rule 1's agent-side conditions for the owner: presence, capacity, exclusions, skills.
    mutating func ownerCheck(_ owner: Int32, channel: Channel, requirement: Int32) -> OwnerCheck {
        let agent = Int(owner)
        if agentHot[agent].isRemoved { return .unsuitable(.removed) }
        if !agentSatisfies(agent, requirement) { return .unsuitable(.lacksSkills) }
        if agentHot[agent].isSetAway { return .busy(.setAway) }
        switch agentHot[agent].presence.status {
        case .offline: return .busy(.offline)
        case .away: return .busy(.away)
        case .doNotDisturb: return .busy(.doNotDisturb)
        case .available: break
        }
        let load = agentHot[agent].load[channel]
        let cap = agentHot[agent].capacity[channel]
        if load >= cap { return .busy(.atCapacity(channel, load: load, capacity: cap)) }
        if blockedMask(agent: agent) & channel.bit != 0 {
            let blocking = agents[agent].exclusionMasks.first {
                agentHot[agent].live[$0.channel] > 0 && $0.blocks & channel.bit != 0
            }
            return .busy(.onLiveWork(blocking?.channel))
        }
        return .eligible
    }

    mutating func note(_ passedOver: PassedOverOwner?) -> StickyNote? {
        guard let passedOver else { return nil }
        let owner = Int(passedOver.owner)
        return StickyNote(
            owner: agents[owner].profile.id, ownerName: agents[owner].profile.name, why: passedOver.shortfall.text)
    }

    // MARK: An agent with room

    /// Gives an agent who freed capacity or came back what they should take: conversations
    /// of their customers first (held ones before others), then the oldest waiting
    /// conversation of the highest priority they may take across their queues; repeated
    /// while they have room.
    mutating func fillAgent(_ slot: Int32) {
        var rounds = 0
        // Bounded: each round assigns one conversation and capacity is finite.
        while rounds < 1024, isAvailable(agent: Int(slot)) {
            rounds += 1
            if let (conversation, owner) = bestOwnedConversation(of: slot) {
                let heldMilliseconds =
                    isHeld(Int(conversation))
                    ? nowMilliseconds - conversations[Int(conversation)].heldSinceMilliseconds : nil
                stopWaiting(conversation)
                assign(
                    conversation, to: slot,
                    reason: stickyReason(conversation, owner: slot, record: owner, heldMilliseconds: heldMilliseconds))
                continue
            }
            guard let (conversation, step) = oldestTakeableConversation(for: slot) else { return }
            stopWaiting(conversation)
            let index = Int(conversation)
            let waited = nowMilliseconds - conversations[index].waitingSince
            let selection = DecisionReason.Selection.oldestForFreedAgent(
                waitedSeconds: seconds(waited), priority: conversations[index].priority,
                queuesServed: agents[Int(slot)].servedQueues.count)
            var passedOver: PassedOverOwner?
            if let owner = stickyOwner(for: conversation), owner.agent != slot {
                let requirement = buckets[Int(conversations[index].bucket)].stepRequirements[step]
                switch ownerCheck(owner.agent, channel: conversations[index].channel, requirement: requirement) {
                case .busy(let shortfall), .unsuitable(let shortfall):
                    passedOver = PassedOverOwner(owner: owner.agent, shortfall: shortfall)
                case .eligible:
                    break
                }
            }
            let reason = rankedReason(
                conversation, agent: slot, step: step, selection: selection, passedOver: passedOver)
            assign(conversation, to: slot, reason: reason)
        }
    }

    /// The waiting conversation of one of the agent's customers for which rule 1 holds:
    /// held ones first, then by priority and age.
    mutating func bestOwnedConversation(of slot: Int32) -> (Int32, OwnerRecord)? {
        let agent = Int(slot)
        guard !agents[agent].waitingOwned.isEmpty else { return nil }
        var best: (slot: Int32, order: (Int, Int, UInt64), owner: OwnerRecord)?
        let owned = agents[agent].waitingOwned
        for conversation in owned {
            let index = Int(conversation)
            guard isWaiting(index), canTake(agent: agent, conversations[index].channel),
                !conversations[index].excluded.contains(slot),
                let owner = stickyOwner(for: conversation), owner.agent == slot
            else { continue }
            let step = currentStep(conversation)
            guard agentSatisfies(agent, buckets[Int(conversations[index].bucket)].stepRequirements[step]) else {
                continue
            }
            let order = (
                isHeld(index) ? 0 : 1, -conversations[index].priority, lineKey(index)
            )
            if best == nil || order < best!.order { best = (conversation, order, owner.record) }
        }
        return best.map { ($0.slot, $0.owner) }
    }

    /// Whether the agent meets every need of a requirement set.
    mutating func agentSatisfies(_ agent: Int, _ requirement: Int32) -> Bool {
        let packed = packedRequirements[Int(requirement)]
        let levels = agent * skillDefinitions.count
        guard packed.count >= 0 else {
            for need in requirementSets[Int(requirement)] where agentSkillLevels[levels + Int(need.skill)] < need.level
            {
                return false
            }
            return true
        }
        if packed.count > 0, agentSkillLevels[levels + Int(packed.skill0)] < packed.level0 { return false }
        if packed.count > 1, agentSkillLevels[levels + Int(packed.skill1)] < packed.level1 { return false }
        if packed.count > 2, agentSkillLevels[levels + Int(packed.skill2)] < packed.level2 { return false }
        if packed.count > 3, agentSkillLevels[levels + Int(packed.skill3)] < packed.level3 { return false }
        return true
    }

    /// The oldest waiting conversation of the highest priority the agent may take now, and
    /// the ladder step at which they qualify for it.
    mutating func oldestTakeableConversation(for slot: Int32) -> (Int32, Int)? {
        let agent = Int(slot)
        var best: (slot: Int32, priority: Int, key: UInt64, step: Int)?
        guard isAvailable(agent: agent) else { return nil }
        // The channels they have room on, worked out once instead of once per queue.
        var takeable: UInt8 = 0
        for channel in Channel.allCases where hasRoom(agent: agent, on: channel) { takeable |= channel.bit }
        guard takeable != 0 else { return nil }
        let servedQueues = agents[agent].servedQueues
        for queue in servedQueues {
            let queueIndex = Int(queue)
            guard queues[queueIndex].waiting > queues[queueIndex].held,
                queues[queueIndex].channel.bit & takeable != 0
            else { continue }
            let queueBuckets = queues[queueIndex].buckets
            for bucketID in queueBuckets {
                let bucket = Int(bucketID)
                guard buckets[bucket].count > 0 else { continue }
                let priority = buckets[bucket].priority
                if let best, priority < best.priority { continue }
                if let best, priority == best.priority {
                    // No line of the bucket starts earlier than the best so far: nothing in it
                    // can win (a head skipped for exclusions only leads to later entries), so
                    // the agent's skills need not be checked against it.
                    var earliest = UInt64.max
                    for line in 0..<buckets[bucket].lines.count {
                        if let head = buckets[bucket].lines[line].first, head.key < earliest { earliest = head.key }
                    }
                    if earliest >= best.key { continue }
                }
                var qualifyingStep = -1
                for step in 0..<buckets[bucket].stepRequirements.count
                where agentSatisfies(agent, buckets[bucket].stepRequirements[step]) {
                    qualifyingStep = step
                    break
                }
                guard qualifyingStep >= 0 else { continue }
                for step in qualifyingStep..<buckets[bucket].lines.count {
                    guard let head = buckets[bucket].lines[step].first else { continue }
                    let entry =
                        head.hasExclusions
                        ? buckets[bucket].lines[step].first(limit: Self.lineScanLimit) {
                            !$0.hasExclusions || !conversations[Int($0.slot)].excluded.contains(slot)
                        } : head
                    guard let entry else { continue }
                    if let best, priority < best.priority || (priority == best.priority && entry.key >= best.key) {
                        continue
                    }
                    best = (entry.slot, priority, entry.key, qualifyingStep)
                }
            }
        }
        return best.map { ($0.slot, $0.step) }
    }

    // MARK: Assignment

    /// Offers or assigns a conversation that has just stopped waiting.
    mutating func assign(_ slot: Int32, to agentSlot: Int32, reason: DecisionReason, direct: Bool = false) {
        let index = Int(slot)
        let agent = Int(agentSlot)
        let queue = Int(conversations[index].queue)
        let channel = conversations[index].channel
        let decision = RoutingDecision(
            conversation: conversations[index].id, customer: conversations[index].customer, queue: queues[queue].id,
            channel: channel, agent: agents[agent].profile.id, reason: reason,
            presenceStamp: agentHot[agent].presence.stamp, decidedAt: now)
        agentHot[agent].load[channel] += 1
        agentHot[agent].live[channel] += 1
        agents[agent].work.append(slot)
        agentHot[agent].idleSince = nowMilliseconds
        if queues[queue].method == .roundRobin {
            agents[agent].roundRobinTurns[Int32(queue)] = nextRoundRobinTurn
            nextRoundRobinTurn += 1
        }
        conversations[index].agent = agentSlot
        conversations[index].decision = decision
        if queues[queue].offers && !direct {
            let expires = nowMilliseconds + queues[queue].offerTimeoutMilliseconds
            conversations[index].state = .offered
            conversations[index].offerExpiresAt = expires
            scheduleTimer(.offerExpiry, at: expires, slot: slot)
            emit(.offered(decision, expiresAt: instant(expires)))
        } else {
            conversations[index].state = .assigned
            conversations[index].assignedAt = nowMilliseconds
            emit(.assigned(decision))
            countAssignment(slot)
            setOwner(of: slot, to: agentSlot, reason: reason.rule == .transfer ? .transferred : .assigned)
        }
        refreshAgent(agentSlot)
        markLoadChanged(agentSlot)
    }

    mutating func countAssignment(_ slot: Int32) {
        let queue = Int(conversations[Int(slot)].queue)
        queues[queue].assigned += 1
        if nowMilliseconds - conversations[Int(slot)].waitingSince <= queues[queue].serviceLevelMilliseconds {
            queues[queue].assignedWithinServiceLevel += 1
        }
    }

    // MARK: Reasons

    mutating func stickyReason(_ slot: Int32, owner: Int32, record: OwnerRecord, heldMilliseconds: Int64?)
        -> DecisionReason
    {
        let agent = Int(owner)
        let channel = conversations[Int(slot)].channel
        return DecisionReason(
            rule: .sticky, agentName: agents[agent].profile.name, channel: channel,
            loadBefore: agentHot[agent].load[channel], capacity: agentHot[agent].capacity[channel],
            ownerLastHandledSecondsAgo: record.openConversations > 0
                ? nil : seconds(nowMilliseconds - record.lastHandledAt),
            heldSeconds: heldMilliseconds.map(seconds))
    }

    /// How the agent ranked under the queue's method at the step used.
    mutating func rankedSelection(_ slot: Int32, agent agentSlot: Int32, step: Int, eligible: Int)
        -> DecisionReason.Selection
    {
        let agent = Int(agentSlot)
        let channel = conversations[Int(slot)].channel
        let requirement = buckets[Int(conversations[Int(slot)].bucket)].stepRequirements[step]
        var skillScore = 0
        for need in requirementSets[Int(requirement)] { skillScore += Int(agents[agent].skillLevels[Int(need.skill)]) }
        return .ranked(
            method: queues[Int(conversations[Int(slot)].queue)].method, eligible: eligible,
            idleSeconds: seconds(nowMilliseconds - agentHot[agent].idleSince),
            freeCapacity: agentHot[agent].capacity[channel] - agentHot[agent].load[channel], skillScore: skillScore)
    }

    mutating func rankedReason(
        _ slot: Int32, agent agentSlot: Int32, step: Int, selection: DecisionReason.Selection,
        passedOver: PassedOverOwner?
    ) -> DecisionReason {
        let index = Int(slot)
        let agent = Int(agentSlot)
        let bucket = Int(conversations[index].bucket)
        let queue = Int(conversations[index].queue)
        let matched = requirementSets[Int(buckets[bucket].stepRequirements[step])].map {
            SkillLevelFact(
                skill: skillDefinitions[Int($0.skill)].id, skillName: skillDefinitions[Int($0.skill)].name,
                level: Int(agents[agent].skillLevels[Int($0.skill)]))
        }
        let rule: RoutingRule =
            step > 0 ? .fallbackStep(step + 1) : (conversations[index].holdExpired ? .holdForOwnerFallback : .skills)
        let channel = conversations[index].channel
        var reason = DecisionReason(
            rule: rule, agentName: agents[agent].profile.name, channel: channel,
            loadBefore: agentHot[agent].load[channel], capacity: agentHot[agent].capacity[channel],
            matchedSkills: matched, selection: selection, stickyNote: note(passedOver))
        if rule == .holdForOwnerFallback { reason.heldSeconds = seconds(conversations[index].heldMilliseconds) }
        if step > 0 {
            reason.stepAfterSeconds = queues[queue].stepAfterSeconds[step - 1]
            reason.relaxation = queues[queue].stepRelaxations[step - 1]
            reason.unmetRequirement = requirementFacts[Int(buckets[bucket].stepRequirements[0])]
        }
        return reason
    }

    func describe(_ step: FallbackStep) -> String {
        if step.anyAgentOfQueue { return "any agent of the queue" }
        var parts: [String] = []
        if !step.dropSkillKinds.isEmpty {
            let kinds = step.dropSkillKinds.map(\.rawValue).joined(separator: " and ")
            parts.append("\(kinds) skill\(step.dropSkillKinds.count > 1 ? "s" : "") dropped")
        }
        if !step.dropSkills.isEmpty {
            let names = step.dropSkills.map { id in skillDefinitions.first { $0.id == id }?.name ?? id.rawValue }
            parts.append("\(names.joined(separator: ", ")) dropped")
        }
        if step.lowerMinimumLevelsBy > 0 { parts.append("minimum levels lowered by \(step.lowerMinimumLevelsBy)") }
        return parts.isEmpty ? "requirement unchanged" : parts.joined(separator: ", ")
    }

    // MARK: Alerts

    mutating func raiseRarityAlerts(_ slot: Int32) {
        let index = Int(slot)
        let requirement = buckets[Int(conversations[index].bucket)].stepRequirements[0]
        // Every decision asks; almost always some agent has each skill: check the packed
        // needs first, and walk the set only when one of them has no Available agent.
        let packed = packedRequirements[Int(requirement)]
        if packed.count >= 0 {
            var rare = false
            if packed.count > 0, availableSkillCounts[Int(packed.skill0)][Int(packed.level0)] == 0 { rare = true }
            if packed.count > 1, availableSkillCounts[Int(packed.skill1)][Int(packed.level1)] == 0 { rare = true }
            if packed.count > 2, availableSkillCounts[Int(packed.skill2)][Int(packed.level2)] == 0 { rare = true }
            if packed.count > 3, availableSkillCounts[Int(packed.skill3)][Int(packed.level3)] == 0 { rare = true }
            guard rare else { return }
        }
        for need in requirementSets[Int(requirement)]
        where availableSkillCounts[Int(need.skill)][Int(need.level)] == 0 {
            let alert = RoutingAlert.skillTooRare(
                skill: skillDefinitions[Int(need.skill)].id, minimumLevel: Int(need.level),
                queue: queues[Int(conversations[index].queue)].id, conversation: conversations[index].id)
            if activeAlerts[alert.key] == nil {
                activeAlerts[alert.key] = alert
                emit(.alertRaised(alert))
            }
        }
    }

    mutating func clearResolvedRarityAlerts() {
        guard !activeAlerts.isEmpty else { return }
        var resolved: [RoutingAlert.Key] = []
        for key in activeAlerts.keys {
            guard case .skillTooRare(let skill, let level, _) = key, let skillSlot = skillSlots[skill] else { continue }
            if availableSkillCounts[Int(skillSlot)][level] > 0 { resolved.append(key) }
        }
        for key in resolved.sorted(by: { String(describing: $0) < String(describing: $1) }) {
            activeAlerts.removeValue(forKey: key)
            emit(.alertCleared(key))
        }
    }

    mutating func checkDirtyQueues() {
        for queue in dirtyQueues {
            let index = Int(queue)
            let over =
                (queues[index].maxWaiting.map { queues[index].waiting > $0 } ?? false) || queues[index].overdue > 0
            if over && !queues[index].overflowRaised {
                let limits = queues[index].configuration.overflow
                let alert = RoutingAlert.queueOverflow(
                    queue: queues[index].id, waiting: queues[index].waiting, maxWaiting: limits.maxWaiting,
                    overdue: queues[index].overdue, maxWaitSeconds: limits.maxWaitSeconds)
                queues[index].overflowRaised = true
                activeAlerts[.queueOverflow(queue: queues[index].id)] = alert
                emit(.alertRaised(alert))
            } else if !over && queues[index].overflowRaised {
                queues[index].overflowRaised = false
                let key = RoutingAlert.Key.queueOverflow(queue: queues[index].id)
                activeAlerts.removeValue(forKey: key)
                emit(.alertCleared(key))
            }
        }
        dirtyQueues.emptyKeepingCapacity()
    }
}
