import Foundation

/// The pre-push hook bm-git installs: `hooks/pre-push` of the source tree, embedded in the
/// binary (a test keeps the two identical). `@BM_GIT@` stands for the installing binary's path.
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
input=$(cat)
chained="$(dirname "$0")/pre-push.bm-chained"
if [ -x "$chained" ]; then
    printf '%s\n' "$input" | "$chained" "$@" || exit $?
fi
if [ -z "$bm_git" ]; then
    case ",${BM_SKIP:-}," in *,pre-push,*|*,all,*) exit 0 ;; esac
    echo "bm-git: the pre-push hook cannot find bm-git (not at $installed, not on PATH)." >&2
    echo "bm-git: install it and run 'bm-git install-hooks' again, or bypass: BM_SKIP=pre-push git push (or git push --no-verify)" >&2
    exit 1
fi
printf '%s\n' "$input" | exec "$bm_git" hook pre-push "$@"

"""#

    /// The shim calling the bm-git at `binaryPath` (single-quoted for sh), then bm-git on PATH.
    static func text(binaryPath: String) -> String {
        template.replacingOccurrences(of: placeholder,
                                      with: binaryPath.replacingOccurrences(of: "'", with: "'\\''"))
    }
}
