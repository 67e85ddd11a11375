public import SwitchboardBus
public import SwitchboardRouting

/// Typed reading of one JSON object's members, for wire items and command data alike: every
/// refusal is a `WireError` naming the item, the field (with its path inside the item) and
/// what was expected.
///
/// Absent and `null` are the same for the `optional…` readers: a member the protocol writes
/// as `null` may also be left out by a hand-written producer. The required readers refuse both.
public struct WireFields: Sendable {
    /// The item being read, for errors (`conv item`).
    public let item: String
    /// The path of this object inside the item (`intent`, `sessions[2]`), empty at the top.
    public let path: String
    public let object: JSONObject

    /// Reads `json` as an object; refuses anything else.
    public init(_ json: JSON, item: String, path: String = "") throws(WireError) {
        guard case .object(let object) = json else {
            throw WireError(item: item, field: path, expected: "a JSON object", found: json)
        }
        self.item = item
        self.path = path
        self.object = object
    }

    /// The full path of member `name`, for errors.
    public func fieldPath(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    /// The error for member `name`: `expected` was due, `value` came (nil: missing).
    public func error(_ name: String, expected: String, found value: JSON?) -> WireError {
        WireError(item: item, field: fieldPath(name), expected: expected, found: value)
    }

    /// The member, absent and `null` both read as nil.
    public func member(_ name: String) -> JSON? {
        switch object[name] {
        case nil, .null?: nil
        case let value?: value
        }
    }

    /// The member as it is, which must be present (`null` allowed).
    public func value(_ name: String) throws(WireError) -> JSON {
        guard let value = object[name] else { throw error(name, expected: "present", found: nil) }
        return value
    }

    // MARK: Strings

    public func string(_ name: String) throws(WireError) -> String {
        guard let value = try optionalString(name) else { throw error(name, expected: "a string", found: nil) }
        return value
    }

    public func optionalString(_ name: String) throws(WireError) -> String? {
        guard let value = member(name) else { return nil }
        guard case .string(let text) = value else { throw error(name, expected: "a string", found: value) }
        return text
    }

    /// An id (letters, digits, `-`, `_`, `:`, `@`; no dots; at most 128 bytes).
    public func identifier<ID: StringIdentifier>(_ name: String, as type: ID.Type = ID.self) throws(WireError) -> ID {
        guard let value = try optionalIdentifier(name, as: type) else {
            throw error(name, expected: Self.identifierExpected, found: nil)
        }
        return value
    }

    public func optionalIdentifier<ID: StringIdentifier>(_ name: String, as type: ID.Type = ID.self)
        throws(WireError) -> ID?
    {
        guard let value = member(name) else { return nil }
        guard case .string(let text) = value, isValidIdentifier(text) else {
            throw error(name, expected: Self.identifierExpected, found: value)
        }
        return ID(text)
    }

    static let identifierExpected = "an id (letters, digits, - _ : @; no dots; at most 128 bytes)"

    /// One of an enumeration's raw values.
    public func oneOf<Value: RawRepresentable & CaseIterable>(_ name: String, _ type: Value.Type = Value.self)
        throws(WireError) -> Value where Value.RawValue == String
    {
        guard let value = try optionalOneOf(name, type) else {
            throw error(name, expected: Self.choices(type), found: nil)
        }
        return value
    }

    public func optionalOneOf<Value: RawRepresentable & CaseIterable>(_ name: String, _ type: Value.Type = Value.self)
        throws(WireError) -> Value? where Value.RawValue == String
    {
        guard let value = member(name) else { return nil }
        guard case .string(let text) = value, let choice = Value(rawValue: text) else {
            throw error(name, expected: Self.choices(type), found: value)
        }
        return choice
    }

    /// `one of a, b, c` for an enumeration's raw values.
    public static func choices<Value: RawRepresentable & CaseIterable>(_ type: Value.Type) -> String
    where Value.RawValue == String {
        "one of " + Value.allCases.map(\.rawValue).joined(separator: ", ")
    }

    // MARK: Numbers, booleans, times

    /// A whole number (also written as a double with no fraction).
    public func int(_ name: String) throws(WireError) -> Int {
        guard let value = try optionalInt(name) else { throw error(name, expected: "a whole number", found: nil) }
        return value
    }

    public func optionalInt(_ name: String) throws(WireError) -> Int? {
        guard let value = member(name) else { return nil }
        guard let number = value.intValue else { throw error(name, expected: "a whole number", found: value) }
        return Int(number)
    }

    public func int64(_ name: String) throws(WireError) -> Int64 {
        guard let value = try optionalInt64(name) else { throw error(name, expected: "a whole number", found: nil) }
        return value
    }

    public func optionalInt64(_ name: String) throws(WireError) -> Int64? {
        guard let value = member(name) else { return nil }
        guard let number = value.intValue else { throw error(name, expected: "a whole number", found: value) }
        return number
    }

    public func double(_ name: String) throws(WireError) -> Double {
        guard let value = try optionalDouble(name) else { throw error(name, expected: "a number", found: nil) }
        return value
    }

    public func optionalDouble(_ name: String) throws(WireError) -> Double? {
        guard let value = member(name) else { return nil }
        guard let number = value.doubleValue else { throw error(name, expected: "a number", found: value) }
        return number
    }

    public func bool(_ name: String) throws(WireError) -> Bool {
        guard let value = try optionalBool(name) else { throw error(name, expected: "true or false", found: nil) }
        return value
    }

    public func optionalBool(_ name: String) throws(WireError) -> Bool? {
        guard let value = member(name) else { return nil }
        guard case .bool(let flag) = value else { throw error(name, expected: "true or false", found: value) }
        return flag
    }

    /// A time in milliseconds since the Unix epoch.
    public func instant(_ name: String) throws(WireError) -> RoutingInstant {
        RoutingInstant(millisecondsSinceEpoch: try int64(name))
    }

    public func optionalInstant(_ name: String) throws(WireError) -> RoutingInstant? {
        try optionalInt64(name).map(RoutingInstant.init(millisecondsSinceEpoch:))
    }

    // MARK: Arrays and objects

    public func array(_ name: String) throws(WireError) -> [JSON] {
        guard let value = member(name) else { throw error(name, expected: "an array", found: nil) }
        guard case .array(let elements) = value else { throw error(name, expected: "an array", found: value) }
        return elements
    }

    /// Each element of array `name`, read by `read` with the element's path (`name[3]`).
    public func elements<Element>(
        _ name: String, _ read: (JSON, _ path: String) throws(WireError) -> Element
    ) throws(WireError) -> [Element] {
        let values = try array(name)
        var elements: [Element] = []
        elements.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            elements.append(try read(value, "\(fieldPath(name))[\(index)]"))
        }
        return elements
    }

