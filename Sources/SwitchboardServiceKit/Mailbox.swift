import DequeModule
import Synchronization

/// Work handed to one loop from anywhere: items queue in order under a lock, and the loop is
/// woken (one wake-up waits at most, however many items arrive meanwhile). The loop takes
/// what has gathered in batches. Once closed, posting is refused, so the poster can answer
/// the item itself: every item is either taken by the loop or refused, never left waiting.
///
/// The router, the monitor and each of the summariser's conversation actors run on one.
public final class Mailbox<Item: Sendable>: Sendable {
    private struct State {
        var items: Deque<Item> = []
        /// The sum of the items' weights (what a poster's back-pressure looks at).
        var weight = 0
        var closed = false
    }

    private let state = Mutex(State())
    private let weigh: @Sendable (Item) -> Int
    private let wake: AsyncStream<Void>.Continuation
    /// One element each time something may have been posted; it ends when the mailbox closes.
    /// Only the loop that owns the mailbox iterates it.
    public let wakeUps: AsyncStream<Void>

    /// - Parameter weight: how much an item counts towards ``weight`` (1 each by default; a
    ///   batch of inputs may count as its size).
    public init(weight: @escaping @Sendable (Item) -> Int = { _ in 1 }) {
        weigh = weight
        (wakeUps, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues `item` and wakes the loop; false, and nothing queued, once the mailbox is closed.
    @discardableResult
    public func post(_ item: Item) -> Bool {
        let weight = weigh(item)
        let queued = state.withLock { state -> Bool in
            if state.closed { return false }
            state.items.append(item)
            state.weight += weight
            return true
        }
        if queued { wake.yield() }
        return queued
    }

    /// Queues `items` in order (all or, once closed, none).
    @discardableResult
    public func post(contentsOf items: [Item]) -> Bool {
        guard !items.isEmpty else { return true }
        let weight = items.reduce(0) { $0 + weigh($1) }
        let queued = state.withLock { state -> Bool in
            if state.closed { return false }
            state.items.append(contentsOf: items)
            state.weight += weight
            return true
        }
        if queued { wake.yield() }
        return queued
    }

    /// The oldest items, `max` at most, in the order they were posted.
    public func take(max: Int = .max) -> [Item] {
        state.withLock { state -> [Item] in
            let count = min(max, state.items.count)
            guard count > 0 else { return [] }
            let taken = Array(state.items.prefix(count))
            state.items.removeFirst(count)
            state.weight -= taken.reduce(0) { $0 + weigh($1) }
            return taken
        }
    }

    /// The weight of what waits (see `init(weight:)`).
    public var weight: Int { state.withLock { $0.weight } }

    public var isClosed: Bool { state.withLock { $0.closed } }

    /// Refuses every later post, ends ``wakeUps`` and returns what was still waiting, for the
    /// loop to answer.
    @discardableResult
    public func close() -> [Item] {
        let left = state.withLock { state -> [Item] in
            state.closed = true
            defer {
                state.items.removeAll()
                state.weight = 0
            }
            return Array(state.items)
        }
        wake.finish()
        return left
    }
}
