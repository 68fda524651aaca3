#!/usr/bin/env python3
"""Summarise a bench/run guest log: medians, ratios to the default scheduler, BPF callback costs."""
import statistics, sys
rows, costs = {}, {}
for line in open(sys.argv[1], errors='replace'):
    f = line.split()
    if len(f) == 5 and f[0] == 'BENCH':
        try:
            rows.setdefault((f[3], f[1]), []).append(float(f[4]))
        except ValueError:
            pass
    elif len(f) >= 5 and f[0] == 'BPFSTAT':
        kv = dict(x.split('=') for x in f[3:] if '=' in x)
        costs[(f[1], f[2])] = (int(kv['runs']), float(kv['mean_ns']), int(kv.get('insns', 0)))
metrics = sorted({m for m, _ in rows})
scheds = ['default'] + sorted({s for _, s in rows if s != 'default'})
better = {'hackbench_s': 'lower', 'messaging_s': 'lower', 'stressng_bogo_ops_s': 'higher',
          'build_s': 'lower', 'build_migrations': 'lower'}
print(f"{'metric':22} {'scheduler':28} {'n':>3} {'median':>12} {'min':>10} {'max':>10} {'vs default':>11}")
for m in metrics:
    base = statistics.median(rows.get((m, 'default'), [float('nan')]))
    for s in scheds:
        v = rows.get((m, s))
        if not v:
            continue
        med = statistics.median(v)
        ratio = med / base if base else float('nan')
        print(f"{m:22} {s:28} {len(v):3d} {med:12.3f} {min(v):10.3f} {max(v):10.3f} {ratio:10.3f}x")
    print(f"{'':22} ({better.get(m, '?')} is better)")
if costs:
    print()
    print(f"{'scheduler':28} {'callback':18} {'runs':>10} {'mean ns':>9} {'insns':>6}")
    for (s, p), (runs, ns, insns) in sorted(costs.items()):
        print(f"{s:28} {p:18} {runs:10d} {ns:9.0f} {insns:6d}")
