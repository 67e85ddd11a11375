import Foundation
import Glibc
import SwitchboardProcesses

/// Hosts for a multi-host test: one Linux network namespace per host, each with a veth pair to
/// a bridge in a namespace of its own (the "switch"), with the addresses the topology gives.
/// Names carry this process's pid, so parallel runs never share one, and a run's leftovers
/// (namespaces of a pid that no longer runs) are removed by the next.
struct NetworkNamespaces {
    /// Why the multi-host tests cannot run here, or nil when they can (root, and `ip` works).
    static let unavailableReason: String? = {
        if getuid() != 0 { return "multi-host tests need root to make network namespaces (ip netns); skipped" }
        guard FileManager.default.isExecutableFile(atPath: ip) else {
            return "multi-host tests need \(ip) (Debian's iproute2); skipped"
        }
        return nil
    }()

    static let ip = "/usr/sbin/ip"
    static let prefix = "sbt"

    /// Host name → its namespace.
    let namespaces: [String: String]
    let switchNamespace: String
    /// Host name → the switch-side end of its link.
    private let switchPorts: [String: String]

    /// Makes one namespace per host (name → address, all in one /24) and links them.
    init(hosts: [String: String]) async throws {
        await Self.removeLeftovers()
        let tag = "\(Self.prefix)\(getpid())"
        switchNamespace = "\(tag)-sw"
        var namespaces: [String: String] = [:]
        var ports: [String: String] = [:]
        try await Self.run(["netns", "add", switchNamespace])
        do {
            try await Self.run(["-n", switchNamespace, "link", "add", "br0", "type", "bridge"])
            try await Self.run(["-n", switchNamespace, "link", "set", "br0", "up"])
            for (index, (host, address)) in hosts.sorted(by: { $0.key < $1.key }).enumerated() {
                let namespace = "\(tag)-\(host)"
                // Interface names are at most 15 bytes; made in the host namespace, then moved.
                let hostEnd = "eth-\(host)"
                let switchEnd = "p\(index)-\(getpid() % 100_000)"
                try await Self.run(["netns", "add", namespace])
                namespaces[host] = namespace
                try await Self.run(["-n", namespace, "link", "set", "lo", "up"])
                try await Self.run(["-n", namespace, "link", "add", hostEnd, "type", "veth", "peer", "name", switchEnd])
                try await Self.run(["-n", namespace, "link", "set", switchEnd, "netns", switchNamespace])
                try await Self.run(["-n", namespace, "addr", "add", "\(address)/24", "dev", hostEnd])
                try await Self.run(["-n", namespace, "link", "set", hostEnd, "up"])
                try await Self.run(["-n", switchNamespace, "link", "set", switchEnd, "master", "br0"])
                try await Self.run(["-n", switchNamespace, "link", "set", switchEnd, "up"])
                ports[host] = switchEnd
            }
        } catch {
            await Self.remove([switchNamespace] + namespaces.values)
            throw error
        }
        self.namespaces = namespaces
        switchPorts = ports
    }

    /// Starts `arguments` of the switchboard binary inside `host`'s namespace.
    func start(_ name: String, on host: String, _ arguments: [String], captureErrors: Bool = false) async throws
        -> ChildProcess
    {
        guard let namespace = namespaces[host] else { throw HarnessError("no host \(host)") }
        return try await ChildProcess(
            name: name, executable: Self.ip, arguments: ["netns", "exec", namespace, SystemHarness.binary] + arguments,
            captureErrors: captureErrors)
    }

    /// Cuts `host` off the network (its switch port down) or joins it again.
    func setLink(of host: String, up: Bool) async throws {
        guard let port = switchPorts[host] else { throw HarnessError("no host \(host)") }
        try await Self.run(["-n", switchNamespace, "link", "set", port, up ? "up" : "down"])
    }

    /// Kills every process in `host`'s namespace at once (SIGKILL), as when the machine dies.
    func killAll(on host: String) async {
        guard let namespace = namespaces[host] else { return }
        for pid in await Self.pids(in: namespace) { kill(pid, SIGKILL) }
    }

    /// Kills whatever still runs in the namespaces and removes them.
    func remove() async {
        await Self.remove(Array(namespaces.values) + [switchNamespace])
    }

    private static func remove(_ names: [String]) async {
        for name in names {
            for pid in await pids(in: name) { kill(pid, SIGKILL) }
            _ = try? await run(["netns", "del", name])
        }
    }

    private static func pids(in namespace: String) async -> [Int32] {
        guard let output = try? await run(["netns", "pids", namespace]) else { return [] }
        return output.split(whereSeparator: \.isNewline).compactMap { Int32($0) }
    }

    /// Namespaces a finished run left behind (its pid no longer runs).
    private static func removeLeftovers() async {
        guard let list = try? await run(["netns", "list"]) else { return }
        var stale: [String] = []
        for line in list.split(whereSeparator: \.isNewline) {
            let name = String(line.split(separator: " ").first ?? "")
            guard name.hasPrefix(prefix), let dash = name.firstIndex(of: "-"),
                let pid = Int32(name[name.index(name.startIndex, offsetBy: prefix.count)..<dash])
            else { continue }
            if kill(pid, 0) != 0 { stale.append(name) }
        }
        await remove(stale)
    }

    /// Runs `ip` with `arguments` (at most 20 s) and returns its output; throws with its errors
    /// when it fails.
    @discardableResult
    static func run(_ arguments: [String]) async throws -> String {
        let child = try await ChildProcess(name: "ip", executable: ip, arguments: arguments, captureErrors: true)
        async let output = child.lines.reduce(into: [String]()) { $0.append($1) }
        async let errors = child.errorLines.reduce(into: [String]()) { $0.append($1) }
        guard let status = await child.waitForExit(within: 20) else {
            _ = await child.stop(graceSeconds: 1)
            throw HarnessError("ip \(arguments.joined(separator: " ")) did not end within 20 s")
        }
        let (text, problems) = await (output, errors)
        guard status == 0 else {
            throw HarnessError("ip \(arguments.joined(separator: " ")): \(problems.joined(separator: " "))")
        }
        return text.joined(separator: "\n")
    }
}
