import Columnar
import LogicalPlan
import Testing
@testable import Execution

@Suite struct KernelsDateTests {
    @Test func civilDateMatchesTheReferenceAlgorithm() {
        var days: [Int32] = Array(-800_000...800_000).filter { $0 % 7 == 0 }.map { Int32($0) }
        days += [Int32.min, Int32.max, -12_699_422, -12_699_423, -12_699_421, 0, -1, 59, 60, 11_016, 19_782]
        for day in days {
            let expected = DateFormat.civil(days: Int(day))
            let actual = civilDate(day)
            #expect(actual == expected, "day \(day)")
            if actual != expected { break }
        }
    }

    @Test func daysFromCivilMatchesTheReference() {
        for year in stride(from: -2000, through: 3000, by: 7) {
            for month in 1...12 {
                #expect(daysFromCivil(year: year, month: month, day: 1) == DateFormat.days(year: year, month: month, day: 1))
                #expect(daysInMonth(year: year, month: month) == DateFormat.daysInMonth(year: year, month: month))
            }
        }
    }

    @Test func isoWeeksAroundYearBoundaries() {
        func week(_ text: String) -> Int { isoWeek(days: Int(DateFormat.parse(Substring(text))!)) }
        #expect(week("2020-12-31") == 53)
        #expect(week("2021-01-01") == 53)
        #expect(week("2022-01-01") == 52)
        #expect(week("2022-01-03") == 1)
        #expect(week("2019-12-30") == 1)
        #expect(week("1969-12-31") == 1)
    }

    @Test func addingMonthsClampsToTheEndOfTheMonth() {
        func add(_ text: String, months: Int32, days: Int32 = 0) -> String? {
            addInterval(IntervalValue(months: months, days: days), to: DateFormat.parse(Substring(text))!, sign: 1).map { DateFormat.format(days: $0) }
        }
        #expect(add("2024-01-31", months: 1) == "2024-02-29")
        #expect(add("2024-03-31", months: -1) == "2024-02-29")
        #expect(add("2024-02-29", months: 12) == "2025-02-28")
        #expect(add("2024-10-31", months: 1) == "2024-11-30")
        #expect(add("2023-12-15", months: 1, days: 20) == "2024-02-04")
        #expect(add("0001-01-31", months: -1) == "0000-12-31")
    }
}
