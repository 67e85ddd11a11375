/// A refused topology or contact-centre file: which file, where, which key, what is wrong and
/// (in the problem text) what to write instead.
public struct TopologyError: Error, Equatable, CustomStringConvertible {
    public let file: String
    /// The dotted path of the key, e.g. `services.router.command`.
    public let key: String
    public let line: Int?
    public let column: Int?
    public let problem: String

    public init(file: String, key: String, line: Int? = nil, column: Int? = nil, problem: String) {
        self.file = file
        self.key = key
        self.line = line
        self.column = column
        self.problem = problem
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        return key.isEmpty ? "\(location): \(problem)" : "\(location): \(key): \(problem)"
    }
}
