import Foundation
import Testing
import TestSupport

/// The way a teammate gets bm-git: `scripts/package` builds a Debian package that apt installs
/// and removes cleanly, and `scripts/install`/`scripts/uninstall` do the same under a PREFIX.
/// Both hold the binary, `git bm`, the man page and the completions, with one version.
@Suite(.serialized) struct PackageTests {
    static let sourceRoot = URL(fileURLWithPath: #filePath).appendingPathComponent("../../..").standardizedFileURL.path

    /// Why the package test cannot run here; nil when it can.
    static let packageSkipReason: String? = {
        let environment = ProcessInfo.processInfo.environment
        if environment["BM_SKIP_PACKAGE_TEST"] != nil { return "BM_SKIP_PACKAGE_TEST is set (scripts/test runs it in the first pass only)" }
        guard Shell.which("dpkg-deb") != nil, Shell.which("apt-get") != nil else {
            return "dpkg-deb or apt-get is missing: the Debian package cannot be built or installed here"
        }
        guard getuid() == 0 else { return "not root: apt-get cannot install the package (CI runs as root)" }
        if (try? Shell.run("/usr/bin/dpkg-query", ["-W", "bm-git"], in: "/", environment: ProcessInfo.processInfo.environment))?.status == 0 {
            return "a bm-git package is installed on this machine already; the test does not replace it"
        }
        return nil
    }()

    private func run(_ command: String, in directory: String = PackageTests.sourceRoot,
                     environment: [String: String] = [:]) throws -> ProcessResult {
        let base = ProcessInfo.processInfo.environment.merging(["DEBIAN_FRONTEND": "noninteractive"]) { $1 }
        return try Shell.run("/bin/bash", ["-c", command], in: directory, environment: base.merging(environment) { $1 })
    }

    private func completes(_ line: String, script: String) throws -> String {
        let result = try run("""
            shopt -s extglob; source '\(script)'
            read -ra COMP_WORDS <<< "$LINE"; [[ "$LINE" == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE=$LINE; COMP_POINT=${#LINE}; COMPREPLY=()
            _bm-git bm-git "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"; echo "${COMPREPLY[*]}"
            """, environment: ["LINE": line])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// What bash completes for `line` typed after `git` (git's own completion, which loads
    /// bm-git's `git-bm` file); nil when bash-completion is not installed.
    private func completesThroughGit(_ line: String, dataDirectory: String = "/usr/share",
                                     path: String = "/usr/bin:/bin") throws -> String? {
        let library = "/usr/share/bash-completion/bash_completion"
        guard FileManager.default.fileExists(atPath: library) else { return nil }
        let result = try run("""
            source \(library); _completion_loader git
            read -ra COMP_WORDS <<< "$LINE"; [[ "$LINE" == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE=$LINE; COMP_POINT=${#LINE}; COMPREPLY=()
            __git_wrap__git_main git "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
            echo "${COMPREPLY[*]}"
            """, environment: ["LINE": line, "XDG_DATA_DIRS": dataDirectory, "PATH": path])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs the zsh and fish completions where those shells are installed: zsh parses its file,
    /// fish completes `bm-git ow` to `owner`.
    private func checkZshAndFish(zsh: String, fish: String, path: String) throws {
        if Shell.which("zsh") != nil {
            let parsed = try run("zsh -n '\(zsh)'")
            #expect(parsed.status == 0, "\(parsed.stderr)")
        }
        if Shell.which("fish") != nil {
            let completed = try run("fish -c \"source '\(fish)'; complete -C 'bm-git ow'\"", environment: ["PATH": path])
            #expect(completed.stdout.hasPrefix("owner\t"), "\(completed.stdout) \(completed.stderr)")
        }
    }

    @Test(.enabled(if: PackageTests.packageSkipReason == nil, "\(PackageTests.packageSkipReason ?? "")"))
    func theDebianPackageInstallsWorksAndRemovesCleanly() throws {
        let sandbox = try Sandbox()
        let built = try run("scripts/package --out '\(sandbox.root)/dist'")
        #expect(built.status == 0, "\(built.stderr)")
        let deb = built.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(deb.hasSuffix(".deb"))
        let control = try run("dpkg-deb -f '\(deb)' Version Depends").stdout
        #expect(control.contains("Depends: ") && control.contains("libgit2-1.5 (>= 1.5"), "\(control)")

        let installed = try run("apt-get install -y -qq '\(deb)'")
        #expect(installed.status == 0, "\(installed.stderr)")
        defer { _ = try? run("apt-get remove -y -qq bm-git") }

        // One version: the package's, --version's and the man page's.
        let version = try run("/usr/bin/bm-git --version").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!version.isEmpty)
        #expect(control.contains("Version: \(version)\n"))
        let page = try run("zcat \"$(man -w bm-git)\"")
        #expect(page.stdout.contains(".Os bm-git \(version)\n"))
        #expect(page.stdout.contains(".Sh EXAMPLES") && page.stdout.contains("bm-git owner --from-log -"))
        #expect(try run("man -w bm-git").stdout == "/usr/share/man/man1/bm-git.1.gz\n")
        #expect(try run("man -w git-bm").stdout == "/usr/share/man/man1/bm-git.1.gz\n")
        // git bm, and git help bm opening the man page.
        let repo = try sandbox.makeRepo("r")
        try repo.commit("one", files: ["f": "1\n"])
        let doctor = try run("git bm doctor", in: repo.path, environment: sandbox.environment)
        #expect(doctor.status == 0, "\(doctor.stderr)")
        #expect(doctor.stdout.hasPrefix("repository  \(repo.path)"))
        let help = try run("git help bm", environment: ["MANPAGER": "cat", "PAGER": "cat", "MANWIDTH": "80"])
        #expect(help.stdout.contains("Git chores for the person on build duty"), "\(help.stderr)")
        // Completions in the standard places, and bash's works.
        try checkZshAndFish(zsh: "/usr/share/zsh/vendor-completions/_bm-git",
                            fish: "/usr/share/fish/vendor_completions.d/bm-git.fish", path: "/usr/bin:/bin")
        let bash = "/usr/share/bash-completion/completions/bm-git"
        #expect(try completes("bm-git ow", script: bash) == "owner")
        #expect(try completes("bm-git roll-amp ", script: bash).contains("--dry-run"))
        if let viaGit = try completesThroughGit("git bm ow") { #expect(viaGit == "owner") }

        let removed = try run("apt-get remove -y -qq bm-git")
        #expect(removed.status == 0, "\(removed.stderr)")
        for file in ["/usr/bin/bm-git", "/usr/bin/git-bm", "/usr/share/man/man1/bm-git.1.gz", bash,
                     "/usr/share/bash-completion/completions/git-bm", "/usr/share/doc/bm-git"] {
            #expect(!FileManager.default.fileExists(atPath: file), "\(file) is left behind")
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["BM_SKIP_PACKAGE_TEST"] == nil,
                   "BM_SKIP_PACKAGE_TEST is set (scripts/test runs it in the first pass only)"))
    func installAndUninstallUnderAPrefix() throws {
        let sandbox = try Sandbox()
        let prefix = sandbox.root + "/prefix"
        let installed = try run("scripts/install", environment: ["PREFIX": prefix])
        #expect(installed.status == 0, "\(installed.stderr)")
        let files = ["bin/bm-git", "bin/git-bm", "share/man/man1/bm-git.1.gz", "share/man/man1/git-bm.1.gz",
                     "share/bash-completion/completions/bm-git", "share/bash-completion/completions/git-bm",
                     "share/zsh/site-functions/_bm-git",
                     "share/fish/vendor_completions.d/bm-git.fish"]
        for file in files { #expect(FileManager.default.fileExists(atPath: prefix + "/" + file), "\(file)") }
        let path = prefix + "/bin:" + (sandbox.environment["PATH"] ?? "/usr/bin:/bin")
        let repo = try sandbox.makeRepo("r")
        try repo.commit("one", files: ["f": "1\n"])
        let viaGit = try run("git bm -C '\(repo.path)' doctor --json", environment: sandbox.environment.merging(["PATH": path]) { $1 })
        #expect(viaGit.status == 0, "\(viaGit.stderr)")
        try checkZshAndFish(zsh: prefix + "/share/zsh/site-functions/_bm-git",
                            fish: prefix + "/share/fish/vendor_completions.d/bm-git.fish", path: prefix + "/bin:/usr/bin:/bin")
        if let completed = try completesThroughGit("git -C /tmp bm rev", dataDirectory: prefix + "/share",
                                                   path: prefix + "/bin:/usr/bin:/bin") {
            #expect(completed == "revert-break")
        }
        // git help bm reads git-bm's page, which is bm-git's.
        #expect(try run("man -M '\(prefix)/share/man' -w git-bm").stdout == "\(prefix)/share/man/man1/bm-git.1.gz\n")

        // A repository whose hook is the installed bm-git's can still push once it is uninstalled.
        let fixture = try PushFixture.make(in: sandbox)
        try fixture.work.git("config", "core.hooksPath", sandbox.root + "/hooks")
        let hooked = try run("'\(prefix)/bin/bm-git' install-hooks", in: fixture.work.path, environment: sandbox.environment)
        #expect(hooked.status == 0, "\(hooked.stderr)")
        let uninstalled = try run("scripts/uninstall", environment: ["PREFIX": prefix])
        #expect(uninstalled.status == 0, "\(uninstalled.stderr)")
        for file in files { #expect(!FileManager.default.fileExists(atPath: prefix + "/" + file), "\(file) is left behind") }
        try fixture.work.commit("more", files: ["g": "2\n"])
        let push = try fixture.push("-q", "origin", "master", environment: ["PATH": try sandbox.pathWithOnly()])
        #expect(push.status == 0, "\(push.stderr)")
        #expect(push.stderr.contains("bm-git: pre-push check skipped: bm-git is not installed"))
    }

    @Test func dependencyChecksGoThroughPkgConfigAndNameThePackagesWithoutApt() throws {
        let sandbox = try Sandbox()
        let bin = sandbox.root + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bin + "/dirname", withDestinationPath: try #require(Shell.which("dirname")))
        if let swift = Shell.which("swift") {
            try FileManager.default.createSymbolicLink(atPath: bin + "/swift", withDestinationPath: swift)
        }
        func check(libgit2Found: Bool) throws -> ProcessResult {
            try "#!/bin/sh\nexit \(libgit2Found ? 0 : 1)\n".write(toFile: bin + "/pkg-config", atomically: false, encoding: .utf8)
            chmod(bin + "/pkg-config", 0o755)
            // No apt-get and no dpkg on this PATH: a machine without apt.
            return try Shell.run("/bin/bash", ["-c", "source scripts/lib/common.sh && bm_ensure_build_deps"],
                                 in: Self.sourceRoot, environment: ["PATH": bin, "HOME": sandbox.root])
        }
        let missing = try check(libgit2Found: false)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("pkg-config cannot find libgit2 (>= 1.5)"), "\(missing.stderr)")
        for hint in ["apt-get install libgit2-dev pkg-config", "dnf install libgit2-devel", "brew install libgit2 pkg-config"] {
            #expect(missing.stderr.contains(hint), "\(hint)")
        }
        let found = try check(libgit2Found: true)
        #expect(found.status == 0, "\(found.stderr)")
    }
}
