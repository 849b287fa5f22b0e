/// A set of relations of a query graph, as a bitset: relation `i` is bit `i`.
///
/// Join enumerators work on these sets (a subplan is identified by the relations it joins), which is what
/// lets a DPhyp enumerator replace the greedy one: DPhyp enumerates connected subgraphs and their complements
/// as bitsets. A graph holds at most `RelationSet.capacity` relations.
public struct RelationSet: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The bits; bit `i` set means relation `i` is in the set.
    public var bits: UInt64

    /// The most relations a set can hold.
    public static let capacity = 64

    public init(bits: UInt64 = 0) { self.bits = bits }

    /// The set holding only `relation` (which must be below `capacity`).
    public init(relation: Int) {
        precondition(relation >= 0 && relation < Self.capacity, "relation index out of range")
        bits = 1 << UInt64(relation)
    }

    /// The set holding `relations` (each below `capacity`).
    public init<Relations: Sequence>(_ relations: Relations) where Relations.Element == Int {
        bits = 0
        for relation in relations { bits |= RelationSet(relation: relation).bits }
    }

    /// The set of relations `0..<count`.
    public static func all(_ count: Int) -> RelationSet {
        precondition(count >= 0 && count <= capacity, "relation count out of range")
        return RelationSet(bits: count == capacity ? .max : (1 << UInt64(count)) - 1)
    }

    public static let empty = RelationSet()

    public var isEmpty: Bool { bits == 0 }
    public var count: Int { bits.nonzeroBitCount }

    /// The lowest relation in the set; nil when empty.
    public var first: Int? { isEmpty ? nil : bits.trailingZeroBitCount }

    public func contains(_ relation: Int) -> Bool {
        relation >= 0 && relation < Self.capacity && bits & (1 << UInt64(relation)) != 0
    }

    public func union(_ other: RelationSet) -> RelationSet { RelationSet(bits: bits | other.bits) }
    public func intersection(_ other: RelationSet) -> RelationSet { RelationSet(bits: bits & other.bits) }
    public func subtracting(_ other: RelationSet) -> RelationSet { RelationSet(bits: bits & ~other.bits) }
    public func isSubset(of other: RelationSet) -> Bool { bits & ~other.bits == 0 }
    public func intersects(_ other: RelationSet) -> Bool { bits & other.bits != 0 }

    public mutating func insert(_ relation: Int) { bits |= RelationSet(relation: relation).bits }
    public mutating func formUnion(_ other: RelationSet) { bits |= other.bits }

    /// The relations in the set, ascending.
    public var relations: [Int] {
        var result: [Int] = []
        var remaining = bits
        while remaining != 0 {
            result.append(remaining.trailingZeroBitCount)
            remaining &= remaining - 1
        }
        return result
    }

    /// Orders sets by their bits, for deterministic tie-breaking.
    public static func < (left: RelationSet, right: RelationSet) -> Bool { left.bits < right.bits }

    public var description: String { "{" + relations.map(String.init).joined(separator: ", ") + "}" }
}