    /// Array `name` of strings.
    public func strings(_ name: String) throws(WireError) -> [String] {
        try elements(name) { value, path throws(WireError) -> String in
            guard case .string(let text) = value else {
                throw WireError(item: item, field: path, expected: "a string", found: value)
            }
            return text
        }
    }

    /// Member `name`, an object, for reading its own members.
    public func fields(_ name: String) throws(WireError) -> WireFields {
        guard let value = member(name) else { throw error(name, expected: "an object", found: nil) }
        return try WireFields(value, item: item, path: fieldPath(name))
    }

    public func optionalFields(_ name: String) throws(WireError) -> WireFields? {
        guard let value = member(name) else { return nil }
        return try WireFields(value, item: item, path: fieldPath(name))
    }

    /// An object of counts per channel (`{voice: 0, chat: 2, …}`); a channel left out counts 0.
    public func channelCounts(_ name: String) throws(WireError) -> ChannelCounts {
        let counts = try fields(name)
        var result = ChannelCounts()
        for member in counts.object {
            guard let channel = Channel(rawValue: member.key) else {
                throw WireError(
                    item: item, field: counts.fieldPath(member.key),
                    expected: "named after a channel, " + WireFields.choices(Channel.self),
                    got: "a member \"\(member.key)\"")
            }
            result[channel] = try counts.int(member.key)
        }
        return result
    }
}

extension WireFields {
    /// An object of counts keyed by channel, only the channels it lists (`{chat: 2}`).
    public func channelMap(_ name: String) throws(WireError) -> [Channel: Int] {
        let counts = try channelCounts(name)
        var result: [Channel: Int] = [:]
        for key in try fields(name).object.keys {
            if let channel = Channel(rawValue: key) { result[channel] = counts[channel] }
        }
        return result
    }
}

extension ChannelCounts {
    /// `{voice, chat, messaging, email, case}`, every channel written.
    public var json: JSON {
        var object = JSONObject()
        for channel in Channel.allCases { object[channel.rawValue] = .number(self[channel]) }
        return .object(object)
    }
}
