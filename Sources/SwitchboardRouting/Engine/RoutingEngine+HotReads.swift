// Reads of the hot per-agent and per-conversation state by slot. They touch stored fields
// only: a computed property called on an array element makes Swift copy the whole element
// first (hundreds of bytes, and for a conversation a dozen reference counts), which was
// the largest single cost of a decision.
extension RoutingEngine {
    // MARK: Conversations

    @inline(__always)
    func isWaiting<Slot: BinaryInteger>(_ slot: Slot) -> Bool {
        conversations[Int(slot)].state == .queued && !conversations[Int(slot)].isFree
    }

    @inline(__always)
    func isHeld<Slot: BinaryInteger>(_ slot: Slot) -> Bool { conversations[Int(slot)].heldFor >= 0 }

    /// Service order within a line (see `WaitingLine.key`).
    @inline(__always)
    func lineKey<Slot: BinaryInteger>(_ slot: Slot) -> UInt64 {
        WaitingLine.key(
            arrivalSequence: conversations[Int(slot)].arrivalSequence,
            aheadOfNewWork: conversations[Int(slot)].aheadOfNewWork)
    }

    // MARK: Agents

    /// Available per the presence tracker and not taken out of routing by the engine.
    @inline(__always)
    func isAvailable<Slot: BinaryInteger>(agent slot: Slot) -> Bool {
        let index = Int(slot)
        return agentHot[index].presence.status == .available && !agentHot[index].isSetAway
            && !agentHot[index].isRemoved
    }

    /// Channels that the agent's live work blocks now.
    @inline(__always)
    func blockedMask<Slot: BinaryInteger>(agent slot: Slot) -> UInt8 {
        let index = Int(slot)
        let blocks = agentHot[index].exclusionBlocks
        guard blocks != 0 else { return 0 }
        var mask: UInt64 = 0
        if agentHot[index].live.voice > 0 { mask |= blocks }
        if agentHot[index].live.chat > 0 { mask |= blocks >> 8 }
        if agentHot[index].live.messaging > 0 { mask |= blocks >> 16 }
        if agentHot[index].live.email > 0 { mask |= blocks >> 24 }
        if agentHot[index].live.case > 0 { mask |= blocks >> 32 }
        return UInt8(truncatingIfNeeded: mask)
    }

    /// Free capacity on `channel` with no live exclusion against it.
    @inline(__always)
    func hasRoom<Slot: BinaryInteger>(agent slot: Slot, on channel: Channel) -> Bool {
        let index = Int(slot)
        return agentHot[index].load[channel] < agentHot[index].capacity[channel]
            && blockedMask(agent: index) & channel.bit == 0
    }

    @inline(__always)
    func canTake<Slot: BinaryInteger>(agent slot: Slot, _ channel: Channel) -> Bool {
        isAvailable(agent: slot) && hasRoom(agent: slot, on: channel)
    }

    /// Whether they could take work on some channel now.
    @inline(__always)
    func canTakeAny<Slot: BinaryInteger>(agent slot: Slot) -> Bool {
        isAvailable(agent: slot)
            && (hasRoom(agent: slot, on: .voice) || hasRoom(agent: slot, on: .chat)
                || hasRoom(agent: slot, on: .messaging) || hasRoom(agent: slot, on: .email)
                || hasRoom(agent: slot, on: .case))
    }
}
