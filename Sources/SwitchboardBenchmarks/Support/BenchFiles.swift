import Foundation
import SwitchboardProcesses

/// The files the whole-system benchmarks start `up` with: a contact centre of one chat queue
/// (least loaded, no stickiness) and `agents` agents, and distinct free loopback ports.
enum BenchFiles {
    /// Writes `centre.yaml` in `directory` and returns its path.
    static func writeCentre(in directory: URL, agents: Int, chatCapacity: Int) throws -> String {
        var lines = ""
        for index in 0..<agents {
            lines += "  agent-\(index): {role: agent, profile: bench}\n"
        }
        let centre = """
            version: 1
            name: bench
            skills:
              language: {english: English}
            queues:
              bench: {channel: chat, method: leastLoaded, sticky: false}
            capacityProfiles:
              bench: {capacity: {chat: \(chatCapacity)}}
            roles:
              agent: {queues: [bench]}
            agents:
            \(lines)
            """
        let file = directory.appendingPathComponent("centre.yaml").path
        try centre.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// `count` distinct free loopback ports.
    static func freePorts(_ count: Int) -> [Int] {
        var ports: [Int] = []
        while ports.count < count {
            let port = LoopbackPort.free()
            if !ports.contains(port) { ports.append(port) }
        }
        return ports
    }
}
