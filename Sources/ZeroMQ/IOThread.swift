import CZeroMQ
import Glibc
import Synchronization

/// A named OS thread that runs one closure, outside Swift's cooperative pool, and can be joined.
/// Used for the one thread per process that owns every ZeroMQ socket.
final class IOThread: Sendable {
    private let thread: pthread_t
    private let joined = Atomic<Bool>(false)

    /// Starts `body` on a new thread named `name` (at most 15 bytes are kept by Linux).
    init(name: String, body: @escaping @Sendable () -> Void) throws(ZMQError) {
        let box = Unmanaged.passRetained(ThreadBody(name: name, body: body))
        var thread = pthread_t()
        let result = pthread_create(
            &thread, nil,
            { argument in
                guard let argument else { return nil }
                let body = Unmanaged<ThreadBody>.fromOpaque(argument).takeRetainedValue()
                _ = switchboard_name_thread(body.name)
                body.body()
                return nil
            }, box.toOpaque())
        guard result == 0 else {
            box.release()
            throw ZMQError(code: result, operation: "start I/O thread \(name)")
        }
        self.thread = thread
    }

    /// Waits for the thread to end. Call it only once the thread has signalled that its body
    /// returned, so this reaps a finished thread rather than blocking a caller's thread.
    func join() {
        if !joined.exchange(true, ordering: .acquiringAndReleasing) {
            pthread_join(thread, nil)
        }
    }

    deinit {
        // Never joined (the owner skipped shutdown): let the system reap it when it ends.
        if !joined.load(ordering: .acquiring) {
            pthread_detach(thread)
        }
    }
}

private final class ThreadBody: Sendable {
    let name: String
    let body: @Sendable () -> Void

    init(name: String, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }
}
