import Columnar
import Dispatch
import LogicalPlan
import Synchronization

/// A plan fragment that streams rows from a stored table's scan through filters, projections and join
/// probes, and so can run as several identical copies, one per worker thread, each taking morsels (batches)
/// from a shared `ScanBatchSource` and probing shared, once-built join build sides.
///
/// Join build sides and the scan source are created once, when the pipeline is made; `instantiate` makes
/// one worker's operator chain.
final class ParallelPipeline: @unchecked Sendable {
    private indirect enum Node {
        case scan(Scan, ScanBatchSource)
        case filter(Node, Expression)
        case projection(Node, [ProjectionItem])
        case join(Join, columns: [PlanColumn], probe: Node, right: any PhysicalOperator, build: SharedJoinBuild,
                  role: JoinOperator.KeyFilterRole?)
        case keyFilter(Node, JoinKeyFilterSource, keys: [Expression], isBelowAggregate: Bool)
    }

    private let root: Node
    /// The columns the pipeline produces.
    let columns: [PlanColumn]
    /// Whether the pipeline does more than read a table (filters, projections, joins or pushed filters).
    let doesWork: Bool
    private let context: ExecutionContext

    private init(root: Node, columns: [PlanColumn], doesWork: Bool, context: ExecutionContext) {
        self.root = root
        self.columns = columns
        self.doesWork = doesWork
        self.context = context
    }

    /// A pipeline for `plan`, or nil when the plan is not a streaming fragment over a stored table.
    /// `keyFilters` are runtime join-key filters arriving from above, placed as deep as they may go.
    static func make(for plan: LogicalPlan, context: ExecutionContext,
                     keyFilters: [PendingKeyFilter] = []) throws -> ParallelPipeline? {
        guard let root = try node(for: plan, context: context, keyFilters: keyFilters) else { return nil }
        var doesWork = true
        if case .scan(let scan, _) = root, scan.filters.isEmpty { doesWork = false }
        return ParallelPipeline(root: root, columns: plan.columns, doesWork: doesWork, context: context)
    }

    private static func node(for plan: LogicalPlan, context: ExecutionContext, keyFilters: [PendingKeyFilter]) throws -> Node? {
        let (here, down) = KeyFilterRouting.route(keyFilters, at: plan)
        guard var result = try node(for: plan, context: context, childKeyFilters: down) else { return nil }
        for filter in here where filter.isPlaced {
            result = .keyFilter(result, filter.source(), keys: filter.keys,
                                isBelowAggregate: filter.passedAggregate)
        }
        return result
    }

    private static func node(for plan: LogicalPlan, context: ExecutionContext, childKeyFilters: [[PendingKeyFilter]]) throws -> Node? {
        let first = childKeyFilters.first ?? []
        switch plan {
        case .scan(let scan):
            guard case .table = scan.source else { return nil }
            return .scan(scan, ScanBatchSource(scan, context: context))
        case .filter(let filter):
            return try node(for: filter.input, context: context, keyFilters: first).map { .filter($0, filter.predicate) }
        case .projection(let projection):
            return try node(for: projection.input, context: context, keyFilters: first).map { .projection($0, projection.items) }
        case .join(let join):
            switch join.kind {
            case .inner, .left, .semi, .anti, .mark, .cross: break
            case .right, .full: return nil
            }
            // A join reading its probe input first cannot have it split among workers.
            let keyFilterPlan = JoinKeyFilterPlan.make(for: join, context: context)
            if keyFilterPlan?.isProbeFirst == true { return nil }
            var probeFilters = first
            if case .fromBuild(_, let filter)? = keyFilterPlan { probeFilters.append(filter) }
            guard let probe = try node(for: join.left, context: context, keyFilters: probeFilters) else { return nil }
            let right = try PhysicalPlanner.makeBlockingInput(for: join.right, context: context)
            let (strategy, _) = try PhysicalPlanner.joinStrategy(join, left: join.left.columns, right: right.columns)
            let role = keyFilterPlan?.role
            var hub: JoinKeyFilterHub?
            if case .fromBuild(let buildHub)? = role { hub = buildHub }
            // Built (and its keys published) before any worker probes, so filters in the probe fragment see them.
            let build = SharedJoinBuild { [hub] in
                try JoinBuildSide.build(from: right, strategy: strategy, publishingTo: hub, context: context)
            }
            return .join(join, columns: plan.columns, probe: probe, right: right, build: build, role: role)
        default:
            return nil
        }
    }

