#!/usr/bin/env python3
# check-docs.py
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The core's public headers are what the window, sesamectl and the server
# build on, and a maintainer reads them without the core's source at hand.
# A function added without its gtk-doc comment, or a parameter added to a
# documented one, goes unnoticed in review; so does a header that sesame.h
# forgets, or a declaration left behind when its function was removed or
# renamed. This test reads every public header of src/libsesame and
# src/libsesame-demo (every .h but *-private.h), lists the functions they
# declare and fails, naming the header and line, on each:
#
#  - without a gtk-doc comment ("/**\n * name:") in the .c files beside it;
#  - whose comment omits one of its parameters (by the header's names),
#    documents one it does not take, has no sentence saying what the
#    function does, says nothing under "Returns:" of what it returns, or
#    returns an owned pointer without saying who owns it ("(transfer …)");
#  - that no .c file defines, by code or by a G_DEFINE_* macro;
#
# on each type (enum, struct, callback, GObject class) without a gtk-doc
# comment in the header or the .c files, or whose comment omits one of its
# values, fields or parameters, or has no sentence saying what it is;
#
# on each public header of src/libsesame that sesame.h does not include;
# and on each *-private.h without the #error guard that keeps the window
# and sesamectl out of it.
# Functions named *_get_type are checked for a definition only: gtk-doc
# documents the type, not its get_type().
#
# Usage: check-docs.py SOURCE_ROOT
#        check-docs.py --self-test

import os
import re
import sys
import tempfile

# Headers whose documentation is being written on other branches while
# their files are split. Their functions are checked for a definition and
# for sesame.h, not yet for their comments. Empty this list when those
# branches are merged: every public header is then checked in full.
EXEMPT_FROM_DOCS_UNTIL_MERGED = []

# The libraries whose headers are public: each is checked against its own
# .c files. sesame.h is the umbrella header of the core alone; the demo
# directory writer has its own single header.
LIBRARIES = [
    ("src/libsesame", "sesame.h"),
    ("src/libsesame-demo", None),
]

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
DEFINE_MACROS = {
    # macro: (index of the prefix argument, suffix of what it defines)
    "G_DEFINE_QUARK": (1, "_quark"),
    "G_DEFINE_TYPE": (1, "_get_type"),
    "G_DEFINE_FINAL_TYPE": (1, "_get_type"),
    "G_DEFINE_TYPE_WITH_PRIVATE": (1, "_get_type"),
    "G_DEFINE_TYPE_WITH_CODE": (1, "_get_type"),
    "G_DEFINE_FINAL_TYPE_WITH_CODE": (1, "_get_type"),
    "G_DEFINE_FINAL_TYPE_WITH_PRIVATE": (1, "_get_type"),
    "G_DEFINE_ABSTRACT_TYPE": (1, "_get_type"),
    "G_DEFINE_ABSTRACT_TYPE_WITH_CODE": (1, "_get_type"),
    "G_DEFINE_BOXED_TYPE": (1, "_get_type"),
    "G_DEFINE_BOXED_TYPE_WITH_CODE": (1, "_get_type"),
    "G_DEFINE_ENUM_TYPE": (1, "_get_type"),
    "G_DEFINE_FLAGS_TYPE": (1, "_get_type"),
    "G_DEFINE_INTERFACE": (1, "_get_type"),
}


def strip_comments(text):
    """Blank out comments and string contents, keeping every newline so
    that offsets still give line numbers."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(" " * (end - i))
            i = end
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j - 1]) + c)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def strip_preprocessor(text):
    """Blank out preprocessor lines (with their continuations), keeping
    their length so that offsets still give line numbers."""
    lines = text.split("\n")
    out = []
    inside = False
    for line in lines:
        if inside or line.lstrip().startswith("#"):
            inside = line.rstrip().endswith("\\")
            out.append(" " * len(line))
        else:
            out.append(line)
    return "\n".join(out)


def closing_paren(text, start):
    """The index just after the parenthesis that closes the one at start."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def split_top(text, sep):
    parts, depth, last = [], 0, 0
    for i, c in enumerate(text):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == sep and depth == 0:
            parts.append(text[last:i])
            last = i + 1
    parts.append(text[last:])
    return parts


