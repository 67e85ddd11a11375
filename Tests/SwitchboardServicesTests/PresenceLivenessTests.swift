import SwitchboardPresence
import SwitchboardRouting
import Testing

/// The presence rules alone, on clocks the test moves: what `presence.set`, heartbeats and
/// silence do to an agent's status.
@Suite("Presence liveness rules")
struct PresenceLivenessTests {
    let start = ContinuousClock.now
    let wallStart: Int64 = 1_700_000_000_000
    let timeoutSeconds = 30.0

    func liveness(_ status: PresenceStatus = .available) -> PresenceLiveness {
        PresenceLiveness(
            record: PresenceRecord(agent: "priya", status: status, reason: nil, sinceMilliseconds: wallStart),
            heardAt: start)
    }

    func expire(_ liveness: inout PresenceLiveness, after seconds: Double) -> PresenceRecord? {
        liveness.expireIfSilent(
            timeoutSeconds: timeoutSeconds, at: start + .milliseconds(Int64(seconds * 1_000)),
            wallMilliseconds: wallStart + Int64(seconds * 1_000))
    }

    @Test("an agent heard within the timeout stays; silent past it goes Offline, remembering the status")
    func silenceExpires() throws {
        var agent = liveness(.away)
        #expect(expire(&agent, after: 30) == nil)
        let offline = try #require(expire(&agent, after: 30.001))
        #expect(offline.status == .offline)
        #expect(offline.statusBeforeTimeout == .away)
        #expect(offline.reason == "no heartbeat for 30 s")
        #expect(offline.sinceMilliseconds == wallStart + 30_001)
        #expect(expire(&agent, after: 90) == nil, "already Offline: no second change")
    }

    @Test("a heartbeat pushes the timeout back and changes nothing while the agent is not timed out")
    func heartbeatKeepsAlive() {
        var agent = liveness()
        #expect(agent.heartbeat(at: start + .seconds(20), wallMilliseconds: wallStart + 20_000) == nil)
        #expect(expire(&agent, after: 45) == nil)
        #expect(expire(&agent, after: 50.5)?.status == .offline)
    }

    @Test("the next heartbeat after a timeout restores the status the agent had, from that moment")
    func heartbeatRestores() throws {
        var agent = liveness(.doNotDisturb)
        _ = expire(&agent, after: 31)
        let heard = agent.heartbeat(at: start + .seconds(40), wallMilliseconds: wallStart + 40_000)
        let restored = try #require(heard)
        #expect(restored.status == .doNotDisturb)
        #expect(restored.reason == "heartbeats resumed")
        #expect(restored.statusBeforeTimeout == nil)
        #expect(restored.sinceMilliseconds == wallStart + 40_000)
        #expect(expire(&agent, after: 69) == nil, "heard at 40 s: the timeout runs from there")
    }

    @Test("an agent who chose Offline never times out, and a heartbeat does not bring them back")
    func chosenOffline() {
        var agent = liveness()
        let chosen = agent.set(.offline, reason: "end of shift", at: start, wallMilliseconds: wallStart + 1)
        #expect(chosen.status == .offline && chosen.statusBeforeTimeout == nil)
        #expect(expire(&agent, after: 300) == nil)
        #expect(agent.heartbeat(at: start + .seconds(301), wallMilliseconds: wallStart + 301_000) == nil)
        #expect(agent.record.status == .offline)
    }

    @Test("a status chosen while timed out replaces the remembered one")
    func setForgetsRemembered() throws {
        var agent = liveness(.available)
        _ = expire(&agent, after: 31)
        let away = agent.set(.away, reason: "lunch", at: start + .seconds(32), wallMilliseconds: wallStart + 32_000)
        #expect(away.status == .away && away.statusBeforeTimeout == nil)
        #expect(agent.heartbeat(at: start + .seconds(33), wallMilliseconds: wallStart + 33_000) == nil)
        #expect(agent.record.status == .away)
    }

    @Test("setting Offline does not count as being heard")
    func offlineIsNotHeard() throws {
        var agent = liveness(.available)
        _ = agent.set(.offline, reason: nil, at: start + .seconds(29), wallMilliseconds: wallStart)
        _ = agent.set(.available, reason: nil, at: start + .seconds(29), wallMilliseconds: wallStart)
        #expect(agent.lastHeard == start + .seconds(29), "available again: heard")
        var other = liveness(.available)
        _ = other.set(.offline, reason: nil, at: start + .seconds(29), wallMilliseconds: wallStart)
        #expect(other.lastHeard == start)
    }

    @Test("since moves only when the status changes; a new reason alone is news but keeps since")
    func sinceAndNews() {
        var agent = liveness(.away)
        let previous = agent.record
        let lunch = agent.set(.away, reason: "lunch", at: start, wallMilliseconds: wallStart + 5_000)
        #expect(lunch.sinceMilliseconds == wallStart)
        #expect(PresenceLiveness.isChange(from: previous, to: lunch))
        let same = agent.set(.away, reason: "lunch", at: start, wallMilliseconds: wallStart + 6_000)
        #expect(!PresenceLiveness.isChange(from: lunch, to: same))
    }
}
