import SwitchboardStore
import Testing

@Suite("Crash points read from SWITCHBOARD_CRASH_AT")
struct CrashPlanTests {
    @Test("unset or empty plans no crash")
    func unset() throws {
        #expect(try CrashPlan.parse(nil) == nil)
        #expect(try CrashPlan.parse("") == nil)
    }

    @Test("a point alone dies at its first hit; after-ack is before-publish")
    func pointsAndAlias() throws {
        #expect(try CrashPlan.parse("after-commit") == CrashPlan(point: .afterCommit, hitNumber: 1))
        #expect(try CrashPlan.parse("before-publish") == CrashPlan(point: .beforePublish, hitNumber: 1))
        #expect(try CrashPlan.parse("after-ack") == CrashPlan(point: .beforePublish, hitNumber: 1))
        #expect(try CrashPlan.parse("after-commit:3") == CrashPlan(point: .afterCommit, hitNumber: 3))
    }

    @Test("unreadable values are refused with the variable and what to write")
    func refusals() {
        for value in ["after-lunch", "after-commit:0", "after-commit:-2", "after-commit:x", "after-commit:", ":3"] {
            #expect(throws: CrashPlanError.self, "\(value)") { try CrashPlan.parse(value) }
        }
        do {
            _ = try CrashPlan.parse("after-lunch")
        } catch {
            #expect(error.description.contains("SWITCHBOARD_CRASH_AT=after-lunch"))
            #expect(error.description.contains("after-commit"))
        }
    }

    @Test("the countdown fires exactly at the planned hit of its point and never at another point")
    func countdown() {
        var countdown = CrashCountdown(plan: CrashPlan(point: .afterCommit, hitNumber: 3))
        var fired: [Bool] = []
        for _ in 0..<5 {
            fired.append(countdown.hit(.beforePublish))
            fired.append(countdown.hit(.afterCommit))
        }
        #expect(fired == [false, false, false, false, false, true, false, false, false, false])

        var unarmed = CrashCountdown(plan: nil)
        #expect(!(0..<10).contains { _ in unarmed.hit(.afterCommit) })
    }

    @Test("the test process itself has no crash planned")
    func notArmedHere() throws {
        #expect(try CrashPoints.validateEnvironment() == nil)
        #expect(!CrashPoints.isArmed)
        // Unarmed, a hit is a no-op: the test goes on.
        CrashPoints.hit(.afterCommit)
    }
}
