#!/usr/bin/env python3
"""Summarise a bench/run guest log: medians, ratios to the default scheduler, BPF callback costs.

usage: report.py LOG [REPS] [--lower M,M] [--higher M,M] [--report DIR] [--title TEXT]
                 [--about TEXT]

--lower and --higher name further metrics and which way is better.
--report DIR also writes a report folder (bench/README.md): summary.md,
samples.csv (every repetition), costs.csv (callbacks under the workloads),
costs-quiet.csv (under a light load alone) and SVG plots drawn by gnuplot.
--title and --about head summary.md (what was run, how; repeatable --about).

A sample the guest could not measure (nan, a workload that failed) is
dropped, not averaged; a row with fewer samples than REPS is marked, and a
scheduler that failed to attach is listed with the repetitions it missed.
"""
import math
import os
import shutil
import statistics
import subprocess
import sys

ICOUNT_NOTE = ('Under instruction-counted emulation (--accel icount) guest time counts the '
               'instructions of all vCPUs together: timings do not show parallel speed-ups. '
               'Compare ratios within one run, not with real hardware.')
QUIET_NOTE = ('a pipe pinned to one CPU, then one on two CPUs, nothing else running: what a '
              'call costs without waiting for another CPU\'s lock (under the workloads the '
              'means move more between runs than the schedulers differ).')
BETTER = {'hackbench_s': 'lower', 'messaging_s': 'lower', 'stressng_bogo_ops_s': 'higher',
          'build_s': 'lower', 'pipe_us_op': 'lower'}
# which way is better for the figures measured beside every workload
BETTER_SUFFIX = {'_migrations': 'lower', '_rq_delay_ms': 'lower', '_busy_cpus': 'higher',
                 '_us': 'lower', '_by_wake': 'lower', '_by_pick': 'lower', '_by_moved': 'lower',
                 '_by_steal': 'lower'}
# sched_ext operations: a program named PREFIX_OP (tsr_enqueue, simple_enqueue)
# is compared with other schedulers' by OP
OPS = ('select_cpu', 'enqueue', 'dequeue', 'dispatch', 'tick', 'runnable', 'running', 'stopping',
       'quiescent', 'yield', 'core_sched_before', 'set_weight', 'set_cpumask', 'update_idle',
       'cpu_acquire', 'cpu_release', 'init_task', 'exit_task', 'enable', 'disable', 'cpu_online',
       'cpu_offline', 'init', 'exit', 'dump', 'dump_cpu', 'dump_task')


def better_of(m, better):
    if m in better:
        return better[m]
    return next((b for sfx, b in BETTER_SUFFIX.items() if m.endswith(sfx)), '?')


def callback(name):
    """The sched_ext operation a program implements, else its own name."""
    return next((op for op in sorted(OPS, key=len, reverse=True)
                 if name == op or name.endswith('_' + op)), name)


def parse(path):
    """rows[(metric, sched)] = [(rep, value)], costs[(sched, prog)] = (runs, ns, insns)
    under the workloads, quiet[...] the same under a light load alone."""
    rows, costs, quiet, attach_fail, errors = {}, {}, {}, {}, []
    for line in open(path, errors='replace'):
        f = line.split()
        if len(f) == 5 and f[0] == 'BENCH':
            try:
                v = float(f[4])
            except ValueError:
                v = math.nan
            samples = rows.setdefault((f[3], f[1]), [])
            if not math.isnan(v):
                samples.append((f[2], v))
        elif len(f) >= 5 and f[0] in ('BPFSTAT', 'BPFQUIET'):
            kv = dict(x.split('=') for x in f[3:] if '=' in x)
            into = costs if f[0] == 'BPFSTAT' else quiet
            into[(f[1], callback(f[2]))] = (int(kv['runs']), float(kv['mean_ns']),
                                            int(kv.get('insns', 0)))
        elif len(f) >= 3 and f[0] == 'BENCH-ERROR':
            if f[2:4] == ['did', 'not']:
                attach_fail[f[1]] = attach_fail.get(f[1], 0) + 1
            errors.append(' '.join(f[1:]))
    return rows, costs, quiet, attach_fail, errors


