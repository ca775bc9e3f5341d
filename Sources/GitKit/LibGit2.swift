import CLibgit2Shims
import Clibgit2

/// Process-wide libgit2 lifetime: initialised once on first use and never shut down.
public enum LibGit2 {
    private static let initialised: Bool = {
        // Parsing the system CA bundle is most of libgit2's start-up cost and only https needs
        // it, so it waits for the first network operation (`loadCertificates`).
        bm_certificates_defer(1)
        git_libgit2_init()
        bm_certificates_defer(0)
        // Bound memory on long histories: the object cache (256 MB by default) and the pack
        // data mapped at once (whole packs, gigabytes, by default) count towards resident memory.
        bm_libgit2_set_cache_max_size(cacheBytes)
        bm_libgit2_set_mwindow_size(UInt(packWindowBytes))
        bm_libgit2_set_mwindow_mapped_limit(UInt(mappedPackBytes))
        // libgit2 re-hashes every object it reads; git itself leaves that to fsck and to
        // transfers (which libgit2 still checks), and it is a tenth of a walk's time.
        bm_libgit2_enable_strict_hash_verification(0)
        return true
    }()

    /// Turns libgit2's object cache on or off for the process.
    static func setObjectCaching(_ enabled: Bool) {
        ensureInitialised()
        bm_libgit2_enable_caching(enabled ? 1 : 0)
    }

    /// Loads the CA bundle whose parsing was deferred at start-up, when `url` needs TLS.
    static func loadCertificates(for url: String) throws {
        guard url.lowercased().hasPrefix("https://") else { return }
        ensureInitialised()
        let result = bm_certificates_load_deferred()
        if result != 0 {
            throw GitError(operation: "load the system CA certificates", message: "mbedTLS error \(result)")
        }
    }

    /// The object cache's bound.
    static let cacheBytes = 8 << 20
    /// Pack files are mapped in windows of this size...
    static let packWindowBytes = 4 << 20
    /// ...of which at most this much at once.
    static let mappedPackBytes = 12 << 20

    /// Initialises libgit2 if this is the first call in the process; cheap afterwards.
    static func ensureInitialised() {
        _ = initialised
    }

    /// The linked libgit2 version, such as "1.5.1".
    public static var version: String {
        var major: Int32 = 0, minor: Int32 = 0, revision: Int32 = 0
        git_libgit2_version(&major, &minor, &revision)
        return "\(major).\(minor).\(revision)"
    }

    /// The optional features libgit2 was built with ("threads", "https", "ssh", "nsec").
    public static var features: [String] {
        ensureInitialised()
        let flags = UInt32(bitPattern: git_libgit2_features())
        let known: [(git_feature_t, String)] = [
            (GIT_FEATURE_THREADS, "threads"), (GIT_FEATURE_HTTPS, "https"),
            (GIT_FEATURE_SSH, "ssh"), (GIT_FEATURE_NSEC, "nsec"),
        ]
        return known.filter { flags & $0.0.rawValue != 0 }.map(\.1)
    }
}
