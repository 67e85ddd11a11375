import Foundation
import Glibc
import Testing

@testable import SwitchboardProcesses

@Suite("Child processes")
struct ChildProcessTests {
    @Test("the exit code and the number of a killing signal come back as the status")
    func statuses() async throws {
        let exits = try await ChildProcess(name: "exit3", executable: "/bin/sh", arguments: ["-c", "exit 3"])
        #expect(await exits.waitForExit(within: 10) == 3)

        let sleeps = try await ChildProcess(name: "sleeper", executable: "/bin/sleep", arguments: ["30"])
        #expect(sleeps.isRunning)
        sleeps.signal(SIGKILL)
        #expect(await sleeps.waitForExit(within: 10) == SIGKILL)
    }

    @Test("standard output arrives as lines, the last one without a newline too, and the stream ends")
    func lines() async throws {
        let child = try await ChildProcess(
            name: "printer", executable: "/bin/sh", arguments: ["-c", "printf 'one\\ntwo\\n\\nthree'"])
        var seen: [String] = []
        for await line in child.lines { seen.append(line) }
        #expect(seen == ["one", "two", "", "three"])
        #expect(await child.waitForExit(within: 10) == 0)
    }

    @Test("the exit is seen while a grandchild holding the output still runs")
    func exitWithGrandchild() async throws {
        // The grandchild keeps the pipe of standard output open; the exit must not wait for it.
        let child = try await ChildProcess(
            name: "parent", executable: "/bin/sh", arguments: ["-c", "sleep 600 & echo $!; exit 0"])
        var iterator = child.lines.makeAsyncIterator()
        let grandchild = try #require(await iterator.next().flatMap { Int32($0) })
        defer { kill(grandchild, SIGKILL) }
        #expect(await child.waitForExit(within: 10) == 0)
        #expect(kill(grandchild, 0) == 0, "the grandchild still runs")
    }

    @Test("each exit is seen while siblings started at the same moment still run")
    func siblingsDoNotHideExits() async throws {
        // 40 pairs started at once, a long sleep beside a `true`. Foundation's `Process` saw such
        // a `true` end only once the sleeps that had inherited its exit socket had ended too.
        let pairs = try await withThrowingTaskGroup(of: (sleeper: ChildProcess, quick: ChildProcess).self) { group in
            for index in 0..<40 {
                group.addTask {
                    async let sleeper = ChildProcess(
                        name: "sleeper-\(index)", executable: "/bin/sleep", arguments: ["600"])
                    async let quick = ChildProcess(name: "true-\(index)", executable: "/bin/true", arguments: [])
                    return try await (sleeper, quick)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        defer { for pair in pairs { pair.sleeper.signal(SIGKILL) } }
        for pair in pairs {
            #expect(await pair.quick.waitForExit(within: 60) == 0)
        }
        #expect(pairs.allSatisfy { $0.sleeper.isRunning }, "every sleep still runs")
    }

    @Test("the child inherits no descriptor beyond its standard streams")
    func noInheritedDescriptors() async throws {
        // A descriptor of ours without close-on-exec, as a careless library might leave one.
        let descriptor = open("/dev/null", O_RDONLY)
        #expect(descriptor > 2)
        #expect(fcntl(descriptor, F_GETFD) & FD_CLOEXEC == 0)
        defer { close(descriptor) }
        // `test -e` looks the descriptors up without opening one of its own.
        let child = try await ChildProcess(
            name: "fds", executable: "/bin/sh",
            arguments: [
                "-c", "for fd in \"$@\"; do test -e /proc/$$/fd/$fd && echo $fd; done; exit 0", "sh", "0", "1", "2",
                "\(descriptor)",
            ])
        var open: [Int32] = []
        for await line in child.lines { if let fd = Int32(line) { open.append(fd) } }
        #expect(await child.waitForExit(within: 10) == 0)
        #expect(open == [0, 1, 2], "descriptors open in the child, of 0, 1, 2 and \(descriptor): \(open)")
    }

    @Test("a missing executable is refused with its path and the system's reason")
    func missingExecutable() async throws {
        do {
            _ = try await ChildProcess(name: "missing", executable: "/nonexistent/switchboard", arguments: [])
            Issue.record("a missing executable was started")
        } catch let error as SpawnError {
            #expect(error.description.contains("/nonexistent/switchboard"))
            #expect(error.description.contains("No such file"))
        }
    }

    @Test("stop asks with SIGTERM and kills after the grace period")
    func stopEscalates() async throws {
        let polite = try await ChildProcess(name: "polite", executable: "/bin/sleep", arguments: ["30"])
        #expect(await polite.stop(graceSeconds: 10) == SIGTERM)

        let stubborn = try await ChildProcess(
            name: "stubborn", executable: "/bin/sh", arguments: ["-c", "trap '' TERM; echo ready; exec sleep 30"])
        var iterator = stubborn.lines.makeAsyncIterator()
        #expect(await iterator.next() == "ready")
        #expect(await stubborn.stop(graceSeconds: 0.5) == SIGKILL)
    }
}
