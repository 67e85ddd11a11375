import Foundation
import Yams

extension Topology {
    /// Reads `security:`: `off` (or `false`), or a mapping of `keys:` and `principals:`.
    static func parseSecurity(_ value: YAMLValue, resolve: (String) -> String) throws(TopologyError)
        -> TopologySecurity
    {
        if case .scalar(let scalar) = value.node {
            guard scalar.string == "off" || scalar.string == "false" else {
                throw value.error(
                    "write 'security: off' for open sockets, or 'security: {keys: DIR, principals: {...}}' for CURVE")
            }
            return .off
        }
        let fields = try value.mapping(allowed: ["keys", "principals"])
        guard let keys = fields["keys"] else {
            throw value.error("missing 'keys:' (the directory of key files that `switchboard keys generate` wrote)")
        }
        guard let principalsValue = fields["principals"] else {
            throw value.error(
                "missing 'principals:' (each key allowed on the bus: NAME: {key: NAME, role: service})")
        }
        var principals: [String: TopologySecurity.Principal] = [:]
        var names: [String: String] = [:]  // public key or file → principal that uses it
        for (name, entry) in try principalsValue.namedMapping() {
            guard Self.isKeyName(name) else {
                throw entry.error("'\(name)' is not a principal name; use letters, digits, '.', '_' and '-'")
            }
            let members = try entry.mapping(allowed: ["key", "role", "actFor", "commands"])
            guard let keyValue = members["key"] else {
                throw entry.error("missing 'key:' (a key file's name in the keys directory, or a public key)")
            }
            let keyText = try keyValue.nonEmptyString()
            let key: TopologySecurity.KeyReference
            if keyText.utf8.count == 40 && Self.isZ85(keyText) {
                key = .publicKey(keyText)
            } else if Self.isKeyName(keyText) {
                key = .file(keyText)
            } else {
                throw keyValue.error(
                    "'\(keyText)' is neither a key file's name (letters, digits, '.', '_', '-') nor a public key "
                        + "(40 characters of Z85)")
            }
            let keyIdentity: String
            switch key {
            case .file(let file): keyIdentity = "file \(file)"
            case .publicKey(let text): keyIdentity = text
            }
            if let other = names[keyIdentity] {
                throw keyValue.error(
                    "the same key is already principal '\(other)'; each key authenticates as one principal")
            }
            names[keyIdentity] = name
            guard let roleValue = members["role"] else {
                throw entry.error(
                    "missing 'role:' (\(TopologySecurity.Role.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let role = TopologySecurity.Role(
                rawValue: try roleValue.choice(TopologySecurity.Role.allCases.map(\.rawValue)))!
            let actFor = try members["actFor"]?.bool() ?? false
            var commands: Set<String> = []
            for item in try members["commands"]?.sequence() ?? [] {
                let type = try item.nonEmptyString()
                guard type.contains("."), !type.contains(" ") else {
                    throw item.error("'\(type)' is not a command type; write it as sent, e.g. conversation.open")
                }
                commands.insert(type)
            }
            principals[name] = TopologySecurity.Principal(
                name: name, key: key, role: role, actFor: actFor, commands: commands)
        }
        return .curve(
            TopologySecurity.CurveSettings(keysDirectory: resolve(try keys.nonEmptyString()), principals: principals))
    }

    /// With CURVE on, each placed service needs a principal of its own name and role.
    static func checkServicePrincipals(
        _ topology: Topology, settings: TopologySecurity.CurveSettings, at value: YAMLValue
    ) throws(TopologyError) {
        for name in topology.services.keys.sorted() {
            let expected: TopologySecurity.Role = name == .gateway ? .gateway : .service
            guard let principal = settings.principals[name.rawValue] else {
                throw value.error(
                    "no principal '\(name.rawValue)' for the \(name.rawValue) the topology places; add "
                        + "\(name.rawValue): {key: \(name.rawValue), role: \(expected.rawValue)}",
                    key: "\(value.path).principals")
            }
            guard principal.role == expected else {
                throw value.error(
                    "the principal '\(name.rawValue)' is the \(name.rawValue) service; give it role: "
                        + "\(expected.rawValue)",
                    key: "\(value.path).principals.\(name.rawValue).role")
            }
        }
    }

    /// Without a `security:` section, every bus endpoint must be on loopback: an open socket on
    /// a reachable address lets anyone who reaches it act as anyone.
    static func checkOpenEndpoints(_ servicesValue: YAMLValue) throws(TopologyError) {
        for (_, value) in try servicesValue.namedMapping() {
            let fields = try value.mapping(allowed: Set(value.mappingKeys))
            var candidates: [YAMLValue] = []
            for key in ["publish", "state", "command"] {
                if let field = fields[key] { candidates.append(field) }
            }
            if let bind = fields["bind"] {
                let binds = try bind.mapping(allowed: ["publish", "state", "command"])
                for key in ["publish", "state", "command"] {
                    if let field = binds[key] { candidates.append(field) }
                }
            }
            for field in candidates {
                let text = try field.nonEmptyString()
                let host = Self.endpointHost(text)
                guard !Self.isLoopback(host) else { continue }
                throw field.error(
                    "\(text) is not a loopback address and the topology has no 'security:' section: anyone who "
                        + "reaches it could act as anyone. Add 'security: {keys: DIR, principals: {...}}' (CURVE "
                        + "keys on every bus socket; `switchboard keys generate` writes them), or write "
                        + "'security: off' to keep the sockets open on a private network")
            }
        }
    }

    static func endpointHost(_ endpoint: String) -> String {
        let rest = endpoint.hasPrefix("tcp://") ? String(endpoint.dropFirst("tcp://".count)) : endpoint
        guard let colon = rest.lastIndex(of: ":") else { return rest }
        return String(rest[..<colon])
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    static func isKeyName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 64, !name.hasPrefix(".") else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2E || byte == 0x5F || byte == 0x2D
        }
    }

    /// The Z85 alphabet (RFC 32).
    static let z85Alphabet = Set(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8)

    static func isZ85(_ text: String) -> Bool {
        text.utf8.allSatisfy { z85Alphabet.contains($0) }
    }
}

extension YAMLValue {
    /// The keys of a mapping (empty for anything else).
    var mappingKeys: [String] {
        guard case .mapping(let mapping) = node else { return [] }
        return mapping.compactMap { $0.key.string }
    }
}
