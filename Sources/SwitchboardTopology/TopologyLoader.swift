import Foundation

extension Topology {
    /// Reads and validates a topology file. Every refusal names the file, the line, the key and
    /// what to write instead; nothing is half-loaded.
    public static func load(file: String = Topology.defaultFile) throws(TopologyError) -> Topology {
        guard FileManager.default.fileExists(atPath: file) else {
            throw TopologyError(
                file: file, key: "",
                problem: "no topology file here; run from the repository root or pass --topology FILE")
        }
        return try parse(try YAMLValue.load(file: file))
    }

    /// Validates an already parsed document (`root.file` is used for messages and relative paths).
    public static func parse(_ root: YAMLValue) throws(TopologyError) -> Topology {
        let file = root.file
        let folder = (file as NSString).deletingLastPathComponent
        func resolve(_ path: String) -> String {
            let joined =
                path.hasPrefix("/") ? path : ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(path)
            return (joined as NSString).standardizingPath
        }
        let top = try root.mapping(allowed: [
            "version", "name", "hosts", "services", "contactCentre", "dataDirectory", "retention", "supervision",
            "assist", "security",
        ])
        if let version = top["version"] {
            guard try version.int() == 1 else { throw version.error("this build reads topology version 1") }
        }
        guard let hostsValue = top["hosts"] else {
            throw root.error("missing 'hosts:' (each host's name and address)", key: "hosts")
        }
        guard let servicesValue = top["services"] else {
            throw root.error("missing 'services:' (router, presence, desk, summariser, monitor)", key: "services")
        }
        let contactCentre = try top["contactCentre"]?.nonEmptyString()
        var topology = Topology(
            file: file, name: try top["name"]?.nonEmptyString() ?? "switchboard", hosts: [:], services: [:],
            contactCentreFile: contactCentre.map(resolve),
            dataDirectory: resolve(try top["dataDirectory"]?.nonEmptyString() ?? "var"),
            retention: Retention(), supervision: Supervision(), assist: AssistSettings())

        for (name, value) in try hostsValue.namedMapping() {
            let fields = try value.mapping(allowed: ["address", "metrics"])
            guard let address = fields["address"] else { throw value.error("missing 'address:' (an IP or DNS name)") }
            var host = Host(name: name, address: try address.nonEmptyString())
            if let metrics = fields["metrics"] {
                let text = try metrics.nonEmptyString()
                _ = try Endpoint.parse(text, at: metrics, allowWildcardHost: true)
                host.metrics = text
            }
            topology.hosts[name] = host
        }
        if topology.hosts.isEmpty { throw hostsValue.error("at least one host is needed") }

        var endpoints: [String: String] = [:]  // endpoint → key that uses it
        for (name, value) in try servicesValue.namedMapping() {
            guard let serviceName = ServiceName(rawValue: name) else {
                let suggestion = YAMLValue.suggestion(for: name, among: Set(ServiceName.allCases.map(\.rawValue)))
                throw value.error("unknown service '\(name)'\(suggestion)", key: value.path)
            }
            let service = try parseService(serviceName, value, topology: topology, resolve: resolve)
            for (key, endpoint) in [
                ("publish", service.publish), ("state", service.state), ("command", service.command),
                ("http", service.http), ("metrics", service.metrics),
            ] {
                guard let endpoint else { continue }
                let path = "\(value.path).\(key)"
                if let other = endpoints[endpoint] {
                    throw value.error(
                        "\(endpoint) is already used by \(other); every endpoint needs its own port", key: path)
                }
                endpoints[endpoint] = path
            }
            topology.services[serviceName] = service
        }
        if let retention = top["retention"] {
            let fields = try retention.mapping(allowed: ["commandRepliesSeconds", "closedConversationsSeconds"])
            if let value = fields["commandRepliesSeconds"] {
                topology.retention.commandRepliesSeconds = try value.double(in: 1...2_592_000)
            }
            if let value = fields["closedConversationsSeconds"] {
                topology.retention.closedConversationsSeconds = try value.double(in: 0...2_592_000)
            }
        }
        if let supervision = top["supervision"] {
            let fields = try supervision.mapping(allowed: ["restartsMax", "windowSeconds"])
            if let value = fields["restartsMax"] { topology.supervision.restartsMax = try value.int(in: 0...1_000) }
            if let value = fields["windowSeconds"] {
                topology.supervision.windowSeconds = try value.double(in: 1...86_400)
            }
        }
        if let assist = top["assist"] {
            let fields = try assist.mapping(allowed: ["backend", "trainingData", "endpoint", "model"])
            if let value = fields["backend"] { topology.assist.backend = try value.choice(["offline", "openai"]) }
            if let value = fields["trainingData"] { topology.assist.trainingData = resolve(try value.nonEmptyString()) }
            if let value = fields["endpoint"] { topology.assist.endpoint = try value.nonEmptyString() }
            if let value = fields["model"] { topology.assist.model = try value.nonEmptyString() }
            if topology.assist.backend == "openai" && topology.assist.endpoint == nil {
                throw assist.error("the openai backend needs 'endpoint:' (e.g. http://127.0.0.1:8000/v1)")
            }
        }
        if let security = top["security"] {
            topology.security = try parseSecurity(security, resolve: resolve)
            if case .curve(let settings)? = topology.security {
                try checkServicePrincipals(topology, settings: settings, at: security)
            }
        } else {
            try checkOpenEndpoints(servicesValue)
        }
        return topology
    }

