import Testing
@testable import Columnar

@Suite struct ColumnBuilderTests {
    @Test func fixedWidthWithNullsKeepsValuesAndValidity() {
        var builder = ColumnBuilder(.int64, capacity: 2)
        builder.append(Int64(7))
        builder.appendNull()
        for value in 0..<100 { builder.append(Int64(value)) }
        let column = builder.finish()
        #expect(column.count == 102)
        #expect(column.nullCount == 1)
        #expect(column.scalar(at: 0) == .int64(7))
        #expect(column.isNull(1))
        #expect(column.scalar(at: 101) == .int64(99))
        #expect(Int(bitPattern: column.values!.pointer) % Buffer.alignment == 0)
    }

    @Test func columnWithoutNullsHasNoValidityBitmap() {
        var builder = ColumnBuilder(.int32)
        builder.append(Int32(1))
        let column = builder.finish()
        #expect(column.validity == nil)
        #expect(column.nullCount == 0)
    }

    @Test func stringsUseOffsetsAndData() {
        var builder = ColumnBuilder(.utf8, capacity: 1)
        builder.append(string: "héllo")
        builder.appendNull()
        builder.append(string: "")
        builder.append(string: String(repeating: "x", count: 1000))
        let column = builder.finish()
        #expect(column.string(at: 0) == "héllo")
        #expect(column.isNull(1))
        #expect(column.scalar(at: 2) == .string(""))
        #expect(column.string(at: 3).count == 1000)
        let offsets = column.values!.typed(Int32.self)
        #expect(Array(UnsafeBufferPointer(start: offsets, count: 5)) == [0, 6, 6, 6, 1006])
    }

    @Test func booleansArePacked() {
        var builder = ColumnBuilder(.boolean)
        for index in 0..<20 { builder.append(index % 3 == 0) }
        let column = builder.finish()
        #expect(column.values!.pointer.load(as: UInt8.self) == 0b0100_1001)
        #expect(column.boolean(at: 18))
        #expect(!column.boolean(at: 19))
    }

    @Test func takeAndSliceCopyTheRightRows() {
        var builder = ColumnBuilder(.decimal128(precision: 15, scale: 2))
        for value in 0..<10 { builder.append(Int128(value * 100 + 5)) }
        builder.appendNull()
        let column = builder.finish()
        let taken = [Int32(10), 3, 0].withUnsafeBufferPointer { column.take($0) }
        #expect(taken.scalars == [.null, .decimal(305, precision: 15, scale: 2), .decimal(5, precision: 15, scale: 2)])
        let slice = column.slice(from: 8, length: 3)
        #expect(slice.scalars.map(\.description) == ["8.05", "9.05", "NULL"])
    }

    @Test func appendingValuesOfEveryType() {
        let values: [Value] = [.boolean(true), .int8(-3), .int16(300), .int32(-70000), .int64(1 << 40), .float32(1.5),
                               .float64(-2.25), .decimal(-12345, precision: 10, scale: 3), .date(10957),
                               .interval(IntervalValue(months: 14, days: 3, nanoseconds: 0)), .string("z")]
        for value in values {
            var builder = ColumnBuilder(value.dataType)
            builder.append(value)
            builder.appendNull()
            #expect(builder.finish().scalars == [value, .null])
        }
    }
}

@Suite struct FormatTests {
    @Test func decimalsPrintWithTheirScale() {
        #expect(DecimalFormat.format(12345, scale: 2) == "123.45")
        #expect(DecimalFormat.format(-5, scale: 3) == "-0.005")
        #expect(DecimalFormat.format(0, scale: 2) == "0.00")
        #expect(DecimalFormat.format(42, scale: 0) == "42")
    }

    @Test func decimalsParseAndRound() {
        #expect(DecimalFormat.parse("123.456", precision: 15, scale: 2) == 12346)
        #expect(DecimalFormat.parse("-0.005", precision: 15, scale: 2) == -1)
        #expect(DecimalFormat.parse(".5", precision: 5, scale: 1) == 5)
        #expect(DecimalFormat.parse("1e3", precision: 10, scale: 2) == 100_000)
        #expect(DecimalFormat.parse("12x", precision: 10, scale: 2) == nil)
        #expect(DecimalFormat.parse("123456", precision: 5, scale: 0) == nil)
        #expect(DecimalFormat.parse("", precision: 5, scale: 0) == nil)
    }

    @Test func datesRoundTrip() {
        #expect(DateFormat.parse("1970-01-01") == 0)
        #expect(DateFormat.parse("1998-12-01") == 10561)
        #expect(DateFormat.format(days: 10561) == "1998-12-01")
        #expect(DateFormat.format(days: -1) == "1969-12-31")
        #expect(DateFormat.parse("2023-02-29") == nil)
        #expect(DateFormat.parse("2024-02-29") != nil)
        #expect(DateFormat.parse("1998-13-01") == nil)
        #expect(DateFormat.parse("abc") == nil)
    }

    @Test func addingMonthsClampsToTheMonthEnd() {
        let january31 = DateFormat.parse("2024-01-31")!
        #expect(DateFormat.format(days: DateFormat.adding(months: 1, to: january31)) == "2024-02-29")
        #expect(DateFormat.format(days: DateFormat.adding(months: -2, to: january31)) == "2023-11-30")
        #expect(DateFormat.format(days: DateFormat.adding(months: 12, to: january31)) == "2025-01-31")
    }

    @Test func doublesAndIntervalsPrintLikePostgres() {
        #expect(Value.float64(1).description == "1.0")
        #expect(Value.float64(0.1).description == "0.1")
        #expect(Value.interval(IntervalValue(months: 14, days: 3, nanoseconds: 3_661_000_000_000)).description == "1 year 2 mons 3 days 01:01:01")
        #expect(Value.interval(IntervalValue()).description == "00:00:00")
    }
    @Test func singlePrecisionPrintsShortest() { #expect(Value.float32(0.1).description == "0.1"); #expect(Value.float32(3).description == "3.0") }
}
