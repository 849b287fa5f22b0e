import Columnar
import LogicalPlan

/// Which runtime key filters a hash join feeds, decided when the plan is made (see `JoinKeyFilterHub`).
enum JoinKeyFilterPlan {
    /// An inner or semi join's build keys filter its probe input.
    case fromBuild(JoinKeyFilterHub, PendingKeyFilter)
    /// The join reads its probe input first; the probe keys filter the build input.
    case probeFirst(JoinKeyFilterHub, PendingKeyFilter)

    /// The most probe rows a probe-first join holds before it gives up filtering its build input.
    static let probeRowLimit = 1 << 18

    /// The filters `join` feeds, or nil for none.
    ///
    /// A join reads its probe input first when its build input's keys reach below an aggregate grouping by
    /// them (as decorrelated subqueries produce: `outer LEFT JOIN (SELECT k, avg(x) ... GROUP BY k)`), so that
    /// the aggregate only computes the groups the probe side can match. This needs a join kind that never
    /// outputs unmatched build rows: inner, left, semi or anti (not mark, whose NULL results depend on every
    /// build key). Otherwise inner and semi joins filter their probe input with their build keys.
    static func make(for join: Join, context: ExecutionContext) -> JoinKeyFilterPlan? {
        let analysis = JoinConditionAnalysis(of: join)
        guard !analysis.leftKeys.isEmpty else { return nil }
        let hub = JoinKeyFilterHub(keyTypes: analysis.leftKeys.map(\.dataType)) { context.nextJoinNumber() }
        switch join.kind {
        case .inner, .left, .semi, .anti:
            if let filter = KeyFilterRouting.initialFilter(hub: hub, keys: analysis.rightKeys),
               KeyFilterRouting.reachesBelowAggregate(filter, in: join.right) {
                return .probeFirst(hub, filter)
            }
        default:
            break
        }
        switch join.kind {
        case .inner, .semi:
            return KeyFilterRouting.initialFilter(hub: hub, keys: analysis.leftKeys).map { .fromBuild(hub, $0) }
        default:
            return nil
        }
    }

    /// The join operator's role, or nil when no filter was placed.
    var role: JoinOperator.KeyFilterRole? {
        switch self {
        case .fromBuild(let hub, _): return hub.hasSources ? .fromBuild(hub) : nil
        case .probeFirst(let hub, _): return hub.hasSources ? .probeFirst(hub, rowLimit: JoinKeyFilterPlan.probeRowLimit) : nil
        }
    }

    /// Whether the join reads its probe input first.
    var isProbeFirst: Bool {
        if case .probeFirst = self { return true }
        return false
    }
}
