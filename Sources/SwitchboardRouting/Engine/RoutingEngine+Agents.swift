// Agents: add, update, remove, presence, and keeping the agent indexes current.
extension RoutingEngine {
    // MARK: Inputs

    mutating func addAgent(_ profile: AgentProfile, presence: AgentPresence) throws(RoutingError) {
        guard agentSlots[profile.id] == nil else { throw .duplicateAgent(profile.id) }
        let resolved = try resolve(profile)
        let slot = Int32(agents.count)
        agents.append(
            AgentState(
                profile: profile, skillLevels: resolved.levels, exclusionMasks: resolved.exclusions,
                servedQueues: sharedQueueList(resolved.queues)))
        agentHot.append(
            AgentHotState(
                presence: presence, idleSince: nowMilliseconds, capacity: resolved.capacity,
                exclusions: resolved.exclusions))
        agentSkillLevels.append(contentsOf: resolved.levels)
        agentSlots[profile.id] = slot
        for queue in resolved.queues { queues[Int(queue)].servingAgents.insert(slot) }
        rebuildMemberships(slot)
        if isAvailable(agent: Int(slot)) { adjustSkillCounts(slot, by: 1) }
        markLoadChanged(slot)
        if isAvailable(agent: Int(slot)) {
            clearResolvedRarityAlerts()
            fillAgent(slot)
        }
    }

    mutating func updateAgent(_ profile: AgentProfile) throws(RoutingError) {
        let slot = try agentSlot(profile.id)
        let resolved = try resolve(profile)
        let wasAvailable = isAvailable(agent: Int(slot))
        if wasAvailable { adjustSkillCounts(slot, by: -1) }
        for queue in agents[Int(slot)].servedQueues { queues[Int(queue)].servingAgents.remove(slot) }
        agents[Int(slot)].profile = profile
        agents[Int(slot)].skillLevels = resolved.levels
        let firstLevel = Int(slot) * skillDefinitions.count
        agentSkillLevels.replaceSubrange(firstLevel..<firstLevel + resolved.levels.count, with: resolved.levels)
        agentHot[Int(slot)].capacity = resolved.capacity
        agentHot[Int(slot)].exclusionBlocks = AgentHotState.pack(resolved.exclusions)
        agents[Int(slot)].exclusionMasks = resolved.exclusions
        agents[Int(slot)].servedQueues = sharedQueueList(resolved.queues)
        for queue in resolved.queues { queues[Int(queue)].servingAgents.insert(slot) }
        rebuildMemberships(slot)
        if wasAvailable { adjustSkillCounts(slot, by: 1) }
        markLoadChanged(slot)
        if isAvailable(agent: Int(slot)) {
            clearResolvedRarityAlerts()
            fillAgent(slot)
        }
    }

    /// "Leaves the company": ownership cleared, held work released, offered and assigned
    /// work (voice included) re-queued ahead of new work, wrap-ups ended.
    mutating func removeAgent(_ id: AgentID) throws(RoutingError) {
        let slot = try agentSlot(id)
        emit(.agentRemoved(id))
        if isAvailable(agent: Int(slot)) { adjustSkillCounts(slot, by: -1) }
        agentHot[Int(slot)].isRemoved = true
        refreshAgent(slot)
        releaseHolds(of: slot)
        let owned = ownedCustomers(of: slot).sorted { customers[Int($0)].id < customers[Int($1)].id }
        for customer in owned {
            clearOwnership(of: customer, reason: .agentRemoved)
        }
        for work in agents[Int(slot)].work.sorted(by: { arrivalOrder($0, $1) }) {
            switch conversations[Int(work)].state {
            case .wrapUp: finishWrapUp(work, disposition: nil, timedOut: true, refill: false)
            default: requeueFromAgent(work, reason: .agentRemoved)
            }
        }
        for queue in agents[Int(slot)].servedQueues { queues[Int(queue)].servingAgents.remove(slot) }
        agentSlots.removeValue(forKey: id)
        // Their entries leave the indexes' live counts before their memberships go.
        refreshPendingAgents()
        agents[Int(slot)].memberships = []
        for conversation in agents[Int(slot)].waitingOwned { unlistFromOwner(conversation) }
    }

