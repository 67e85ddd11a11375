/// Identifiers are strings on the wire. They may not contain dots, because a bus topic
/// (`conv.<id>.assigned`) uses dots as separators; `isValidIdentifier` checks that.
public protocol StringIdentifier: RawRepresentable, Hashable, Sendable, Codable, Comparable,
    ExpressibleByStringLiteral, CustomStringConvertible
where RawValue == String {
    init(_ rawValue: String)
}

extension StringIdentifier {
    public init(rawValue: String) { self.init(rawValue) }
    public init(stringLiteral value: String) { self.init(value) }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// True when `value` can be used as an id inside a bus topic: non-empty, at most 128
/// bytes, and made of letters, digits, `-`, `_`, `:` or `@` (no dots, no spaces).
public func isValidIdentifier(_ value: String) -> Bool {
    guard !value.isEmpty, value.utf8.count <= 128 else { return false }
    // Every new conversation checks two ids: read the bytes in place when the string has them
    // contiguous (native and small strings do), a byte at a time otherwise.
    if let valid = value.utf8.withContiguousStorageIfAvailable({ bytes in bytes.allSatisfy(isIdentifierByte) }) {
        return valid
    }
    return value.utf8.allSatisfy(isIdentifierByte)
}

@inline(__always)
private func isIdentifierByte(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        || byte == 0x2D || byte == 0x5F || byte == 0x3A || byte == 0x40
}

public struct AgentID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

public struct ConversationID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

public struct CustomerID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

public struct QueueID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// A skill of the catalog (a language, a product line, a tier), e.g. `spanish` or `cards`.
public struct SkillID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// A role (first-line chat, escalation specialist...) that lists the queues its agents serve.
public struct RoleID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// A capacity profile: how much work of each channel an agent can hold at once.
public struct CapacityProfileID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

// Identifiers key dictionaries in persisted entities (`skills: {spanish: 4}`), so they
// encode as JSON/YAML object keys rather than as alternating arrays.
extension StringIdentifier {
    public var codingKey: any CodingKey { IdentifierCodingKey(stringValue: rawValue) }
    public init?<Key: CodingKey>(codingKey: Key) { self.init(codingKey.stringValue) }
}

struct IdentifierCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension AgentID: CodingKeyRepresentable {}
extension ConversationID: CodingKeyRepresentable {}
extension CustomerID: CodingKeyRepresentable {}
extension QueueID: CodingKeyRepresentable {}
extension SkillID: CodingKeyRepresentable {}
extension RoleID: CodingKeyRepresentable {}
extension CapacityProfileID: CodingKeyRepresentable {}
