import Columnar
import LogicalPlan
import Testing
@testable import Execution

@Suite struct ExpressionStringTests {
    typealias F = ExpressionFixture

    private func like(_ value: String, _ pattern: String, escape: String? = nil, caseInsensitive: Bool = false) throws -> Value {
        var arguments = [Ex.text(value), Ex.text(pattern)]
        if let escape { arguments.append(Ex.text(escape)) }
        return try F.constant(.function(.like(caseInsensitive: caseInsensitive), arguments, .boolean))
    }

    @Test func concatenation() throws {
        #expect(try F.constant(Ex.call(.concatenate, Ex.text("ab"), Ex.text("cd"), type: .utf8)) == .string("abcd"))
        #expect(try F.constant(Ex.call(.concatenate, Ex.text("ab"), Ex.nullLiteral(.utf8), type: .utf8)) == .null)
        let (batch, columns) = F.batch([("a", .utf8, [.string("x"), .null, .string("")]), ("n", .int32, [.int32(1), .int32(2), .int32(3)])])
        let values = try F.evaluate(Ex.call(.concatenate, .column(columns[0]), Ex.text("-"), .column(columns[1]), type: .utf8), batch, columns)
        #expect(values == [.string("x-1"), .null, .string("-3")])
    }

    @Test func likeShapes() throws {
        #expect(try like("abcdef", "abc%") == .boolean(true))
        #expect(try like("abcdef", "%def") == .boolean(true))
        #expect(try like("abcdef", "%cd%") == .boolean(true))
        #expect(try like("abcdef", "%dc%") == .boolean(false))
        #expect(try like("abc", "abc") == .boolean(true))
        #expect(try like("abc", "ab") == .boolean(false))
        #expect(try like("abc", "%") == .boolean(true))
        #expect(try like("", "%") == .boolean(true))
        #expect(try like("", "_") == .boolean(false))
        #expect(try like("abc", "a_c") == .boolean(true))
        #expect(try like("abbc", "a_c") == .boolean(false))
        #expect(try like("special requests here", "%special%requests%") == .boolean(true))
        #expect(try like("requests special", "%special%requests%") == .boolean(false))
        #expect(try like("aXbXc", "a%b%c") == .boolean(true))
        #expect(try like("abab", "%ab") == .boolean(true))
        #expect(try like("ab", "a%%b") == .boolean(true))
        #expect(try like("axxxbyb", "a%b_") == .boolean(false))
        #expect(try like("axxxbyb", "a%b_b") == .boolean(true))
        #expect(try like("PROMO BRUSHED", "PROMO%") == .boolean(true))
    }

    @Test func likeCountsCharactersNotBytes() throws {
        #expect(try like("héllo", "h_llo") == .boolean(true))
        #expect(try like("日本", "__") == .boolean(true))
        #expect(try like("日本", "_") == .boolean(false))
        #expect(try like("x日本y", "%本_") == .boolean(true))
    }

    @Test func likeEscapes() throws {
        #expect(try like("100%", "100\\%") == .boolean(true))
        #expect(try like("1000", "100\\%") == .boolean(false))
        #expect(try like("a_b", "a#_b", escape: "#") == .boolean(true))
        #expect(try like("axb", "a#_b", escape: "#") == .boolean(false))
        #expect(try like("a\\b", "a\\b", escape: "") == .boolean(true))
        #expect(F.errorMessage { try like("a", "a#", escape: "#") } == "LIKE pattern must not end with escape character")
    }

    @Test func ilikeIgnoresCase() throws {
        #expect(try like("Hello World", "hello%", caseInsensitive: true) == .boolean(true))
        #expect(try like("ÉCOLE", "école", caseInsensitive: true) == .boolean(true))
        #expect(try like("Hello", "HELLO_", caseInsensitive: true) == .boolean(false))
    }

    @Test func likeOnColumnsWithNullsAndPatternColumn() throws {
        let (batch, columns) = F.batch([("s", .utf8, [.string("forest green"), .null, .string("green"), .string("blue")]),
                                        ("p", .utf8, [.string("%green"), .string("%"), .null, .string("b%")])])
        let constant = Expression.function(.like(caseInsensitive: false), [.column(columns[0]), Ex.text("%green%")], .boolean)
        #expect(try F.evaluate(constant, batch, columns) == [.boolean(true), .null, .boolean(true), .boolean(false)])
        let perRow = Expression.function(.like(caseInsensitive: false), [.column(columns[0]), .column(columns[1])], .boolean)
        #expect(try F.evaluate(perRow, batch, columns) == [.boolean(true), .null, .null, .boolean(true)])
        #expect(try CompiledExpression(constant, layout: ColumnLayout(columns)).selectTrue(batch) == [0, 2])
    }

