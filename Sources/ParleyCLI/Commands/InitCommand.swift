import ParleyLog

/// `parley init`: creates an empty log.
enum InitCommand: Command {
    static let name = "init"
    static let abstract = "Create a new, empty log."
    static let synopsis = "[--log PATH]"
    static let discussion = """
        The file is created with mode 0600 (it will hold customers' messages) and made durable
        (file and directory fsynced) before this command returns. An existing file is never overwritten.
        """
    static let options: [OptionSpec] = [.log]

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        let path = context.logPath(arguments)
        let writer = try context.createWriter(path: path)
        defer { writer.close() }
        context.stdout.line("created \(path) (log id \(writer.header.logIDHex))")
        return .success
    }
}
