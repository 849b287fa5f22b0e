/// Tells a prompt when the text typed so far ends a statement.
public enum StatementScanner {
    /// Whether the text ends with a `;` outside quotes and comments.
    public static func endsWithCompleteStatement(_ text: String) -> Bool {
        var inSingle = false, inDouble = false, inLineComment = false, blockDepth = 0
        var lastSignificant: Character = " "
        var previous: Character = " "
        for character in text {
            if inLineComment {
                if character == "\n" { inLineComment = false }
            } else if blockDepth > 0 {
                if previous == "*" && character == "/" { blockDepth -= 1; previous = " "; continue }
                if previous == "/" && character == "*" { blockDepth += 1; previous = " "; continue }
            } else if inSingle {
                if character == "'" { inSingle = false }
            } else if inDouble {
                if character == "\"" { inDouble = false }
            } else if character == "'" {
                inSingle = true
                lastSignificant = character
            } else if character == "\"" {
                inDouble = true
                lastSignificant = character
            } else if previous == "-" && character == "-" {
                inLineComment = true
            } else if previous == "/" && character == "*" {
                blockDepth = 1
                previous = " "
                continue
            } else if !character.isWhitespace {
                lastSignificant = character
            }
            previous = character
        }
        return !inSingle && !inDouble && blockDepth == 0 && lastSignificant == ";"
    }
}
