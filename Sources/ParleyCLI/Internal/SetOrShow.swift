/// The two actions of `policy` and `rules`: `set FILE.json` and `show`.
enum SetOrShow {
    /// Calls `set` with the file or `show`, as the positionals say.
    /// - Parameter noun: the command's name, for messages (`rules set: expected the rules file`).
    /// - Throws: ``CLIError`` (usage) for a missing or unknown action or a missing file.
    static func dispatch(
        _ arguments: ParsedArguments, noun: String,
        set: (String) throws(CLIError) -> CLIError.ExitCode, show: () throws(CLIError) -> CLIError.ExitCode
    ) throws(CLIError) -> CLIError.ExitCode {
        guard let action = arguments.positionals.first else { throw .usage("expected `set FILE.json` or `show`") }
        switch action {
        case "set":
            try arguments.expectPositionals(atMost: 2)
            guard arguments.positionals.count == 2 else { throw .usage("\(noun) set: expected the \(noun) file") }
            return try set(arguments.positionals[1])
        case "show":
            try arguments.expectPositionals(atMost: 1)
            return try show()
        default:
            throw .usage("unknown \(noun) action \"\(action)\" (expected set or show)")
        }
    }
}