def summarise(rows, reps, scheds):
    """One entry a metric and scheduler: (metric, sched, n, median, min, max, ratio, short)."""
    out = []
    for m in sorted({m for m, _ in rows}):
        base_v = [v for _, v in rows.get((m, 'default'), [])]
        base = statistics.median(base_v) if base_v else None
        for s in scheds:
            v = [x for _, x in rows.get((m, s), [])]
            if (m, s) not in rows and '_migrated_by_' in m:
                continue  # only tessera schedulers count by kind
            if not v:
                out.append((m, s, 0, None, None, None, None, False))
                continue
            med = statistics.median(v)
            ratio = med / base if base else None
            out.append((m, s, len(v), med, min(v), max(v), ratio, bool(reps and len(v) < reps)))
    return out


def print_table(summary, better, reps):
    print(f"{'metric':22} {'scheduler':28} {'n':>3} {'median':>12} {'min':>10} {'max':>10} "
          f"{'vs default':>11}")
    last = None
    for m, s, n, med, lo, hi, ratio, short in summary:
        if last and m != last:
            print(f"{'':22} ({better_of(last, better)} is better)")
        last = m
        if med is None:
            print(f"{m:22} {s:28} {0:3d} {'no sample':>12}")
            continue
        r = f"{ratio:10.3f}x" if ratio else f"{'n/a':>11}"
        print(f"{m:22} {s:28} {n:3d} {med:12.3f} {lo:10.3f} {hi:10.3f} {r}{' *' if short else ''}")
    if last:
        print(f"{'':22} ({better_of(last, better)} is better)")
    if any(e[7] for e in summary):
        print(f"* fewer than the {reps} repetitions asked for: samples were lost (see below)")
    print(ICOUNT_NOTE)


def cost_base(costs, base='scx_basic'):
    """The scheduler costs are compared with: @base if measured, else the first by name."""
    return base if any(s == base for s, _ in costs) else min(s for s, _ in costs)


def print_costs(costs, title):
    """Each callback's mean cost, and its ratio to the same callback of cost_base()."""
    base = cost_base(costs)
    print()
    print(title)
    print(f"{'scheduler':28} {'callback':22} {'runs':>10} {'mean ns':>9} {'insns':>6} "
          f"{'vs ' + base:>13}")
    for (s, p), (runs, ns, insns) in sorted(costs.items()):
        b = costs.get((base, p))
        ratio = f"{ns / b[1]:12.2f}x" if b and b[1] > 0 else f"{'n/a':>13}"
        print(f"{s:28} {p:22} {runs:10d} {ns:9.0f} {insns:6d} {ratio}")
    for s, total in outside_dispatch(costs).items():
        print(f"{s:28} {'all but dispatch':22} {'':>10} {total / 1e6:8.1f}ms")


def outside_dispatch(costs):
    """BPF time per scheduler over the run, dispatch left out: its mean includes
    waiting for work on an idle CPU."""
    return {s: sum(r * ns for (t, p), (r, ns, _) in costs.items() if t == s and p != 'dispatch')
            for s in sorted({s for s, _ in costs})}


def write_csv(d, rows, costs, quiet):
    with open(os.path.join(d, 'samples.csv'), 'w') as f:
        f.write('metric,scheduler,repetition,value\n')
        for (m, s), samples in sorted(rows.items()):
            for rep, v in samples:
                f.write(f'{m},{s},{rep},{v!r}\n')
    for name, table in [('costs.csv', costs)] + ([('costs-quiet.csv', quiet)] if quiet else []):
        with open(os.path.join(d, name), 'w') as f:
            f.write('scheduler,callback,runs,mean_ns,insns\n')
            for (s, p), (runs, ns, insns) in sorted(table.items()):
                f.write(f'{s},{p},{runs},{ns!r},{insns}\n')


