import ParleyIntake
import Testing

@Suite struct InputLocationTests {
    @Test func namesTheFileLineColumnAndOffset() {
        #expect(
            InputLocation(file: "inbox.mbox", offset: 340, line: 12, column: 5).description
                == "inbox.mbox:12:5 (offset 340)")
        #expect(InputLocation(offset: 0, line: 1, column: 1).description == "line 1, column 1 (offset 0)")
    }
}
