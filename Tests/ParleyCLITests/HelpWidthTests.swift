import Testing

@testable import ParleyCLI

/// The README's promise: every command's `--help` fits a 100-column terminal.
@Suite struct HelpWidthTests {
    @Test func everyHelpLineFits100Columns() {
        for command in ParleyCommandLine.commands {
            for line in command.help.split(separator: "\n", omittingEmptySubsequences: false) {
                #expect(line.count <= HelpText.width, "parley \(command.name) --help: \(line)")
            }
        }
    }

    @Test func usageLinesWrapBetweenOptionGroups() {
        // A bracketed group is never split by the wrap (it fits a line on its own).
        let groups = HelpText.groups("(--by day [--tz ZONE]) [--as-of TIME | --until-seq N] --log PATH")
        #expect(groups == ["(--by day [--tz ZONE])", "[--as-of TIME | --until-seq N]", "--log", "PATH"])
        let wrapped = HelpText.wrap(Array(repeating: "[--option VALUE]", count: 12), first: "Usage: ", indent: "  ")
        #expect(wrapped.split(separator: "\n").allSatisfy { $0.count <= HelpText.width && !$0.hasSuffix("[--option") })
    }
}
