import Foundation
public import Yams

/// A YAML node with where it came from, so every refusal names the file, the line and the key.
/// Mappings are read with an explicit list of allowed keys: a misspelt key is an error (with a
/// suggestion), not silently ignored.
public struct YAMLValue {
    public let node: Node
    public let file: String
    /// Dotted key path from the document root ("" for the root).
    public let path: String

    public init(node: Node, file: String, path: String = "") {
        self.node = node
        self.file = file
        self.path = path
    }

    /// Parses a whole file.
    public static func load(file: String) throws(TopologyError) -> YAMLValue {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw TopologyError(
                file: file, key: "", problem: "cannot read the file (\(error.localizedDescription)); check the path")
        }
        return try parse(text, file: file)
    }

    /// Parses YAML text that came from `file`.
    public static func parse(_ text: String, file: String) throws(TopologyError) -> YAMLValue {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw TopologyError(file: file, key: "", problem: "the file is empty")
            }
            return YAMLValue(node: node, file: file)
        } catch let error as TopologyError {
            throw error
        } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
            throw duplicateKeyError(text: text, file: file, key: duplicates.first ?? "", mark: context.mark)
        } catch let YamlError.scanner(_, problem, mark, _), let YamlError.parser(_, problem, mark, _) {
            throw TopologyError(
                file: file, key: "", line: mark.line, column: mark.column, problem: "not valid YAML: \(problem)")
        } catch {
            throw TopologyError(file: file, key: "", problem: "not valid YAML: \(error)")
        }
    }

    /// Yams refuses a mapping with a repeated key before there is a tree, naming only the key
    /// and where it first appears. To name its key path too, that first occurrence is marked
    /// and the text parsed again: the marked key is then unique, and its place gives the path.
    static func duplicateKeyError(text: String, file: String, key: String, mark: Mark) -> TopologyError {
        let problem =
            "the name '\(key)' appears twice in one mapping; keep one (a second entry would replace the first)"
        let marker = "switchboard-marked-duplicate-"
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var path = key
        if lines.indices.contains(mark.line - 1) {
            var scalars = Array(lines[mark.line - 1].unicodeScalars)
            let position = min(max(mark.column - 1, 0), scalars.count)
            scalars.insert(contentsOf: marker.unicodeScalars, at: position)
            lines[mark.line - 1] = String(String.UnicodeScalarView(scalars))
            if let node = try? Yams.compose(yaml: lines.joined(separator: "\n")),
                let found = YAMLValue(node: node, file: file).path(ofKeyWithPrefix: marker)
            {
                path = found.replacingOccurrences(of: marker, with: "")
            }
        }
        return TopologyError(file: file, key: path, line: mark.line, column: mark.column, problem: problem)
    }

    /// The dotted path of the first mapping key starting with `prefix`, searched depth first.
    private func path(ofKeyWithPrefix prefix: String) -> String? {
        switch node {
        case .mapping(let mapping):
            for (keyNode, valueNode) in mapping {
                let key = keyNode.string ?? ""
                if key.hasPrefix(prefix) { return child(key, valueNode).path }
                if let found = child(key, valueNode).path(ofKeyWithPrefix: prefix) { return found }
            }
            return nil
        case .sequence:
            guard let elements = try? sequence() else { return nil }
            for element in elements {
                if let found = element.path(ofKeyWithPrefix: prefix) { return found }
            }
            return nil
        default:
            return nil
        }
    }

    public func error(_ problem: String, key: String? = nil) -> TopologyError {
        TopologyError(file: file, key: key ?? path, line: node.mark?.line, column: node.mark?.column, problem: problem)
    }

    private func child(_ key: String, _ node: Node) -> YAMLValue {
        YAMLValue(node: node, file: file, path: path.isEmpty ? key : "\(path).\(key)")
    }

    // MARK: Mappings

    /// The members of a mapping, refusing keys not in `allowed`.
    public func mapping(allowed: Set<String>) throws(TopologyError) -> [String: YAMLValue] {
        guard case .mapping(let mapping) = node else {
            throw error("expected a mapping of keys (\(allowed.sorted().joined(separator: ", ")))")
        }
        var members: [String: YAMLValue] = [:]
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string else { throw error("a key is not a plain string") }
            guard allowed.contains(key) else {
                let child = child(key, keyNode)
                throw child.error("unknown key '\(key)'\(Self.suggestion(for: key, among: allowed))")
            }
            guard members[key] == nil else { throw child(key, keyNode).error("the key '\(key)' appears twice") }
            members[key] = child(key, valueNode)
        }
        return members
    }

    /// The members of a mapping whose keys are names chosen by the user (agents, queues…).
    public func namedMapping() throws(TopologyError) -> [(name: String, value: YAMLValue)] {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping of names to entries") }
        var members: [(String, YAMLValue)] = []
        var seen: Set<String> = []
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string, !key.isEmpty else { throw error("a name is not a plain string") }
            guard seen.insert(key).inserted else { throw child(key, keyNode).error("the name '\(key)' appears twice") }
            members.append((key, child(key, valueNode)))
        }
        return members
    }

    /// The elements of a sequence.
    public func sequence() throws(TopologyError) -> [YAMLValue] {
        guard case .sequence(let sequence) = node else { throw error("expected a list") }
        return sequence.enumerated().map { index, element in
            YAMLValue(node: element, file: file, path: "\(path)[\(index)]")
        }
    }

    // MARK: Scalars

    public func string() throws(TopologyError) -> String {
        guard case .scalar(let scalar) = node else { throw error("expected a single value, not a list or mapping") }
        return scalar.string
    }

    public func nonEmptyString() throws(TopologyError) -> String {
        let value = try string()
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else { throw error("must not be empty") }
        return value
    }

    public func int(in range: ClosedRange<Int>? = nil) throws(TopologyError) -> Int {
        guard case .scalar = node, let value = node.int else { throw error("expected a whole number") }
        if let range, !range.contains(value) {
            throw error("\(value) is out of range; use \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    public func double(in range: ClosedRange<Double>? = nil) throws(TopologyError) -> Double {
        guard case .scalar = node, let value = node.float ?? node.int.map(Double.init) else {
            throw error("expected a number")
        }
        if let range, !range.contains(value) {
            throw error("\(value) is out of range; use \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    public func bool() throws(TopologyError) -> Bool {
        guard case .scalar = node, let value = node.bool else { throw error("expected true or false") }
        return value
    }

    /// One of `choices` (a closed vocabulary such as channel names).
    public func choice(_ choices: [String]) throws(TopologyError) -> String {
        let value = try string()
        guard choices.contains(value) else {
            throw error(
                "'\(value)' is not one of "
                    + "\(choices.joined(separator: ", "))\(Self.suggestion(for: value, among: Set(choices)))"
            )
        }
        return value
    }

    /// ", did you mean 'x'?" when a close spelling exists.
    static func suggestion(for key: String, among allowed: Set<String>) -> String {
        let best = allowed.min { editDistance(key, $0) < editDistance(key, $1) }
        if let best, editDistance(key, best) <= max(2, key.count / 3) { return "; did you mean '\(best)'?" }
        return allowed.isEmpty ? "" : "; expected one of \(allowed.sorted().joined(separator: ", "))"
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased())
        let b = Array(b.lowercased())
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
