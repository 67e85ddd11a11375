import Synchronization

/// Counters of one socket, updated by the I/O thread, readable from any thread.
public final class SocketCounters: Sendable {
    private let receivedCount = Atomic<Int>(0)
    private let droppedInboundCount = Atomic<Int>(0)
    private let sentCount = Atomic<Int>(0)
    private let sendFailureCount = Atomic<Int>(0)

    init() {}

    /// Messages received and delivered to the inbound stream.
    public var received: Int { receivedCount.load(ordering: .relaxed) }
    /// Messages received but dropped because the inbound stream was full.
    public var droppedInbound: Int { droppedInboundCount.load(ordering: .relaxed) }
    /// Messages handed to libzmq.
    public var sent: Int { sentCount.load(ordering: .relaxed) }
    /// Messages libzmq refused (high-water mark, no such peer, no connection).
    public var sendFailures: Int { sendFailureCount.load(ordering: .relaxed) }

    func countReceived(_ count: Int) { receivedCount.add(count, ordering: .relaxed) }
    func countDroppedInbound(_ count: Int) { droppedInboundCount.add(count, ordering: .relaxed) }
    func countSent(_ count: Int = 1) { if count > 0 { sentCount.add(count, ordering: .relaxed) } }
    func countSendFailure() { sendFailureCount.add(1, ordering: .relaxed) }
}
