#!/usr/bin/env python3
"""Synthetic git histories for bm-git's tests and benchmarks.

  make_history.py history DIR [--commits N] [--seed S] [--test-files F]
      A Python monorepo on master with a long, realistic history: most commits touch one or
      two of many files, short feature branches are merged back with merge commits, a batch
      of test files is renamed midway, authors include non-ASCII names and mailmap aliases,
      and a bot's whole-tree reformat is listed in .git-blame-ignore-revs. Test files use
      decorators, classes (nested too), async tests, column-0 multi-line strings, backslash
      continuations and inherited test methods. Writes DIR.ids.tsv: one pytest id per line
      with the first and last line Python's ast gives for it (first decorator to end_lineno).

  make_history.py big DIR N
      N linear commits on master, a branch `behind` forked N/2 commits back, and a branch
      `fresh` that merged the tip of master, for the pre-push benchmark.

Everything is written with `git fast-import`, so 20k commits take seconds. Same seed, same repo.
"""
import argparse
import ast
import os
import random
import subprocess
import sys

PEOPLE = [
    ("Ana Lima", "ana@example.com"), ("Bjørn Ødegård", "bjorn@example.com"),
    ("Chen Wei 陈伟", "chen@example.com"), ("Dana Scott", "dana@example.com"),
    ("Émile Zola", "emile@example.com"), ("Fatima Zahra", "fatima@example.com"),
    ("Gustav Ångström", "gustav@example.com"), ("Hana Kobayashi 小林", "hana@example.com"),
    ("Ivan Petrov", "ivan@example.com"), ("Józef Wiśniewski", "jozef@example.com"),
]
# Old addresses some commits still use; .mailmap maps them back.
OLD_ADDRESSES = {"ana@example.com": "ana@laptop.local", "ivan@example.com": "IVAN@Old-Corp.example"}
BOT = ("reformat-bot", "bot@example.com")


class FastImport:
    """Streams commits into `git fast-import`."""

    def __init__(self, directory, start_time):
        subprocess.run(["git", "init", "-q", directory], check=True)
        subprocess.run(["git", "-C", directory, "symbolic-ref", "HEAD", "refs/heads/master"], check=True)
        self.process = subprocess.Popen(["git", "-C", directory, "fast-import", "--quiet", "--done"],
                                        stdin=subprocess.PIPE)
        self.time = start_time
        self.mark = 0

    def _write(self, text):
        self.process.stdin.write(text if isinstance(text, bytes) else text.encode())

    def _data(self, text):
        raw = text.encode()
        self._write(b"data %d\n" % len(raw) + raw + b"\n")

    def commit(self, ref, parents, changes, person, message, step):
        """changes: ("M", path, text) or ("R", old, new) or ("D", path). Returns the mark."""
        self.mark += 1
        self.time += step
        name, email = person
        self._write(f"commit {ref}\nmark :{self.mark}\n"
                    f"author {name} <{email}> {self.time} +0000\n"
                    f"committer {name} <{email}> {self.time} +0000\n")
        self._data(message)
        for index, parent in enumerate(parents):
            self._write(f"{'from' if index == 0 else 'merge'} :{parent}\n")
        for change in changes:
            if change[0] == "M":
                self._write(f'M 100644 inline "{change[1]}"\n')
                self._data(change[2])
            elif change[0] == "R":
                self._write(f'R "{change[1]}" "{change[2]}"\n')
            else:
                self._write(f'D "{change[1]}"\n')
        return self.mark

    def finish(self):
        self._write("done\n")
        self.process.stdin.close()
        if self.process.wait() != 0:
            sys.exit("git fast-import failed")


