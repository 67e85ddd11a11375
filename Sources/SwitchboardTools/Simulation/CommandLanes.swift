/// Keeps the simulation's commands in order where order matters and parallel where it does
/// not: the commands of one lane (one agent, one customer) go one at a time, in the order
/// they were asked for, so an agent's close never overtakes their last reply; different lanes
/// run side by side, at most `inFlightMax` commands at once.
public struct CommandLanes: Sendable {
    public let inFlightMax: Int
    private var waiting: [String: [SimulationCommand]] = [:]
    /// Lanes with a command in flight or ready to start.
    private var busy: Set<String> = []
    /// Lanes whose next command may start as soon as there is room, oldest first.
    private var ready: [String] = []
    private var readyStart = 0
    public private(set) var inFlight = 0

    public init(inFlightMax: Int) {
        self.inFlightMax = max(1, inFlightMax)
    }

    /// Commands waiting (not yet started).
    public var queued: Int { waiting.values.reduce(0) { $0 + $1.count } }

    /// True when nothing is in flight or waiting.
    public var isIdle: Bool { inFlight == 0 && queued == 0 }

    /// Queues `command`; returns the commands to start now.
    public mutating func submit(_ command: SimulationCommand) -> [SimulationCommand] {
        waiting[command.lane, default: []].append(command)
        if busy.insert(command.lane).inserted { ready.append(command.lane) }
        return startReady()
    }

    /// The command in flight on `lane` has ended; returns the commands to start now.
    public mutating func completed(lane: String) -> [SimulationCommand] {
        inFlight -= 1
        if waiting[lane]?.isEmpty == false {
            ready.append(lane)
        } else {
            waiting[lane] = nil
            busy.remove(lane)
        }
        return startReady()
    }

    private mutating func startReady() -> [SimulationCommand] {
        var started: [SimulationCommand] = []
        while inFlight < inFlightMax, readyStart < ready.count {
            let lane = ready[readyStart]
            readyStart += 1
            guard var queue = waiting[lane], !queue.isEmpty else { continue }
            started.append(queue.removeFirst())
            waiting[lane] = queue
            inFlight += 1
        }
        if readyStart > 1_024 && readyStart * 2 > ready.count {
            ready.removeFirst(readyStart)
            readyStart = 0
        }
        return started
    }
}
