# bash completion for `git bm`: git's completion loads this file (as git-bm) and calls _git_bm,
# which hands the words after `bm` to bm-git's own completion, installed beside this file.
declare -F _bm-git >/dev/null || . "${BASH_SOURCE[0]%/*}/bm-git"

_git_bm() {
    local at=${__git_cmd_idx:-1}
    local -a COMP_WORDS=(bm-git "${COMP_WORDS[@]:at+1}")
    local COMP_CWORD=$((COMP_CWORD - at))
    local COMP_LINE="${COMP_WORDS[*]}"
    local COMP_POINT=${#COMP_LINE}
    _bm-git bm-git "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    compopt +o nospace 2>/dev/null   # git's completion turns spaces off; bm-git's words want one
}
