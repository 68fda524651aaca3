#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compose a scheduler from modules at build time.

Reads a scheduler description (schedulers/<name>.conf or a name plus a
module list) and writes, for that one scheduler:

  <name>_compose.h      the composed per-task/per-CPU/per-domain records
                        (compiled for BPF and for userspace alike)
  <name>_compose.bpf.h  the module BPF halves and the generated hook chains
  <name>_modules.c      the userspace module table, name and default options

The hook chain rules are documented in framework/hooks.h; HOOKS below is
their machine-readable form.
"""
import argparse
import os
import re
import sys

TASK = 'struct task_struct *p, struct tsr_task __arena *t'
# hook: (return type, parameters, arguments, rule)
HOOKS = {
    'select_cpu': ('s32', TASK + ', s32 prev_cpu, u64 wake_flags, struct tsr_placement *pl',
                   'p, t, prev_cpu, wake_flags, pl', 'first_cpu'),
    'enqueue': ('bool', TASK + ', u64 enq_flags', 'p, t, enq_flags', 'first_true'),
    'dispatch': ('bool', 's32 cpu, struct task_struct *prev, struct tsr_task __arena *prev_t',
                 'cpu, prev, prev_t', 'first_true'),
    'rescue': ('bool', 's32 cpu, u64 now_j, u64 starve_j', 'cpu, now_j, starve_j', 'first_true'),
    'steal_ok': ('bool', TASK + ', s32 cpu, u32 src_dom', 'p, t, cpu, src_dom', 'all_true'),
    'runnable': ('void', TASK + ', u64 enq_flags', 'p, t, enq_flags', 'all'),
    'running': ('void', TASK, 'p, t', 'all'),
    'slice': ('u64', TASK + ', u64 slice', 'p, t, slice', 'fold'),
    'charge': ('void', TASK + ', u64 ran_ns', 'p, t, ran_ns', 'all'),
    'stopping': ('void', TASK + ', bool runnable', 'p, t, runnable', 'all'),
    'quiescent': ('void', TASK + ', u64 deq_flags', 'p, t, deq_flags', 'all'),
    'tick': ('void', TASK, 'p, t', 'all'),
    'enable': ('void', TASK, 'p, t', 'all'),
    'set_cpumask': ('void', TASK + ', const struct cpumask *mask', 'p, t, mask', 'all'),
    'init': ('s32', 'void', '', 'until_error'),
    'init_task': ('s32', TASK + ', struct scx_init_task_args *args', 'p, t, args',
                  'until_error'),
    'exit_task': ('void', TASK + ', struct scx_exit_task_args *args', 'p, t, args',
                  'all_reverse'),
    'exit': ('void', 'struct scx_exit_info *ei', 'ei', 'all_reverse'),
}
RECORDS = ('task', 'cpu', 'dom')
NAME_RE = re.compile(r'^[a-z][a-z0-9_]*$')
# A verdict hook whose every return is one of these decides every time.
ALWAYS = {'first_true': re.compile(r'^true$'),
          'first_cpu': re.compile(r'^(?!.*\bTSR_PASS\b)(?!-)(?!.*\?)')}
OPT_RE = re.compile(r'\{\s*"([a-z0-9][a-z0-9-]*)"\s*,\s*(?:\'(.)\'|0)\s*,\s*TSR_OPT_')
FUNC_RE = re.compile(r'^static\s+__always_inline\s+[\w\s\*]+?\b(\w+)\s*\(', re.M)


class ComposeError(Exception):
    pass


def parse_conf(path):
    """Parse 'key = value' lines of a scheduler description."""
    conf = {'name': os.path.basename(path)[:-len('.conf')], 'description': '',
            'modules': '', 'defaults': '', 'module_path': '', 'letters': '', 'rename': '',
            'hide': '', 'guest': '', 'guest_main': '', 'guest_numa': ''}
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            key, sep, val = line.partition('=')
            key = key.strip()
            if not sep or key not in conf:
                raise ComposeError(f'{path}:{lineno}: expected one of '
                                   f'{", ".join(sorted(conf))} = value')
            conf[key] = val.strip()
    conf['modules'] = conf['modules'].replace(',', ' ').split()
    conf['defaults'] = conf['defaults'].split()
    conf['module_path'] = conf['module_path'].split()
    conf['overrides'] = parse_overrides(path, conf)
    return conf


def parse_overrides(path, conf):
    """letters = c=disable-cxl L=cache-level; rename = old=new; hide = name ...

    -> {option: {'letter': c, 'rename': new, 'hide': bool}}, in the order given.
    """
    ov = {}
    for key in ('letters', 'rename'):
        for item in conf[key].split():
            lhs, sep, rhs = item.partition('=')
            if not sep or not lhs or not rhs:
                raise ComposeError(f'{path}: {key}: "{item}" is not X=Y')
            if key == 'letters':
                if len(lhs) != 1 or not lhs.isalnum():
                    raise ComposeError(f'{path}: letters: "{lhs}" is not one letter or digit')
                ov.setdefault(rhs, {})['letter'] = lhs
            else:
                ov.setdefault(lhs, {})['rename'] = rhs
    for name in conf['hide'].split():
        ov.setdefault(name, {})['hide'] = True
    return ov


def strip_comments(text):
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    return re.sub(r'//[^\n]*', '', text)


def read_module(srcdir, moddirs, mod):
    """Find module @mod in the first of @moddirs (relative to @srcdir) that has it."""
    if not NAME_RE.match(mod):
        raise ComposeError(f'module name "{mod}" must match {NAME_RE.pattern}')
    rel = next((os.path.join(md, mod) for md in moddirs
                if os.path.isdir(os.path.join(srcdir, md, mod))), None)
    if rel is None:
        known = sorted(x for md in moddirs if os.path.isdir(os.path.join(srcdir, md))
                       for x in os.listdir(os.path.join(srcdir, md)))
        raise ComposeError(f'unknown module "{mod}" (known: {", ".join(known)})')
    d = os.path.join(srcdir, rel)
    info = {'name': mod, 'dir': d, 'rel': rel, 'hooks': [], 'records': [],
            'header': os.path.exists(os.path.join(d, mod + '.h')),
            'bpf': os.path.exists(os.path.join(d, mod + '.bpf.h')),
            'user': os.path.exists(os.path.join(d, mod + '.c'))}
    if info['header']:
        text = strip_comments(open(os.path.join(d, mod + '.h')).read())
        info['records'] = [r for r in RECORDS
                           if re.search(rf'\bstruct\s+{mod}_{r}\s*\{{', text)]
    info['funcs'], info['bodies'], info['opts'] = [], {}, []
    if info['bpf']:
        text = strip_comments(open(os.path.join(d, mod + '.bpf.h')).read())
        info['hooks'] = [h for h in HOOKS if re.search(rf'\b{mod}_{h}\s*\(', text)]
        info['funcs'] = FUNC_RE.findall(text)
        info['bodies'] = {h: function_body(text, f'{mod}_{h}') for h in info['hooks']}
        info['wake_flags'] = bool(re.search(r'\bcore\.wake_flags\b', text))
    for f in sorted(os.listdir(d)):
        if f.endswith('.c') and not f.endswith('.bpf.c'):
            info['opts'] += OPT_RE.findall(strip_comments(open(os.path.join(d, f)).read()))
    if not (info['bpf'] or info['user']):
        raise ComposeError(f'module "{mod}" has neither {mod}.bpf.h nor {mod}.c')
    return info


def function_body(text, fn):
    """The text between the braces of the definition of @fn, or ''."""
    m = re.search(rf'\b{fn}\s*\([^;{{]*\)\s*\{{', text)
    if not m:
        return ''
    depth, i = 1, m.end()
    while i < len(text) and depth:
        depth += {'{': 1, '}': -1}.get(text[i], 0)
        i += 1
    return text[m.end():i - 1]


def one_edit(a, b):
    """a and b differ by one inserted, deleted, replaced or swapped character."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and
                                  a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def always_decides(mod, hook):
    """Whether @mod's verdict @hook decides on every path (from its return statements)."""
    rule = HOOKS[hook][3]
    rets = re.findall(r'\breturn\s+([^;]*);', mod['bodies'].get(hook, ''))
    return bool(rets) and rule in ALWAYS and all(ALWAYS[rule].search(r.strip()) for r in rets)