class TestFile:
    """A pytest module kept as a list of top-level blocks, each a list of lines."""

    def __init__(self, rnd, number):
        self.rnd = rnd
        self.number = number
        self.counter = 0
        self.header = ["import asyncio", "", "import pytest", "", "from pkg.core import compute, fixture_value", ""]
        self.blocks = [self.new_class(base=True)]
        for _ in range(rnd.randint(1, 3)):
            self.blocks.append(self.new_class(base=False))
        for _ in range(rnd.randint(1, 4)):
            self.blocks.append(self.new_function(indent=0))

    def name(self, stem):
        self.counter += 1
        return f"{stem}_{self.counter}"

    def body(self, pad):
        rnd, lines = self.rnd, []
        for _ in range(rnd.randint(2, 9)):
            kind = rnd.random()
            if kind < 0.12:
                lines += [f'{pad}expected = """', "text at column zero", f"{pad}  indented text", '"""']
            elif kind < 0.22:
                lines += [f"{pad}total = compute({rnd.randint(0, 99)}) + \\", f"{pad}    compute({rnd.randint(0, 99)})"]
            elif kind < 0.34:
                lines += [f"{pad}values = [", f"{pad}    {rnd.randint(0, 999)},", f"{pad}    {rnd.randint(0, 999)},", f"{pad}]"]
            elif kind < 0.42:
                lines += [f"{pad}# check {rnd.randint(0, 999)}", ""]
            else:
                lines.append(f"{pad}assert compute({rnd.randint(0, 99)}) == {rnd.randint(0, 999)}")
        while lines and (lines[-1] == "" or lines[-1].lstrip().startswith("#")):
            lines.pop()
        if not lines:
            lines.append(f"{pad}assert True")
        return lines

    def new_function(self, indent):
        rnd, pad = self.rnd, " " * indent
        lines, args = [], "self" if indent else ""
        roll = rnd.random()
        if roll < 0.25:
            lines.append(f'{pad}@pytest.mark.parametrize("n", [{rnd.randint(1, 9)}, {rnd.randint(10, 99)}])')
            args = (args + ", n").lstrip(", ")
        elif roll < 0.32:
            lines += [f"{pad}@pytest.mark.skipif(", f"{pad}    False, reason=\"never\"", f"{pad})"]
        prefix = "async def" if rnd.random() < 0.1 else "def"
        lines.append(f"{pad}{prefix} {self.name('test_case')}({args}):")
        return lines + self.body(pad + "    ")

    def new_class(self, base):
        rnd = self.rnd
        name = f"TestBase{self.number}" if base else self.name(f"TestThing{self.number}")
        parent = f"(TestBase{self.number})" if not base and rnd.random() < 0.5 else ""
        lines = [f"class {name}{parent}:"]
        for _ in range(rnd.randint(2, 6)):
            lines += self.new_function(4) + [""]
        if rnd.random() < 0.2:
            lines += [f"    class {self.name('TestInner')}:"] + self.new_function(8) + [""]
        while lines[-1] == "":
            lines.pop()
        return lines

    def text(self):
        out = list(self.header)
        for block in self.blocks:
            out += ["", ""] + block
        return "\n".join(out) + "\n"

    def edit(self):
        """A small realistic change: tweak asserts, add or drop a test, add a comment."""
        rnd = self.rnd
        roll = rnd.random()
        block = rnd.choice(self.blocks)
        if roll < 0.5:
            candidates = [i for i, line in enumerate(block) if "assert compute(" in line]
            for index in rnd.sample(candidates, min(len(candidates), rnd.randint(1, 2))):
                block[index] = block[index].rsplit("==", 1)[0] + f"== {rnd.randint(0, 999)}"
        elif roll < 0.7:
            self.blocks.append(self.new_function(indent=0))
        elif roll < 0.8 and block[0].startswith("class"):
            block += [""] + self.new_function(4)
        elif roll < 0.9 and len(self.blocks) > 3 and not self.blocks[-1][0].startswith("class"):
            self.blocks.pop()
        else:
            lines = [i for i, line in enumerate(block) if line.startswith("    assert")]
            if lines:
                index = rnd.choice(lines)
                block.insert(index, block[index][: len(block[index]) - len(block[index].lstrip())]
                             + f"# see issue {rnd.randint(100, 9999)}")

    def reformat(self):
        for block in self.blocks:
            for index, line in enumerate(block):
                if "assert compute(" in line:
                    block[index] = line.replace(" == ", " ==  ")


def module_text(rnd, size):
    return "\n".join(f"VALUE_{i} = {rnd.randint(0, 10**6)}" for i in range(size)) + "\n"


def person(rnd):
    name, email = rnd.choice(PEOPLE)
    if email in OLD_ADDRESSES and rnd.random() < 0.4:
        email = OLD_ADDRESSES[email]
    return name, email


