/// Why a benchmark could not produce its figures: says what failed and what to look at.
public struct BenchmarkError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
