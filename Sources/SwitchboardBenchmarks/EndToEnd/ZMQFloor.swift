import Foundation
import SwitchboardProcesses
import SwitchboardServiceKit
import SwitchboardTools

/// The raw libzmq floor of this host, measured in the same run as our figures with
/// `zmq-floor.c` (a two-hop PUB/SUB round trip of a 40-byte message over tcp loopback), when
/// that file and a C compiler are at hand. Quote ratios against it: a shared host is noisy,
/// and the ratio holds better than the figures.
public enum ZMQFloor {
    public struct Figures: Sendable {
        public var p50: Double
        public var p99: Double
    }

    /// Where the tool is looked for: `SWITCHBOARD_ZMQ_FLOOR` or `../shared/tools/zmq-floor.c`.
    static var source: String? {
        let candidates = [
            ProcessInfo.processInfo.environment["SWITCHBOARD_ZMQ_FLOOR"], "../shared/tools/zmq-floor.c",
        ].compactMap { $0 }
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Compiles and runs the tool (bounded: it measures 20,000 round trips) as child processes;
    /// nil when the tool or a C compiler is absent.
    public static func measure(roundTrips: Int = 20_000) async -> Figures? {
        guard let source else { return nil }
        let binary = FileManager.default.temporaryDirectory.appendingPathComponent("sb-zmq-floor-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: binary) }
        guard await run("/usr/bin/env", ["gcc", "-O2", "-o", binary, source, "-lzmq", "-lpthread"]) != nil,
            let output = await run(binary, ["\(roundTrips)"])
        else { return nil }
        // "... round trip (2 hops, 40 B) n=20000 p50=18.7 us p99=33.1 us"
        func value(_ name: String) -> Double? {
            guard let range = output.range(of: "\(name)=") else { return nil }
            return Double(output[range.upperBound...].prefix { $0.isNumber || $0 == "." })
        }
        guard let p50 = value("p50"), let p99 = value("p99") else { return nil }
        return Figures(p50: p50, p99: p99)
    }

    /// Runs a short tool to completion: its standard output, or nil when it failed.
    private static func run(_ executable: String, _ arguments: [String]) async -> String? {
        guard
            let child = try? await ChildProcess(
                name: "zmq-floor", executable: executable, arguments: arguments, captureErrors: true)
        else { return nil }
        var output = ""
        for await line in child.lines { output += line + "\n" }
        guard await child.waitForExit() == 0 else { return nil }
        return output
    }
}
