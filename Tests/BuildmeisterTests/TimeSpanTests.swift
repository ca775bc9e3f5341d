import Buildmeister
import Testing

@Suite struct TimeSpanTests {
    @Test(arguments: [("1h", 3_600), ("45m", 2_700), ("90s", 90), ("1h30m", 5_400), ("2d", 172_800),
                      ("120", 120), (" 1H ", 3_600), ("0s", 0)])
    func parses(text: String, seconds: Int64) {
        #expect(TimeSpan(parsing: text)?.seconds == seconds)
    }

    @Test(arguments: ["", "h", "1x", "1h30", "-5m", "one hour", "99999999999999999999d", "1.5h"])
    func rejects(text: String) {
        #expect(TimeSpan(parsing: text) == nil)
    }

    @Test func printsTheShortestForm() {
        #expect(TimeSpan(seconds: 3_600).description == "1h")
        #expect(TimeSpan(seconds: 5_400).description == "1h30m")
        #expect(TimeSpan(seconds: 90_061).description == "1d1h1m1s")
        #expect(TimeSpan(seconds: 0).description == "0s")
    }
}
