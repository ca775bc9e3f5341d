"""Pytest ids with their line ranges as Python's ast reports them, read from a git revision.

Shared by scripts/parity and scripts/bench: both pick ids from any repository this way.
"""
import ast
import os
import random
import subprocess
import warnings


def test_files(repo, rev):
    """Paths of the test modules (test*.py) at `rev`, sorted."""
    names = subprocess.run(["git", "-C", repo, "ls-tree", "-r", "--name-only", "-z", rev],
                           check=True, capture_output=True, text=True).stdout.split("\0")
    return sorted(n for n in names if n.endswith(".py") and os.path.basename(n).startswith("test"))


def test_ids(repo, rev, path):
    """[(id, start, end)] of the tests in one module: test functions, and test methods of Test*
    classes and unittest.TestCase subclasses, from the first decorator to the last line, the last
    definition of a name winning, as pytest collects them."""
    source = subprocess.run(["git", "-C", repo, "show", f"{rev}:{path}"], capture_output=True).stdout
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []

    def span(node):
        return min([node.lineno] + [d.lineno for d in node.decorator_list]), node.end_lineno

    found = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            found[f"{path}::{node.name}"] = span(node)
        elif isinstance(node, ast.ClassDef) and (node.name.startswith("Test") or any(
                (getattr(base, "attr", None) or getattr(base, "id", "")).endswith("TestCase") for base in node.bases)):
            for child in node.body:
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) and child.name.startswith("test"):
                    found[f"{path}::{node.name}::{child.name}"] = span(child)
    return [(key, *value) for key, value in found.items()]


def sample_ids(repo, rev, count, seed, max_files=None):
    """`count` ids drawn (seeded) from at most `max_files` test modules (all when None)."""
    rng = random.Random(seed)
    files = test_files(repo, rev)
    rng.shuffle(files)
    candidates, used = [], 0
    for path in files:
        found = test_ids(repo, rev, path)
        if not found:
            continue
        candidates += found
        used += 1
        if (max_files and used >= max_files) or (not max_files and len(candidates) >= count * 3):
            break
    return rng.sample(candidates, min(count, len(candidates)))
