import Foundation
import SwitchboardProcesses
import SwitchboardServiceKit
import SwitchboardTools

extension GatewayBenchmark {
    /// Writes the contact centre and the topology; returns the topology's path and the gateway's port.
    func writeFiles(in directory: URL) throws -> (topologyFile: String, port: Int) {
        let centreFile = try BenchFiles.writeCentre(in: directory, agents: settings.agents, chatCapacity: 32)
        let ports = BenchFiles.freePorts(10)
        func endpoints(_ first: Int) -> String {
            "publish: \"tcp://127.0.0.1:\(ports[first])\", state: \"tcp://127.0.0.1:\(ports[first + 1])\", "
                + "command: \"tcp://127.0.0.1:\(ports[first + 2])\""
        }
        let many = 100_000
        let topology = """
            version: 1
            contactCentre: \(centreFile)
            dataDirectory: \(directory.appendingPathComponent("data").path)
            hosts:
              local: {address: 127.0.0.1}
            services:
              router: {host: local, \(endpoints(0))}
              presence: {host: local, \(endpoints(3)), heartbeatTimeoutSeconds: 3600}
              desk: {host: local, \(endpoints(6))}
              gateway:
                host: local
                http: "tcp://127.0.0.1:\(ports[9])"
                bcryptCost: 4
                limits:
                  signinPerAccount: \(many)
                  signinPerAddress: \(many)
                  apiPerKey: \(many)
                  apiPerAddress: \(many)
            """
        let file = directory.appendingPathComponent("topology.yaml").path
        try topology.write(toFile: file, atomically: true, encoding: .utf8)
        return (file, ports[9])
    }

    /// Runs `switchboard ARGUMENTS` to its end (at most five minutes) and returns the lines it
    /// printed; a failure throws with what it wrote to standard error.
    static func runTool(_ executable: String, _ arguments: [String]) async throws -> [String] {
        let tool = try await ChildProcess(
            name: arguments.prefix(3).joined(separator: " "), executable: executable, arguments: arguments)
        async let output = tool.lines.reduce(into: [String]()) { $0.append($1) }
        async let errors = tool.errorLines.reduce(into: [String]()) { $0.append($1) }
        guard let status = await tool.waitForExit(within: 300) else {
            _ = await tool.stop(graceSeconds: 1)
            throw BenchmarkError(
                "`switchboard \(arguments.prefix(3).joined(separator: " "))` did not finish within 300 s")
        }
        let (lines, problems) = await (output, errors)
        guard status == 0 else {
            throw BenchmarkError(
                "`switchboard \(arguments.prefix(3).joined(separator: " "))` failed (status \(status)): "
                    + "\(problems.joined(separator: " "))"
            )
        }
        return lines
    }

    /// The gateway's pid when `up`'s lines did not give it: the process whose command line is
    /// `switchboard gateway --topology <file>`.
    static func findGateway(_ topologyFile: String) -> Int32? {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        for entry in entries {
            guard let pid = Int32(entry),
                let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
            else { continue }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            if arguments.contains("gateway"), arguments.contains(topologyFile) { return pid }
        }
        return nil
    }

    /// The resident and peak resident memory of `pid` in KiB (VmRSS, VmHWM of /proc/<pid>/status).
    static func memory(_ pid: Int32) -> (rss: Int, peak: Int)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        func field(_ name: String) -> Int? {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return nil }
            return Int(line.split(separator: " ").dropFirst().first.map(String.init) ?? "")
        }
        guard let rss = field("VmRSS") else { return nil }
        return (rss, field("VmHWM") ?? rss)
    }
}
