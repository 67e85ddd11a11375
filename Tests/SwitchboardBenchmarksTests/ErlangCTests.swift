import SwitchboardBenchmarks
import Testing

@Suite("Erlang C")
struct ErlangCTests {
    @Test("one agent is M/M/1: the probability of waiting is the occupancy")
    func singleAgent() {
        let model = ErlangC(agents: 1, arrivalsPerSecond: 0.5, meanHandlingSeconds: 1.5)
        #expect(abs(model.probabilityOfWaiting - 0.75) < 1e-12)
        // ASA of M/M/1: ρ·h / (1 − ρ).
        #expect(abs(model.averageSpeedOfAnswerSeconds - 0.75 * 1.5 / 0.25) < 1e-9)
    }

    @Test("two agents at one Erlang wait a third of the time")
    func twoAgents() {
        let model = ErlangC(agents: 2, arrivalsPerSecond: 1, meanHandlingSeconds: 1)
        #expect(abs(model.probabilityOfWaiting - 1.0 / 3.0) < 1e-12)
    }

    @Test("Erlang B of 10 servers at 5 Erlangs is 1.84%")
    func erlangB() {
        let model = ErlangC(agents: 10, arrivalsPerSecond: 5, meanHandlingSeconds: 1)
        #expect(abs(model.blockingProbability - 0.018_384_570) < 1e-8)
    }

    @Test("the worked example: 360 calls in 30 minutes, 240 s each, 55 agents, 20 s target")
    func workedExample() {
        let model = ErlangC(agents: 55, arrivalsPerSecond: 360.0 / 1800, meanHandlingSeconds: 240)
        #expect(abs(model.offeredLoad - 48) < 1e-9)
        #expect(abs(model.probabilityOfWaiting - 0.238_700_936) < 1e-8)
        #expect(abs(model.serviceLevel(withinSeconds: 20) - 0.866_796_488) < 1e-8)
        #expect(abs(model.averageSpeedOfAnswerSeconds - 8.184_032_104) < 1e-6)
    }

    @Test("a large centre stays exact where a^N / N! would overflow")
    func largeCentre() {
        let model = ErlangC(agents: 300, arrivalsPerSecond: 290, meanHandlingSeconds: 1)
        #expect(abs(model.probabilityOfWaiting - 0.449_359_847) < 1e-8)
    }

    @Test("an overloaded queue always waits and never meets a target")
    func unstable() {
        let model = ErlangC(agents: 10, arrivalsPerSecond: 11, meanHandlingSeconds: 1)
        #expect(!model.isStable)
        #expect(model.probabilityOfWaiting == 1)
        #expect(model.serviceLevel(withinSeconds: 20) == 0)
        #expect(model.averageSpeedOfAnswerSeconds == .infinity)
    }
}