def framework_opts():
    here = os.path.dirname(os.path.abspath(__file__))
    text = strip_comments(open(os.path.join(here, 'runner.c')).read())
    return OPT_RE.findall(text) + [('help', 'h'), ('version', '')]


def apply_overrides(tables, overrides):
    """The option tables as the scheduler offers them (as the runner's tsr_opts_override)."""
    tables = [(owner, list(opts)) for owner, opts in tables]
    known = {o for _, opts in tables for o, _ in opts}
    missing = [o for o in overrides if o not in known]
    for opt, o in overrides.items():
        for _, opts in tables:
            for i, (long_, short) in enumerate(opts):
                if 'letter' in o and short == o['letter']:
                    opts[i] = (long_, '')
        # the first definer only (the framework, then the modules in order), as the runner
        done = False
        for _, opts in tables:
            for i, (long_, short) in enumerate(opts):
                if long_ != opt or done:
                    continue
                done = True
                if o.get('hide'):
                    opts[i] = None
                else:
                    opts[i] = (o.get('rename', long_), o.get('letter', short))
        tables = [(owner, [x for x in opts if x]) for owner, opts in tables]
    return tables, missing


def lint(srcdir, name, mods, overrides=None):
    """Mistakes a build can see: (errors, warnings), each a line naming module and hook."""
    errors, warnings = [], []
    for m in mods:
        for f in m['funcs']:
            rest = f[len(m['name']) + 1:] if f.startswith(m['name'] + '_') else None
            if rest is None or rest in HOOKS or len(rest) < 5:
                continue
            near = [h for h in HOOKS if one_edit(rest, h)]
            if near:
                warnings.append(f'{name}: module {m["name"]}: {f}() is not a hook, so it is '
                                f'never called: did you mean {m["name"]}_{near[0]}()?')
    before = set()
    for m in mods:
        for r in module_words(m['dir'], 'requires'):
            if r not in before:
                errors.append(f'{name}: module {m["name"]} requires module {r} listed before it '
                              f'(modules/{m["name"]}/requires)')
        before.add(m['name'])
    for m in mods:
        # a dispatch that takes queue heads (not one that picks tasks out by iterator)
        body = m['bodies'].get('dispatch', '')
        if re.search(r'\bscx_bpf_dsq_move_to_local\b', body) and \
                not re.search(r'\bprev_t\b|\btsr_dsq_serve\b', body):
            warnings.append(f'{name}: module {m["name"]}: {m["name"]}_dispatch ignores prev_t: '
                            f'a still-runnable prev is queued behind whatever it takes, so '
                            f'weights are lost when at most one task waits (see '
                            f'tsr_dsq_serve in framework/hooks.h)')
    for hook, (_, _, _, rule) in HOOKS.items():
        if rule not in ALWAYS:
            continue
        impl = [m for m in mods if hook in m['hooks']]
        for i, m in enumerate(impl[:-1]):
            if always_decides(m, hook):
                dead = ', '.join(x['name'] for x in impl[i + 1:])
                warnings.append(f'{name}: hook {hook}: module {m["name"]} always decides (every '
                                f'return of {m["name"]}_{hook} does), so {dead} after it can '
                                f'never run: reorder the modules')
                break
    owners = {}
    tables = [('the framework', framework_opts())] + \
        [(f'module {m["name"]}', m['opts']) for m in mods]
    tables, missing = apply_overrides(tables, overrides or {})
    errors += [f'{name}: the description changes option --{o}, which no module defines'
               for o in missing]
    for mod_name, opts in tables:
        for long_, short in opts:
            for key in ('--' + long_, '-' + short if short else None):
                if key is None:
                    continue
                if key in owners and owners[key] != mod_name:
                    errors.append(f'{name}: option {key} is defined by {owners[key]} and by '
                                  f'{mod_name}')
                owners.setdefault(key, mod_name)
    return errors, warnings


