public import SwitchboardBus
public import SwitchboardRouting

/// Typed reading of a command's `data`, with refusals that name the field.
public struct CommandFields: Sendable {
    public let data: JSON

    public init(_ data: JSON) { self.data = data }

    public func invalid(_ field: String, _ problem: String) -> CommandFailure {
        CommandFailure(code: .invalidArgument, message: "\"\(field)\" \(problem)")
    }

    public func missing(_ field: String, _ expected: String) -> CommandFailure {
        CommandFailure(code: .missingField, message: "\"\(field)\" is missing; send \(expected)")
    }

    public func string(_ field: String, maxBytes: Int = 1_024) throws(CommandFailure) -> String {
        guard let value = try optionalString(field, maxBytes: maxBytes) else { throw missing(field, "a string") }
        return value
    }

    public func optionalString(_ field: String, maxBytes: Int = 1_024) throws(CommandFailure) -> String? {
        switch data[field] {
        case nil, .null?: return nil
        case .string(let value)?:
            guard value.utf8.count <= maxBytes else { throw invalid(field, "is longer than \(maxBytes) bytes") }
            return value
        default: throw invalid(field, "must be a string")
        }
    }

    public func identifier(_ field: String) throws(CommandFailure) -> String {
        guard let value = try optionalIdentifier(field) else {
            throw missing(field, "an id (letters, digits, - _ : @; no dots)")
        }
        return value
    }

    public func optionalIdentifier(_ field: String) throws(CommandFailure) -> String? {
        guard let value = try optionalString(field, maxBytes: 128) else { return nil }
        guard isValidIdentifier(value) else {
            throw invalid(field, "'\(value)' is not a valid id: use letters, digits, - _ : @ (no dots, no spaces)")
        }
        return value
    }

    public func optionalInt(_ field: String, in range: ClosedRange<Int>) throws(CommandFailure) -> Int? {
        switch data[field] {
        case nil, .null?: return nil
        case let value?:
            guard let number = value.intValue, range.contains(Int(number)) else {
                throw invalid(field, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return Int(number)
        }
    }

    /// `{"spanish": 3}` or `[{"skill": "spanish", "minimumLevel": 3}]`.
    public func skills(_ field: String) throws(CommandFailure) -> [SkillRequirement] {
        switch data[field] {
        case nil, .null?: return []
        case .object(let object)?:
            var requirements: [SkillRequirement] = []
            for member in object {
                guard isValidIdentifier(member.key) else {
                    throw invalid(field, "names an invalid skill id '\(member.key)'")
                }
                guard let level = member.value.intValue, (1...5).contains(level) else {
                    throw invalid("\(field).\(member.key)", "must be a level from 1 to 5")
                }
                requirements.append(SkillRequirement(SkillID(member.key), minimumLevel: Int(level)))
            }
            return requirements
        case .array(let elements)?:
            var requirements: [SkillRequirement] = []
            for element in elements {
                guard let skill = element["skill"]?.stringValue, isValidIdentifier(skill) else {
                    throw invalid(field, "needs objects with a \"skill\" id")
                }
                let level = element["minimumLevel"]?.intValue ?? 1
                guard (1...5).contains(level) else { throw invalid(field, "minimumLevel of \(skill) must be 1 to 5") }
                requirements.append(SkillRequirement(SkillID(skill), minimumLevel: Int(level)))
            }
            return requirements
        default:
            throw invalid(field, "must map skill ids to minimum levels, e.g. {\"spanish\": 3}")
        }
    }
}
