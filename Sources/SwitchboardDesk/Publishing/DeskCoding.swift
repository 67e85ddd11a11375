import Foundation
import SwitchboardBus
import SwitchboardWorkspace

/// How the desk encodes an agent's record: for its own table (exact: `Date` as Foundation
/// stores it, so a reload gives back an equal value) and for the bus (times in milliseconds
/// since the Unix epoch, like every other time of the protocol).
enum DeskCoding {
    static func encodeForStorage(_ record: DeskRecord) throws -> [UInt8] {
        Array(try JSONEncoder().encode(record))
    }

    static func decodeFromStorage(_ bytes: [UInt8]) throws -> DeskRecord {
        try JSONDecoder().decode(DeskRecord.self, from: Data(bytes))
    }

    /// A `Codable` value as bus JSON.
    static func busJSON(_ value: some Encodable) throws -> JSON {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return try JSON(parsing: Array(try encoder.encode(value)))
    }

    /// A value as bus JSON, or null when it cannot be written (results only, never state).
    static func busJSONOrNull(_ value: some Encodable) -> JSON {
        (try? busJSON(value)) ?? .null
    }

    /// Decodes the `workspace` member of a desk snapshot item (for clients that render it).
    static func workspace(fromBus json: JSON) throws -> Workspace {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return try decoder.decode(Workspace.self, from: Data(json.bytes))
    }
}
