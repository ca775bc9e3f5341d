# Shared by the scripts: find the toolchain and install missing system packages.
# Source it; it defines bm_root, bm_ensure_swift and bm_ensure_packages.

bm_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

bm_say() { printf '%s\n' "$*" >&2; }

# Puts swift on PATH, looking in /opt/swift when it is not there already.
bm_ensure_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        for dir in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
            [ -x "$dir/swift" ] && PATH="$dir:$PATH" && export PATH && break
        done
    fi
    command -v swift >/dev/null 2>&1 || { bm_say "error: the Swift toolchain is not installed (expected swift on PATH or in /opt/swift)"; return 1; }
}

# Installs the Debian packages named as arguments, but only those that are missing.
bm_ensure_packages() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || { bm_say "error: missing packages ${missing[*]}; install them as root: apt-get install -y ${missing[*]}"; return 1; }
        sudo=(sudo)
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        bm_say "error: missing packages ${missing[*]} and no apt-get here; install libgit2 (>= 1.5) and pkg-config by hand"
        return 1
    fi
    bm_say "installing ${missing[*]} ..."
    if ! { "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}"; } >/tmp/bm-git-apt.log 2>&1; then
        bm_say "error: could not install ${missing[*]} (see /tmp/bm-git-apt.log); install them by hand: apt-get install -y ${missing[*]}"
        return 1
    fi
}

# What building and testing bm-git needs (python3 makes the tests' synthetic histories and is
# their oracle for Python's ast; python3-venv holds the real pre-commit and lefthook that the
# hook manager tests install from PyPI; strace injects the faults of scripts/faults and of
# some tests).
bm_ensure_build_deps() {
    bm_ensure_swift && bm_ensure_packages libgit2-dev pkg-config git strace python3 python3-venv || return 1
}

# Builds the release binary and prints its path. The Swift runtime is linked statically (the
# pre-push hook starts in half the time) into a position-dependent executable: that skips
# 75,000 load-time relocations, another seventh of the hook's start-up, at the price of a fixed
# load address for bm-git's own code (libraries, stack and heap stay randomised).
bm_release_flags=(-c release --static-swift-stdlib -Xswiftc -Xclang-linker -Xswiftc -no-pie)
bm_build_release() {
    (cd "$bm_root" && swift build "${bm_release_flags[@]}" --product bm-git >&2) || return 1
    echo "$(cd "$bm_root" && swift build "${bm_release_flags[@]}" --show-bin-path)/bm-git"
}
