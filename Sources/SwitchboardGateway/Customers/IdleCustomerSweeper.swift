public import ServiceLifecycle

/// Every few seconds, times out chat customers who went quiet with no page open (a service of
/// the gateway's group; it stops at graceful shutdown).
public struct IdleCustomerSweeper: Service {
    let customers: Customers
    let intervalSeconds: Double

    public init(customers: Customers, intervalSeconds: Double = 5) {
        self.customers = customers
        self.intervalSeconds = intervalSeconds
    }

    public func run() async throws {
        // Cancelled at graceful shutdown, it returns normally: its end is no failure of the group.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(Int64(intervalSeconds * 1_000)))
                if Task.isCancelled { break }
                await customers.sweep()
            }
        }
    }
}
