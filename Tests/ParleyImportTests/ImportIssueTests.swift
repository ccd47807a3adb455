import ParleyImport
import ParleyIntake
import Testing

@Suite struct ImportIssueTests {
    @Test func descriptionNamesThePlaceTheSeverityAndTheReason() {
        let issue = ImportIssue(
            location: InputLocation(file: "inbox.mbox", offset: 5120, line: 120, column: 1), severity: .skipped,
            reason: "no From: header")
        #expect(issue.description == "inbox.mbox:120:1 (offset 5120): skipped: no From: header")
    }
}