def chain_summary(name, mods):
    out = []
    for hook in HOOKS:
        impl = [m['name'] for m in mods if hook in m['hooks']]
        if impl:
            order = ' -> '.join(reversed(impl) if HOOKS[hook][3] == 'all_reverse' else impl)
            out.append(f'{name}: {hook} ({HOOKS[hook][3]}): {order}')
    return '\n'.join(out)


def param_types(params):
    """'struct x *p, u64 f' -> 'struct x *, u64'."""
    if params == 'void':
        return 'void'
    return ', '.join(re.sub(r'\b\w+\s*$', '', p.strip()).strip() for p in params.split(','))


def gen_checks(mods):
    """A compile-time check of each hook's signature, naming module and hook."""
    out = []
    for m in mods:
        for h in m['hooks']:
            ret, params = HOOKS[h][0], HOOKS[h][1]
            fn = f'{m["name"]}_{h}'
            out.append(f'_Static_assert(__builtin_types_compatible_p(__typeof__(&{fn}), '
                       f'{ret} (*)({param_types(params)})), "module {m["name"]}: hook {h} must '
                       f'be: {ret} {fn}({params})");')
    return out


def gen_records(name, mods):
    out = [f'/* Generated by framework/compose.py for {name}. Do not edit. */',
           '#ifndef TSR_COMPOSED_RECORDS_H', '#define TSR_COMPOSED_RECORDS_H', '',
           '#include "framework/records.h"']
    out += [f'#include "{m["rel"]}/{m["name"]}.h"' for m in mods if m['header']]
    for rec in RECORDS:
        align = ' __tsr_aligned' if rec != 'task' else ''
        out += ['', f'struct tsr_{rec} {{', f'\tstruct tsr_{rec}_core core;']
        out += [f'\tstruct {m["name"]}_{rec} {m["name"]};' for m in mods if rec in m['records']]
        out += [f'}}{align};',
                f'_Static_assert(sizeof(struct tsr_{rec}) % 8 == 0, "tsr_{rec} not 8-aligned");']
    out.append('')
    out += [f'#define TSR_MODIDX_{m["name"]} {i + 1}' for i, m in enumerate(mods)]
    out += ['', f'#define TSR_SCHED_NAME "{name}"', '', '#endif', '']
    return '\n'.join(out)


