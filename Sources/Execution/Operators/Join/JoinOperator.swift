import Columnar
import LogicalPlan

/// Joins its left (probe) input with its right (build) input, which it reads first.
///
/// With equi-join keys it is a hash join: each probe row's key is looked up in the build side's hash table
/// and every build row in the matching chain is a candidate (NULL keys never match). Without keys it is a
/// nested-loop join where every pair is a candidate. Candidates are checked against the residual predicate in
/// chunks of about one batch of pairs, so even a large fan-out never holds more than a batch of pairs.
///
/// Kinds: inner, cross, left/right/full (unmatched rows padded with NULLs), semi and anti (left rows with /
/// without a match) and mark (every left row plus a boolean: true on a match; NULL without a match when the
/// probe key is NULL, the build side has a NULL key or the residual was NULL for a candidate; false otherwise,
/// and always false when the build side is empty).
final class JoinOperator: PhysicalOperator {
    enum Strategy {
        case hash(probeKeys: [ColumnEvaluator], buildKeys: [ColumnEvaluator], keyTypes: [DataType])
        case nestedLoop
    }

    /// How a hash join feeds runtime key filters elsewhere in the plan (see `JoinKeyFilterHub`).
    enum KeyFilterRole {
        /// Inner and semi joins: once the build is done, its keys filter the probe input (a probe row whose key
        /// is not among them yields nothing).
        case fromBuild(JoinKeyFilterHub)
        /// Inner, left, semi and anti joins: the join reads its probe input first, holding up to `rowLimit`
        /// rows; when that is all of it, their keys filter the build input (a build row whose key no probe row
        /// has matches nothing, and these kinds never output unmatched build rows). With more probe rows the
        /// filters are disabled and the join goes on as usual. Without probe rows the build is skipped.
        case probeFirst(JoinKeyFilterHub, rowLimit: Int)
    }

    let columns: [PlanColumn]
    let name: String
    var children: [any PhysicalOperator] { [left, right] }
    private(set) var producedRows = 0

    private let kind: JoinKind
    private let left: any PhysicalOperator
    private let right: any PhysicalOperator
    private let strategy: Strategy
    private let residual: CompiledExpression?
    /// The input columns the residual reads, as (is from the left input, position in that input); candidate
    /// batches for the residual hold only these, in this order.
    private let residualInputs: [(isLeft: Bool, position: Int)]
    private let context: ExecutionContext
    private let outputSchema: Schema
    private let candidateSchema: Schema
    private let leftTypes: [DataType]
    private let rightTypes: [DataType]

    private let sharedBuild: SharedJoinBuild?
    private var build: JoinBuildSide?
    private var buildMatched: [Bool] = []
    private var probe: ProbeState?
    private var queue: [RecordBatch] = []
    private var queuePosition = 0
    private var leftExhausted = false
    private var finished = false
    private let keyFilterRole: KeyFilterRole?
    /// Probe-first joins: the probe batches read before the build (with their key columns once they were
    /// published), and how many of them were probed since.
    private var probeSideBuffered = false
    private var bufferedProbe: [(batch: RecordBatch, keyColumns: [Column]?)] = []
    private var bufferedPosition = 0

    /// The probe batch being joined and how far the candidate generation has got.
    private struct ProbeState {
        var batch: RecordBatch
        /// Per probe row: its group in the build table (-1: none), for hash joins.
        var groups: [Int32]
        var hasNullKey: [Bool]
        var row = 0
        /// Hash joins: the next build row of the current chain; -2 before the row's chain starts.
        var chain: Int32 = -2
        /// Nested loops: the next build row for the current probe row.
        var buildRow = 0
        var matched: [Bool]
        var sawNull: [Bool]
    }

