import Synchronization

/// The messages a socket received, in batches, as an async sequence. Taking a batch tells the
/// I/O thread the consumer has room again (see `SocketSpec.inboundMessagesMax`).
public struct InboundStream: AsyncSequence, Sendable {
    public typealias Element = InboundBatch
    public typealias Failure = Never

    let stream: AsyncStream<InboundBatch>
    let flow: InboundFlow

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: stream.makeAsyncIterator(), flow: flow)
    }

    public struct Iterator: AsyncIteratorProtocol {
        var base: AsyncStream<InboundBatch>.AsyncIterator
        let flow: InboundFlow

        public mutating func next() async -> InboundBatch? {
            guard let batch = await base.next() else { return nil }
            flow.consumed(batch.messages.count)
            return batch
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async -> InboundBatch? {
            guard let batch = await base.next(isolation: actor) else { return nil }
            flow.consumed(batch.messages.count)
            return batch
        }
    }
}

/// Messages delivered to a consumer and not yet taken, shared by the I/O thread (which pauses
/// reading at `limit`) and the consumer (which resumes it once below half the limit).
final class InboundFlow: Sendable {
    let limit: Int
    private let pending = Atomic<Int>(0)
    private let paused = Atomic<Bool>(false)
    private let wake: @Sendable () -> Void

    init(limit: Int, wake: @escaping @Sendable () -> Void) {
        self.limit = limit
        self.wake = wake
    }

    var isPaused: Bool { paused.load(ordering: .sequentiallyConsistent) }

    /// I/O thread: true when reading must stop. Marks paused first, then re-reads the count,
    /// so a consumer catching up at the same moment either sees the mark or is seen here.
    func shouldPause() -> Bool {
        guard pending.load(ordering: .sequentiallyConsistent) >= limit else { return false }
        paused.store(true, ordering: .sequentiallyConsistent)
        if pending.load(ordering: .sequentiallyConsistent) < limit {
            paused.store(false, ordering: .sequentiallyConsistent)
            return false
        }
        return true
    }

    /// I/O thread: `count` messages handed to the stream.
    func delivered(_ count: Int) {
        pending.add(count, ordering: .sequentiallyConsistent)
    }

    /// Consumer: `count` messages taken. Wakes the I/O thread when reading may resume.
    func consumed(_ count: Int) {
        let now = pending.subtract(count, ordering: .sequentiallyConsistent).newValue
        if now < limit / 2 + 1, paused.load(ordering: .sequentiallyConsistent),
            paused.exchange(false, ordering: .sequentiallyConsistent)
        {
            wake()
        }
    }
}
