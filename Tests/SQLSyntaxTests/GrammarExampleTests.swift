import Foundation
import Testing
@testable import SQLSyntax

@Suite("Grammar examples")
struct GrammarExampleTests {
    /// `grammar/examples` in the package root (this file is Tests/SQLSyntaxTests/...).
    static let examplesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("grammar")
        .appendingPathComponent("examples")

    static func exampleFiles() -> [URL] {
        let files = (try? FileManager.default.contentsOfDirectory(
            at: examplesDirectory, includingPropertiesForKeys: nil)) ?? []
        return files.filter { $0.pathExtension == "sql" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test func thereAreAtLeastTwentyFiveExamples() {
        #expect(Self.exampleFiles().count >= 25)
    }

    @Test func everyExampleParses() throws {
        var statementCount = 0
        for file in Self.exampleFiles() {
            let source = try String(contentsOf: file, encoding: .utf8)
            do {
                let statements = try Parser.parse(source)
                #expect(!statements.isEmpty, "\(file.lastPathComponent) has no statements")
                statementCount += statements.count
                for parsed in statements {
                    // The recorded text parses to the same statement on its own.
                    let reparsed = try Parser.parseStatement(parsed.text)
                    #expect(reparsed.text == parsed.text, "\(file.lastPathComponent)")
                }
            } catch {
                Issue.record("\(error.rendered(source: source, fileName: file.lastPathComponent))")
            }
        }
        #expect(statementCount >= 100)
    }
}