    /// Builds every join build side of the pipeline (on the calling thread, before workers start).
    func prepare() throws {
        func visit(_ node: Node) throws {
            switch node {
            case .scan: return
            case .filter(let input, _), .projection(let input, _), .keyFilter(let input, _, _, _): try visit(input)
            case .join(_, _, let probe, _, let build, _):
                _ = try build.get()
                try visit(probe)
            }
        }
        try visit(root)
    }

    /// One worker's operator chain, and the scan at its start (whose `currentSequence` tells which morsel the
    /// latest output came from).
    func instantiate() throws -> (root: any PhysicalOperator, scan: ScanOperator) {
        var scanOperator: ScanOperator?
        func make(_ node: Node) throws -> any PhysicalOperator {
            switch node {
            case .scan(let scan, let source):
                let made = try ScanOperator(scan, context: context, source: source)
                scanOperator = made
                return made
            case .filter(let input, let predicate):
                return try FilterOperator(input: make(input), predicate: predicate, context: context)
            case .projection(let input, let items):
                return try ProjectionOperator(input: make(input), items: items, context: context)
            case .keyFilter(let input, let source, let keys, let isBelowAggregate):
                return try JoinKeyFilterOperator(input: make(input), source: source, keys: keys, isBelowAggregate: isBelowAggregate,
                                                 context: context)
            case .join(let join, let columns, let probe, let right, let build, let role):
                let left = try make(probe)
                let (strategy, residual) = try PhysicalPlanner.joinStrategy(join, left: left.columns, right: right.columns)
                return try JoinOperator(kind: join.kind, left: left, right: right, strategy: strategy, residual: residual,
                                        columns: columns, context: context, sharedBuild: build, keyFilterRole: role)
            }
        }
        let root = try make(self.root)
        guard let scanOperator else { throw ExecutionError("internal error: pipeline without a scan") }
        return (root, scanOperator)
    }
}

/// Runs `body(worker)` for workers `0..<count` on separate threads and waits for all; rethrows the first
/// error. `failed` turns true once any worker has failed, so the others can stop early.
enum ParallelWorkers {
    static func run(count: Int, _ body: @Sendable (_ worker: Int, _ failed: () -> Bool) throws -> Void) throws {
        if count <= 1 {
            try body(0) { false }
            return
        }
        let firstError = Mutex<(any Error)?>(nil)
        let failedFlag = Atomic<Bool>(false)
        DispatchQueue.concurrentPerform(iterations: count) { worker in
            do {
                try body(worker) { failedFlag.load(ordering: .relaxed) }
            } catch {
                failedFlag.store(true, ordering: .relaxed)
                firstError.withLock { stored in
                    if stored == nil { stored = error }
                }
            }
        }
        if let error = firstError.withLock({ $0 }) { throw error }
    }
}

/// One value per worker thread, each read and written only by its own worker.
final class WorkerSlots<Value>: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<Value>
    let count: Int

    init(_ values: [Value]) {
        count = values.count
        storage = UnsafeMutablePointer<Value>.allocate(capacity: max(count, 1))
        storage.initialize(from: values, count: count)
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    subscript(worker: Int) -> Value {
        get { storage[worker] }
        set { storage[worker] = newValue }
    }

    /// All values, in worker order.
    var all: [Value] { (0..<count).map { storage[$0] } }
}
