import Foundation

extension Topology {
    /// The host this process runs as: `requested` (a name under `hosts:`), else the only host,
    /// else the one whose name or address is this machine's host name (`machineName`, by default
    /// the system's).
    public func host(requested: String?, machineName: String? = nil) throws(TopologyError) -> String {
        let machineName = machineName ?? ProcessInfo.processInfo.hostName
        let names = hosts.keys.sorted().joined(separator: ", ")
        if let requested {
            guard hosts[requested] != nil else {
                throw TopologyError(file: file, key: "hosts", problem: "no host '\(requested)' here; it has \(names)")
            }
            return requested
        }
        if hosts.count == 1, let only = hosts.keys.first { return only }
        if let match = hosts.values.first(where: { $0.name == machineName || $0.address == machineName }) {
            return match.name
        }
        throw TopologyError(
            file: file, key: "hosts",
            problem: "it has several hosts and none is this machine (\(machineName)); say which with --host (\(names))")
    }
}
