import ArgumentParser
import Foundation
import Quiver
import SQLLogicTest

@main
struct QuiverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quiver",
        abstract: "Quiver: a SQL query engine on Arrow-layout columns.",
        subcommands: [Run.self, SLT.self],
        defaultSubcommand: Run.self)
}

extension OutputFormat: ExpressibleByArgument {}

/// `quiver [-c SQL] [-f FILE]... [--data DIR] [--format F] [--threads N]`
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run SQL from -c, -f files or standard input, or open the prompt.")

    @Option(name: .customShort("c"), help: "Run these SQL statements, print the results and exit.")
    var command: String?

    @Option(name: .customShort("f"), help: "Run the statements in this file (repeatable).")
    var files: [String] = []

    @Option(name: .long, help: "The embedded catalog's directory.")
    var data: String = "./quiver-data"

    @Option(name: .long, help: "Output format: table, csv, tsv, json or markdown (default: table on a terminal, csv otherwise).")
    var format: OutputFormat?

    @Option(name: .long, help: "Worker threads per query (default: all cores).")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let database: Database
        do {
            database = try Database.open(directory: data, threadCount: threads)
        } catch {
            FileHandle.standardError.write("Error: cannot open the catalog in \(data): \(QuiverError(error).message)\n")
            throw ExitCode(1)
        }
        let connection = database.connect()
        let output = Terminal.isTerminal(STDOUT_FILENO)
        let session = Session(connection: connection, format: format ?? (output ? .table : .csv), width: Terminal.width())

        if command != nil || !files.isEmpty {
            if let command, !session.runScript(command, fileName: nil) { throw ExitCode(1) }
            for file in files {
                let text: String
                do {
                    text = try String(contentsOfFile: file, encoding: .utf8)
                } catch {
                    FileHandle.standardError.write("Error: cannot read \(file): \(error.localizedDescription)\n")
                    throw ExitCode(1)
                }
                if !session.runScript(text, fileName: file) { throw ExitCode(1) }
            }
            return
        }
        if !Terminal.isTerminal(STDIN_FILENO) {
            let input = FileHandle.standardInput.readDataToEndOfFile()
            if !session.runScript(String(decoding: input, as: UTF8.self), fileName: nil) { throw ExitCode(1) }
            return
        }
        session.runPrompt()
    }
}

/// `quiver slt FILE...`
struct SLT: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slt",
        abstract: "Run sqllogictest files; prints each file's passed/failed/skipped counts and exits 1 on any failure.")

    @Argument(help: "The .slt files (or directories holding them) to run.")
    var paths: [String]

    @Option(name: .long, help: "Worker threads per query.")
    var threads: Int?

    func run() throws {
        var summary = TestRunner.Summary()
        let files = try expand(paths)
        for path in files {
            let fileSummary = TestRunner.run(path: path, threadCount: threads)
            for failure in fileSummary.failures { print(failure) }
            for note in fileSummary.notes { print("note: \(note)") }
            if files.count > 1 { print("\(path): \(fileSummary.counts)") }
            summary.merge(fileSummary)
        }
        print(summary.counts)
        if summary.failed > 0 { throw ExitCode(1) }
    }

    private func expand(_ paths: [String]) throws -> [String] {
        var result: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ValidationError("no such file: \(path)")
            }
            if isDirectory.boolValue {
                let enumerator = FileManager.default.enumerator(atPath: path)
                var found: [String] = []
                while let entry = enumerator?.nextObject() as? String {
                    if entry.hasSuffix(".slt") || entry.hasSuffix(".test") { found.append(path + "/" + entry) }
                }
                result += found.sorted()
            } else {
                result.append(path)
            }
        }
        return result
    }
}
