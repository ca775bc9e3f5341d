/// bm-git's version: the one place it is written. `scripts/package` reads it from the binary
/// (`bm-git --version`), so the package, the man page and `--version` agree.
enum Version {
    static let current = "0.2.0"
}
