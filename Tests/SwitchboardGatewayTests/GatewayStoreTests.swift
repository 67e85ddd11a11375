import Foundation
import SwitchboardGateway
import Testing

@Suite("The gateway's store")
struct GatewayStoreTests {
    /// A fresh directory under the system's temporary folder, removed by the caller.
    static func directory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-store-\(UUID().uuidString)")
            .path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("sessions survive a reopen of the file, and a password change ends them")
    func sessionsSurviveAndAreRevoked() async throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let id: String
        do {
            let store = try GatewayStore(directory: directory)
            id = try await store.createSession(agentId: "priya-raman", csrf: "token-1", lifetimeSeconds: 3_600)
        }
        let reopened = try GatewayStore(directory: directory)
        let session = try await reopened.session(id: id)
        #expect(session?.agentId == "priya-raman" && session?.csrf == "token-1")
        #expect(try await reopened.session(id: id + "x") == nil)
        try await reopened.setPassword(agentId: "priya-raman", hash: "$2b$04$not-a-real-hash")
        #expect(try await reopened.session(id: id) == nil)
    }

    @Test("an expired session is not a session")
    func expiredSession() async throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try GatewayStore(directory: directory)
        let id = try await store.createSession(agentId: "grace-okafor", csrf: "c", lifetimeSeconds: -1)
        #expect(try await store.session(id: id) == nil)
    }

    @Test("customer tokens and API keys are found again but never stored as written")
    func secretsStoredHashed() async throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try GatewayStore(directory: directory)
        let customer = try await store.issueCustomer()
        let key = try await store.createAPIKey(name: "whatsapp")
        let session = try await store.createSession(agentId: "priya-raman", csrf: "c", lifetimeSeconds: 60)
        #expect(try await store.customer(token: customer.token) == customer.customerId)
        #expect(try await store.customer(token: "forged") == nil)
        #expect(try await store.apiKeyName(key: key) == "whatsapp")
        #expect(try await store.apiKeyName(key: key + "x") == nil)
        // Neither the database nor its write-ahead log holds a secret as written.
        var bytes = Data()
        for file in try FileManager.default.contentsOfDirectory(atPath: directory) {
            bytes += FileManager.default.contents(atPath: "\(directory)/\(file)") ?? Data()
        }
        let text = String(decoding: bytes, as: UTF8.self)
        for secret in [customer.token, key, session] { #expect(!text.contains(secret)) }
        #expect(text.contains(SHA256.hex(key)))
    }

    @Test("an idempotency record keeps the first answer")
    func idempotencyRecords() async throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try GatewayStore(directory: directory)
        let first = Idempotency.Record(bodyHash: "h", status: 201, body: "{\"a\":1}")
        try await store.saveIdempotencyRecord(keyName: "sms", idempotencyKey: "k-1", record: first)
        try await store.saveIdempotencyRecord(
            keyName: "sms", idempotencyKey: "k-1", record: Idempotency.Record(bodyHash: "h", status: 500, body: "{}"))
        #expect(try await store.idempotencyRecord(keyName: "sms", idempotencyKey: "k-1") == first)
        #expect(try await store.idempotencyRecord(keyName: "email", idempotencyKey: "k-1") == nil)
    }
}
