import Foundation

/// The summariser's epoch. It keeps no database, yet its epoch must rise at every start (a
/// consumer that sees a lower or equal epoch would ignore the new run's events): it is the wall
/// clock in milliseconds, and at least one more than the epoch of the previous run, which is
/// remembered in `<dataDirectory>/epoch` so that a clock stepped back cannot lower it.
public enum SummariserEpoch {
    public static let fileName = "epoch"

    /// The epoch for a start at `nowMilliseconds` after a run whose epoch was `previous`.
    public static func next(previous: UInt64?, nowMilliseconds: UInt64) -> UInt64 {
        max(nowMilliseconds, (previous ?? 0) + 1)
    }

    /// Reads the previous epoch from `directory`, chooses the next and records it. A file that
    /// cannot be written leaves the wall clock alone to order runs (and is reported).
    public static func start(in directory: String, nowMilliseconds: UInt64) -> (
        epoch: UInt64, recordError: (any Error)?
    ) {
        let path = (directory as NSString).appendingPathComponent(fileName)
        let previous = (try? String(contentsOfFile: path, encoding: .utf8))
            .flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let epoch = next(previous: previous, nowMilliseconds: nowMilliseconds)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try "\(epoch)\n".write(toFile: path, atomically: true, encoding: .utf8)
            return (epoch, nil)
        } catch {
            return (epoch, error)
        }
    }
}
