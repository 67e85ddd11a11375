#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A mean with its 95% confidence interval by the method of batch means: consecutive
/// customers are grouped into batches long enough that batch averages are nearly
/// independent, and the interval comes from the spread of those averages (Student's t).
/// Single waits are strongly correlated in a busy queue, so an interval from them alone
/// would be far too narrow.
public struct BatchMeans: Sendable, Hashable, Codable {
    /// One average per complete batch, in order.
    public var batchAverages: [Double]

    public init(batchAverages: [Double] = []) { self.batchAverages = batchAverages }

    public var count: Int { batchAverages.count }

    /// The grand mean (equal-sized batches, so the mean of the batch means).
    public var mean: Double {
        guard !batchAverages.isEmpty else { return .nan }
        return batchAverages.reduce(0, +) / Double(batchAverages.count)
    }

    /// Half the width of the 95% confidence interval of `mean`; infinite below two batches.
    public var halfWidth95: Double {
        let batches = batchAverages.count
        guard batches >= 2 else { return .infinity }
        let average = mean
        let squares = batchAverages.reduce(0) { $0 + ($1 - average) * ($1 - average) }
        let standardError = (squares / Double(batches - 1) / Double(batches)).squareRoot()
        return Self.studentT975(degreesOfFreedom: batches - 1) * standardError
    }

    /// The two-sided 95% quantile of Student's t: exact table values for few degrees of freedom,
    /// the Cornish–Fisher expansion around the normal quantile above (error below 0.001 from 10).
    static func studentT975(degreesOfFreedom df: Int) -> Double {
        let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262]
        if df >= 1 && df <= table.count { return table[df - 1] }
        let z = 1.959_963_985
        let nu = Double(max(df, 1))
        let z3 = z * z * z
        let z5 = z3 * z * z
        let z7 = z5 * z * z
        return z + (z3 + z) / (4 * nu) + (5 * z5 + 16 * z3 + 3 * z) / (96 * nu * nu)
            + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * nu * nu * nu)
    }
}
