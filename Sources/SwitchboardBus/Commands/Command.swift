/// A command as the authority receives it: `{"v":1,"id":…,"type":…,"data":{…}}`.
public struct CommandRequest: Sendable, Equatable {
    /// Chosen by the client; a repeated id gets the stored reply instead of a second effect.
    public let id: String
    /// Imperative, e.g. `conversation.open`.
    public let type: String
    public let data: JSON
    /// The principal the sender authenticated as (its CURVE key's name in the server's
    /// allow-list); nil when the bus is not secured. Set by the command server from the
    /// connection, never read from the command's JSON.
    public var principal: String?

    public init(id: String, type: String, data: JSON, principal: String? = nil) {
        self.id = id
        self.type = type
        self.data = data
        self.principal = principal
    }

    /// The single frame a client sends.
    public var bytes: [UInt8] {
        JSON.object(JSONObject([("v", 1), ("id", .string(id)), ("type", .string(type)), ("data", data)])).bytes
    }

    /// Longest command id accepted.
    public static let idBytesMax = 128

    /// Reads one command frame. The error carries the id when it could be read, so the NACK
    /// can name it.
    public static func parse(_ frame: [UInt8]) -> Result<CommandRequest, CommandRejection> {
        guard frame.count <= BusLimits.commandBytesMax else {
            return .failure(
                CommandRejection(
                    id: nil,
                    failure: CommandFailure(
                        code: .tooLarge,
                        message: "the command is \(frame.count) bytes; the limit is \(BusLimits.commandBytesMax)")))
        }
        let json: JSON
        do {
            json = try JSONParser.parse(frame)
        } catch {
            return .failure(
                CommandRejection(
                    id: nil,
                    failure: CommandFailure(code: .malformed, message: "the command is not valid JSON (\(error))")))
        }
        guard case .object(let object) = json else {
            return .failure(
                CommandRejection(
                    id: nil, failure: CommandFailure(code: .malformed, message: "the command must be a JSON object")))
        }
        let id = object["id"]?.stringValue
        func reject(_ code: CommandFailure.Code, _ message: String) -> Result<CommandRequest, CommandRejection> {
            .failure(CommandRejection(id: id, failure: CommandFailure(code: code, message: message)))
        }
        guard let version = object["v"] else { return reject(.missingField, "the command has no \"v\"; send \"v\":1") }
        guard version.intValue == 1 else {
            return reject(.unsupportedVersion, "command version \(version.text) is not supported; send \"v\":1")
        }
        guard let id, !id.isEmpty else {
            return reject(.missingField, "the command has no \"id\" string; give every command a unique id")
        }
        guard id.utf8.count <= idBytesMax else {
            return reject(.invalidArgument, "the command id is longer than \(idBytesMax) bytes")
        }
        guard let type = object["type"]?.stringValue, !type.isEmpty else {
            return reject(.missingField, "the command has no \"type\" string, e.g. \"conversation.open\"")
        }
        let data = object["data"] ?? .object(JSONObject())
        guard case .object = data else {
            return reject(.invalidArgument, "the command's \"data\" must be a JSON object")
        }
        return .success(CommandRequest(id: id, type: type, data: data))
    }
}

/// Why a command was refused: a stable code and a sentence naming the fault and what to do.
public struct CommandFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Not JSON, or not an object.
        public static let malformed = Code(rawValue: "malformed")
        /// Not exactly one frame.
        public static let badFrames = Code(rawValue: "bad_frames")
        public static let tooLarge = Code(rawValue: "too_large")
        public static let unsupportedVersion = Code(rawValue: "unsupported_version")
        public static let missingField = Code(rawValue: "missing_field")
        /// The type names no command of this service.
        public static let unknownCommand = Code(rawValue: "unknown_command")
        /// A field has the wrong type or value.
        public static let invalidArgument = Code(rawValue: "invalid_argument")
        public static let notFound = Code(rawValue: "not_found")
        /// The command no longer applies (e.g. accepting an offer that was withdrawn).
        public static let conflict = Code(rawValue: "conflict")
        /// The queue is outside its business hours and refuses new work; the message says when it opens.
        public static let queueClosed = Code(rawValue: "queue_closed")
        /// The sender's role does not allow it.
        public static let forbidden = Code(rawValue: "forbidden")
        /// The service cannot take it now; retry later.
        public static let unavailable = Code(rawValue: "unavailable")
        /// The service holds as much work as it is configured to (the message names the limit);
        /// retry later with the same id.
        public static let overloaded = Code(rawValue: "overloaded")
        public static let `internal` = Code(rawValue: "internal")
    }

    public let code: Code
    public let message: String
    /// Facts a program acts on, beside the sentence: members of the error object after `code`
    /// and `message` (`queue_closed` carries `queue`, `opensAt`, `opensAtLocal`, `timeZone`).
    public let details: JSONObject

    /// A refusal that tells the client to retry later with the same id (so it is never stored as
    /// the id's reply), or that concerns its sender (`forbidden`) rather than the id.
    public var asksForRetry: Bool {
        code == .unavailable || code == .overloaded || code == .internal || code == .forbidden
    }

    public init(code: Code, message: String, details: JSONObject = JSONObject()) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String { "\(code): \(message)" }
}

/// A refusal before the command reached its handler, with the id when it could be read.
public struct CommandRejection: Error, Sendable, Equatable {
    public let id: String?
    public let failure: CommandFailure
}

/// What a handler decided for one command.
public enum CommandOutcome: Sendable, Equatable {
    case ok(JSON)
    case failed(CommandFailure)
}

/// The reply frame: `{"v":1,"id":…,"ok":true,"result":{…}}` or
/// `{"v":1,"id":…,"ok":false,"error":{"code":…,"message":…}}`.
public struct CommandReply: Sendable, Equatable {
    public let id: String?
    public let outcome: CommandOutcome

    public init(id: String?, outcome: CommandOutcome) {
        self.id = id
        self.outcome = outcome
    }

    public var bytes: [UInt8] {
        var object = JSONObject([("v", 1), ("id", .optional(id))])
        switch outcome {
        case .ok(let result):
            object["ok"] = true
            object["result"] = result
        case .failed(let failure):
            object["ok"] = false
            var error = JSONObject([("code", .string(failure.code.rawValue)), ("message", .string(failure.message))])
            for (key, value) in failure.details where key != "code" && key != "message" { error[key] = value }
            object["error"] = .object(error)
        }
        return JSON.object(object).bytes
    }

    public static func parse(_ frame: [UInt8]) throws(MalformedInput) -> CommandReply {
        let json: JSON
        do {
            json = try JSONParser.parse(frame)
        } catch {
            throw MalformedInput(code: "malformed_json", message: "the reply is not valid JSON: \(error)")
        }
        guard let ok = json["ok"]?.boolValue else {
            throw MalformedInput(code: "missing_field", message: "the reply has no boolean \"ok\"")
        }
        let id = json["id"]?.stringValue
        if ok { return CommandReply(id: id, outcome: .ok(json["result"] ?? .null)) }
        let code = json["error"]?["code"]?.stringValue ?? "internal"
        let message = json["error"]?["message"]?.stringValue ?? "no message"
        var details = JSONObject()
        for (key, value) in json["error"]?.objectValue ?? JSONObject() where key != "code" && key != "message" {
            details[key] = value
        }
        return CommandReply(
            id: id, outcome: .failed(CommandFailure(code: .init(rawValue: code), message: message, details: details)))
    }
}