def history(directory, commits, seed, test_files):
    rnd = random.Random(seed)
    git = FastImport(directory, 1_600_000_000)
    tests = {f"pkg{i % 7}/test/test_mod{i}.py": TestFile(rnd, i) for i in range(test_files)}
    modules = {f"pkg{i % 7}/mod{i}.py": rnd.randint(10, 80) for i in range(test_files * 3)}
    step = lambda: rnd.randint(30, 5_000)
    head = git.commit("refs/heads/master", [],
                      [("M", p, t.text()) for p, t in tests.items()]
                      + [("M", p, module_text(rnd, n)) for p, n in modules.items()],
                      PEOPLE[0], "Initial import", step())
    rename_at, reformat_at = commits // 2, commits * 3 // 4
    while git.mark < commits:
        if rename_at is not None and git.mark >= rename_at:
            moves = [p for p in sorted(tests) if rnd.random() < 0.3]
            for p in moves:
                tests[p.replace("/test/", "/tests/")] = tests.pop(p)
            head = git.commit("refs/heads/master", [head],
                              [("R", p, p.replace("/test/", "/tests/")) for p in moves],
                              person(rnd), "Move tests to tests/", step())
            rename_at = None
        elif reformat_at is not None and git.mark >= reformat_at:
            for t in tests.values():
                t.reformat()
            head = git.commit("refs/heads/master", [head], [("M", p, t.text()) for p, t in tests.items()],
                              BOT, "Reformat all tests", step())
            reformat_at = None
        elif rnd.random() < 0.06:
            # A short feature branch on two test files, merged back after an unrelated commit.
            chosen = rnd.sample(sorted(tests), 2)
            side = head
            for _ in range(rnd.randint(1, 4)):
                path = rnd.choice(chosen)
                tests[path].edit()
                side = git.commit("refs/heads/feature", [side], [("M", path, tests[path].text())],
                                  person(rnd), f"Work on {os.path.basename(path)}", step())
            module = rnd.choice(sorted(modules))
            head = git.commit("refs/heads/master", [head], [("M", module, module_text(rnd, modules[module]))],
                              person(rnd), f"Tune {os.path.basename(module)}", step())
            head = git.commit("refs/heads/master", [head, side], [("M", p, tests[p].text()) for p in chosen],
                              person(rnd), "Merge branch 'feature'", step())
        elif rnd.random() < 0.3:
            changes = []
            for path in rnd.sample(sorted(tests), rnd.randint(1, 2)):
                tests[path].edit()
                changes.append(("M", path, tests[path].text()))
            head = git.commit("refs/heads/master", [head], changes, person(rnd),
                              f"Update {os.path.basename(changes[0][1])}", step())
        else:
            module = rnd.choice(sorted(modules))
            modules[module] = max(5, modules[module] + rnd.randint(-3, 5))
            head = git.commit("refs/heads/master", [head], [("M", module, module_text(rnd, modules[module]))],
                              person(rnd), f"Change {os.path.basename(module)}", step())
    git.finish()
    run = lambda *args: subprocess.run(["git", "-C", directory, *args], check=True,
                                       capture_output=True, text=True).stdout.strip()
    run("update-ref", "-d", "refs/heads/feature")
    run("checkout", "-q", "-f", "master")
    reformat = run("log", "-1", "--format=%H", "--author=reformat-bot")
    with open(os.path.join(directory, ".git-blame-ignore-revs"), "w") as out:
        out.write(f"# Reformat all tests\n{reformat}\n")
    with open(os.path.join(directory, ".mailmap"), "w") as out:
        for name, email in PEOPLE:
            if email in OLD_ADDRESSES:
                out.write(f"{name} <{email}> <{OLD_ADDRESSES[email]}>\n")
    run("add", ".git-blame-ignore-revs", ".mailmap")
    run("-c", f"user.name={PEOPLE[0][0]}", "-c", f"user.email={PEOPLE[0][1]}",
        "commit", "-q", "-m", "Add blame ignore list and mailmap")
    ids = []
    for path, test in sorted(tests.items()):
        ids += pytest_ids(path, test.text())
    with open(os.path.abspath(directory).rstrip("/") + ".ids.tsv", "w") as out:
        out.write("".join(f"{i}\t{a}\t{b}\n" for i, a, b in ids))
    print(f"{directory}: {git.mark + 1} commits, {len(tests)} test files, {len(ids)} test ids")


def pytest_ids(path, source):
    """Pytest ids defined directly in `source`, with their ast line ranges."""
    found = []

    def visit(nodes, prefix):
        for node in nodes:
            if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                visit(node.body, prefix + node.name + "::")
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
                first = min([node.lineno] + [d.lineno for d in node.decorator_list])
                found.append((path + "::" + prefix + node.name, first, node.end_lineno))

    visit(ast.parse(source).body, "")
    return found


def big(directory, count):
    git = FastImport(directory, 1_600_000_000)
    for number in range(1, count + 1):
        git.commit("refs/heads/master", [number - 1] if number > 1 else [],
                   [("M", f"pkg{number % 50}/mod{number % 13}.py", f"x = {number}\n")],
                   (f"Dev {number % 7}", f"dev{number % 7}@example.com"), f"change {number}", 60)
    behind = git.commit("refs/heads/behind", [count // 2], [("M", "feature.py", "y = 1\n")],
                        ("Dev 1", "dev1@example.com"), "feature work", 60)
    git.commit("refs/heads/fresh", [behind, count], [("M", "feature.py", "y = 2\n")],
               ("Dev 1", "dev1@example.com"), "Merge master", 60)
    git.finish()
    subprocess.run(["git", "-C", directory, "checkout", "-q", "-f", "master"], check=True)
    print(f"{directory}: {count + 2} commits")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    one = sub.add_parser("history")
    one.add_argument("dir")
    one.add_argument("--commits", type=int, default=20_000)
    one.add_argument("--seed", type=int, default=1)
    one.add_argument("--test-files", type=int, default=40)
    two = sub.add_parser("big")
    two.add_argument("dir")
    two.add_argument("count", type=int)
    args = parser.parse_args()
    if os.path.exists(args.dir):
        sys.exit(f"{args.dir} already exists")
    if args.mode == "history":
        history(args.dir, args.commits, args.seed, args.test_files)
    else:
        big(args.dir, args.count)


if __name__ == "__main__":
    main()