def gen_chain(hook, mods):
    ret, params, args, rule = HOOKS[hook]
    impl = [m['name'] for m in mods if hook in m['hooks']]
    if rule == 'all_reverse':
        impl.reverse()
    body = []
    if rule == 'first_cpu':
        if impl:
            body.append('\ts32 cpu;')
        for m in impl:
            body += [f'\tcpu = {m}_{hook}({args});', '\tif (cpu >= 0)', '\t\treturn cpu;']
        body.append('\treturn TSR_PASS;')
    elif rule == 'first_true':
        for m in impl:
            body += [f'\tif ({m}_{hook}({args}))', '\t\treturn true;']
        body.append('\treturn false;')
    elif rule == 'all_true':
        for m in impl:
            body += [f'\tif (!{m}_{hook}({args}))', '\t\treturn false;']
        body.append('\treturn true;')
    elif rule == 'fold':
        body += [f'\tslice = {m}_{hook}({args});' for m in impl]
        body.append('\treturn slice;')
    elif rule == 'until_error':
        if impl:
            body.append('\ts32 ret;')
        for m in impl:
            body += [f'\tret = {m}_{hook}({args});', '\tif (ret < 0)', '\t\treturn ret;']
        body.append('\treturn 0;')
    else:
        body += [f'\t{m}_{hook}({args});' for m in impl]
    return '\n'.join([f'static __always_inline {ret} tsr_chain_{hook}({params})', '{'] +
                     body + ['}', ''])