    init(kind: JoinKind, left: any PhysicalOperator, right: any PhysicalOperator, strategy: Strategy,
         residual: Expression?, columns: [PlanColumn], context: ExecutionContext, sharedBuild: SharedJoinBuild? = nil,
         keyFilterRole: KeyFilterRole? = nil) throws {
        self.sharedBuild = sharedBuild
        self.keyFilterRole = keyFilterRole
        self.kind = kind
        self.left = left
        self.right = right
        self.strategy = strategy
        self.context = context
        self.columns = columns
        outputSchema = BatchSupport.schema(of: columns)
        leftTypes = left.columns.map(\.dataType)
        rightTypes = right.columns.map(\.dataType)
        var inputs: [(isLeft: Bool, position: Int)] = []
        var candidateColumns: [PlanColumn] = []
        var positions: [ColumnID: Int] = [:]
        if let residual {
            let referenced = residual.referencedColumns
            for (isLeft, sideColumns) in [(true, left.columns), (false, right.columns)] {
                for (position, column) in sideColumns.enumerated()
                where referenced.contains(column.id) && positions[column.id] == nil {
                    positions[column.id] = candidateColumns.count
                    candidateColumns.append(column)
                    inputs.append((isLeft, position))
                }
            }
        }
        residualInputs = inputs
        candidateSchema = BatchSupport.schema(of: candidateColumns)
        self.residual = try residual.map { try CompiledExpression($0, layout: ColumnLayout(positions: positions)) }
        let kindName: String
        switch kind {
        case .inner: kindName = "inner"
        case .left: kindName = "left"
        case .right: kindName = "right"
        case .full: kindName = "full"
        case .cross: kindName = "cross"
        case .semi: kindName = "semi"
        case .anti: kindName = "anti"
        case .mark: kindName = "mark"
        }
        var joinName: String
        switch strategy {
        case .hash: joinName = "HashJoin (\(kindName))"
        case .nestedLoop: joinName = "NestedLoopJoin (\(kindName))"
        }
        switch keyFilterRole {
        case .fromBuild(let hub)?: joinName += " #\(hub.joinNumber)"
        case .probeFirst(let hub, _)?: joinName += " #\(hub.joinNumber) probe first"
        case nil: break
        }
        name = joinName
    }

    private var emitsPairs: Bool {
        switch kind {
        case .inner, .left, .right, .full, .cross: return true
        case .semi, .anti, .mark: return false
        }
    }

    private var tracksBuildMatches: Bool {
        switch kind {
        case .right, .full: return true
        default: return false
        }
    }

    func next() throws -> RecordBatch? {
        while true {
            try context.checkCancellation()
            if queuePosition < queue.count {
                let batch = queue[queuePosition]
                queuePosition += 1
                if queuePosition == queue.count {
                    queue.removeAll(keepingCapacity: true)
                    queuePosition = 0
                }
                producedRows += batch.rowCount
                return batch
            }
            if finished { return nil }
            if build == nil {
                if case .probeFirst(let hub, let rowLimit)? = keyFilterRole, !probeSideBuffered {
                    try bufferProbeSide(hub, rowLimit: rowLimit)
                    if finished { return nil }
                }
                try buildRight()
            }
            guard let build else { return nil }
            if probe != nil {
                try advanceProbe(build)
                continue
            }
            if bufferedPosition < bufferedProbe.count {
                let (batch, keyColumns) = bufferedProbe[bufferedPosition]
                bufferedPosition += 1
                if bufferedPosition == bufferedProbe.count {
                    bufferedProbe = []
                    bufferedPosition = 0
                }
                try startProbe(batch, build, keyColumns: keyColumns)
                continue
            }
            if !leftExhausted, let batch = try left.next() {
                if batch.rowCount > 0 { try startProbe(batch, build) }
                continue
            }
            leftExhausted = true
            finished = true
            if tracksBuildMatches { emitUnmatchedBuildRows(build) }
        }
    }

    private func buildRight() throws {
        let side: JoinBuildSide
        if let sharedBuild {
            // The shared build publishes its keys itself, before any worker probes.
            side = try sharedBuild.get()
        } else {
            var hub: JoinKeyFilterHub?
            if case .fromBuild(let buildHub)? = keyFilterRole { hub = buildHub }
            side = try JoinBuildSide.build(from: right, strategy: strategy, publishingTo: hub, context: context)
        }
        build = side
        if tracksBuildMatches { buildMatched = [Bool](repeating: false, count: side.rowCount) }
        if side.rowCount == 0 {
            // Nothing on the right: inner-like joins produce nothing, so the left input need not be read.
            switch kind {
            case .inner, .cross, .semi, .right: finished = true
            default: break
            }
        }
    }

