#!/usr/bin/env python3
"""Summarise a bench/run guest log: medians, ratios to the default scheduler, BPF callback costs.

usage: report.py LOG [REPS] [--lower M,M] [--higher M,M]

--lower and --higher name further metrics and which way is better.

A sample the guest could not measure (nan, a workload that failed) is
dropped, not averaged; a row with fewer samples than REPS is marked, and a
scheduler that failed to attach is listed with the repetitions it missed.
"""
import math
import statistics
import sys


def parse(path):
    rows, costs, attach_fail, errors = {}, {}, {}, []
    for line in open(path, errors='replace'):
        f = line.split()
        if len(f) == 5 and f[0] == 'BENCH':
            try:
                v = float(f[4])
            except ValueError:
                v = math.nan
            samples = rows.setdefault((f[3], f[1]), [])
            if not math.isnan(v):
                samples.append(v)
        elif len(f) >= 5 and f[0] == 'BPFSTAT':
            kv = dict(x.split('=') for x in f[3:] if '=' in x)
            costs[(f[1], f[2])] = (int(kv['runs']), float(kv['mean_ns']), int(kv.get('insns', 0)))
        elif len(f) >= 3 and f[0] == 'BENCH-ERROR':
            if f[2:4] == ['did', 'not']:
                attach_fail[f[1]] = attach_fail.get(f[1], 0) + 1
            errors.append(' '.join(f[1:]))
    return rows, costs, attach_fail, errors


def print_costs(costs, base='scx_basic'):
    """Each callback's mean cost, and its ratio to the same callback of @base."""
    print()
    print(f"{'scheduler':28} {'callback':22} {'runs':>10} {'mean ns':>9} {'insns':>6} "
          f"{'vs ' + base:>13}")
    for (s, p), (runs, ns, insns) in sorted(costs.items()):
        b = costs.get((base, p))
        ratio = f"{ns / b[1]:12.2f}x" if b and b[1] > 0 else f"{'n/a':>13}"
        print(f"{s:28} {p:22} {runs:10d} {ns:9.0f} {insns:6d} {ratio}")
    # dispatch's mean includes waiting for work on an idle CPU: left out of the sum
    for s in sorted({s for s, _ in costs}):
        total = sum(r * ns for (t, p), (r, ns, _) in costs.items() if t == s and p != 'tsr_dispatch')
        print(f"{s:28} {'all but dispatch':22} {'':>10} {total / 1e6:8.1f}ms")


def main():
    args, better = [], {'hackbench_s': 'lower', 'messaging_s': 'lower',
                        'stressng_bogo_ops_s': 'higher', 'build_s': 'lower',
                        'build_migrations': 'lower'}
    argv = sys.argv[1:]
    while argv:
        a = argv.pop(0)
        if a in ('--lower', '--higher') and argv:
            better.update({m: a[2:] for m in argv.pop(0).split(',')})
        else:
            args.append(a)
    rows, costs, attach_fail, errors = parse(args[0])
    reps = int(args[1]) if len(args) > 1 else 0
    metrics = sorted({m for m, _ in rows})
    scheds = ['default'] + sorted({s for _, s in rows if s != 'default'} | set(attach_fail))
    print(f"{'metric':22} {'scheduler':28} {'n':>3} {'median':>12} {'min':>10} {'max':>10} "
          f"{'vs default':>11}")
    short = False
    for m in metrics:
        base_v = rows.get((m, 'default'))
        base = statistics.median(base_v) if base_v else None
        for s in scheds:
            v = rows.get((m, s), [])
            if not v:
                print(f"{m:22} {s:28} {0:3d} {'no sample':>12}")
                continue
            med = statistics.median(v)
            ratio = f"{med / base:10.3f}x" if base else f"{'n/a':>11}"
            mark = ''
            if reps and len(v) < reps:
                mark, short = ' *', True
            print(f"{m:22} {s:28} {len(v):3d} {med:12.3f} {min(v):10.3f} {max(v):10.3f} "
                  f"{ratio}{mark}")
        print(f"{'':22} ({better.get(m, '?')} is better)")
    if short:
        print(f"* fewer than the {reps} repetitions asked for: samples were lost (see below)")
    for s, n in sorted(attach_fail.items()):
        print(f"ATTACH FAILED: {s} did not attach in {n} repetition(s)")
    for e in errors:
        print(f"error: {e}")
    if costs:
        print_costs(costs)
    return 1 if attach_fail else 0


if __name__ == '__main__':
    sys.exit(main())
