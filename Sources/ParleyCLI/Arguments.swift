/// One option a command accepts.
struct OptionSpec: Sendable {
    /// Long name without dashes, e.g. `batch-size`.
    let name: String
    /// Placeholder of the value (`N`, `PATH`); `nil` for a flag.
    let value: String?
    /// One line of help.
    let help: String

    static func flag(_ name: String, _ help: String) -> OptionSpec { OptionSpec(name: name, value: nil, help: help) }
    static func value(_ name: String, _ placeholder: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, value: placeholder, help: help)
    }

    /// `--log PATH`, shared by every command that reads or writes a log.
    static let log = OptionSpec.value(
        "log", "PATH", "The log file (default: $PARLEY_LOG, else ./parley.log).")
}

/// Parsed command-line arguments of one command.
struct ParsedArguments {
    private(set) var values: [String: String] = [:]
    private(set) var flags: Set<String> = []
    private(set) var positionals: [String] = []

    /// Parses `arguments` against `options`. Accepts `--name value` and `--name=value`; `--` ends options.
    /// - Throws: ``CLIError`` (usage) for an unknown option, a missing value, or an option given twice.
    init(_ arguments: [String], options: [OptionSpec]) throws(CLIError) {
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || !argument.hasPrefix("-") || argument == "-" {
                positionals.append(argument)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            if argument == "-h" || argument == "--help" {
                flags.insert("help")
                continue
            }
            guard argument.hasPrefix("--") else { throw .usage("unknown option \(argument)") }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let spec = options.first(where: { $0.name == name }) else {
                throw .usage("unknown option --\(name)")
            }
            if values[name] != nil || flags.contains(name) { throw .usage("option --\(name) given twice") }
            if let placeholder = spec.value {
                if let inlineValue {
                    values[name] = inlineValue
                } else {
                    guard index < arguments.count else {
                        throw .usage("option --\(name) needs a value (\(placeholder))")
                    }
                    values[name] = arguments[index]
                    index += 1
                }
            } else {
                guard inlineValue == nil else { throw .usage("option --\(name) takes no value") }
                flags.insert(name)
            }
        }
    }

    /// The value of an option.
    func value(_ name: String) -> String? { values[name] }

    /// Whether a flag was given.
    func flag(_ name: String) -> Bool { flags.contains(name) }

    /// A positive integer option (`--batch-size 1000`).
    /// - Throws: ``CLIError`` (usage) when the value is not an integer in `range`.
    func integer(_ name: String, in range: ClosedRange<UInt64> = 1...UInt64.max) throws(CLIError) -> UInt64? {
        guard let text = values[name] else { return nil }
        guard let number = UInt64(text), range.contains(number) else {
            throw .usage(
                "option --\(name): expected an integer from \(range.lowerBound) to \(range.upperBound), got \"\(text)\""
            )
        }
        return number
    }

    /// One of a fixed set of words (`--format jsonl`).
    func choice(_ name: String, _ allowed: [String], default fallback: String) throws(CLIError) -> String {
        guard let text = values[name] else { return fallback }
        guard allowed.contains(text) else {
            throw .usage("option --\(name): expected one of \(allowed.joined(separator: ", ")), got \"\(text)\"")
        }
        return text
    }

    /// Fails when positional arguments were given to a command that takes none beyond `allowed`.
    func expectPositionals(atMost allowed: Int) throws(CLIError) {
        if positionals.count > allowed {
            throw .usage("unexpected argument \"\(positionals[allowed])\"")
        }
    }
}