def parameter_names(params):
    """The names of a declaration's parameters: [] for (void), "..." for
    a variadic function."""
    params = " ".join(params.split())
    if params in ("", "void"):
        return []
    names = []
    for param in split_top(params, ","):
        param = param.strip()
        if param == "...":
            names.append("...")
            continue
        m = re.search(r"\(\s*\*\s*(" + IDENT + r")\s*\)", param)  # a function pointer
        if m:
            names.append(m.group(1))
            continue
        param = re.sub(r"\[[^\]]*\]\s*$", "", param).strip()
        m = re.search(r"(" + IDENT + r")\s*$", param)
        names.append(m.group(1) if m else param)
    return names


def declarations(path):
    """Yield (line, name, parameter names, returns something) for each
    function a header declares."""
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    text = strip_preprocessor(strip_comments(raw))
    # Macros that declare by themselves and take no semicolon.
    text = re.sub(r"\b(G_BEGIN_DECLS|G_END_DECLS)\b",
                  lambda m: " " * len(m.group(0)), text)
    text = re.sub(r"\b(G_DECLARE_\w+|G_DEFINE_AUTOPTR_CLEANUP_FUNC|G_DEFINE_AUTO_CLEANUP_\w+)\s*\([^()]*\)\s*;?",
                  lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    offset = 0
    for statement in split_top(text, ";"):
        start = offset
        offset += len(statement) + 1
        body = statement.strip()
        if not body or "{" in body:
            continue  # a struct, union or enum
        if re.match(r"(typedef|extern\s+\"C\"|struct|union|enum)\b", body):
            continue
        m = re.search(r"\b(" + IDENT + r")\s*\(", body)
        if not m or m.group(1).isupper():
            continue
        name = m.group(1)
        if m.group(1) in ("G_GNUC_CONST",):
            continue
        params_start = body.index("(", m.start())
        params_end = closing_paren(body, params_start)
        returns = body[:m.start()]
        returns = re.sub(r"\b(G_GNUC_\w+|G_DEPRECATED\w*|extern|static|inline|const)\b", " ", returns)
        gives = returns.strip() != "void" or "*" in returns
        owned = "*" in returns and not re.search(r"\bconst\b", body[:m.start()])
        line = raw.count("\n", 0, start + (len(statement) - len(statement.lstrip())) + m.start()) + 1
        yield line, name, parameter_names(body[params_start + 1:params_end - 1]), gives, owned


def types(path):
    """Yield (line, name, members, returns something) for each type a
    header declares: an enum's values, a struct's fields, a callback's
    parameters; an opaque struct or a GObject class has no members."""
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    text = strip_preprocessor(strip_comments(raw))
    line_of = lambda offset: raw.count("\n", 0, offset) + 1
    for m in re.finditer(r"\bG_DECLARE_\w+\s*\(\s*(" + IDENT + r")", text):
        yield line_of(m.start()), m.group(1), [], False
    for m in re.finditer(r"\btypedef\s+(enum|struct|union)\s*(" + IDENT + r")?\s*\{", text):
        body_end = text.index("}", m.end())
        body = text[m.end():body_end]
        name = re.match(r"\}\s*(" + IDENT + r")", text[body_end:]).group(1)
        if m.group(1) == "enum":
            members = [re.match(r"\s*(" + IDENT + r")", v).group(1)
                       for v in body.split(",") if v.strip()]
        else:
            members = []
            for field in body.split(";"):
                field = re.sub(r"\[[^\]]*\]|:\s*\d+", "", field).strip()
                if field:
                    members += [re.search(r"(" + IDENT + r")\s*$", f).group(1)
                                for f in split_top(field, ",")]
        yield line_of(m.start()), name, members, False
    for m in re.finditer(r"\btypedef\s+struct\s+" + IDENT + r"\s+(" + IDENT + r")\s*;", text):
        yield line_of(m.start()), m.group(1), [], False
    for m in re.finditer(r"\btypedef\s+([^;(]*?)\(\s*\*\s*(" + IDENT + r")\s*\)\s*\(", text):
        start = text.index("(", m.end() - 1)
        params = text[start + 1:closing_paren(text, start) - 1]
        returns = m.group(1)
        gives = returns.strip() != "void" or "*" in returns
        yield line_of(m.start()), m.group(2), parameter_names(params), gives


DOC_BLOCK = re.compile(r"/\*\*\s*\n\s*\*\s*(" + IDENT + r"):[ \t]*(?:\([^\n]*\))?[ \t]*\n(.*?)\*/", re.S)


def doc_comments(paths):
    """name → (path, line, documented parameters, has a Returns: section)."""
    docs = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for m in DOC_BLOCK.finditer(text):
            body = m.group(2)
            params = re.findall(r"^\s*\*\s*@(" + IDENT + r"|\.\.\.)\s*:", body, re.M)
            section = re.search(r"^\s*\*\s*Returns\s*:(.*?)(?=^\s*\*\s*(?:Since|Deprecated)\s*:|\Z)",
                                body, re.M | re.S)
            returns = section.group(1) if section and section.group(1).strip() else None
            # The sentence saying what it does: a line that is neither a
            # parameter, its continuation, nor a section.
            sentence = any(re.match(r"\s*\*[ ]\S", l) and
                           not re.match(r"\s*\*\s*(@|Returns\s*:|Since\s*:|Deprecated\s*:)", l)
                           for l in body.split("\n"))
            line = text.count("\n", 0, m.start()) + 1
            docs[m.group(1)] = (path, line, params, returns, sentence)
    return docs


def definitions(paths):
    """The names of the functions the .c files define, by code or macro."""
    defined = set()
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = strip_preprocessor(strip_comments(f.read()))
        for m in re.finditer(r"\b(" + IDENT + r")\s*\(", text):
            name = m.group(1)
            end = closing_paren(text, text.index("(", m.start()))
            rest = text[end:end + 200]
            if name in DEFINE_MACROS:
                args = [a.strip() for a in split_top(text[text.index("(", m.start()) + 1:end - 1], ",")]
                index, suffix = DEFINE_MACROS[name]
                if len(args) > index:
                    defined.add(args[index] + suffix)
            elif re.match(r"\s*(G_GNUC_\w+\s*(\([^()]*\))?\s*)*\{", rest):
                defined.add(name)
    return defined


def check(root, exempt=None):
    exempt = EXEMPT_FROM_DOCS_UNTIL_MERGED if exempt is None else exempt
    problems = []
    counted = 0
    counted_types = 0
    for library, umbrella in LIBRARIES:
        base = os.path.join(root, library)
        if not os.path.isdir(base):
            continue
        headers, sources = [], []
        for dirpath, dirnames, names in os.walk(base):
            dirnames.sort()
            for name in sorted(names):
                path = os.path.join(dirpath, name)
                if name.endswith("-private.h"):
                    with open(path, encoding="utf-8") as f:
                        text = f.read()
                    if not re.search(r"^#\s*if\s+!\s*defined\s*\(?\s*SESAME_COMPILATION\b[^\n]*\n#\s*error\b",
                                     text, re.M):
                        problems.append(f"{os.path.relpath(path, root)}: a private header without "
                                        "the guard that stops code outside the core: add "
                                        "'#if !defined (SESAME_COMPILATION)' and an #error")
                if name.endswith(".c"):
                    sources.append(path)
                elif name.endswith(".h") and not name.endswith("-private.h") and name != umbrella:
                    headers.append(path)
        docs = doc_comments(sources)
        type_docs = doc_comments(sources + headers)
        defined = definitions(sources)

        if umbrella:
            with open(os.path.join(base, umbrella), encoding="utf-8") as f:
                included = set(os.path.basename(i) for i in
                               re.findall(r'^\s*#\s*include\s+"([^"]+)"', f.read(), re.M))
            for header in headers:
                if os.path.basename(header) not in included:
                    problems.append(f"{os.path.relpath(header, root)}: a public header that "
                                    f"{library}/{umbrella} does not include: include it there, "
                                    "or name it *-private.h if it is for the core alone")

        for header in headers:
            relative = os.path.relpath(header, root)
            if relative in exempt:
                continue
            for line, name, members, gives in types(header):
                counted_types += 1
                where = f"{relative}:{line}: the type {name}"
                if name not in type_docs:
                    problems.append(f"{where} has no gtk-doc comment (/**\\n * {name}:) "
                                    f"in the header or the .c files of {library}")
                    continue
                doc_path, doc_line, documented, returns, sentence = type_docs[name]
                doc_where = f"{os.path.relpath(doc_path, root)}:{doc_line}"
                for p in members:
                    if p not in documented:
                        problems.append(f"{where}: its comment at {doc_where} omits @{p}")
                if not sentence:
                    problems.append(f"{where}: its comment at {doc_where} has no sentence "
                                    "saying what it is")
                if gives and not returns:
                    problems.append(f"{where}: its comment at {doc_where} says nothing under "
                                    "Returns: of what the callback returns")

        for header in headers:
            relative = os.path.relpath(header, root)
            for line, name, params, gives, owned in declarations(header):
                counted += 1
                where = f"{relative}:{line}: {name}()"
                if name not in defined:
                    problems.append(f"{where} is declared but no .c file of {library} defines it: "
                                    "define it or remove the declaration")
                    continue
                if name.endswith("_get_type") or relative in exempt:
                    continue
                if name not in docs:
                    problems.append(f"{where} has no gtk-doc comment (/**\\n * {name}:) "
                                    f"in the .c files of {library}")
                    continue
                doc_path, doc_line, documented, returns, sentence = docs[name]
                doc_where = f"{os.path.relpath(doc_path, root)}:{doc_line}"
                for p in params:
                    if p not in documented:
                        problems.append(f"{where}: its comment at {doc_where} omits the "
                                        f"parameter @{p}")
                for p in documented:
                    if p not in params:
                        problems.append(f"{where}: its comment at {doc_where} documents @{p}, "
                                        "which the function does not take")
                if not sentence:
                    problems.append(f"{where}: its comment at {doc_where} has no sentence "
                                    "saying what the function does")
                if gives and not returns:
                    problems.append(f"{where}: its comment at {doc_where} says nothing under "
                                    "Returns: of what the function returns")
                elif owned and "(transfer" not in returns:
                    problems.append(f"{where}: its comment at {doc_where} does not say who owns "
                                    "what it returns: annotate Returns: with (transfer full) or "
                                    "(transfer none)")
    return counted, counted_types, problems


def self_test():
    """Runs the check on a small tree made for it, where each kind of
    problem occurs once, and on the same tree put right."""
    files = {
        "src/libsesame/sesame.h": '#include "sesame-good.h"\n#include "sesame-bad.h"\n',
        "src/libsesame/sesame-good.h":
            "#pragma once\n"
            "#define SESAME_GOOD_A_MACRO \\\n"
            "  (1)\n"
            "G_BEGIN_DECLS\n"
            "G_DECLARE_FINAL_TYPE (SesameGood, sesame_good, SESAME, GOOD, GObject)\n"
            "typedef void (*SesameGoodFunc) (gpointer user_data);\n"
            "typedef struct { int a; } SesameGoodThing;\n"
            "GType sesame_good_thing_get_type (void) G_GNUC_CONST;\n"
            "gboolean sesame_good_run (SesameGood     *self,\n"
            "                          SesameGoodFunc  func,\n"
            "                          void          (*notify) (gpointer data),\n"
            "                          GError        **error);\n"
            "void sesame_good_log (const char *format,\n"
            "                      ...) G_GNUC_PRINTF (1, 2);\n"
            "GQuark sesame_good_error_quark (void);\n"
            "G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameGoodThing, g_free)\n"
            "G_END_DECLS\n",
        "src/libsesame/sesame-good.c":
            "G_DEFINE_FINAL_TYPE (SesameGood, sesame_good, G_TYPE_OBJECT)\n"
            "G_DEFINE_BOXED_TYPE (SesameGoodThing, sesame_good_thing, copy, g_free)\n"
            "G_DEFINE_QUARK (sesame-good-error-quark, sesame_good_error)\n"
            "/**\n * sesame_good_run:\n * @self: a good\n * @func: (scope call): called\n"
            " * @notify: (nullable): called at the end\n * @error: return location\n *\n"
            " * Runs.\n *\n * Returns: %TRUE when it ran\n */\n"
            "gboolean\nsesame_good_run (SesameGood *self, SesameGoodFunc func,\n"
            "                 void (*notify) (gpointer data), GError **error)\n{\n  return TRUE;\n}\n"
            "/**\n * sesame_good_log:\n * @format: a printf() format\n * @...: its arguments\n *\n"
            " * Logs.\n */\nvoid\nsesame_good_log (const char *format, ...)\n{\n}\n"
            "/**\n * sesame_good_error_quark:\n *\n * The error domain.\n *\n"
            " * Returns: the quark\n */\n"
            "/**\n * SesameGood:\n *\n * A good object.\n */\n"
            "/**\n * SesameGoodFunc:\n * @user_data: data\n *\n * Called.\n */\n"
            "/**\n * SesameGoodThing:\n * @a: a number\n *\n * A thing.\n */\n",
        "src/libsesame/sesame-bad.h":
            "int sesame_bad_undocumented (int a);\n"
            "int sesame_bad_omits (int a,\n"
            "                      int b);\n"
            "void sesame_bad_stale (int a);\n"
            "char *sesame_bad_no_returns (void);\n"
            "void sesame_bad_gone (void);\n"
            "void sesame_bad_silent (int a);\n"
            "char *sesame_bad_owner (void);\n"
            "/**\n * SesameBadKind:\n * @SESAME_BAD_ONE: one\n *\n * Kinds.\n */\n"
            "typedef enum { SESAME_BAD_ONE = 1, SESAME_BAD_TWO } SesameBadKind;\n"
            "typedef struct _SesameBadOpaque SesameBadOpaque;\n"
            "/**\n * SesameBadFunc:\n * @data: data\n *\n * Called.\n */\n"
            "typedef gboolean (*SesameBadFunc) (gpointer data);\n"
            "G_DECLARE_FINAL_TYPE (SesameBadObject, sesame_bad_object, SESAME, BAD_OBJECT, GObject)\n",
        "src/libsesame/sesame-bad.c":
            "int sesame_bad_undocumented (int a) { return a; }\n"
            "/**\n * sesame_bad_omits:\n * @a: one\n *\n * Omits.\n *\n * Returns: a\n */\n"
            "int sesame_bad_omits (int a, int b) { return a; }\n"
            "/**\n * sesame_bad_stale:\n * @a: one\n * @b: a parameter it lost\n *\n * Stale.\n */\n"
            "void sesame_bad_stale (int a) { }\n"
            "/**\n * sesame_bad_no_returns:\n *\n * Makes a string.\n */\n"
            "char *sesame_bad_no_returns (void) { return NULL; }\n"
            "/**\n * sesame_bad_silent:\n * @a: one, and a long line\n *   that goes on\n */\n"
            "void sesame_bad_silent (int a) { }\n"
            "/**\n * sesame_bad_owner:\n *\n * Makes a string.\n *\n * Returns: a string\n */\n"
            "char *sesame_bad_owner (void) { return NULL; }\n",
        "src/libsesame/store/sesame-forgotten.h":
            "#pragma once\n#define SESAME_FORGOTTEN \\\n  (1)\nvoid sesame_forgotten (void);\n",
        "src/libsesame/store/sesame-forgotten.c": "void\nsesame_forgotten (void)\n{\n}\n",
        "src/libsesame/store/sesame-forgotten-private.h":
            "#pragma once\n\n#if !defined (SESAME_COMPILATION)\n# error \"private\"\n#endif\n\n"
            "void sesame_forgotten_inside (void);\n",
        "src/libsesame/sesame-open-private.h": "#pragma once\nvoid sesame_open_inside (void);\n",
    }
    expected = [
        "src/libsesame/store/sesame-forgotten.h: a public header that src/libsesame/sesame.h does not include",
        "sesame-bad.h:1: sesame_bad_undocumented() has no gtk-doc comment",
        "sesame-bad.h:2: sesame_bad_omits(): its comment at src/libsesame/sesame-bad.c:2 omits the parameter @b",
        "sesame-bad.h:4: sesame_bad_stale(): its comment at src/libsesame/sesame-bad.c:11 documents @b",
        "sesame-bad.h:5: sesame_bad_no_returns(): its comment at src/libsesame/sesame-bad.c:19 says nothing under Returns:",
        "sesame-bad.h:7: sesame_bad_silent(): its comment at src/libsesame/sesame-bad.c:25 has no sentence",
        "sesame-bad.h:8: sesame_bad_owner(): its comment at src/libsesame/sesame-bad.c:31 does not say who owns",
        "sesame-bad.h:15: the type SesameBadKind: its comment at src/libsesame/sesame-bad.h:9 omits @SESAME_BAD_TWO",
        "sesame-bad.h:16: the type SesameBadOpaque has no gtk-doc comment",
        "sesame-bad.h:23: the type SesameBadFunc: its comment at src/libsesame/sesame-bad.h:17 says nothing under Returns:",
        "sesame-bad.h:24: the type SesameBadObject has no gtk-doc comment",
        "sesame-bad.h:6: sesame_bad_gone() is declared but no .c file of src/libsesame defines it",
        "store/sesame-forgotten.h:4: sesame_forgotten() has no gtk-doc comment",
        "src/libsesame/sesame-open-private.h: a private header without the guard",
    ]
    failures = 0
    with tempfile.TemporaryDirectory() as root:
        for name, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(root, name)), exist_ok=True)
            with open(os.path.join(root, name), "w", encoding="utf-8") as f:
                f.write(text)
        counted, _, problems = check(root, exempt=[])
        for e in expected:
            hits = [p for p in problems if e in p]
            if len(hits) != 1:
                print(f"not ok: expected one problem saying «{e}», found {len(hits)}")
                failures += 1
        if len(problems) != len(expected):
            print(f"not ok: {len(problems)} problems, expected {len(expected)}:")
            for p in problems:
                print("  " + p)
            failures += 1
        if counted != 12:
            print(f"not ok: {counted} declarations read, expected 12")
            failures += 1

        # Put right: the exempted header is checked for definitions only.
        os.remove(os.path.join(root, "src/libsesame/sesame-bad.h"))
        os.remove(os.path.join(root, "src/libsesame/sesame-open-private.h"))
        with open(os.path.join(root, "src/libsesame/sesame.h"), "a", encoding="utf-8") as f:
            f.write('#include "sesame-forgotten.h"\n')
        counted, _, problems = check(root, exempt=["src/libsesame/store/sesame-forgotten.h"])
        if problems or counted != 5:
            print(f"not ok: the tree put right still has {len(problems)} problems, "
                  f"{counted} declarations:")
            for p in problems:
                print("  " + p)
            failures += 1
    print("self-test: " + ("failed" if failures else "every kind of problem found, and only those"))
    return 1 if failures else 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    counted, counted_types, problems = check(root)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) in the public headers' documentation")
        return 1
    exempt = len(EXEMPT_FROM_DOCS_UNTIL_MERGED)
    print(f"{counted} public functions declared and defined, they and {counted_types} types documented"
          + (f" ({exempt} headers exempted from the comments until merged)" if exempt else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
