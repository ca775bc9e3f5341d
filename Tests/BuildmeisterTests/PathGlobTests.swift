import Testing
@testable import Buildmeister

/// CODEOWNERS patterns, matched as GitHub documents them.
@Suite struct PathGlobTests {
    private func matches(_ pattern: String, _ path: String) -> Bool { PathGlob(pattern)?.matches(path) ?? false }

    @Test func followsGitignoreRules() {
        let cases: [(String, String, Bool)] = [
            ("*", "a/b/c.py", true), ("*.js", "src/app.js", true), ("*.js", "src/app.jsx", false),
            ("/build/logs/", "build/logs/x.log", true), ("/build/logs/", "build/logs", false),
            ("docs/*", "docs/getting-started.md", true), ("docs/*", "docs/build-app/troubleshooting.md", true),
            ("apps/", "x/apps/y.py", true), ("/apps/", "x/apps/y.py", false), ("**/logs", "deep/a/logs/x", true),
            ("logs", "a/logs", true), ("logs", "a/logsx", false), ("/docs/**/test_*.py", "docs/a/b/test_x.py", true),
            ("/docs/**/test_*.py", "docs/test_x.py", true), ("/docs/**/test_*.py", "other/docs/test_x.py", false),
            ("src/?.py", "src/a.py", true), ("src/?.py", "src/ab.py", false), ("src/*.py", "src/a/b.py", false),
            ("a/**", "a/b/c", true), (String(repeating: "a*", count: 12) + "b", String(repeating: "a", count: 80), false),
        ]
        for (pattern, path, expected) in cases {
            #expect(matches(pattern, path) == expected, "\(pattern) ~ \(path)")
        }
        #expect(PathGlob("") == nil && PathGlob("/") == nil)
    }
}