def gen_bpf(name, mods):
    out = [f'/* Generated by framework/compose.py for {name}. Do not edit. */',
           '#ifndef TSR_COMPOSED_HOOKS_H', '#define TSR_COMPOSED_HOOKS_H', '']
    # before the modules: one may ask whether another implements a hook (lb: steal_ok)
    out += [f'#define TSR_HOOK_USED_{h} {int(any(h in m["hooks"] for m in mods))}' for h in HOOKS]
    # t->core.wake_flags is kept (two stores a wake-up) only when a module reads it
    out.append(f'#define TSR_USES_WAKE_FLAGS {int(any(m.get("wake_flags") for m in mods))}')
    out.append('')
    out += [f'#include "{m["rel"]}/{m["name"]}.bpf.h"' for m in mods if m['bpf']]
    out.append('')
    out += gen_checks(mods)
    out.append('')
    out += [gen_chain(h, mods) for h in HOOKS]
    out += ['#endif', '']
    return '\n'.join(out)


def c_str(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


# enum tsr_callback (framework/module.h): callbacks only modules' hooks need
OPTIONAL_CALLBACKS = ['runnable', 'running', 'quiescent', 'tick', 'set_cpumask']


def callback_bits(mod):
    return sum(1 << i for i, h in enumerate(OPTIONAL_CALLBACKS) if h in mod['hooks'])


def gen_user(name, conf, mods):
    user = [m['name'] for m in mods if m['user']]
    fixed = 0
    for m in mods:
        if not m['user']:
            fixed |= callback_bits(m)
    out = [f'/* Generated by framework/compose.py for {name}. Do not edit. */',
           '#include "framework/module.h"', '']
    out += [f'extern const struct tsr_module tsr_module_{m};' for m in user]
    out += ['', 'const struct tsr_module *const tsr_modules[] = {']
    out += [f'\t&tsr_module_{m},' for m in user]
    out += ['\tNULL,', '};', '', 'const unsigned int tsr_module_callbacks[] = {']
    out += [f'\t{hex(callback_bits(m))}, /* {m["name"]} */' for m in mods if m['user']]
    out += ['\t0,', '};', f'const unsigned int tsr_fixed_callbacks = {hex(fixed)};', '',
            f'const char tsr_sched_name[] = {c_str(name)};',
            f'const char tsr_sched_description[] = {c_str(conf["description"])};',
            f'const char tsr_sched_module_list[] = {c_str(" ".join(conf["modules"]))};',
            'const char *const tsr_sched_defaults[] = {']
    out += [f'\t{c_str(a)},' for a in conf['defaults']]
    out += ['\tNULL,', '};', '', 'const struct tsr_opt_override tsr_sched_overrides[] = {']
    for opt, o in conf.get('overrides', {}).items():
        letter = f"'{o['letter']}'" if 'letter' in o else '0'
        rename = c_str(o['rename']) if 'rename' in o else 'NULL'
        out.append(f'\t{{ {c_str(opt)}, {rename}, {letter}, {str(o.get("hide", False)).lower()} }},')
    out += ['\t{ 0 },', '};', '']
    return '\n'.join(out)


def load(args):
    if args.conf:
        conf = parse_conf(args.conf)
    else:
        conf = {'name': args.name, 'description': args.description or '',
                'modules': args.modules.replace(',', ' ').split(), 'defaults': []}
    if not NAME_RE.match(conf['name']):
        raise ComposeError(f'scheduler name "{conf["name"]}" must match {NAME_RE.pattern}')
    if not conf['modules']:
        raise ComposeError(f'scheduler "{conf["name"]}" lists no modules')
    if len(set(conf['modules'])) != len(conf['modules']):
        raise ComposeError(f'scheduler "{conf["name"]}" lists a module twice')
    moddirs = ['modules'] + conf.get('module_path', [])
    return conf, [read_module(args.srcdir, moddirs, m) for m in conf['modules']]


def module_words(mdir, fname):
    """Names in a module's file @fname (one or more a line, # comments); [] without it."""
    path = os.path.join(mdir, fname)
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [w for line in f for w in line.split('#', 1)[0].split()]


def module_pkgs(mdir):
    """pkg-config names in a module's pkg-config-deps file."""
    return module_words(mdir, 'pkg-config-deps')


def write_if_changed(path, text):
    if os.path.exists(path) and open(path).read() == text:
        return
    with open(path, 'w') as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('action', choices=('generate', 'check', 'sources', 'deps', 'pkgs',
                                       'requires'))
    ap.add_argument('--conf', help='scheduler description file')
    ap.add_argument('--name', help='scheduler name (without --conf)')
    ap.add_argument('--modules', help='module list (without --conf)')
    ap.add_argument('--description')
    ap.add_argument('--srcdir', required=True)
    ap.add_argument('--outdir')
    args = ap.parse_args()
    if not args.conf and not (args.name and args.modules):
        ap.error('give --conf, or --name and --modules')
    try:
        conf, mods = load(args)
    except (ComposeError, OSError) as e:
        sys.exit(f'compose: {args.name or os.path.basename(args.conf or "")}: {e}')
    name = conf['name']
    if args.action == 'requires':
        # the modules the listed ones need before them, in an order that
        # satisfies every requires file on the way (for <m>_alone builds)
        order = []

        def need(mdir):
            for r in module_words(mdir, 'requires'):
                if r not in order:
                    need(read_module(args.srcdir, ['modules'], r)['dir'])
                    order.append(r)
        for m in mods:
            need(m['dir'])
        for r in order:
            if r not in [m['name'] for m in mods]:
                print(r)
        return
    errors, warnings = lint(args.srcdir, name, mods, conf.get('overrides'))
    if args.action == 'check':
        # configure time: meson shows stderr as a warning, or fails with it
        print(chain_summary(name, mods))
        if errors or warnings:
            print('\n'.join(errors + warnings), file=sys.stderr)
        sys.exit(1 if errors else 0)
    if errors:
        sys.exit('compose: ' + '\ncompose: '.join(errors))
    if args.action == 'sources':
        # userspace sources of the modules (every .c beside <mod>.c), relative to srcdir
        for m in mods:
            if m['user']:
                for f in sorted(os.listdir(m['dir'])):
                    if f.endswith('.c') and not f.endswith('.bpf.c'):
                        print(os.path.join(m['rel'], f))
        return
    if args.action == 'pkgs':
        # pkg-config names the modules' userspace halves link with
        for name in sorted({n for m in mods for n in module_pkgs(m['dir'])}):
            print(name)
        return
    if args.action == 'deps':
        # every module file the generated code depends on, relative to srcdir
        for m in mods:
            for f in sorted(os.listdir(m['dir'])):
                if f.endswith('.h') or f.endswith('.c'):
                    print(os.path.join(m['rel'], f))
        return
    write_if_changed(os.path.join(args.outdir, f'{name}_compose.h'), gen_records(name, mods))
    write_if_changed(os.path.join(args.outdir, f'{name}_compose.bpf.h'), gen_bpf(name, mods))
    write_if_changed(os.path.join(args.outdir, f'{name}_modules.c'), gen_user(name, conf, mods))


if __name__ == '__main__':
    main()
