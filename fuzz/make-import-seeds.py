#!/usr/bin/env python3
# make-import-seeds.py — writes the seed corpus of the import fuzz target
# (fuzz/corpus/import/) from the AAF fixtures in tests/data/aaf.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# An input of fuzz-import.c is AAF files separated by "\f\f", each preceded
# by one byte that picks its name; '0'…'7' are the entries of file_names[]
# in that file, in order. Run it again after changing the fixtures.
import pathlib
import re

top = pathlib.Path(__file__).resolve().parent.parent
fixtures = top / 'tests' / 'data' / 'aaf'
out = top / 'fuzz' / 'corpus' / 'import'

def selector(name):
    if '_Delta_' in name:
        return b'5'
    if name.startswith('FULL_') or name.startswith('clean-FULL_'):
        if '_Eleve_' in name:
            return b'6'
    for kind, byte in (('EtabEducNat', b'0'), ('MatiereEducNat', b'1'), ('PersEducNat', b'2'),
                       ('PersRelEleve', b'3'), ('Eleve', b'4')):
        if re.search('_' + kind + r'_\d{4}\.xml$', name):
            return byte
    return b'7'

order = ['EtabEducNat', 'MatiereEducNat', 'PersEducNat', 'PersRelEleve', 'Eleve']

def rank(path):
    for i, kind in enumerate(order):
        if '_' + kind + '_' in path.name:
            return i
    return len(order)

def seed(paths):
    return b'\f\f'.join(selector(p.name) + p.read_bytes() for p in paths)

out.mkdir(parents=True, exist_ok=True)
for old in out.glob('*'):
    old.unlink()

for path in sorted(fixtures.rglob('*.xml')):
    rel = path.relative_to(fixtures)
    (out / ('file-' + '-'.join(rel.parts))).write_bytes(seed([path]))

for folder in sorted(p for p in fixtures.iterdir() if p.is_dir() and p.name != 'quirks'):
    files = sorted(folder.glob('*.xml'), key=lambda p: (rank(p), p.name))
    (out / ('set-' + folder.name)).write_bytes(seed(files))

# A complete export then a later one and a delta: departures and updates.
college = sorted((fixtures / 'college').glob('*.xml'), key=lambda p: (rank(p), p.name))
later = sorted((fixtures / 'college-later').glob('*.xml'), key=lambda p: (rank(p), p.name))
delta = sorted((fixtures / 'college-delta').glob('*.xml'))
(out / 'set-college-later-delta').write_bytes(seed(college[:2] + later + delta))
