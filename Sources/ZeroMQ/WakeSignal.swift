import CZeroMQ
import Glibc

/// An eventfd that any thread may signal and that `zmq_poll` watches beside the sockets, so
/// the I/O thread sleeps in one poll yet wakes as soon as there is outbound work. (An inproc
/// socket written from many threads would break ZeroMQ's thread confinement.)
final class WakeSignal: Sendable {
    let descriptor: Int32

    init() throws(ZMQError) {
        let descriptor = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard descriptor >= 0 else { throw ZMQError(code: errno, operation: "create eventfd") }
        self.descriptor = descriptor
    }

    deinit {
        Glibc.close(descriptor)
    }

    /// Wakes the poller. Never blocks: the counter saturating would only mean it is already set.
    func signal() {
        var one: UInt64 = 1
        _ = Glibc.write(descriptor, &one, MemoryLayout<UInt64>.size)
    }

    /// Resets the counter after the poller saw it readable.
    func consume() {
        var value: UInt64 = 0
        _ = Glibc.read(descriptor, &value, MemoryLayout<UInt64>.size)
    }
}