    @Test func substringFollowsPostgreSQL() throws {
        func substring(_ value: String, _ start: Int64, _ length: Int64? = nil) throws -> Value {
            var arguments = [Ex.text(value), Ex.int64(start)]
            if let length { arguments.append(Ex.int64(length)) }
            return try F.constant(.function(.substring, arguments, .utf8))
        }
        #expect(try substring("hello", 2, 3) == .string("ell"))
        #expect(try substring("hello", 2) == .string("ello"))
        #expect(try substring("hello", 0, 3) == .string("he"))
        #expect(try substring("hello", -2, 3) == .string(""))
        #expect(try substring("hello", -2, 5) == .string("he"))
        #expect(try substring("hello", 4, 100) == .string("lo"))
        #expect(try substring("hello", 9) == .string(""))
        #expect(try substring("héllo wörld", 2, 4) == .string("éllo"))
        #expect(try substring("日本語", 3) == .string("語"))
        #expect(F.errorMessage { try substring("hello", 1, -1) } == "negative substring length not allowed")
        #expect(try F.constant(.function(.substring, [Ex.text("abc"), Ex.int32(2), Ex.int32(1)], .utf8)) == .string("b"))
    }

    @Test func caseMappingAndLength() throws {
        #expect(try F.constant(Ex.call(.upper, Ex.text("abc-Xyz"), type: .utf8)) == .string("ABC-XYZ"))
        #expect(try F.constant(Ex.call(.lower, Ex.text("ABC-xYZ"), type: .utf8)) == .string("abc-xyz"))
        #expect(try F.constant(Ex.call(.upper, Ex.text("straße é"), type: .utf8)) == .string("STRASSE É"))
        #expect(try F.constant(Ex.call(.lower, Ex.text("ÀÉÎ"), type: .utf8)) == .string("àéî"))
        #expect(try F.constant(Ex.call(.length, Ex.text("héllo"), type: .int64)) == .int64(5))
        #expect(try F.constant(Ex.call(.length, Ex.text(""), type: .int32)) == .int32(0))
        let (batch, columns) = F.batch([("s", .utf8, [.string("ab"), .null, .string("日本")])])
        #expect(try F.evaluate(Ex.call(.length, .column(columns[0]), type: .int64), batch, columns) == [.int64(2), .null, .int64(2)])
        #expect(try F.evaluate(Ex.call(.upper, .column(columns[0]), type: .utf8), batch, columns) == [.string("AB"), .null, .string("日本")])
    }

    @Test func trimming() throws {
        #expect(try F.constant(Ex.call(.trim, Ex.text("  a b  "), type: .utf8)) == .string("a b"))
        #expect(try F.constant(Ex.call(.leftTrim, Ex.text("  a  "), type: .utf8)) == .string("a  "))
        #expect(try F.constant(Ex.call(.rightTrim, Ex.text("  a  "), type: .utf8)) == .string("  a"))
        #expect(try F.constant(Ex.call(.trim, Ex.text("xxaxyx"), Ex.text("xy"), type: .utf8)) == .string("a"))
        #expect(try F.constant(Ex.call(.trim, Ex.text("ééaé"), Ex.text("é"), type: .utf8)) == .string("a"))
        #expect(try F.constant(Ex.call(.trim, Ex.text("\tab "), type: .utf8)) == .string("\tab"))
        #expect(try F.constant(Ex.call(.trim, Ex.text("xxx"), Ex.text("x"), type: .utf8)) == .string(""))
    }

    @Test func positionReplaceStartsWith() throws {
        #expect(try F.constant(Ex.call(.position, Ex.text("lo"), Ex.text("hello"), type: .int32)) == .int32(4))
        #expect(try F.constant(Ex.call(.position, Ex.text("z"), Ex.text("hello"), type: .int32)) == .int32(0))
        #expect(try F.constant(Ex.call(.position, Ex.text(""), Ex.text("hello"), type: .int32)) == .int32(1))
        #expect(try F.constant(Ex.call(.position, Ex.text("l"), Ex.text("héllo"), type: .int64)) == .int64(3))
        #expect(try F.constant(Ex.call(.replace, Ex.text("abcabc"), Ex.text("b"), Ex.text("XY"), type: .utf8)) == .string("aXYcaXYc"))
        #expect(try F.constant(Ex.call(.replace, Ex.text("aaa"), Ex.text("aa"), Ex.text("b"), type: .utf8)) == .string("ba"))
        #expect(try F.constant(Ex.call(.replace, Ex.text("abc"), Ex.text(""), Ex.text("x"), type: .utf8)) == .string("abc"))
        #expect(try F.constant(Ex.call(.startsWith, Ex.text("hello"), Ex.text("he"), type: .boolean)) == .boolean(true))
        #expect(try F.constant(Ex.call(.startsWith, Ex.text("he"), Ex.text("hello"), type: .boolean)) == .boolean(false))
    }
}
