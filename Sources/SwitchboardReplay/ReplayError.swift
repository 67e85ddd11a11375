/// A replay refused before anything ran: which file, what is wrong and what to do instead.
public struct ReplayError: Error, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
