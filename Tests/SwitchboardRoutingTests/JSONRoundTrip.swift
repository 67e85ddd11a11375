import Foundation

/// Encodes and decodes a value through JSON, as the router will persist entities.
enum JSONRoundTrip {
    static func roundTrip<Value: Codable>(_ value: Value) throws -> Value {
        try JSONDecoder().decode(Value.self, from: try JSONEncoder().encode(value))
    }
}
