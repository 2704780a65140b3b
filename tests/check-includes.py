#!/usr/bin/env python3
# check-includes.py
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The core's folders are layers (README.md, "Layout"): a file may include
# headers of its own folder and of the layers below it, never of a layer
# above, nor of a folder at its own level. Reviews miss such an include
# when it is one line in a long change, and a single one is enough to tie
# two domains together again; this test reads every #include line of
# src/libsesame and src/libsesame-demo and fails on each that breaks the
# order, naming the file, the line and the two folders. The demo directory
# writer (src/libsesame-demo) may use the types and the error domain, and
# nothing of the core uses it.
#
# Usage: check-includes.py SOURCE_ROOT

import os
import re
import sys

# Lowest first. Folders in one tuple are siblings: neither includes the
# other. "" is src/libsesame itself (the types, the error domain).
LAYERS = [
    ("",),
    ("store",),
    ("directory", "mail"),
    ("accounts",),
    ("files",),
    ("letters", "import"),
    ("campaigns",),
    ("families",),
    ("sync",),
    ("journal",),
]

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    core = os.path.join(root, "src", "libsesame")
    demo = os.path.join(root, "src", "libsesame-demo")
    rank = {}
    for level, folders in enumerate(LAYERS):
        for folder in folders:
            rank[folder] = level

    # Where each header lives: "store", "mail", … or "demo".
    home = {}
    files = []
    for base, area in ((core, None), (demo, "demo")):
        for dirpath, _, names in os.walk(base):
            folder = area or os.path.relpath(dirpath, base)
            if folder == ".":
                folder = ""
            for name in sorted(names):
                if not name.endswith((".c", ".h")):
                    continue
                path = os.path.join(dirpath, name)
                files.append((path, folder))
                if name.endswith(".h"):
                    if name in home and home[name] != folder:
                        print(f"{path}: {name} also exists in {home[name] or 'src/libsesame'}/")
                        return 1
                    home[name] = folder

    problems = []
    edges = {}
    for path, folder in files:
        if folder != "demo" and folder not in rank:
            problems.append(f"{path}: the folder '{folder}' has no layer: add it to LAYERS "
                            "in tests/check-includes.py and to the README's layout section")
            continue
        name = os.path.basename(path)
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                target = os.path.basename(m.group(1))
                if target not in home:
                    continue
                to = home[target]
                where = f"{os.path.relpath(path, root)}:{number}"
                if name == "sesame.h" and folder == "":
                    continue  # the umbrella header includes every public one
                if folder == to:
                    continue
                if to == "demo":
                    problems.append(f"{where}: includes {target}: the core never uses the "
                                    "demo directory writer (src/libsesame-demo)")
                    continue
                if folder == "demo":
                    if to != "":
                        problems.append(f"{where}: includes {target} of {to}/: the demo directory "
                                        "writer opens no store and uses the core's types alone")
                    continue
                edges.setdefault((folder, to), where)
                if rank[to] > rank[folder]:
                    problems.append(f"{where}: includes {target} of {to}/, a layer above "
                                    f"{folder or 'src/libsesame'}/")
                elif rank[to] == rank[folder]:
                    problems.append(f"{where}: includes {target} of {to}/, a folder beside "
                                    f"{folder or 'src/libsesame'}/ at the same layer")

    for (a, b), where in sorted(edges.items()):
        if (b, a) in edges and a < b:
            problems.append(f"{where} and {edges[(b, a)]}: {a or 'src/libsesame'}/ and "
                            f"{b or 'src/libsesame'}/ include each other")

    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} include(s) against the order of the layers (README.md, Layout)")
        return 1
    print(f"{len(files)} files, {len(edges)} folder dependencies, all downward")
    return 0


if __name__ == "__main__":
    sys.exit(main())
