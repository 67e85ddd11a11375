import Glibc
import Synchronization

/// An exclusive `flock` on `<database>.lock`, held for as long as the store is open. Two
/// processes writing one authority's database would each raise the epoch and publish their own
/// seqs: the second is refused at open instead. The kernel drops the lock when the process
/// dies, so a restart after SIGKILL is never blocked by its dead predecessor.
final class DatabaseFileLock: Sendable {
    let path: String
    private let descriptor: Mutex<Int32?>

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = Mutex(descriptor)
    }

    enum Failure: Error {
        case cannotOpen(String)
        case held
    }

    /// Takes the lock without waiting.
    static func acquire(path: String) throws(Failure) -> DatabaseFileLock {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .cannotOpen(String(cString: strerror(errno))) }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            let failure: Failure = errno == EWOULDBLOCK ? .held : .cannotOpen(String(cString: strerror(errno)))
            close(descriptor)
            throw failure
        }
        return DatabaseFileLock(path: path, descriptor: descriptor)
    }

    /// Releases the lock (closing the descriptor drops it). Safe to call more than once.
    func release() {
        let open = descriptor.withLock { descriptor -> Int32? in
            defer { descriptor = nil }
            return descriptor
        }
        if let open { close(open) }
    }

    deinit { release() }
}
