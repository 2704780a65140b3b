#!/usr/bin/python3
# check-xlsx.py
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Reads an identifier file written as a spreadsheet back, as a secretary's
# spreadsheet would, and checks it against the CSV of the same file: every
# cell a string typed as text, the header styled and frozen, the same cells
# (but for the apostrophe a CSV puts before what a spreadsheet would run).
#
#   check-xlsx.py openpyxl FILE.xlsx SHEET=FILE.csv…
#   check-xlsx.py soffice FILE.xlsx FILE.csv     (first sheet, via LibreOffice)
#
# Exits 0 when all is right, 77 when the reader is missing, 1 otherwise.
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def csv_rows(path):
    with open(path, encoding='utf-8-sig', newline='') as f:
        rows = [line.split(';') for line in f.read().split('\r\n') if line != '']
    # The CSV guards a formula-like cell with an apostrophe; an .xlsx string
    # cell needs none.
    return [[c[1:] if c[:2] in ("'=", "'+", "'-", "'@") else c for c in row] for row in rows]


def check_openpyxl(xlsx, pairs):
    try:
        import openpyxl
    except ImportError:
        sys.exit(77)
    book = openpyxl.load_workbook(xlsx)
    if sorted(book.sheetnames) != sorted(name for name, _ in pairs):
        fail('sheets %s, expected %s' % (book.sheetnames, [n for n, _ in pairs]))
    for name, path in pairs:
        sheet = book[name]
        expected = csv_rows(path)
        if sheet.freeze_panes != 'A2':
            fail('%s: the header is not frozen (%s)' % (name, sheet.freeze_panes))
        rows = list(sheet.iter_rows())
        if len(rows) != len(expected):
            fail('%s: %d rows, expected %d' % (name, len(rows), len(expected)))
        for r, (row, want) in enumerate(zip(rows, expected)):
            values = [c.value if c.value is not None else '' for c in row]
            values += [''] * (len(want) - len(values))
            if values != want:
                fail('%s row %d: %r, expected %r' % (name, r + 1, values, want))
            for c in row:
                if c.value is None:
                    continue
                if c.data_type != 's' or not isinstance(c.value, str):
                    fail('%s %s: not a string (%s %r)' % (name, c.coordinate, c.data_type, c.value))
                if c.number_format != '@':
                    fail('%s %s: not typed as text (%s)' % (name, c.coordinate, c.number_format))
                if r == 0 and not c.font.b:
                    fail('%s %s: the header is not bold' % (name, c.coordinate))
        for letter in 'ABCDEFGHIJKLMNOPQRS':
            width = sheet.column_dimensions[letter].width
            if not width or width < 6:
                fail('%s: column %s has no width' % (name, letter))


def check_soffice(xlsx, path):
    soffice = shutil.which('soffice') or shutil.which('libreoffice')
    if soffice is None:
        sys.exit(77)
    with tempfile.TemporaryDirectory() as tmp:
        profile = 'file://' + os.path.join(tmp, 'profile')
        # A home of its own: the test's may not be writable.
        env = dict(os.environ, HOME=tmp, SAL_USE_VCLPLUGIN='svp')
        for name in ('XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_DATA_HOME', 'XDG_RUNTIME_DIR'):
            env[name] = os.path.join(tmp, name.lower())
            os.mkdir(env[name], 0o700)
        # The tests' fatal warnings would stop LibreOffice at its first
        # GLib warning.
        env.pop('G_DEBUG', None)
        # Separator ";" (59), no text delimiter, UTF-8 (76).
        result = subprocess.run([soffice, '-env:UserInstallation=' + profile, '--headless', '--norestore',
                                 '--convert-to', 'csv:Text - txt - csv (StarCalc):59,,76', '--outdir', tmp, xlsx],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                env=env, timeout=180)
        out = os.path.join(tmp, os.path.splitext(os.path.basename(xlsx))[0] + '.csv')
        if not os.path.exists(out):
            fail('LibreOffice did not convert %s: %s' % (xlsx, result.stdout.decode(errors='replace')))
        with open(out, encoding='utf-8', newline='') as f:
            got = [line.split(';') for line in f.read().splitlines() if line != '']
    want = csv_rows(path)
    if len(got) != len(want):
        fail('LibreOffice read %d rows, expected %d' % (len(got), len(want)))
    for r, (row, expected) in enumerate(zip(got, want)):
        if row != expected:
            fail('LibreOffice row %d: %r, expected %r' % (r + 1, row, expected))


if __name__ == '__main__':
    if len(sys.argv) < 4:
        fail(__doc__ or 'usage: check-xlsx.py openpyxl|soffice FILE.xlsx …')
    if sys.argv[1] == 'openpyxl':
        check_openpyxl(sys.argv[2], [arg.split('=', 1) for arg in sys.argv[3:]])
    elif sys.argv[1] == 'soffice':
        check_soffice(sys.argv[2], sys.argv[3])
    else:
        fail('unknown reader %s' % sys.argv[1])