    mutating func changePresence(_ id: AgentID, status: PresenceStatus, stamp: PresenceStamp) throws(RoutingError) {
        let slot = try agentSlot(id)
        let index = Int(slot)
        // The presence tracker is the authority; an older or repeated event changes nothing.
        guard stamp > agentHot[index].presence.stamp else { return }
        let wasAvailable = isAvailable(agent: index)
        let previousStatus = agentHot[index].presence.status
        let statusChanged = previousStatus != status || agents[index].awayReason != nil
        agentHot[index].presence = AgentPresence(
            status: status, stamp: stamp, since: statusChanged ? now : agentHot[index].presence.since)
        agents[index].awayReason = nil
        agentHot[index].isSetAway = false
        let isAvailable = isAvailable(agent: index)
        if wasAvailable != isAvailable { adjustSkillCounts(slot, by: isAvailable ? 1 : -1) }
        if isAvailable && !wasAvailable {
            agentHot[index].idleSince = nowMilliseconds
            agents[index].missedOffersInARow = 0
        }
        refreshAgent(slot)
        if status == .offline && previousStatus != .offline {
            goOffline(slot)
        } else if status != .offline && previousStatus == .offline {
            for work in agents[index].work where conversations[Int(work)].graceEndsAt != 0 {
                conversations[Int(work)].graceEndsAt = 0
            }
        }
        if wasAvailable != isAvailable || statusChanged { markLoadChanged(slot) }
        if isAvailable {
            if !wasAvailable { clearResolvedRarityAlerts() }
            fillAgent(slot)
        }
    }

    /// Offline: holds for them end, offers are withdrawn and re-queued at once, assigned
    /// work other than a live voice call is re-queued after the grace period.
    mutating func goOffline(_ slot: Int32) {
        releaseHolds(of: slot)
        let grace = RoutingInstant.milliseconds(fromSeconds: configuration.offlineGraceSeconds)
        for work in agents[Int(slot)].work.sorted(by: { arrivalOrder($0, $1) }) {
            let record = conversations[Int(work)]
            switch record.state {
            case .offered:
                requeueFromAgent(work, reason: .agentOffline)
            case .assigned where record.channel != .voice:
                if grace == 0 {
                    requeueFromAgent(work, reason: .agentOffline)
                } else {
                    conversations[Int(work)].graceEndsAt = nowMilliseconds + grace
                    scheduleTimer(.offlineGrace, at: nowMilliseconds + grace, slot: work)
                }
            default:
                break
            }
        }
    }

    /// Conversations held for this agent go back to the general lines (their hold is over).
    mutating func releaseHolds(of slot: Int32) {
        let held = agents[Int(slot)].waitingOwned.filter { conversations[Int($0)].heldFor == slot }
        for conversation in held.sorted(by: { arrivalOrder($0, $1) }) {
            conversations[Int(conversation)].heldMilliseconds =
                nowMilliseconds - conversations[Int(conversation)].heldSinceMilliseconds
            removeHold(conversation)
            conversations[Int(conversation)].holdExpired = true
            decide(conversation, announce: .holdReleased)
        }
    }

    func arrivalOrder(_ lhs: Int32, _ rhs: Int32) -> Bool {
        conversations[Int(lhs)].arrivalSequence < conversations[Int(rhs)].arrivalSequence
    }

    // MARK: Profile resolution

    /// One shared copy of each distinct list of served queues: agents of one role serve the
    /// same queues, and a freed agent reads the list first thing, so a shared one stays in cache.
    mutating func sharedQueueList(_ list: [Int32]) -> [Int32] {
        if let shared = servedQueueLists[list] { return shared }
        servedQueueLists[list] = list
        return list
    }

