import Foundation
import SwitchboardBus
import Testing

@Suite("Command ids made by the client")
struct CommandIDTests {
    @Test("ids are version 7 UUIDs: unique, and those made later sort after those made earlier")
    func timeOrdered() async throws {
        var ids: [String] = []
        for _ in 0..<5 {
            ids.append(CommandClient.newID())
            // The next millisecond at least: ids of the same millisecond are ordered by chance.
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(ids == ids.sorted(), "\(ids)")
        #expect(Set(ids).count == ids.count)
        for id in ids {
            let uuid = try #require(UUID(uuidString: id), "\(id) is a UUID")
            #expect(uuid.uuidString.lowercased() == id)
            #expect(uuid.uuid.6 >> 4 == 7, "version 7: \(id)")
            #expect(uuid.uuid.8 >> 6 == 0b10, "the RFC 9562 variant: \(id)")
        }
        let sameMillisecond = (0..<1_000).map { _ in CommandClient.newID() }
        #expect(Set(sameMillisecond).count == 1_000, "the random bits keep ids of one millisecond apart")
    }
}
