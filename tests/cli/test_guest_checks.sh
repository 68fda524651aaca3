#!/usr/bin/env bash
# The guest tests' `check NAME COMMAND...` runs COMMAND alone: a `&&`, `||`,
# `|` or `;` outside quotes ends the check there, and what follows is run
# but never checked (a test that passes without testing its claim). Every
# check line in tests/vm must keep its whole condition in one command
# (sh -c "...", awk, a function). Prints a line a finding and
# "N passed, N failed" (a file a test).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
python3 - "$top"/tests/vm/*.sh <<'PY'
import shlex, sys

passed = failed = 0
for path in sys.argv[1:]:
    text = open(path).read().replace('\\\n', ' ')
    bad = []
    for n, line in enumerate(text.split('\n'), 1):
        s = line.strip()
        if not s.startswith('check '):
            continue
        lex = shlex.shlex(s, posix=True, punctuation_chars=True)
        lex.whitespace_split = True
        try:
            toks = list(lex)
        except ValueError:
            continue
        ops = [t for t in toks[2:] if t in ('&&', '||', '|', ';', '&')]
        if ops:
            bad.append(f'{path}: check line {n}: "{ops[0]}" outside quotes ends the check: {s[:100]}')
    if bad:
        failed += 1
        print('not ok - ' + path.split('/')[-1])
        for b in bad:
            print('#   ' + b)
    else:
        passed += 1
        print('ok - ' + path.split('/')[-1])
print(f'{passed} passed, {failed} failed')
PY