    func resolve(_ profile: AgentProfile) throws(RoutingError) -> (
        levels: [Int8], capacity: ChannelCounts, exclusions: [(channel: Channel, blocks: UInt8)], queues: [Int32]
    ) {
        guard isValidIdentifier(profile.id.rawValue) else {
            throw .invalidIdentifier(profile.id.rawValue, context: "agent id")
        }
        guard let role = roles[profile.role] else { throw .unknownRole(profile.role, agent: profile.id) }
        guard let capacityProfile = profiles[profile.capacityProfile] else {
            throw .unknownCapacityProfile(profile.capacityProfile, agent: profile.id)
        }
        var levels = [Int8](repeating: 0, count: skillDefinitions.count)
        for (skill, level) in profile.skills {
            guard let skillSlot = skillSlots[skill] else { throw .unknownSkill(skill, context: "agent \(profile.id)") }
            guard SkillLevel.range.contains(level) else {
                throw .invalidValue("agent \(profile.id) has \(skill) at level \(level); levels run 1 to 5")
            }
            levels[Int(skillSlot)] = Int8(level)
        }
        var capacity = ChannelCounts(capacityProfile.capacity)
        for (channel, cap) in profile.capacityOverrides {
            guard cap >= 0 else { throw .invalidValue("agent \(profile.id) capacity override \(channel) is negative") }
            capacity[channel] = cap
        }
        let exclusions = capacityProfile.exclusions.map { exclusion in
            (channel: exclusion.channel, blocks: exclusion.blocks.reduce(UInt8(0)) { $0 | $1.bit })
        }
        var queueIDs = role.queues + capacityProfile.queues
        for queue in profile.additionalQueues {
            guard queueSlots[queue] != nil else { throw .unknownQueue(queue) }
            queueIDs.append(queue)
        }
        let served = Set(queueIDs.compactMap { queueSlots[$0] }).sorted()
        return (levels, capacity, exclusions, served)
    }

    // MARK: Indexes

    /// Rebuilds which indexes the agent may belong to (after add or a profile change).
    mutating func rebuildMemberships(_ slot: Int32) {
        let index = Int(slot)
        for membership in agents[index].memberships where membership.isMember {
            agentIndexes[Int(membership.index)].liveCount -= 1
        }
        agents[index].memberships = []
        agents[index].liveMemberships = 0
        for queue in agents[index].servedQueues {
            for indexID in queues[Int(queue)].indexes
            where agentSatisfies(index, agentIndexes[Int(indexID)].requirement) {
                agents[index].memberships.append(IndexMembership(index: indexID))
            }
        }
        refreshAgent(slot)
    }

    /// Notes that the agent's index entries must be brought up to date with their state before
    /// the next index query.
    mutating func refreshAgent(_ slot: Int32) {
        guard !agents[Int(slot)].refreshPending else { return }
        agents[Int(slot)].refreshPending = true
        agentsToRefresh.append(slot)
    }

    /// Brings the index entries of every agent noted by `refreshAgent` up to date.
    mutating func refreshPendingAgents() {
        guard !agentsToRefresh.isEmpty else { return }
        for slot in agentsToRefresh {
            agents[Int(slot)].refreshPending = false
            // An agent in no index who can take nothing (the usual case: they freed capacity
            // and took new work in the same step) has nothing to bring up to date.
            if agents[Int(slot)].liveMemberships == 0 && !canTakeAny(agent: Int(slot)) { continue }
            for position in 0..<agents[Int(slot)].memberships.count {
                refreshMembership(agent: slot, position: position)
            }
        }
        agentsToRefresh.emptyKeepingCapacity()
    }

    mutating func refreshMembership(agent slot: Int32, position: Int) {
        let index = Int(slot)
        let membership = agents[index].memberships[position]
        let indexID = Int(membership.index)
        let queue = agentIndexes[indexID].queue
        if canTake(agent: index, queues[Int(queue)].channel) {
            let (primary, secondary) = rankKey(agent: slot, index: indexID)
            if membership.isMember && membership.primary == primary && membership.secondary == secondary { return }
            let version = nextVersion
            nextVersion += 1
            agentIndexes[indexID].heap.push(
                RankEntry(
                    primary: primary, secondary: secondary, agentID: agents[index].profile.id, slot: slot,
                    membership: Int32(position), version: version))
            if !membership.isMember {
                agentIndexes[indexID].liveCount += 1
                agents[index].liveMemberships += 1
            }
            agents[index].memberships[position].isMember = true
            agents[index].memberships[position].version = version
            agents[index].memberships[position].primary = primary
            agents[index].memberships[position].secondary = secondary
        } else if membership.isMember {
            agents[index].memberships[position].isMember = false
            agentIndexes[indexID].liveCount -= 1
            agents[index].liveMemberships -= 1
        }
        compactIfBloated(indexID)
    }

