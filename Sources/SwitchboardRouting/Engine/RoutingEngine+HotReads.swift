// Reads of the hot per-agent and per-conversation state by slot, and two conventions that
// keep a decision free of hidden copies (each was measured as a large share of its cost):
//
// - Read stored fields of array elements (`conversations[slot].state`), never a computed
//   property or method of the element (`conversations[slot].isWaiting`): for those Swift
//   first copies the whole element (hundreds of bytes, and for a conversation a dozen
//   reference counts).
// - Read-only helpers on the decision path are declared `mutating`. Every input is handled
//   by mutating methods, and each call from a mutating method to a non-mutating one makes
//   Swift copy the whole engine value (about 400 bytes) into a temporary; a mutating callee
//   gets the engine by reference instead. Such helpers change nothing.
extension RoutingEngine {
    // MARK: Conversations

    @inline(__always)
    mutating func isWaiting<Slot: BinaryInteger>(_ slot: Slot) -> Bool {
        conversations[Int(slot)].state == .queued && !conversations[Int(slot)].isFree
    }

    @inline(__always)
    mutating func isHeld<Slot: BinaryInteger>(_ slot: Slot) -> Bool { conversations[Int(slot)].heldFor >= 0 }

    /// Service order within a line (see `WaitingLine.key`).
    @inline(__always)
    mutating func lineKey<Slot: BinaryInteger>(_ slot: Slot) -> UInt64 {
        WaitingLine.key(
            arrivalSequence: conversations[Int(slot)].arrivalSequence,
            aheadOfNewWork: conversations[Int(slot)].aheadOfNewWork)
    }

    // MARK: Agents

    /// Available per the presence tracker and not taken out of routing by the engine.
    @inline(__always)
    mutating func isAvailable<Slot: BinaryInteger>(agent slot: Slot) -> Bool {
        let index = Int(slot)
        return agentHot[index].presence.status == .available && !agentHot[index].isSetAway
            && !agentHot[index].isRemoved
    }

    /// Channels that the agent's live work blocks now.
    @inline(__always)
    mutating func blockedMask<Slot: BinaryInteger>(agent slot: Slot) -> UInt8 {
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
    mutating func hasRoom<Slot: BinaryInteger>(agent slot: Slot, on channel: Channel) -> Bool {
        let index = Int(slot)
        return agentHot[index].load[channel] < agentHot[index].capacity[channel]
            && blockedMask(agent: index) & channel.bit == 0
    }

    @inline(__always)
    mutating func canTake<Slot: BinaryInteger>(agent slot: Slot, _ channel: Channel) -> Bool {
        isAvailable(agent: slot) && hasRoom(agent: slot, on: channel)
    }

    /// Whether they could take work on some channel now.
    @inline(__always)
    mutating func canTakeAny<Slot: BinaryInteger>(agent slot: Slot) -> Bool {
        isAvailable(agent: slot)
            && (hasRoom(agent: slot, on: .voice) || hasRoom(agent: slot, on: .chat)
                || hasRoom(agent: slot, on: .messaging) || hasRoom(agent: slot, on: .email)
                || hasRoom(agent: slot, on: .case))
    }
}
