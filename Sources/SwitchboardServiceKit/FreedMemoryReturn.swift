import Foundation
public import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// Gives the memory a process has freed back to the system, every few seconds. The C allocator
/// keeps freed memory in its arenas for reuse, so after a burst (a backlog of events drained, a
/// checkpoint encoded, a late consumer's snapshot served) a process would go on holding the
/// burst's peak for the rest of its life: that is what the host's memory accounting, a
/// container's limit and the out-of-memory killer see, not what the process still uses.
/// `malloc_trim` returns the free pages of every arena. It runs on a thread of its own: it holds
/// the arenas' locks while it walks them, a few milliseconds that no task of the cooperative pool
/// should wait through.
public struct FreedMemoryReturn: Service {
    public static let intervalSeconds = 10.0

    public init() {}

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown {
                    try await Task.sleep(for: .seconds(Self.intervalSeconds))
                }
            } catch {
                return
            }
            await Self.returnFreedMemory()
        }
    }

    #if canImport(Glibc)
        /// glibc's `malloc_trim(pad)`, looked up at run time: its header is not part of the C
        /// library's module; nil with another C library, and then nothing is trimmed.
        private static let trim: (@convention(c) (Int) -> Int32)? = {
            guard let symbol = dlsym(nil, "malloc_trim") else { return nil }
            return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        }()
    #endif

    /// Returns what the allocator holds free, on a thread of its own; resumes when done.
    public static func returnFreedMemory() async {
        #if canImport(Glibc)
            guard Self.trim != nil else { return }
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                Thread.detachNewThread {
                    _ = Self.trim?(0)
                    done.resume()
                }
            }
        #endif
    }
}