    /// `journalRetention:` as seconds: `0`, or a whole number with a unit, `90m`, `48h`, `2d`.
    public static func parseRetention(_ value: YAMLValue) throws(TopologyError) -> Double {
        let text = try value.nonEmptyString().trimmingCharacters(in: .whitespaces)
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        let refusal = value.error(
            "journalRetention '\(text)' is not a duration; write 0 (keep no journal) or a whole number with a unit, "
                + "s, m, h or d (e.g. 48h or 2d), at most 90d",
            key: value.path)
        if text == "0" { return 0 }
        guard let unit = text.last, let scale = units[unit], let amount = Int(text.dropLast()), amount >= 0 else {
            throw refusal
        }
        let seconds = Double(amount) * scale
        guard seconds <= 90 * 86_400 else { throw refusal }
        return seconds
    }

    private static func parseService(
        _ name: ServiceName, _ value: YAMLValue, topology: Topology, resolve: (String) -> String
    ) throws(TopologyError) -> Service {
        let fields = try value.mapping(allowed: [
            "host", "publish", "state", "command", "bind", "dataDirectory", "heartbeatTimeoutSeconds", "http",
            "metrics", "cookiesSecure", "bcryptCost", "customerIdleSeconds", "sessionHours", "limits",
            "openConversationsMax", "durability", "journalRetention",
        ])
        if !Service.servicesWithStores.contains(name), let field = fields["durability"] {
            let names = Service.servicesWithStores.map(\.rawValue).joined(separator: ", ")
            throw field.error(
                "'durability:' is for the services that keep a store (\(names)); remove it from the \(name)",
                key: field.path)
        }
        for key in ["openConversationsMax", "journalRetention"] where name != .router {
            if let field = fields[key] {
                throw field.error("'\(key):' belongs to the router only; remove it from the \(name)", key: field.path)
            }
        }
        if name != .gateway {
            for key in ["http", "cookiesSecure", "bcryptCost", "customerIdleSeconds", "sessionHours", "limits"] {
                if let field = fields[key] {
                    throw field.error(
                        "'\(key):' belongs to the gateway only; remove it from the \(name)", key: field.path)
                }
            }
        } else {
            for key in ["publish", "state", "command", "bind"] {
                if let field = fields[key] {
                    throw field.error(
                        "the gateway has no '\(key):' (it publishes nothing and takes no bus commands); give it http: "
                            + "tcp://HOST:PORT",
                        key: field.path)
                }
            }
        }
        guard let hostValue = fields["host"] else {
            throw value.error("missing 'host:' (one of the names under hosts:)")
        }
        let hostName = try hostValue.nonEmptyString()
        guard let host = topology.hosts[hostName] else {
            throw hostValue.error(
                "no host '\(hostName)' under "
                    + "hosts:\(YAMLValue.suggestion(for: hostName, among: Set(topology.hosts.keys)))"
            )
        }
        func endpoint(_ key: String, required: Bool, why: String) throws(TopologyError) -> String? {
            guard let field = fields[key] else {
                if required { throw value.error("missing '\(key):' (tcp://HOST:PORT), \(why)") }
                return nil
            }
            let text = try field.nonEmptyString()
            let parsed = try Endpoint.parse(text, at: field)
            if fields["bind"] == nil, parsed.host != host.address, parsed.host != host.name {
                throw field.error(
                    "\(text) is not on host '\(host.name)' (\(host.address)); use the host's address, or add bind: for "
                        + "this endpoint"
                )
            }
            return text
        }
        let ownDataDirectory = try fields["dataDirectory"]?.nonEmptyString()
        var service = Service(
            name: name, host: hostName,
            publish: try endpoint("publish", required: name.publishes, why: "where its events are published") ?? "",
            state: try endpoint("state", required: name.needsState, why: "where late joiners ask for a snapshot"),
            command: try endpoint("command", required: name.takesCommands, why: "where it takes commands"),
            bind: Service.Bind(),
            dataDirectory: ownDataDirectory.map(resolve) ?? "\(topology.dataDirectory)/\(name.rawValue)",
            heartbeatTimeoutSeconds: try fields["heartbeatTimeoutSeconds"]?.double(in: 1...3_600) ?? 15,
            http: try endpoint("http", required: name == .gateway, why: "where people's browsers reach it"),
            metrics: try endpoint("metrics", required: false, why: "where Prometheus scrapes it"))
        if name == .gateway {
            try parseGateway(fields, into: &service.gateway)
        }
        if let value = fields["openConversationsMax"] {
            service.openConversationsMax = try value.int(in: 1...100_000_000)
        }
        if let value = fields["journalRetention"] {
            service.journalRetentionSeconds = try parseRetention(value)
        }
        if let value = fields["durability"] {
            let text = try value.nonEmptyString()
            guard let durability = Service.Durability(rawValue: text) else {
                throw value.error(
                    "durability '\(text)' is not known; use process (survives the process's crash) or machine "
                        + "(survives a power loss too)",
                    key: value.path)
            }
            service.durability = durability
        }
        if let bind = fields["bind"] {
            let binds = try bind.mapping(allowed: ["publish", "state", "command"])
            for (key, field) in binds {
                let text = try field.nonEmptyString()
                _ = try Endpoint.parse(text, at: field, allowWildcardHost: true)
                switch key {
                case "publish": service.bind.publish = text
                case "state": service.bind.state = text
                default: service.bind.command = text
                }
            }
        }
        return service
    }
}