    /// Rank under the index's queue method: lower is better; agent id breaks ties.
    mutating func rankKey(agent slot: Int32, index indexID: Int) -> (Int64, Int64) {
        let agent = Int(slot)
        let queue = agentIndexes[indexID].queue
        switch queues[Int(queue)].method {
        case .mostIdle:
            return (agentHot[agent].idleSince, 0)
        case .leastLoaded:
            let channel = queues[Int(queue)].channel
            let free = agentHot[agent].capacity[channel] - agentHot[agent].load[channel]
            return (-Int64(free), agentHot[agent].idleSince)
        case .roundRobin:
            return (Int64(agents[agent].roundRobinTurns[queue] ?? 0), 0)
        case .bestSkillMatch:
            let score = skillScore(agent: slot, requirement: agentIndexes[indexID].requirement)
            return (-Int64(score), agentHot[agent].idleSince)
        }
    }

    mutating func skillScore(agent slot: Int32, requirement: Int32) -> Int {
        requirementSets[Int(requirement)].reduce(0) { $0 + Int(agents[Int(slot)].skillLevels[Int($1.skill)]) }
    }

    mutating func isLive(_ entry: RankEntry, index indexID: Int32) -> Bool {
        let agent = Int(entry.slot)
        let position = Int(entry.membership)
        guard position < agents[agent].memberships.count else { return false }
        let membership = agents[agent].memberships[position]
        return membership.index == indexID && membership.isMember && membership.version == entry.version
    }

    /// Stale entries are skipped lazily; when they outnumber live ones the heap is rebuilt.
    mutating func compactIfBloated(_ indexID: Int) {
        let heapCount = agentIndexes[indexID].heap.count
        guard heapCount > 64, heapCount > 4 * agentIndexes[indexID].liveCount else { return }
        let live = agentIndexes[indexID].heap.elements.filter { isLive($0, index: Int32(indexID)) }
        agentIndexes[indexID].heap = MinHeap(live)
    }

    /// The best live agent of an index who is not excluded, with how many were eligible.
    mutating func bestAgent(index indexID: Int32, excluding excluded: [Int32]) -> (slot: Int32, eligible: Int)? {
        refreshPendingAgents()
        let id = Int(indexID)
        while let top = agentIndexes[id].heap.min, !isLive(top, index: indexID) { agentIndexes[id].heap.popMin() }
        guard let top = agentIndexes[id].heap.min else { return nil }
        if excluded.isEmpty { return (top.slot, agentIndexes[id].liveCount) }
        var excludedMembers = 0
        for agent in excluded
        where agents[Int(agent)].memberships.contains(where: { $0.index == indexID && $0.isMember }) {
            excludedMembers += 1
        }
        var setAside: [RankEntry] = []
        var found: Int32?
        while let entry = agentIndexes[id].heap.popMin() {
            guard isLive(entry, index: indexID) else { continue }
            setAside.append(entry)
            if !excluded.contains(entry.slot) {
                found = entry.slot
                break
            }
        }
        for entry in setAside { agentIndexes[id].heap.push(entry) }
        guard let found else { return nil }
        return (found, agentIndexes[id].liveCount - excludedMembers)
    }

    mutating func adjustSkillCounts(_ slot: Int32, by delta: Int32) {
        for (skill, level) in agents[Int(slot)].skillLevels.enumerated() where level > 0 {
            for atLeast in 1...Int(level) { availableSkillCounts[skill][atLeast] += delta }
        }
    }
}
