import Binder
import Columnar
import Foundation

/// Session settings that `SET name = value` changes.
public struct Settings: Sendable {
    /// Worker threads per query (`SET threads = 4`).
    public var threadCount: Int
    /// Optimizer rules switched off by name (`SET disabled_rules = 'predicate_pushdown,projection_pruning'`).
    public var disabledRules: Set<String> = []
    /// Where NULLs sort in ORDER BY items without NULLS FIRST / LAST (`SET default_null_order = 'nulls_first'`).
    public var defaultNullOrder: NullOrder = .nullsLastOnAscendingFirstOnDescending
    private let defaultThreadCount: Int

    init(threadCount: Int) {
        self.threadCount = threadCount
        defaultThreadCount = threadCount
    }

    /// The names `SET` accepts.
    public static let names = ["threads", "disabled_rules", "default_null_order"]

    mutating func set(_ name: String, to value: Value?) throws {
        switch name {
        case "threads":
            guard let value else { threadCount = defaultThreadCount; return }
            let count: Int?
            switch value {
            case .int8(let v): count = Int(v)
            case .int16(let v): count = Int(v)
            case .int32(let v): count = Int(v)
            case .int64(let v): count = Int(v)
            default: count = nil
            }
            guard let count, count >= 1, count <= 1024 else {
                throw QuiverError(message: "invalid value for parameter \"threads\": \(value) (expected an integer from 1 to 1024)")
            }
            threadCount = count
        case "disabled_rules":
            guard let value else { disabledRules = []; return }
            guard case .string(let text) = value else {
                throw QuiverError(message: "invalid value for parameter \"disabled_rules\": expected a string of comma-separated rule names")
            }
            disabledRules = Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        case "default_null_order":
            guard let value else { defaultNullOrder = .nullsLastOnAscendingFirstOnDescending; return }
            guard case .string(let text) = value, let order = NullOrder(rawValue: text.lowercased()) else {
                throw QuiverError(
                    message: "invalid value for parameter \"default_null_order\": \(value)",
                    hint: "expected one of " + NullOrder.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", "))
            }
            defaultNullOrder = order
        default:
            var hint: String?
            if let nearest = nearestSetting(to: name) { hint = "did you mean \"\(nearest)\"?" }
            throw QuiverError(message: "unrecognized configuration parameter \"\(name)\"", hint: hint)
        }
    }

    private func nearestSetting(to name: String) -> String? {
        Settings.names.first { $0.hasPrefix(String(name.prefix(3))) }
    }
}
