import Foundation
import Quiver

/// Runs scripts and the interactive prompt, printing results and errors.
struct Session {
    let connection: Connection
    let format: OutputFormat
    let width: Int

    /// Runs every statement of a script; prints the first error (with file:line:column) and returns false.
    func runScript(_ text: String, fileName: String?) -> Bool {
        let statements: [SQLStatement]
        do {
            statements = try connection.parse(text)
        } catch {
            report(error, source: text, fileName: fileName)
            return false
        }
        for statement in statements {
            do {
                let result = try connection.execute(statement)
                if result.hasRows { write(ResultFormatter.format(result, as: format, width: width)) }
            } catch {
                report(error, source: text, fileName: fileName)
                return false
            }
        }
        return true
    }

    /// The line-reading prompt: statements end with `;`; `.quit`, `\q` or end of input leave.
    func runPrompt() {
        print("Quiver — enter SQL terminated by ';', or .quit to leave.")
        var buffer = ""
        while true {
            write(buffer.isEmpty ? "quiver> " : "   ...> ")
            guard let line = readLine(strippingNewline: true) else {
                write("\n")
                break
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if buffer.isEmpty, [".quit", ".exit", "\\q", "quit", "exit"].contains(trimmed) { break }
            if buffer.isEmpty, trimmed.isEmpty { continue }
            buffer += (buffer.isEmpty ? "" : "\n") + line
            guard StatementScanner.endsWithCompleteStatement(buffer) else { continue }
            let script = buffer
            buffer = ""
            do {
                for statement in try connection.parse(script) {
                    let result = try connection.execute(statement)
                    if result.hasRows {
                        write(ResultFormatter.format(result, as: format, width: width))
                    } else if let status = result.status, !status.isEmpty {
                        print(status)
                    }
                }
            } catch {
                report(error, source: script, fileName: nil)
            }
        }
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    private func report(_ error: any Error, source: String, fileName: String?) {
        let rendered = QuiverError(error).rendered(source: source, fileName: fileName)
        FileHandle.standardError.write(Data((rendered.hasSuffix("\n") ? rendered : rendered + "\n").utf8))
    }
}
