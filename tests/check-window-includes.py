#!/usr/bin/env python3
# check-window-includes.py
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The window's files depend one way too: the application and the main
# window sit on top and put together the pages, dialogs and print code
# below them, handing them the store and the desk's settings. Nothing
# below includes the application's or the window's header: a page that
# wants a toast activates the window's "win.toast" action, the print code
# receives its settings from its caller. An include of sesame-window.h in
# a helper, or of sesame-application.h in the print code, is one line in
# a long change and ties the whole window into a circle again; this test
# reads every #include line of src/sesame and fails on each such one,
# naming the file and the line.
#
# Usage: check-window-includes.py SOURCE_ROOT

import os
import re
import sys

# The top: the only files that may include the top's headers.
TOP_FILES = {
    "main.c",
    "sesame-application.c",
    "sesame-application.h",
    "sesame-window.c",
    "sesame-window.h",
    "sesame-window-actions.c",
    "sesame-window-private.h",
}
TOP_HEADERS = {
    "sesame-application.h",
    "sesame-window.h",
    "sesame-window-private.h",
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    window = os.path.join(root, "src", "sesame")
    problems = []
    n_files = 0
    for name in sorted(os.listdir(window)):
        if not name.endswith((".c", ".h")):
            continue
        n_files += 1
        if name in TOP_FILES:
            continue
        path = os.path.join(window, name)
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if m and os.path.basename(m.group(1)) in TOP_HEADERS:
                    problems.append(f"{os.path.relpath(path, root)}:{number}: includes {m.group(1)}: "
                                    "only the application and the main window may; hand the page "
                                    "what it needs, or let it activate an action the window handles")
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} include(s) of the window's top from below it")
        return 1
    print(f"{n_files} files of the window, none below the top includes it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