    /// Probe-first joins: reads the probe input before the build, up to `rowLimit` rows, and publishes the
    /// keys of all of it to the filters in the build input, or disables them when there is more.
    private func bufferProbeSide(_ hub: JoinKeyFilterHub, rowLimit: Int) throws {
        probeSideBuffered = true
        switch kind {
        case .inner, .left, .semi, .anti: break
        case .right, .full, .cross, .mark:
            // These output rows for unmatched build rows or depend on every build key: no filter there.
            hub.disable()
            return
        }
        guard case .hash(let probeKeys, _, let keyTypes) = strategy else {
            hub.disable()
            return
        }
        var rowCount = 0
        while rowCount <= rowLimit {
            try context.checkCancellation()
            guard let batch = try left.next() else {
                leftExhausted = true
                break
            }
            if batch.rowCount == 0 { continue }
            bufferedProbe.append((batch, nil))
            rowCount += batch.rowCount
        }
        guard leftExhausted else {
            hub.disable()
            return
        }
        if rowCount == 0 {
            // Inner, left, semi and anti joins yield nothing without probe rows: skip the build.
            hub.disable()
            finished = true
            return
        }
        for index in bufferedProbe.indices {
            bufferedProbe[index].keyColumns = try Self.keyColumns(of: bufferedProbe[index].batch, probeKeys, keyTypes)
        }
        try hub.publish(batches: bufferedProbe.map { ($0.keyColumns ?? [], $0.batch.rowCount) }, fullTable: nil)
    }

    /// The key columns of `batch`, conformed to the key types.
    private static func keyColumns(of batch: RecordBatch, _ evaluators: [ColumnEvaluator],
                                   _ types: [DataType]) throws -> [Column] {
        try evaluators.enumerated().map { position, evaluator in
            try BatchSupport.conform(evaluator.evaluate(batch), to: types[position])
        }
    }

    /// Starts joining a probe batch; `keyColumns` are its key columns when they were computed already.
    private func startProbe(_ batch: RecordBatch, _ build: JoinBuildSide, keyColumns given: [Column]? = nil) throws {
        let rowCount = batch.rowCount
        var state = ProbeState(batch: batch, groups: [], hasNullKey: [],
                               matched: [Bool](repeating: false, count: rowCount),
                               sawNull: [Bool](repeating: false, count: rowCount))
        if case .hash(let probeKeys, _, let keyTypes) = strategy, let table = build.table {
            let keyColumns = try given ?? Self.keyColumns(of: batch, probeKeys, keyTypes)
            try table.find(keyColumns, rowCount: rowCount, groups: &state.groups, nullsMatch: false)
            state.hasNullKey = rowsWithNullKeys(keyColumns, rowCount: rowCount) ?? []
            if !emitsPairs && residual == nil {
                // Semi, anti and mark joins without a residual only need to know whether a chain exists.
                for row in 0..<rowCount where state.groups[row] >= 0 { state.matched[row] = true }
                state.row = rowCount
            }
        }
        probe = state
    }

    /// Generates and checks the next chunk of candidate pairs; finishes the probe batch when it is done.
    private func advanceProbe(_ build: JoinBuildSide) throws {
        guard var state = probe else { return }
        let capacity = context.batchSize
        var probeRows: [Int32] = []
        var buildRows: [Int32] = []
        probeRows.reserveCapacity(capacity)
        buildRows.reserveCapacity(capacity)
        let rowCount = state.batch.rowCount
        switch strategy {
        case .hash:
            while state.row < rowCount && probeRows.count < capacity {
                if state.chain == -2 {
                    let group = state.groups[state.row]
                    if group < 0 || (!emitsPairs && state.matched[state.row]) {
                        state.row += 1
                        continue
                    }
                    state.chain = build.heads[Int(group)]
                }
                while state.chain >= 0 && probeRows.count < capacity {
                    probeRows.append(Int32(truncatingIfNeeded: state.row))
                    buildRows.append(state.chain)
                    state.chain = build.links[Int(state.chain)]
                }
                if state.chain < 0 {
                    state.chain = -2
                    state.row += 1
                }
            }
        case .nestedLoop:
            while state.row < rowCount && probeRows.count < capacity {
                if state.buildRow >= build.rowCount || (!emitsPairs && state.matched[state.row]) {
                    state.buildRow = 0
                    state.row += 1
                    continue
                }
                let count = min(capacity - probeRows.count, build.rowCount - state.buildRow)
                let probeRow = Int32(truncatingIfNeeded: state.row)
                for buildRow in state.buildRow..<(state.buildRow + count) {
                    probeRows.append(probeRow)
                    buildRows.append(Int32(truncatingIfNeeded: buildRow))
                }
                state.buildRow += count
            }
        }
        if !probeRows.isEmpty { try processCandidates(&state, probeRows, buildRows, build) }
        if state.row >= rowCount {
            try finishProbeBatch(state, build)
            probe = nil
        } else {
            probe = state
        }
    }

