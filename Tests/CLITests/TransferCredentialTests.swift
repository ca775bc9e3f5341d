import Foundation
import Testing
import TestSupport

/// Credentials reach a real HTTP server: `http.extraheader` on every request, and a token when
/// the server asks for one; no token is ever printed.
@Suite struct TransferCredentialTests {
    /// A server that logs each request's Authorization header and answers 401 (asking for
    /// Basic credentials) until it gets one, then 404.
    private func startServer(_ sandbox: Sandbox) throws -> (process: Process, port: String, log: String) {
        let log = sandbox.root + "/requests.log"
        let script = """
        import http.server, sys
        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                auth = self.headers.get('Authorization')
                with open(sys.argv[1], 'a') as f: f.write(f"{self.path} {auth}\\n")
                if auth is None:
                    self.send_response(401); self.send_header('WWW-Authenticate', 'Basic realm="x"')
                else:
                    self.send_response(404)
                self.send_header('Content-Length', '0'); self.end_headers()
            def log_message(self, *a): pass
        s = http.server.HTTPServer(('127.0.0.1', 0), H)
        print(s.server_address[1], flush=True)
        s.serve_forever()
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Shell.which("python3") ?? "/usr/bin/python3")
        process.arguments = ["-c", script, log]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var port = Data()
        while !port.contains(10) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            port.append(chunk)
        }
        return (process, String(decoding: port, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines), log)
    }

    @Test func extraHeaderAndTokenAreSentAndNeverPrinted() throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox)
        let server = try startServer(sandbox)
        defer {
            kill(server.process.processIdentifier, SIGKILL)
            server.process.waitUntilExit()
        }
        let url = "http://127.0.0.1:\(server.port)/repo.git"
        try fixture.work.git("remote", "set-url", "origin", url)
        try fixture.work.git("config", "bm.prePush.fetch", "true")
        try fixture.work.git("config", "http.http://127.0.0.1:\(server.port)/.extraheader", "AUTHORIZATION: basic ZXh0cmE=")
        let zero = String(repeating: "0", count: 40)
        let input = "refs/heads/feature \(try fixture.work.head()) refs/heads/feature \(zero)\n"
        let withHeader = try sandbox.bmGit(["hook", "pre-push", "origin", url], in: fixture.work.path, input: input)
        #expect(withHeader.stderr.contains("warning: could not fetch origin master"), "\(withHeader.stderr)")
        var log = try String(contentsOfFile: server.log, encoding: .utf8)
        #expect(log.contains("basic ZXh0cmE="))

        try fixture.work.git("config", "--unset", "http.http://127.0.0.1:\(server.port)/.extraheader")
        let token = "s3cret-token-value"
        let withToken = try sandbox.bmGit(["hook", "pre-push", "origin", url], in: fixture.work.path, input: input,
                                          environment: ["BM_GIT_TOKEN": token])
        log = try String(contentsOfFile: server.log, encoding: .utf8)
        let basic = Data("x-access-token:\(token)".utf8).base64EncodedString()
        #expect(log.contains("Basic \(basic)"), "\(log)")
        #expect(!withToken.stderr.contains(token) && !withToken.stdout.contains(token))
    }

    /// git's `GIT_CONFIG_COUNT` entries and `GIT_CONFIG_GLOBAL` file set bm.* without files
    /// in the repository, and the entries win over the repository's own config, as in git.
    @Test func environmentConfigurationIsHonoured() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("one", files: ["a.py": "1\n"])
        try repo.git("config", "bm.submodule", "from-repository")
        let global = sandbox.root + "/ci-global.gitconfig"
        try "[bm]\n\trevertWindow = 2h\n".write(toFile: global, atomically: true, encoding: .utf8)
        let environment = ["GIT_CONFIG_GLOBAL": global, "GIT_CONFIG_COUNT": "2",
                           "GIT_CONFIG_KEY_0": "bm.submodule", "GIT_CONFIG_VALUE_0": "helpers_root",
                           "GIT_CONFIG_KEY_1": "bm.prePush.maxBehind", "GIT_CONFIG_VALUE_1": "3"]
        let result = try sandbox.bmGit(["doctor", "--json"], in: repo.path, environment: environment)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let settings = Dictionary(uniqueKeysWithValues: (report["settings"] as? [[String: Any]] ?? [])
            .map { ($0["key"] as? String ?? "", $0["value"] as? String ?? "") })
        #expect(settings["bm.submodule"] == "helpers_root")
        #expect(settings["bm.revertWindow"] == "2h")
        #expect(settings["bm.prePush.maxBehind"] == "3")
        #expect(try repo.git("config", "bm.submodule") == "from-repository")
    }
}
