import Columnar

/// Exact per-group sums for inputs with few groups (such as TPC-H q01's four), where consecutive rows usually
/// belong to the same group.
///
/// Adding row after row into `sums[group]` then makes every addition wait for the previous one's memory
/// update. This kernel spreads the rows of a batch over `laneCount` interleaved partial sums per group (row
/// `r` goes to lane `r % laneCount`), so consecutive additions are independent, and folds the lanes into the
/// running totals once per batch, where overflow of a total is detected.
///
/// The lanes add with wrapping arithmetic. That is exact whenever the true sum of each group's values in the
/// batch fits in 128 bits, because wrapping addition is exact modulo 2^128: callers guarantee it by a bound
/// on the magnitudes (`canSumExactly`).
enum FewGroupSums {
    /// The largest group count the kernel handles; with more groups, consecutive rows rarely collide.
    static let maximumGroupCount = 32
    /// The number of partial sums per group.
    static let laneCount = 4

    /// Whether `rowCount` values of magnitude below `magnitudeBound` always sum to less than 2^127.
    static func canSumExactly(rowCount: Int, magnitudeBound: UInt128) -> Bool {
        let (total, overflow) = magnitudeBound.multipliedReportingOverflow(by: UInt128(Swift.max(rowCount, 1)))
        return !overflow && total < (UInt128(1) << 127)
    }

    /// Adds `values[row]` to `sums[groups[row]]` and counts it in `counts[groups[row]]`, for every row (every
    /// row whose bit is set in `validity`, when given). `groupCount` must be at most `maximumGroupCount` and
    /// above every group number. Returns whether a running total overflowed 128 bits (it then wraps), or nil
    /// when values wider than 64 bits turned out too large for the batch to sum exactly in its lanes: then
    /// nothing was added and the caller must add the batch with checked arithmetic.
    @inline(__always)
    static func add<T: FixedWidthInteger>(_ values: UnsafePointer<T>, validity: UnsafeRawPointer?,
                                          groups: UnsafeBufferPointer<Int32>, groupCount: Int,
                                          sums: UnsafeMutablePointer<Int128>, counts: UnsafeMutablePointer<Int64>) -> Bool? {
        let slotCount = groupCount &* laneCount
        return withUnsafeTemporaryAllocation(of: Int128.self, capacity: slotCount) { laneSums -> Bool? in
            withUnsafeTemporaryAllocation(of: Int64.self, capacity: slotCount) { laneCounts -> Bool? in
                guard let partial = laneSums.baseAddress, let partialCounts = laneCounts.baseAddress else { return nil }
                partial.initialize(repeating: 0, count: slotCount)
                partialCounts.initialize(repeating: 0, count: slotCount)
                let rowCount = groups.count
                // The OR of the one's-complement magnitudes of the added values bounds them (wide types only).
                var magnitudeBits: UInt128 = 0
                if let validity {
                    for row in 0..<rowCount {
                        let slot = Int(groups[row]) &* laneCount &+ (row & (laneCount &- 1))
                        let isValid = Bitmap.isSet(validity, row)
                        let value = isValid ? Int128(truncatingIfNeeded: values[row]) : 0
                        if T.bitWidth > 64 { magnitudeBits |= UInt128(bitPattern: value ^ (value >> 127)) }
                        partial[slot] &+= value
                        partialCounts[slot] &+= isValid ? 1 : 0
                    }
                } else {
                    for row in 0..<rowCount {
                        let slot = Int(groups[row]) &* laneCount &+ (row & (laneCount &- 1))
                        let value = Int128(truncatingIfNeeded: values[row])
                        if T.bitWidth > 64 { magnitudeBits |= UInt128(bitPattern: value ^ (value >> 127)) }
                        partial[slot] &+= value
                        partialCounts[slot] &+= 1
                    }
                }
                if T.bitWidth > 64 {
                    // Every magnitude is at most `magnitudeBits`, so below the next power of two.
                    let bits = UInt128.bitWidth - magnitudeBits.leadingZeroBitCount
                    guard bits < 127,
                          canSumExactly(rowCount: rowCount, magnitudeBound: UInt128(1) << bits) else { return nil }
                }
                var overflow = false
                for group in 0..<groupCount {
                    var total: Int128 = 0
                    var count: Int64 = 0
                    for lane in 0..<laneCount {
                        total &+= partial[group &* laneCount &+ lane]
                        count &+= partialCounts[group &* laneCount &+ lane]
                    }
                    if count == 0 { continue }
                    let (sum, overflowed) = sums[group].addingReportingOverflow(total)
                    sums[group] = sum
                    overflow = overflow || overflowed
                    counts[group] &+= count
                }
                return overflow
            }
        }
    }
}