extension Topology {
    /// The gateway's own keys (`cookiesSecure`, `bcryptCost`, …, `limits`).
    fileprivate static func parseGateway(
        _ fields: [String: YAMLValue], into settings: inout GatewaySettings
    ) throws(TopologyError) {
        if let value = fields["cookiesSecure"] { settings.cookiesSecure = try value.bool() }
        if let value = fields["bcryptCost"] { settings.bcryptCost = try value.int(in: 4...31) }
        if let value = fields["customerIdleSeconds"] { settings.customerIdleSeconds = try value.double(in: 5...86_400) }
        if let value = fields["sessionHours"] { settings.sessionHours = try value.double(in: 0.01...2_160) }
        if let limits = fields["limits"] {
            let values = try limits.mapping(allowed: [
                "signinPerAccount", "signinPerAddress", "apiPerKey", "apiPerAddress",
            ])
            if let value = values["signinPerAccount"] { settings.signinPerAccount = try value.int(in: 1...100_000) }
            if let value = values["signinPerAddress"] { settings.signinPerAddress = try value.int(in: 1...100_000) }
            if let value = values["apiPerKey"] { settings.apiPerKey = try value.int(in: 1...1_000_000) }
            if let value = values["apiPerAddress"] { settings.apiPerAddress = try value.int(in: 1...1_000_000) }
        }
    }
}

/// A `tcp://host:port` endpoint.
public struct Endpoint: Sendable, Equatable {
    public var host: String
    public var port: Int

    public var description: String { "tcp://\(host):\(port)" }

    static func parse(_ text: String, at value: YAMLValue, allowWildcardHost: Bool = false) throws(TopologyError)
        -> Endpoint
    {
        guard text.hasPrefix("tcp://") else {
            throw value.error("'\(text)' is not a tcp endpoint; write tcp://HOST:PORT, e.g. tcp://127.0.0.1:7101")
        }
        let rest = text.dropFirst("tcp://".count)
        guard let colon = rest.lastIndex(of: ":") else {
            throw value.error("'\(text)' has no port; write tcp://HOST:PORT with a concrete port")
        }
        let host = String(rest[..<colon])
        let portText = rest[rest.index(after: colon)...]
        guard !host.isEmpty else { throw value.error("'\(text)' has no host; write tcp://HOST:PORT") }
        if host == "*" && !allowWildcardHost {
            throw value.error("'\(text)' has no concrete host; consumers need an address to connect to")
        }
        guard let port = Int(portText), (1...65_535).contains(port) else {
            throw value.error("'\(text)' needs a concrete port between 1 and 65535 (not '\(portText)')")
        }
        return Endpoint(host: host, port: port)
    }
}