    private func processCandidates(_ state: inout ProbeState, _ probeRows: [Int32], _ buildRows: [Int32],
                                   _ build: JoinBuildSide) throws {
        var passingProbe = probeRows
        var passingBuild = buildRows
        if let residual {
            // Evaluate the residual on just the columns it reads, gathered for every candidate pair.
            let candidateColumns = residualInputs.map { input in
                input.isLeft ? BatchSupport.take([state.batch.columns[input.position]], probeRows)[0]
                    : BatchSupport.take([build.columns[input.position]], buildRows)[0]
            }
            let candidates = RecordBatch(schema: candidateSchema, columns: candidateColumns, rowCount: probeRows.count)
            if case .mark = kind {
                let result = try residual.evaluate(candidates)
                for pair in 0..<probeRows.count {
                    let row = Int(probeRows[pair])
                    if result.isNull(pair) {
                        state.sawNull[row] = true
                    } else if result.dataType == .boolean && result.boolean(at: pair) {
                        state.matched[row] = true
                    }
                }
                return
            }
            let selected = try residual.selectTrue(candidates)
            if selected.count < probeRows.count {
                passingProbe = selected.map { probeRows[Int($0)] }
                passingBuild = selected.map { buildRows[Int($0)] }
            }
        }
        for row in passingProbe { state.matched[Int(row)] = true }
        if tracksBuildMatches {
            for row in passingBuild { buildMatched[Int(row)] = true }
        }
        if emitsPairs && !passingProbe.isEmpty {
            let output = BatchSupport.take(state.batch.columns, passingProbe) + BatchSupport.take(build.columns, passingBuild)
            queue.append(RecordBatch(schema: outputSchema, columns: output, rowCount: passingProbe.count))
        }
    }

    private func finishProbeBatch(_ state: ProbeState, _ build: JoinBuildSide) throws {
        let batch = state.batch
        let rowCount = batch.rowCount
        switch kind {
        case .inner, .right, .cross:
            return
        case .left, .full:
            let unmatched = (0..<rowCount).filter { !state.matched[$0] }.map { Int32(truncatingIfNeeded: $0) }
            if unmatched.isEmpty { return }
            let leftColumns = BatchSupport.take(batch.columns, unmatched)
            let rightColumns = rightTypes.map { nullColumn($0, count: unmatched.count) }
            queue.append(RecordBatch(schema: outputSchema, columns: leftColumns + rightColumns, rowCount: unmatched.count))
        case .semi, .anti:
            let wanted = kind == .semi
            let rows = (0..<rowCount).filter { state.matched[$0] == wanted }.map { Int32(truncatingIfNeeded: $0) }
            if rows.isEmpty { return }
            let output = rows.count == rowCount ? batch.columns : BatchSupport.take(batch.columns, rows)
            queue.append(RecordBatch(schema: outputSchema, columns: output, rowCount: rows.count))
        case .mark:
            var values = [Bool](repeating: false, count: rowCount)
            var valid = [Bool](repeating: true, count: rowCount)
            for row in 0..<rowCount {
                if state.matched[row] {
                    values[row] = true
                } else if build.rowCount > 0 {
                    let probeKeyIsNull = !state.hasNullKey.isEmpty && state.hasNullKey[row]
                    if probeKeyIsNull || state.sawNull[row] || build.hasNullKey { valid[row] = false }
                }
            }
            let mark = values.withUnsafeBufferPointer { values in
                valid.withUnsafeBufferPointer { BatchSupport.booleanColumn(values: values, valid: $0) }
            }
            queue.append(RecordBatch(schema: outputSchema, columns: batch.columns + [mark], rowCount: rowCount))
        }
    }

    private func emitUnmatchedBuildRows(_ build: JoinBuildSide) {
        let unmatched = (0..<build.rowCount).filter { !buildMatched[$0] }.map { Int32(truncatingIfNeeded: $0) }
        var start = 0
        while start < unmatched.count {
            let end = min(start + context.batchSize, unmatched.count)
            let rows = Array(unmatched[start..<end])
            let leftColumns = leftTypes.map { nullColumn($0, count: rows.count) }
            queue.append(RecordBatch(schema: outputSchema, columns: leftColumns + BatchSupport.take(build.columns, rows),
                                     rowCount: rows.count))
            start = end
        }
    }
}
