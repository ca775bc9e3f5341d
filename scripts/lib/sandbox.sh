# Builds the demo sandbox: a superproject with an `amp` submodule, bare remotes for both, and a
# pytest file with history by several authors. Source it, then: bm_make_sandbox DIR
# Layout: DIR/amp.git DIR/super.git (remotes), DIR/amp-work (pushes amp changes), DIR/super (the clone).

bm_sandbox_clock=1767225600  # 2026-01-01T00:00:00Z

# git as a fixed person at a fixed, advancing time: sgit "Name" email args...
sgit() {
    local name=$1 email=$2; shift 2
    bm_sandbox_clock=$((bm_sandbox_clock + 3600))
    GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email GIT_AUTHOR_DATE="@$bm_sandbox_clock +0000" \
    GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email GIT_COMMITTER_DATE="@$bm_sandbox_clock +0000" \
    GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null \
        git -c protocol.file.allow=always -c init.defaultBranch=master -c advice.detachedHead=false "$@"
}

bm_make_sandbox() {
    local dir=$1
    mkdir -p "$dir" && cd "$dir" || return 1
    local ana=("Ana Lima" ana@example.com) bjorn=("Bjørn Ødegård" bjorn@example.com) chen=("Chen Wei 陈伟" chen@example.com)

    sgit "${ana[@]}" init -q amp-work
    echo 'VERSION = 1' > amp-work/amp.py
    sgit "${ana[@]}" -C amp-work add amp.py && sgit "${ana[@]}" -C amp-work commit -qm "amp: first release"
    sgit "${ana[@]}" clone -q --bare amp-work amp.git
    sgit "${ana[@]}" -C amp-work remote add origin ../amp.git
    sgit "${ana[@]}" -C amp-work fetch -q origin

    sgit "${ana[@]}" init -q --bare super.git
    sgit "${ana[@]}" init -q super-seed
    sgit "${ana[@]}" -C super-seed remote add origin ../super.git
    mkdir -p super-seed/pkg/test
    cat > super-seed/pkg/test/test_utils.py <<'PY'
import pytest

from pkg.utils import clean


class TestClean:
    def test_clean(self):
        assert clean(" a ") == "a"
PY
    sgit "${ana[@]}" -C super-seed add -A && sgit "${ana[@]}" -C super-seed commit -qm "Add clean() tests"
    cat >> super-seed/pkg/test/test_utils.py <<'PY'

    def test_clean_empty(self):
        assert clean("") == ""
PY
    sgit "${bjorn[@]}" -C super-seed commit -qam "Cover the empty string"
    sed -i 's/assert clean(" a ") == "a"/assert clean("  a  ") == "a"\n        assert clean("b") == "b"/' super-seed/pkg/test/test_utils.py
    sgit "${chen[@]}" -C super-seed commit -qam "Tighten test_clean"
    sgit "${ana[@]}" -C super-seed submodule add -q ../amp.git amp
    sgit "${ana[@]}" -C super-seed commit -qm "Add amp submodule"
    sgit "${ana[@]}" -C super-seed push -q origin master

    sgit "${ana[@]}" clone -q --recurse-submodules super.git super

    # amp moves on: three commits the superproject's pointer does not have yet.
    for n in 2 3 4; do
        echo "VERSION = $n" > amp-work/amp.py
        sgit "${bjorn[@]}" -C amp-work commit -qam "amp: release $n"
    done
    sgit "${ana[@]}" -C amp-work push -q origin master
    sgit "${ana[@]}" -C super/amp fetch -q origin
    cd - >/dev/null
}
