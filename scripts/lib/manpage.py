"""Finishes the man page that swift-argument-parser's generate-manual wrote.

manpage.py <generated bm-git.1> <bm-git binary>  (the page on stdout)

The footer gets bm-git's version (from `bm-git --version`, the one place it is written), the
EXIT STATUS section bm-git's documented codes instead of the generic "0 on success", and an
EXAMPLES section is added, taken from the EXAMPLES section that ends each help page.
"""
import subprocess
import sys

page_path, binary = sys.argv[1], sys.argv[2]


def run(*arguments):
    return subprocess.run([binary, *arguments], check=True, capture_output=True, text=True).stdout


def escape(text):
    """Text for a literal mdoc display: backslashes escaped, no line read as a request."""
    return "\\&" + text.replace("\\", "\\e")


def examples(help_text):
    """The (description, command) pairs of a help page's EXAMPLES section."""
    lines = help_text.split("\nEXAMPLES:\n", 1)[1].splitlines()
    pairs, description = [], None
    for line in lines:
        if line.startswith("    $ "):
            pairs.append((description, line[6:]))
        elif line.strip():
            description = line.strip()
    return pairs


version = run("--version").strip()
commands = ["doctor", "owner", "triage", "culprit", "bisect", "roll-amp", "revert-break",
            "recover", "install-hooks", "hook pre-push"]
out = []
for line in open(page_path, encoding="utf-8").read().splitlines():
    if line == ".Os":
        line = f".Os bm-git {version}"
    if line == ".Ex -std":
        out += [".Bl -tag -width 4n",
                ".It 0", "Done, or nothing to do.",
                ".It 1", "Refused by policy (a push blocked, a revert window still open).",
                ".It 2", "Could not do it; the repository is left exactly as it was.",
                ".It 64", "Usage error.",
                ".El"]
        continue
    out.append(line)
out.append(".Sh EXAMPLES")
for name in [None] + commands:
    page = run(*(name.split() if name else []), "--help")
    if name:
        out.append(f".Ss bm-git {name}")
    for description, command in examples(page):
        out += [".Pp", escape(description), ".Bd -literal -offset indent", escape("$ " + command), ".Ed"]
out += [".Sh SEE ALSO", ".Xr git 1 ,", ".Xr git-bisect 1 ,", ".Xr git-revert 1 ,", ".Xr githooks 5"]
print("\n".join(out))
