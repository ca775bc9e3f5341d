import Foundation
import GitKit

/// The pre-push hook bm-git installs: `hooks/pre-push` of the source tree, embedded in the
/// binary (a test keeps the two identical). `@BM_GIT@` stands for the installing binary's path.
///
/// A hook is bm-git's only if it is exactly this text (or an earlier version of it) for some
/// binary path: a foreign hook that merely quotes the marker line is never taken for ours.
enum HookShim {
    static let placeholder = "@BM_GIT@"

    static let template = #"""
#!/bin/sh
# bm-git pre-push shim
# Installed by `bm-git install-hooks`; `bm-git install-hooks --uninstall` removes it and puts
# back any pre-push hook that was here before (kept meanwhile as pre-push.bm-chained, and run
# first, with the same arguments and input). Bypass once: BM_SKIP=pre-push git push.
installed='@BM_GIT@'
bm_git=$installed
[ -x "$bm_git" ] || bm_git=$(command -v bm-git 2>/dev/null) || bm_git=
case $0 in */*) chained=${0%/*}/pre-push.bm-chained ;; *) chained=./pre-push.bm-chained ;; esac
if [ -z "$bm_git" ]; then
    # Uninstalled: every push must still work. Say so once per push, and run the chained hook.
    hook=$0; case $hook in /*) ;; *) hook=$(pwd)/${hook#./} ;; esac
    restore=; [ -e "$chained" ] && restore=" && mv '$hook.bm-chained' '$hook'"
    echo "bm-git: pre-push check skipped: bm-git is not installed (not at $installed, not on PATH); reinstall it, or remove this hook: rm '$hook'$restore" >&2
    [ -x "$chained" ] && exec "$chained" "$@"
    exit 0
fi
if [ -x "$chained" ]; then
    input=$(cat)
    printf '%s\n' "$input" | "$chained" "$@" || exit $?
    printf '%s\n' "$input" | "$bm_git" hook pre-push "$@"
else
    "$bm_git" hook pre-push "$@"
fi
status=$?
# 0 lets the push go, 1 refuses it, 2 could not check (each with bm-git's own message).
# Anything else is unexpected, and fails closed.
case $status in
    0|1|2) exit $status ;;
esac
echo "bm-git: the pre-push check ended unexpectedly (exit $status), so the push is refused; bypass: BM_SKIP=pre-push git push (or git push --no-verify)" >&2
exit 1

"""#

    /// Git blob ids of earlier versions of the template, which `install-hooks` upgrades.
    private static let earlierTemplates: Set<String> = [
        "3e49cb90199650c52814a614ce1bead1e53262e4",  // bm-git 0.1: no fail-closed exit check
        "93f0927333293eaa9d366d97f24fe2a632143a59",  // bm-git 0.1: refused every push once bm-git was gone
    ]

    /// The shim calling the bm-git at `binaryPath` (single-quoted for sh), then bm-git on PATH.
    static func text(binaryPath: String) -> String {
        template.replacingOccurrences(of: placeholder, with: quoted(binaryPath))
    }

    /// The binary path of `contents` if it is one of bm-git's shims, current or earlier; nil for
    /// any other hook.
    static func binaryPath(ofShim contents: String) -> String? {
        let prefix = "installed='"
        guard let line = contents.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }),
              line.hasSuffix("'") else { return nil }
        let quotedPath = String(line.dropFirst(prefix.count).dropLast())
        let path = quotedPath.replacingOccurrences(of: "'\\''", with: "'")
        guard quoted(path) == quotedPath else { return nil }
        if contents == text(binaryPath: path) { return path }
        let generic = contents.replacingOccurrences(of: "installed='\(quotedPath)'", with: "installed='\(placeholder)'")
        return earlierTemplates.contains(OID.blob(of: generic).hex) ? path : nil
    }

    /// Whether `contents` is an earlier version of the shim, which installing again replaces.
    static func isEarlierVersion(_ contents: String) -> Bool {
        binaryPath(ofShim: contents).map { contents != text(binaryPath: $0) } ?? false
    }

    private static func quoted(_ path: String) -> String {
        path.replacingOccurrences(of: "'", with: "'\\''")
    }
}