def gp_quote(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def svg_head(path, width, height):
    """gnuplot's first lines: an SVG of that size at @path, names printed as written."""
    return (f'set terminal svg size {width},{height} dynamic font "sans,11"\n'
            f'set termoption noenhanced\nset output {gp_quote(path)}\n')


def bars(data, colour):
    """Plot @data's rows (index, name, median, min, max, label): bars, whiskers, labels."""
    return (f'plot {gp_quote(data)} using 1:3:xtic(2) with boxes lc rgb "{colour}", '
            f"'' using 1:3:4:5 with yerrorbars lc rgb \"black\" ps 0, "
            f"'' using 1:5:6 with labels offset 0,0.8\n")


def metric_plot(d, m, entries, better):
    """m.svg: each scheduler's median as a bar, min-max whiskers, the ratio above."""
    data = os.path.join(d, f'{m}.dat')
    with open(data, 'w') as f:
        for i, (s, med, lo, hi, ratio) in enumerate(entries):
            label = f'{ratio:.3f}x' if ratio else ''
            f.write(f'{i} {gp_quote(s)} {med!r} {lo!r} {hi!r} {gp_quote(label)}\n')
    return svg_head(os.path.join(d, m + '.svg'), 900, 420) + f'''set title {gp_quote(f'{m} ({better_of(m, better)} is better): median, min-max, ratio to default')}
set style fill solid 0.5 border -1
set boxwidth 0.6
set yrange [{'0' if min(e[3] for e in entries) >= 0 else '*'}:*]
set xrange [-0.6:{len(entries) - 0.4}]
set xtics rotate by -20
set grid ytics
unset key
''' + bars(data, '#4477aa')


def costs_plot(d, costs):
    """costs.svg: each callback's mean ns, one bar a scheduler; callbacks run
    fewer than 100 times (init, hotplug) left out, as they would dwarf the rest."""
    scheds = sorted({s for s, _ in costs})
    progs = sorted({p for s, p in costs if max(costs.get((t, p), (0,))[0] for t in scheds) >= 100})
    data = os.path.join(d, 'costs.dat')
    with open(data, 'w') as f:
        f.write('callback ' + ' '.join(gp_quote(s) for s in scheds) + '\n')
        for p in progs:
            f.write(gp_quote(p) + ' ' +
                    ' '.join(repr(costs[(s, p)][1]) if (s, p) in costs else '0' for s in scheds)
                    + '\n')
    cols = ', '.join(f"{gp_quote(data)} using {i + 2}:xtic(1) title columnheader"
                     if i == 0 else f"'' using {i + 2} title columnheader"
                     for i in range(len(scheds)))
    return svg_head(os.path.join(d, 'costs.svg'), 1000, 460) + f'''set title "BPF callbacks run 100 times or more: mean ns a call (kernel run-time statistics, last repetition)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.6 border -1
set xtics rotate by -30
set grid ytics
set key top left
set yrange [0:*]
plot {cols}
'''


def build_plot(d):
    """build.svg: the parallel build's wall time and migrations side by side,
    from the data files metric_plot() wrote for them."""
    parts = [f'set title {gp_quote(m)}\n' + bars(os.path.join(d, f'{m}.dat'), '#228833')
             for m in ('build_s', 'build_migrations')]
    return svg_head(os.path.join(d, 'build.svg'), 1200, 420) + f'''set multiplot layout 1,2 title "parallel build: wall time and migrations (median, min-max)"
set style fill solid 0.5 border -1
set boxwidth 0.6
set xtics rotate by -20
set grid ytics
unset key
{''.join(parts)}unset multiplot
'''


def run_gnuplot(script):
    gp = shutil.which('gnuplot')
    if not gp:
        raise RuntimeError('gnuplot not found (Debian package gnuplot-nox; ci/bootstrap.sh installs it)')
    r = subprocess.run([gp], input=script, text=True, capture_output=True)
    if r.returncode:
        raise RuntimeError('gnuplot failed: ' + r.stderr.strip().splitlines()[-1])


def write_plots(d, summary, costs, better):
    plots = []
    metrics = sorted({e[0] for e in summary})
    for m in metrics:
        entries = [(s, med, lo, hi, r) for mm, s, _, med, lo, hi, r, _ in summary
                   if mm == m and med is not None]
        if entries and '_migrated_by_' not in m:  # the table has those; no default to plot against
            run_gnuplot(metric_plot(d, m, entries, better))
            plots.append(m + '.svg')
    if 'build_s' in metrics and 'build_migrations' in metrics:
        run_gnuplot(build_plot(d))
        plots.append('build.svg')
    if costs:
        run_gnuplot(costs_plot(d, costs))
        plots.append('costs.svg')
    for f in os.listdir(d):
        if f.endswith('.dat'):
            os.remove(os.path.join(d, f))
    return plots


def costs_md(costs):
    """A markdown table of @costs, each callback against scx_basic's (else the first's)."""
    base = cost_base(costs)
    md = [f'| scheduler | callback | runs | mean ns | insns | vs {base} |',
          '| --- | --- | ---: | ---: | ---: | ---: |']
    for (s, p), (r, ns, i) in sorted(costs.items()):
        b = costs.get((base, p))
        md.append(f'| {s} | {p} | {r} | {ns:.0f} | {i} | ' +
                  (f'{ns / b[1]:.2f}x |' if b and b[1] > 0 else 'n/a |'))
    return md


def write_summary(d, title, about, summary, costs, quiet, better, plots, problems):
    md = [f'# {title}', '']
    md += [f'- {a}' for a in about] + ([''] if about else [])
    md += [ICOUNT_NOTE, '']
    md += ['| metric | scheduler | n | median | min | max | vs default |',
           '| --- | --- | ---: | ---: | ---: | ---: | ---: |']
    for m, s, n, med, lo, hi, ratio, short in summary:
        if med is None:
            md.append(f'| {m} | {s} | 0 | no sample | | | |')
            continue
        r = f'{ratio:.3f}x' if ratio else 'n/a'
        md.append(f'| {m} ({better_of(m, better)} is better) | {s} | {n}{" *" if short else ""} | '
                  f'{med:.3f} | {lo:.3f} | {hi:.3f} | {r} |')
    md.append('')
    md += [f'![{p[:-4]}]({p})' for p in plots] + ['']
    if costs:
        md += ['## BPF callbacks under the workloads (last repetition)', '']
        md += costs_md(costs)
        md += ['', 'BPF time outside dispatch over the run: ' +
               ', '.join(f'{s} {t / 1e6:.1f} ms' for s, t in outside_dispatch(costs).items()), '']
    if quiet:
        md += ['## BPF callbacks under a light load alone', '', QUIET_NOTE, '']
        md += costs_md(quiet) + ['']
    if problems:
        md += ['## Problems', ''] + [f'- {p}' for p in problems] + ['']
    md += ['Raw numbers: `samples.csv` (every repetition), `costs.csv`' +
           (', `costs-quiet.csv`.' if quiet else '.'), '']
    with open(os.path.join(d, 'summary.md'), 'w') as f:
        f.write('\n'.join(md))


def write_report(d, title, about, rows, costs, quiet, summary, better, problems):
    os.makedirs(d, exist_ok=True)
    write_csv(d, rows, costs, quiet)
    plots = write_plots(d, summary, costs, better)
    write_summary(d, title, about, summary, costs, quiet, better, plots, problems)
    return plots


def parse_args(argv):
    args, better, opts = [], dict(BETTER), {'report': None, 'title': 'tessera benchmark',
                                           'about': []}
    while argv:
        a = argv.pop(0)
        if a in ('--lower', '--higher') and argv:
            better.update({m: a[2:] for m in argv.pop(0).split(',')})
        elif a in ('--report', '--title') and argv:
            opts[a[2:]] = argv.pop(0)
        elif a == '--about' and argv:
            opts['about'].append(argv.pop(0))
        elif a.startswith('--'):
            sys.exit(f'report.py: unknown option {a!r} (see the usage at the top of the file)')
        else:
            args.append(a)
    if not args:
        sys.exit('usage: report.py LOG [REPS] [--lower M,M] [--higher M,M] [--report DIR]')
    return args, better, opts


def main():
    args, better, opts = parse_args(sys.argv[1:])
    rows, costs, quiet, attach_fail, errors = parse(args[0])
    reps = int(args[1]) if len(args) > 1 else 0
    scheds = ['default'] + sorted({s for _, s in rows if s != 'default'} | set(attach_fail))
    summary = summarise(rows, reps, scheds)
    print_table(summary, better, reps)
    problems = [f'ATTACH FAILED: {s} did not attach in {n} repetition(s)'
                for s, n in sorted(attach_fail.items())] + [f'error: {e}' for e in errors]
    for p in problems:
        print(p)
    if costs:
        print_costs(costs, 'BPF callbacks under the workloads (last repetition):')
    if quiet:
        print_costs(quiet, 'BPF callbacks under a light load alone: ' + QUIET_NOTE)
    if opts['report']:
        try:
            plots = write_report(opts['report'], opts['title'], opts['about'], rows, costs, quiet,
                                 summary, better, problems)
        except (OSError, RuntimeError) as e:
            print(f'report.py: no report in {opts["report"]}: {e}', file=sys.stderr)
            return 1
        print(f"\nreport: {opts['report']}/summary.md ({len(plots)} plots, samples.csv, costs.csv"
              f"{', costs-quiet.csv' if quiet else ''})")
    return 1 if attach_fail else 0


if __name__ == '__main__':
    sys.exit(main())
