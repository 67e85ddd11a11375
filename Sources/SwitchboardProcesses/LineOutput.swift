public import Foundation
import Synchronization

/// Writes whole lines to a file descriptor (stdout by default), from any task, never
/// interleaving two lines. Each call is one write, so a reader sees lines as they happen.
public final class LineOutput: Sendable {
    private let handle: FileHandle
    private let lock = Mutex(())

    public init(handle: FileHandle = .standardOutput) {
        self.handle = handle
    }

    public static let standardError = LineOutput(handle: .standardError)

    public func write(_ line: String) {
        write(bytes: Array(line.utf8))
    }

    public func write(bytes: [UInt8]) {
        var data = Data(bytes)
        data.append(0x0A)
        lock.withLock { _ in
            // A closed pipe (the reader went away) is not our failure to report.
            try? handle.write(contentsOf: data)
        }
    }
}
