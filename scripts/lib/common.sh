# Shared by the scripts: find the toolchain and install missing system packages.
# Source it; it defines bm_root, the bm_ensure_* checks, bm_build_release, bm_build_manual and
# bm_stage (the files an install or a package holds).

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

# What building bm-git needs: Swift, and libgit2 (>= 1.5) as pkg-config finds it. With apt, the
# missing Debian packages are installed; without it, the error names the package to install, and
# a libgit2 that pkg-config already finds (Homebrew, a source build) is used as it is.
bm_libgit2_found() { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists 'libgit2 >= 1.5'; }
bm_ensure_build_deps() {
    bm_ensure_swift || return 1
    bm_libgit2_found && return 0
    if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
        bm_ensure_packages libgit2-dev pkg-config || return 1
        bm_libgit2_found && return 0
    fi
    bm_say "error: pkg-config cannot find libgit2 (>= 1.5); install it and pkg-config: Debian/Ubuntu: apt-get install libgit2-dev pkg-config; Fedora: dnf install libgit2-devel pkgconf-pkg-config; Alpine: apk add libgit2-dev pkgconf; macOS: brew install libgit2 pkg-config"
    return 1
}

# What the tests need besides: git (a fixture builder and oracle), python3 (synthetic histories,
# the oracle for Python's ast), python3-venv (the real pre-commit, lefthook and pytest the tests
# install from PyPI), strace (the faults of scripts/faults and some tests), man-db (the package
# test's `man -w`), bash-completion, zsh and fish (the package's completions are run in them).
bm_ensure_test_deps() {
    bm_ensure_build_deps && bm_ensure_packages git strace python3 python3-venv man-db bash-completion zsh fish
}

# Builds the release binary and prints its path. The Swift runtime is linked statically (the
# pre-push hook starts in half the time) into a position-dependent executable: that skips
# 75,000 load-time relocations, another seventh of the hook's start-up, at the price of a fixed
# load address for bm-git's own code (libraries, stack and heap stay randomised). Release builds
# have their own scratch directory, so that they can run while `swift test` holds .build's lock.
bm_scratch=(--scratch-path "$bm_root/.build_release")
bm_release_flags=(-c release --static-swift-stdlib -Xswiftc -Xclang-linker -Xswiftc -no-pie)
bm_build_release() {
    (cd "$bm_root" && swift build "${bm_scratch[@]}" "${bm_release_flags[@]}" --product bm-git >&2) || return 1
    echo "$(cd "$bm_root" && swift build "${bm_scratch[@]}" "${bm_release_flags[@]}" --show-bin-path)/bm-git"
}

# Writes the man page to $1/bm-git.1: generated from the commands by swift-argument-parser's
# generate-manual plugin (from the debug build, which has the same commands), then given the
# version in its footer, bm-git's exit codes and an EXAMPLES section taken from the help pages.
bm_build_manual() {
    local out=$1 binary=$2
    (cd "$bm_root" && swift package "${bm_scratch[@]}" generate-manual --configuration debug >&2) || return 1
    python3 "$bm_root/scripts/lib/manpage.py" "$bm_root/.build_release/plugins/GenerateManual/outputs/bm-git/bm-git.1" \
        "$binary" >"$out/bm-git.1"
}

# Installs what a bm-git installation holds under $1 (a staging root, or empty) + $2 (the prefix):
# the binary at $3 (stripped), `git-bm` (so `git bm` works), the man page (and git-bm's, for `git help bm`),
# bash (`bm-git` and `git bm`), zsh and fish completions.
bm_stage() {
    local root=$1 prefix=$2 binary=$3 zsh_dir
    local dest=$root$prefix
    case $prefix in /usr) zsh_dir=share/zsh/vendor-completions ;; *) zsh_dir=share/zsh/site-functions ;; esac
    install -d "$dest/bin" "$dest/share/man/man1" "$dest/share/bash-completion/completions" \
        "$dest/$zsh_dir" "$dest/share/fish/vendor_completions.d"
    install -m 0755 "$binary" "$dest/bin/bm-git"
    strip --strip-unneeded "$dest/bin/bm-git"
    ln -sf bm-git "$dest/bin/git-bm"
    local manual; manual=$(mktemp -d)
    bm_build_manual "$manual" "$binary" || { rm -rf "$manual"; return 1; }
    gzip -9n <"$manual/bm-git.1" >"$dest/share/man/man1/bm-git.1.gz"
    printf '.so man1/bm-git.1\n' | gzip -9n >"$dest/share/man/man1/git-bm.1.gz"
    rm -rf "$manual"
    "$binary" --generate-completion-script bash >"$dest/share/bash-completion/completions/bm-git"
    install -m 0644 "$bm_root/scripts/lib/git-bm.bash" "$dest/share/bash-completion/completions/git-bm"
    "$binary" --generate-completion-script zsh >"$dest/$zsh_dir/_bm-git"
    "$binary" --generate-completion-script fish >"$dest/share/fish/vendor_completions.d/bm-git.fish"
    chmod 0644 "$dest/share/man/man1/"*.gz "$dest/share/bash-completion/completions/bm-git" \
        "$dest/$zsh_dir/_bm-git" "$dest/share/fish/vendor_completions.d/bm-git.fish"
}

# The files bm_stage installs, relative to the prefix (for scripts/uninstall).
bm_staged_files() {
    printf '%s\n' bin/bm-git bin/git-bm share/man/man1/bm-git.1.gz share/man/man1/git-bm.1.gz \
        share/bash-completion/completions/bm-git share/bash-completion/completions/git-bm \
        share/zsh/vendor-completions/_bm-git \
        share/zsh/site-functions/_bm-git share/fish/vendor_completions.d/bm-git.fish
}
