import Testing
import TestSupport
@testable import GitKit

@Suite struct TransferAuthTests {
    @Test func tokensAreTriedInTheDocumentedOrderAndGitHubOnesOnlyForGitHub() {
        let environment = ["BM_GIT_TOKEN": "bm", "GH_TOKEN": "gh", "GITHUB_TOKEN": "actions"]
        let lookUp: (String) -> String? = { environment[$0] }
        #expect(Credentials.tokens(for: "https://github.com/org/repo.git", lookUp: lookUp) == ["bm", "gh", "actions"])
        #expect(Credentials.tokens(for: "https://x-access-token@github.com/org/repo", lookUp: lookUp) == ["bm", "gh", "actions"])
        #expect(Credentials.tokens(for: "https://gitlab.example.com/org/repo.git", lookUp: lookUp) == ["bm"])
        #expect(Credentials.tokens(for: "https://github.com.evil.example/repo", lookUp: lookUp) == ["bm"])
        #expect(Credentials.tokens(for: "https://github.com/o/r", lookUp: { $0 == "GITHUB_TOKEN" ? "actions" : nil }) == ["actions"])
    }

    @Test func urlsArePrintedWithoutCredentials() {
        #expect(TransferAuth.redacted("https://user:s3cret@github.com/org/repo.git") == "https://github.com/org/repo.git")
        #expect(TransferAuth.redacted("https://github.com/org/a@b.git") == "https://github.com/org/a@b.git")
        #expect(TransferAuth.redacted("git@github.com:org/repo.git") == "git@github.com:org/repo.git")
    }

    /// `actions/checkout` leaves its token as `http.https://github.com/.extraheader`; git sends
    /// it to URLs under that prefix, and `http.extraheader` to every http(s) URL.
    @Test func extraHeadersFollowGitsURLPrefixRule() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.git("config", "http.https://github.com/.extraheader", "AUTHORIZATION: basic Zm9v")
        try repo.git("config", "--add", "http.https://github.com/other/.extraheader", "X-Other: 1")
        try repo.git("config", "http.extraheader", "X-Everywhere: 1")
        let config = try Repository.discover(from: repo.path).config()
        #expect(TransferAuth.extraHeaders(for: "https://github.com/org/repo.git", config: config)
            == ["AUTHORIZATION: basic Zm9v", "X-Everywhere: 1"])
        #expect(TransferAuth.extraHeaders(for: "https://github.com/other/repo.git", config: config)
            == ["AUTHORIZATION: basic Zm9v", "X-Other: 1", "X-Everywhere: 1"])
        #expect(TransferAuth.extraHeaders(for: "https://github.community/x", config: config) == ["X-Everywhere: 1"])
        #expect(TransferAuth.extraHeaders(for: "git@github.com:org/repo.git", config: config).isEmpty)
    }
}
