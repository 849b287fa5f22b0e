import SQLSyntax

// Named windows: `WINDOW w AS (...)` definitions and `OVER w` / `OVER (w ...)` references, resolved on the syntax
// tree with PostgreSQL's rules before the window's expressions are bound.

extension Binder {
    /// Resolves the WINDOW clause of one SELECT: each definition may refine an earlier one. Returns the
    /// definitions by name, each without a reference.
    ///
    /// - Throws: `BindError` for a name defined twice, an unknown base window, or a refinement PostgreSQL forbids.
    func resolveWindowDefinitions(_ definitions: [WindowDefinition]) throws -> [String: WindowSpecification] {
        var resolved: [String: WindowSpecification] = [:]
        for definition in definitions {
            let name = definition.name.value
            if resolved[name] != nil {
                throw BindError("window \"\(name)\" is already defined", location: definition.name.location)
            }
            resolved[name] = try resolveWindow(definition.specification, definitions: resolved, isDefinition: true)
        }
        return resolved
    }

    /// The specification `window` stands for once its reference to a named window is replaced by that window's
    /// clauses, following PostgreSQL: `OVER w` is exactly `w` (frame included); `OVER (w ...)` and
    /// `w2 AS (w ...)` copy w's PARTITION BY (and may not write their own), take w's ORDER BY unless w has none
    /// (then they may write one), and w must not have a frame clause.
    ///
    /// - Parameter isDefinition: whether `window` is in a WINDOW clause (for the wording of errors).
    func resolveWindow(_ window: WindowSpecification, definitions: [String: WindowSpecification],
                       isDefinition: Bool) throws -> WindowSpecification {
        guard let reference = window.reference else { return window }
        let name = reference.name
        guard let base = definitions[name.value] else {
            let hint = nearestName(to: name.value, among: definitions.keys.sorted()).map { "did you mean \"\($0)\"?" }
            throw BindError("window \"\(name.value)\" does not exist", location: name.location, hint: hint)
        }
        guard case .copied = reference else { return base }
        let location = window.location ?? name.location
        if !window.partitionBy.isEmpty {
            throw BindError("cannot override PARTITION BY clause of window \"\(name.value)\"", location: location)
        }
        if !window.orderBy.isEmpty && !base.orderBy.isEmpty {
            throw BindError("cannot override ORDER BY clause of window \"\(name.value)\"", location: location)
        }
        if base.frame != nil {
            let isBareCopy = !isDefinition && window.orderBy.isEmpty && window.frame == nil
            throw BindError("cannot copy window \"\(name.value)\" because it has a frame clause", location: location,
                            hint: isBareCopy ? "Omit the parentheses in this OVER clause." : nil)
        }
        return WindowSpecification(partitionBy: base.partitionBy,
                                   orderBy: window.orderBy.isEmpty ? base.orderBy : window.orderBy,
                                   frame: window.frame, location: window.location)
    }
}
