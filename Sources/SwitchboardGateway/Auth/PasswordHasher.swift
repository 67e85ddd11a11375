import Dispatch
import HummingbirdBcrypt

/// bcrypt off the cooperative pool: hashing takes tens of milliseconds by design, so it runs on
/// a queue of its own and the caller awaits it.
public struct PasswordHasher: Sendable {
    /// bcrypt's cost (each step doubles the work).
    public let cost: Int
    private static let queue = DispatchQueue(label: "switchboard.gateway.bcrypt", attributes: .concurrent)

    public init(cost: Int) {
        self.cost = min(31, max(4, cost))
    }

    /// The bcrypt hash of `password`.
    public func hash(_ password: String) async -> String {
        let cost = UInt8(cost)
        return await withCheckedContinuation { continuation in
            Self.queue.async { continuation.resume(returning: Bcrypt.hash(password, cost: cost)) }
        }
    }

    /// Whether `password` matches `hash`.
    public func verify(_ password: String, hash: String) async -> Bool {
        await withCheckedContinuation { continuation in
            Self.queue.async { continuation.resume(returning: Bcrypt.verify(password, hash: hash)) }
        }
    }
}
