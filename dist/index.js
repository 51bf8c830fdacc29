import { r as redactUrl, i as insideWorkspace, a as addSecret, m as moduleOutsideWorkspace, b as redact, g as guardCredentialFile, e as errorMessage, w as workspacePath, c as cleanMessage, d as cacheKeys, f as readKeyFiles, h as holdsModules, j as cachePaths, k as callCacheLibrary, l as cacheBounds, n as removeModules, o as downloadBytes, s as saveCacheState, p as removeGuardedCredentialFiles, q as formatBytes, t as logUntrusted, u as recordStepPassed, v as handOverCredentialFile } from './shared/log-safe.js';
import * as fs from 'node:fs';
import { existsSync, readdirSync, statSync, readFileSync, promises, mkdtempSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import * as path from 'node:path';
import { resolve as resolve$1, join, posix } from 'node:path';
import { spawn, execFile } from 'node:child_process';
import { randomBytes, randomUUID, X509Certificate, timingSafeEqual } from 'node:crypto';
import * as os from 'node:os';
import { constants, availableParallelism, tmpdir } from 'node:os';
import { g as getInput, w as which, u as undiciSubsetExports, c as createServer, a as warning, s as summary, b as setOutput, d as startGroup, e as endGroup, f as error, n as notice, h as setFailed, i as debug, j as saveState, k as exportVariable } from './shared/core.js';
import { isIP, BlockList, connect } from 'node:net';
import { setMaxListeners } from 'node:events';
import * as fs$1 from 'node:fs/promises';
import { stat, mkdtemp, rm, open } from 'node:fs/promises';
import { domainToASCII, fileURLToPath } from 'node:url';
import { lookup } from 'node:dns/promises';
import { performance as performance$1 } from 'node:perf_hooks';
import * as tls from 'node:tls';
import { setTimeout as setTimeout$1 } from 'node:timers/promises';
import 'node:v8';
import 'node:async_hooks';
import 'node:diagnostics_channel';
import 'os';
import 'crypto';
import 'fs';
import 'path';
import 'node:module';
import 'https';
import 'net';
import 'tls';
import 'events';
import 'assert';
import 'util';
import 'string_decoder';
import 'child_process';
import 'timers';

// How go processes start. Node forks this whole process for each child, which costs in proportion to its memory
// (about 2–3 ms at the step's 80–100 MB, more on a busy machine) and blocks the event loop until the child has
// exec'd: over 300 modules that was half of the main thread's time, and the relay's answers to go waited behind it.
// So, where there is a POSIX shell, go is started by long-lived shells instead, one per lane of the run: each is
// handed a directory and go's argv on its stdin, runs go in the foreground (a fork of a 1 MB shell), and reports
// go's exit status on stderr and the end of its output on stdout, behind markers carrying a random nonce that go's
// output cannot forge. Each shell leads its own process group: a kill signals the group, so go and the git it runs
// get the signal as they would from a terminal, and the shell goes with them (the next go gets a new shell).
// go sees the same argv, directory (physical, as a direct start gives it), stdin (/dev/null) and environment, but
// for PWD, which names that directory, and the variables a shell sets for itself (bash as sh: SHLVL and _).
// Where a shell could not pass on go's start exactly, go starts directly (see `shellLauncher`).
/** go started by this process itself: one fork of it per go. */
const directLauncher = {
    start(bin, argv, o, h) {
        // go mod tidy reads nothing from stdin: no pipe for it (one socket less per module).
        const child = spawn(bin, argv, { cwd: o.cwd, env: o.env, windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout.on('data', (b) => h.stdout(b));
        child.stderr.setEncoding('utf8');
        child.stderr.on('data', (s) => h.stderr(s));
        child.once('error', (e) => h.error(e));
        child.once('close', (code, signal) => h.exit(code, signal));
        return { kill: (signal) => void child.kill(signal) };
    },
    close() { }
};
const SHELL = '/bin/sh';
/** Names a POSIX shell passes on to its children: it drops the others from the environment. */
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Variables a shell reads for itself (bash as sh: its options, startup files) or sets: go would not get them as given. */
const SHELL_OWN = new Set(['SHELLOPTS', 'BASHOPTS', 'BASH_ENV', 'ENV', 'IFS', 'CDPATH', 'PS4', 'PPID', 'OPTIND']);
/**
 * Starts go through long-lived shells where that gives go its start exactly: on Windows, without `/bin/sh`, once a
 * shell could not be started, or when the environment has a variable a shell would drop or read itself, or an
 * argument holds a NUL, go is started directly.
 */
function shellLauncher(shell = SHELL) {
    if (process.platform === 'win32' || !existsSync(shell))
        return directLauncher;
    // Idle shells by the environment they were started with: by content, as a caller may build it anew for each go
    // (an environment a shell would not pass on exactly: undefined). Each object is read once.
    const idle = new Map();
    const keys = new WeakMap();
    const keyOf = (env) => {
        if (!keys.has(env)) {
            const exact = Object.keys(env).every((k) => SHELL_NAME.test(k) && !SHELL_OWN.has(k));
            keys.set(env, exact ? JSON.stringify(env) : undefined);
        }
        return keys.get(env);
    };
    let closed = false;
    let broken = false;
    return {
        start(bin, argv, o, h) {
            const plain = ![bin, o.cwd, ...argv].some((s) => s.includes('\0'));
            const key = closed || broken || !plain ? undefined : keyOf(o.env);
            if (key === undefined)
                return directLauncher.start(bin, argv, o, h);
            const lanes = idle.get(key) ?? [];
            idle.set(key, lanes);
            let lane = lanes.pop();
            while (lane?.dead)
                lane = lanes.pop();
            lane ??= new ShellLane(shell, o.env, (l) => (closed ? l.end() : lanes.push(l)), () => (broken = true));
            return lane.run({ bin, argv, o: { ...o, cwd: resolve$1(o.cwd) }, h });
        },
        close() {
            closed = true;
            for (const lanes of idle.values())
                for (const l of lanes)
                    l.end();
            idle.clear();
        }
    };
}
/** A shell's single-quoted word: the text exactly (a quote closes, is escaped, and reopens). No NUL: see above. */
const shellQuote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
/** One shell running one go at a time, in a process group of its own. */
class ShellLane {
    env;
    release;
    broken;
    sh;
    nonce = randomBytes(16).toString('hex');
    job;
    signalled = false;
    dead = false;
    constructor(shell, env, release, broken) {
        this.env = env;
        this.release = release;
        this.broken = broken;
        this.sh = spawn(shell, [], { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
        this.sh.stdin.on('error', () => { }); // a shell that died: its exit says so
        this.sh.stdout.on('data', (b) => this.job?.out(b));
        this.sh.stderr.setEncoding('utf8');
        this.sh.stderr.on('data', (s) => this.job?.err(s));
        this.sh.once('error', () => this.failed());
        this.sh.once('exit', () => this.exited());
        this.sh.once('close', () => this.job?.lost());
    }
    run(r) {
        const job = new Job(this.nonce, r, (signal) => this.signal(signal), () => {
            this.job = undefined;
            this.release(this);
        });
        this.job = job;
        // OLDPWD as go would have it (a shell's cd sets it); go's stdin is /dev/null, never the shell's commands.
        const oldpwd = this.env.OLDPWD === undefined ? 'unset OLDPWD' : `OLDPWD=${shellQuote(this.env.OLDPWD)}`;
        const n = this.nonce;
        this.sh.stdin.write(`if cd -P -- ${shellQuote(r.o.cwd)} 2>/dev/null; then ${oldpwd}; ${[r.bin, ...r.argv].map(shellQuote).join(' ')} ` +
            `</dev/null; printf '${n}exit %s\\n' "$?" >&2; else printf '${n}nocd\\n' >&2; fi; printf '${n}end\\n'\n`);
        return job;
    }
    end() {
        this.dead = true;
        this.sh.stdin.end();
    }
    /** Signals the lane's process group (go, the git it runs, the shell), while the shell is there to lead it. */
    signal(signal) {
        if (this.dead || this.sh.pid === undefined)
            return;
        this.signalled = true;
        try {
            process.kill(-this.sh.pid, signal);
        }
        catch {
            // already gone
        }
    }
    /** The shell could not be started: this go starts directly, and so does every later one of the launcher. */
    failed() {
        this.dead = true;
        this.broken();
        const job = this.job;
        this.job = undefined;
        job?.startDirectly();
    }
    /** The shell ended under a go: by our signal (which its whole group got), or from outside (then its group goes too). */
    exited() {
        if (this.job && !this.signalled && this.sh.pid !== undefined) {
            try {
                process.kill(-this.sh.pid, 'SIGKILL');
            }
            catch {
                // nothing left
            }
        }
        this.dead = true;
    }
}
/** One go in a lane: its output up to the markers, and its exit status. */
class Job {
    nonce;
    request;
    signal;
    done;
    outTail = '';
    errTail = '';
    status;
    outDone = false;
    over = false;
    killedWith;
    direct;
    constructor(nonce, request, signal, done) {
        this.nonce = nonce;
        this.request = request;
        this.signal = signal;
        this.done = done;
    }
    kill(signal) {
        if (this.direct)
            return this.direct.kill(signal);
        if (this.over)
            return;
        this.killedWith ??= signal;
        this.signal(signal);
    }
    /** The shell never started: a direct start of go takes this job's place (and its kills). */
    startDirectly() {
        const r = this.request;
        this.over = true;
        this.direct = directLauncher.start(r.bin, r.argv, r.o, r.h);
        if (this.killedWith)
            this.direct.kill(this.killedWith);
    }
    /** stdout up to `<nonce>end`. Binary-safe: latin1 maps bytes to characters one to one. */
    out(b) {
        const marker = `${this.nonce}end\n`;
        const s = this.outTail + b.toString('latin1');
        const at = s.indexOf(marker);
        const upTo = at >= 0 ? at : s.length - heldBack(s, marker);
        if (upTo > 0)
            this.request.h.stdout(Buffer.from(s.slice(0, upTo), 'latin1'));
        this.outTail = at >= 0 ? '' : s.slice(upTo);
        if (at >= 0) {
            this.outDone = true;
            this.finish();
        }
    }
    /** stderr without the `<nonce>exit <n>` or `<nonce>nocd` line, which it reads. */
    err(chunk) {
        let s = this.errTail + chunk;
        for (let at = s.indexOf(this.nonce); at >= 0; at = s.indexOf(this.nonce)) {
            const eol = s.indexOf('\n', at);
            if (eol < 0)
                break;
            if (at > 0)
                this.request.h.stderr(s.slice(0, at));
            const [kind, value] = s.slice(at + this.nonce.length, eol).split(' ');
            if (kind === 'exit')
                this.status = Number(value);
            if (kind === 'nocd')
                this.status = 'nocd';
            s = s.slice(eol + 1);
        }
        const at = s.indexOf(this.nonce);
        const upTo = at >= 0 ? at : s.length - heldBack(s, this.nonce);
        if (upTo > 0)
            this.request.h.stderr(s.slice(0, upTo));
        this.errTail = s.slice(upTo);
        this.finish();
    }
    /** The shell is gone before this go's end was reported: killed with it (by a kill of ours, or from outside). */
    lost() {
        if (this.over)
            return;
        this.over = true;
        if (this.errTail)
            this.request.h.stderr(this.errTail);
        this.request.h.exit(null, this.killedWith ?? 'SIGKILL');
    }
    finish() {
        if (this.over || !this.outDone || this.status === undefined)
            return;
        this.over = true;
        if (this.errTail)
            this.request.h.stderr(this.errTail);
        this.done();
        const status = this.status;
        if (status === 'nocd')
            return this.request.h.error(new Error(`cannot enter the directory ${this.request.o.cwd}`));
        // The shell could not run go (not found: 127, not executable or arguments too long: 126); go itself exits 0–2.
        if (status === 126 || status === 127)
            return this.request.h.error(new Error(`the shell could not run it (exit ${status})`));
        // A shell reports a death by signal n as status 128 + n.
        const signal = status > 128
            ? Object.entries(constants.signals).find(([, v]) => v === status - 128)?.[0]
            : undefined;
        this.request.h.exit(signal ? null : status, signal ?? null);
    }
}
/**
 * How much of the end of `s` to keep back: the longest part that could begin `marker` (no newline is ever kept
 * back, the marker has none before its end, so go's lines reach the watchdog as go writes them).
 */
function heldBack(s, marker) {
    for (let k = Math.min(s.length, marker.length - 1); k > 0; k--)
        if (s.endsWith(marker.slice(0, k)))
            return k;
    return 0;
}

// A watchdog for a go command: go has no timeout for a proxy that accepts a request and never answers, or for a
// body that stalls. With `-x` go prints `# get URL` when a request starts and `# get URL: STATUS (TIME)` when its
// headers arrive; a zip's body then streams into `<version>.zip*.tmp` in the download cache until go renames it.
// While a request waits for headers or a zip body is still being written, and go shows no progress (no output, no
// growth of those files) for `stallMs`, go is stopped and the run says which URL it was waiting for. go's own
// work between requests (loading packages, running git) is never timed.
const GET = /^# get (\S+)(: .*)?$/;
const KILL_GRACE_MS = 2000;
/** go processes running now, and whether the step was cancelled (then no new one starts). */
const live = new Set();
let cancelled;
/**
 * The job is being cancelled: pass the signal on to every go (and so its git children, which go stops), and start no
 * new one. The step then reports what it has and exits.
 */
function cancelGo(signal) {
    cancelled = signal;
    for (const child of live)
        child.kill(signal);
}
/** Runs go with `-x` added to `args` (after the subcommand words given in `verbs`), under the watchdog. */
function runGoWatched(go, verbs, args, o) {
    const argv = [...verbs, ...(args.some((a) => a === '-x' || a === '--x') ? [] : ['-x']), ...args];
    if (cancelled)
        return Promise.reject(new Error(`the step was cancelled (${cancelled}): go mod tidy did not run`));
    return new Promise((resolve, reject) => {
        const out = [];
        let err = '';
        let partial = '';
        const active = { headers: new Set(), bodies: new Set() };
        let last = { at: Date.now(), bytes: 0 };
        let stalled;
        // Both launchers report go's end asynchronously: `timer` is set by then.
        const child = (o.launcher ?? directLauncher).start(go.bin, argv, o, {
            stdout: (b) => out.push(b),
            stderr: (s) => {
                err += s;
                last = { at: Date.now(), bytes: last.bytes };
                const lines = (partial + s).split('\n');
                partial = lines.pop() ?? '';
                for (const line of lines)
                    track(active, line, o.untimed);
            },
            error: (e) => {
                live.delete(child);
                clearInterval(timer);
                reject(new Error(`cannot run ${go.bin}: ${e.message}`));
            },
            exit: (code, signal) => {
                live.delete(child);
                clearInterval(timer);
                const stderr = signal && !stalled ? `${err}\ngo was killed by ${signal}` : err;
                resolve({ exitCode: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr, stalled });
            }
        });
        live.add(child);
        const timer = o.stallMs > 0
            ? setInterval(() => {
                if (stalled)
                    return;
                let bytes = 0;
                for (const url of active.bodies) {
                    const n = downloading(o.gomodcache, url);
                    if (n === undefined)
                        active.bodies.delete(url); // written and renamed, or given up
                    else
                        bytes += n;
                }
                const url = [...active.headers, ...active.bodies].at(-1);
                if (url === undefined)
                    return void (last = { at: Date.now(), bytes: 0 });
                if (bytes !== last.bytes)
                    last = { at: Date.now(), bytes };
                const idle = Date.now() - last.at;
                if (idle < o.stallMs)
                    return;
                stalled = { url, ms: idle };
                child.kill('SIGTERM');
                setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS).unref();
            }, Math.min(1000, Math.max(50, o.stallMs / 4)))
            : undefined;
    });
}
function track(active, line, untimed) {
    const m = GET.exec(line.trimEnd());
    if (!m || (untimed && m[1].startsWith(untimed)))
        return;
    if (m[2] === undefined)
        return void active.headers.add(m[1]);
    active.headers.delete(m[1]);
    // A body go caches as a file is timed until that file is there: a zip by its growth, a .mod or a version's .info
    // by its appearance (go has no body timeout; a body that stalls after its headers would hang go for good).
    if (/^: 2\d\d /.test(m[2]) && /\/@v\/(v\d[^/]*\.(info|mod)|[^/]+\.zip)$/.test(m[1]))
        active.bodies.add(m[1]);
}
/**
 * Progress of a body go is writing into the download cache: for a zip, the bytes of its temporary file; for a .mod
 * or .info, 0 until the file is there. Undefined once go is done with it (written and renamed, or given up). The
 * file lives under the longest tail of the URL's path that names a module directory of the download cache (the
 * proxy's own base path is not part of it).
 */
function downloading(gomodcache, url) {
    const m = /^[a-z]+:\/\/[^/]+\/(.+)\/@v\/([^/]+\.(zip|mod|info))$/.exec(url);
    if (!gomodcache || !m)
        return undefined;
    let segments;
    try {
        segments = m[1].split('/').map(decodeURIComponent);
    }
    catch {
        return undefined;
    }
    const name = decodeURIComponent(m[2]);
    if (m[3] !== 'zip')
        return cachedFile(gomodcache, segments, name) ? undefined : 0;
    const zip = name;
    for (let i = 0; i < segments.length; i++) {
        const dir = join(gomodcache, 'cache', 'download', ...segments.slice(i), '@v');
        let names;
        try {
            names = readdirSync(dir);
        }
        catch {
            continue;
        }
        const tmp = names.filter((n) => n.startsWith(zip) && n.endsWith('.tmp'));
        return tmp.length === 0 ? undefined : tmp.reduce((sum, n) => sum + statSafe(join(dir, n)), 0);
    }
    return undefined;
}
/** Whether `name` is in the download cache's @v directory of any tail of the URL path's segments. */
function cachedFile(gomodcache, segments, name) {
    for (let i = 0; i < segments.length; i++) {
        if (existsSync(join(gomodcache, 'cache', 'download', ...segments.slice(i), '@v', name)))
            return true;
    }
    return false;
}
function statSafe(p) {
    try {
        return statSync(p).size;
    }
    catch {
        return 0;
    }
}
/** go's stderr without the `-x` trace lines this module added (kept when the user asked for `-x` themselves). */
function withoutTrace(stderr) {
    return stderr
        .split('\n')
        .filter((l) => !GET.test(l.trimEnd()))
        .join('\n');
}

class ProxyListError extends Error {
}
/** Parses a GOPROXY list. Newlines separate entries like ','. Throws ProxyListError naming `inputName`. */
function parseProxyList(text, inputName = 'goproxy') {
    const entries = [];
    const tokens = text.replace(/\r/g, '').split(/([,|\n])/);
    for (let i = 0; i < tokens.length; i += 2) {
        const token = tokens[i].trim();
        const sep = (tokens[i + 1] ?? '');
        if (token === '')
            continue;
        const separator = sep === '|' ? '|' : sep === '' ? '' : ',';
        entries.push({ ...parseToken(token, inputName), separator });
    }
    if (entries.length === 0) {
        throw new ProxyListError(`${inputName}: the list is empty; give proxy URLs, "direct" or "off"`);
    }
    entries[entries.length - 1].separator = '';
    return entries;
}
/** go's reading of a GOPROXY entry: a bare host[/path] means https:// (URLs and file paths stay as they are). */
function withScheme(token) {
    return !token.includes(':/') && !token.startsWith('/') ? 'https://' + token : token;
}
function parseToken(token, inputName) {
    if (token === 'direct' || token === 'off')
        return { kind: token, url: '', display: token };
    // Registers the token's credentials as secrets before any message can show it.
    const shown = redactUrl(token);
    let raw = token;
    if (!token.includes(':/') && !token.startsWith('/')) {
        if (!/[./]/.test(token)) {
            throw new ProxyListError(`${inputName}: "${shown}" is not a proxy; each entry is an http(s):// or file:// URL, "direct" or "off"`);
        }
        raw = withScheme(token);
    }
    let url;
    try {
        url = new URL(raw.startsWith('/') ? 'file://' + raw : raw);
    }
    catch {
        throw new ProxyListError(`${inputName}: "${shown}" is not a valid URL (expected http(s)://host/path)`);
    }
    if (!['http:', 'https:', 'file:'].includes(url.protocol)) {
        throw new ProxyListError(`${inputName}: "${shown}" uses ${url.protocol}; proxies are http://, https:// or file:// URLs`);
    }
    const clean = raw.startsWith('/') ? 'file://' + raw : raw;
    return { kind: 'url', url: clean, display: redactUrl(clean) };
}
/** Formats entries back into a GOPROXY value, joined by `sep` (or each entry's own separator). */
function formatProxyList(entries, sep, redacted = false) {
    return entries
        .map((e, i) => {
        const text = e.kind === 'url' ? (redacted ? e.display : e.url) : e.kind;
        const after = i === entries.length - 1 ? '' : (sep ?? (e.separator || ','));
        return text + after;
    })
        .join('');
}
/** The entries that are real network proxies (http/https), in order. */
function networkProxies(entries) {
    return entries.filter((e) => e.kind === 'url' && /^https?:/i.test(e.url));
}

// The error for bad input: its message names the input and the accepted form. A module of its own so that
// stages validating their part of the inputs need not import config/inputs.ts (no cycles).
class InputError extends Error {
}

// The CPUs this process may use: the CPUs it may run on (os.availableParallelism), bounded by a Linux cgroup CPU
// quota (a container started with `--cpus 2`, a Kubernetes CPU limit, a systemd CPUQuota). On Node 20 (libuv 1.46)
// os.availableParallelism is the affinity mask alone, so a container limited to 2 CPUs on a 64-CPU host would get
// 64; newer libuv reads some cgroup setups itself, its own way. The smaller of its answer and the quota read here
// counts: never more than either.
const realFiles = {
    read(path) {
        try {
            return readFileSync(path, 'utf8');
        }
        catch {
            return undefined;
        }
    }
};
/** At least 1; at most the CPUs the process may run on; at most the cgroup quota, rounded down. */
function usableCpus(files, cpus = availableParallelism()) {
    const quota = process.platform === 'linux' ? cgroupCpuQuota(realFiles) : undefined;
    return Math.max(1, quota === undefined ? cpus : Math.min(cpus, Math.floor(quota)));
}
const ROOT = '/sys/fs/cgroup';
/**
 * The tightest CPU quota (in CPUs, e.g. 1.5) of this process's cgroup and its ancestors, or undefined when none is
 * set or none can be read. cgroup v2 (`0::/path` in /proc/self/cgroup, `cpu.max` = "QUOTA PERIOD" or "max PERIOD")
 * and v1's cpu controller (`cpu.cfs_quota_us`, -1 for none, and `cpu.cfs_period_us`); on a hybrid host both. Inside a
 * container the cgroup path is usually "/" and its files sit at the mount's root. A path that is not there (a
 * container without a cgroup namespace, where the runtime mounts the container's own cgroup at the root) is read
 * at the mount's root only. A path above the namespace's root (`/..`) has no limit this process can read.
 */
function cgroupCpuQuota(files) {
    const self = files.read('/proc/self/cgroup');
    if (self === undefined)
        return undefined;
    let tightest;
    const take = (q) => {
        if (q !== undefined && q > 0 && (tightest === undefined || q < tightest))
            tightest = q;
    };
    for (const line of self.split('\n')) {
        const fields = splitLine(line);
        if (!fields)
            continue;
        const [controllers, path] = fields;
        if (controllers === '') {
            // Every v2 cgroup has cgroup.controllers; cpu.max only where the parent enabled the cpu controller.
            for (const dir of ancestors(files, ROOT, path, 'cgroup.controllers'))
                take(v2Quota(files.read(`${dir}/cpu.max`)));
        }
        else if (controllers.split(',').includes('cpu')) {
            for (const mount of [`${ROOT}/cpu,cpuacct`, `${ROOT}/cpu`]) {
                for (const dir of ancestors(files, mount, path, 'cpu.cfs_period_us')) {
                    take(v1Quota(files.read(`${dir}/cpu.cfs_quota_us`), files.read(`${dir}/cpu.cfs_period_us`)));
                }
            }
        }
    }
    return tightest;
}
/**
 * CONTROLLERS and PATH of "ID:CONTROLLERS:PATH" (the path may hold colons and spaces), or undefined for another
 * line and for a path above the cgroup namespace's root.
 */
function splitLine(line) {
    const a = line.indexOf(':');
    const b = a < 0 ? -1 : line.indexOf(':', a + 1);
    const path = line.slice(b + 1);
    if (b < 0 || !path.startsWith('/') || path === '/..' || path.startsWith('/../'))
        return undefined;
    return [line.slice(a + 1, b), path];
}
/** The cgroup's directory under `mount` and each parent up to `mount`; only `mount` when the path is not there. */
function ancestors(files, mount, path, probe) {
    const joined = posix.join(mount, path); // normalized: a trailing slash at most
    const own = joined.endsWith('/') ? joined.slice(0, -1) : joined;
    if (!own.startsWith(`${mount}/`) || files.read(`${own}/${probe}`) === undefined)
        return [mount];
    const dirs = [own];
    for (let dir = posix.dirname(own); dir.startsWith(`${mount}/`); dir = posix.dirname(dir))
        dirs.push(dir);
    return [...dirs, mount];
}
function v2Quota(text) {
    const m = /^(\d+) (\d+)\s*$/.exec(text ?? '');
    return m && Number(m[2]) > 0 ? Number(m[1]) / Number(m[2]) : undefined;
}
function v1Quota(quota, period) {
    const q = Number((quota ?? '').trim());
    const p = Number((period ?? '').trim());
    return Number.isFinite(q) && Number.isFinite(p) && q > 0 && p > 0 ? q / p : undefined;
}

// Trust: extra CA certificates from the `ca-certificates` input, and the system bundle they are added to for go
// (SSL_CERT_FILE) and git (GIT_SSL_CAINFO).
// Where go's crypto/x509 looks on Linux (root_linux.go certFiles), in its order; the first readable one wins.
const LINUX_BUNDLES = [
    '/etc/ssl/certs/ca-certificates.crt', // Debian/Ubuntu/Gentoo etc.
    '/etc/pki/tls/certs/ca-bundle.crt', // Fedora/RHEL 6
    '/etc/ssl/ca-bundle.pem', // OpenSUSE
    '/etc/pki/tls/cacert.pem', // OpenELEC
    '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', // CentOS/RHEL 7
    '/etc/ssl/cert.pem' // Alpine Linux
];
const bundles = new Map();
/** The system CA bundle go would load, its path and text: read once per setting (the relay and go's bundle share it). */
function systemBundle(env = process.env, platform = process.platform) {
    const key = `${platform}\0${env.SSL_CERT_FILE ?? ''}`;
    if (bundles.has(key))
        return bundles.get(key);
    let found;
    const candidates = platform === 'win32' ? [] : platform === 'darwin' ? ['/etc/ssl/cert.pem'] : LINUX_BUNDLES;
    for (const file of env.SSL_CERT_FILE ? [env.SSL_CERT_FILE] : candidates) {
        try {
            const text = readFileSync(file, 'utf8');
            if (text.includes('-----BEGIN CERTIFICATE-----')) {
                found = { file, text };
                break;
            }
        }
        catch {
            // go moves on to the next candidate too
        }
    }
    bundles.set(key, found);
    return found;
}
const CA_FORM = 'give a path relative to the workspace to a PEM bundle, or the PEM text itself (-----BEGIN CERTIFICATE----- ...)';
/** Each certificate of a PEM text, validated with node:crypto; throws InputError naming `ca-certificates`. */
function parseCertificates(text, source) {
    const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
    if (blocks.length === 0)
        throw new InputError(`ca-certificates: ${source} holds no PEM certificate; ${CA_FORM}`);
    return blocks.map((pem, i) => {
        try {
            new X509Certificate(pem);
        }
        catch (e) {
            throw new InputError(`ca-certificates: certificate ${i + 1} in ${source} does not parse (${e.message}); ${CA_FORM}`);
        }
        return pem + '\n';
    });
}
/** Input `ca-certificates`: a path (relative to the workspace) to a PEM bundle, or the PEM text; validated PEMs. */
function loadCaInput(input, workspace) {
    const value = input.trim();
    if (value === '')
        return undefined;
    if (value.includes('-----BEGIN'))
        return parseCertificates(value, 'the input text');
    const source = `"${value}"`;
    const file = path.resolve(workspace, value);
    // A path into the workspace may not lead out of it; an absolute path elsewhere (a CA bundle the runner image
    // ships) may, but only to a regular file.
    const outside = !insideWorkspace(workspace, file);
    if (outside && (!path.isAbsolute(value) || !isRegularFile(file))) {
        throw new InputError(`ca-certificates: ${source} leads outside the workspace; ${CA_FORM} (an absolute path outside the workspace must be a readable regular file)`);
    }
    let text;
    try {
        text = readFileSync(file, 'utf8');
    }
    catch (e) {
        throw new InputError(`ca-certificates: cannot read ${source} (${e.code ?? 'error'}); ${CA_FORM}`);
    }
    return parseCertificates(text, source);
}
/**
 * Writes the system bundle plus `pems` under RUNNER_TEMP, for SSL_CERT_FILE and GIT_SSL_CAINFO, so that public
 * hosts still verify while the extra CAs are trusted too.
 */
async function writeCaBundle(pems, runnerTemp, env = process.env, platform = process.platform) {
    const sys = systemBundle(env, platform);
    const system = sys?.text ?? '';
    const bundleFile = path.join(runnerTemp, `go-tidy-guard-${randomUUID()}-ca.pem`);
    const sep = system === '' || system.endsWith('\n') ? '' : '\n';
    await promises.writeFile(bundleFile, system + sep + pems.join(''), { mode: 0o644, flag: 'wx' });
    return { pems, bundleFile, systemBundle: sys?.file };
}
function isRegularFile(p) {
    try {
        return statSync(p).isFile();
    }
    catch {
        return false;
    }
}

// The git token for private modules fetched directly: a git config file (0600, under RUNNER_TEMP) that git
// includes through GIT_CONFIG_*, so no environment variable holds the token.
/**
 * The git configuration that sends the token to `https://<host>/` for every host (a file git includes: see
 * gitTokenEnv).
 *
 * Why `http.<url>.extraHeader` and not a `url.<https://x-access-token:TOKEN@host/>.insteadOf` rewrite:
 * - go runs `git ls-remote`/`git fetch` with the plain `https://host/...` remote it derived; a header keeps that
 *   URL as is, while a rewrite puts the token into the URL git works with, and git prints that URL in some
 *   errors and traces (go then copies git's output into its own error).
 * - The header is sent on the first request, so there is no 401 round trip, and it is scoped by git's URL
 *   matching to exactly that scheme and host; an insteadOf rule would also compete with any insteadOf the
 *   user already has for the same prefix (the longest match wins).
 * - It is the form actions/checkout uses for the same token, so hosts that accept one accept the other.
 *
 * git sends every extraHeader it collected, so with actions/checkout's own `AUTHORIZATION: basic ...` for the same
 * host in a config git reads (or a URL-less `http.extraheader`) it would send two, and hosts answer 400 "Duplicate
 * header: Authorization". An empty value empties git's list: each host's header comes after one, read last (the
 * environment's entries follow every config file), so git sends the token's Authorization alone.
 */
function gitTokenConfig(token, hosts) {
    addSecret(token);
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
    addSecret(basic);
    // Hosts are validated (privateHosts): no quote or backslash can end the subsection name.
    return hosts
        .map((host) => `[http "https://${host}/"]\n\textraheader =\n\textraheader = AUTHORIZATION: basic ${basic}\n`)
        .join('');
}
/** gitTokenConfig written to a 0600 file under RUNNER_TEMP (deleted like the netrc file); undefined without token or hosts. */
async function writeGitTokenConfig(token, hosts, runnerTemp) {
    if (!token || hosts.length === 0)
        return undefined;
    const file = path.join(runnerTemp, `go-tidy-guard-${randomUUID()}.gitconfig`);
    await promises.writeFile(file, gitTokenConfig(token, hosts), { mode: 0o600, flag: 'wx' });
    await promises.chmod(file, 0o600);
    return file;
}
/**
 * Makes git read `file` (gitTokenConfig) after every config file, through `include.path` in GIT_CONFIG_*: the
 * environment, and so the variables exported to later steps, hold only the file's path, never the token.
 */
function gitTokenEnv(file, baseEnv) {
    if (!file)
        return {};
    const existing = Number(baseEnv.GIT_CONFIG_COUNT ?? '');
    // git rejects a bogus count ("bogus count in GIT_CONFIG_COUNT"); an unusable value is replaced, not extended.
    const n = Number.isInteger(existing) && existing > 0 ? existing : 0;
    return { [`GIT_CONFIG_KEY_${n}`]: 'include.path', [`GIT_CONFIG_VALUE_${n}`]: file, GIT_CONFIG_COUNT: String(n + 1) };
}
const HOST_FORM = 'give comma- or newline-separated host names such as github.example.com or git.corp.example:8443';
/** Input `private-hosts`: hosts (optionally host:port) that get the token; default the host of GITHUB_SERVER_URL. */
function privateHosts(input, serverUrl = process.env.GITHUB_SERVER_URL) {
    const items = input
        .split(/[,\n]/)
        .map((h) => h.trim())
        .filter((h) => h !== '');
    if (items.length === 0) {
        if (!serverUrl)
            return [];
        try {
            const host = new URL(serverUrl).host.toLowerCase();
            return host ? [host] : [];
        }
        catch {
            return [];
        }
    }
    const hosts = [];
    for (const item of items) {
        // A bare host or host:port: paths, schemes and userinfo would change what git's URL matching means.
        if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/i.test(item)) {
            throw new InputError(`private-hosts: "${item}" is not a host name; ${HOST_FORM}`);
        }
        const host = item.toLowerCase();
        if (!hosts.includes(host))
            hosts.push(host);
    }
    return hosts;
}

// netrc: the `netrc` input validated and written for go (0600, under RUNNER_TEMP), and the one matcher of which
// machine's credentials go sends with a request (netrcMachineFor), shared by the relay, preflight, the security
// review and the hints.
const NETRC_FORM = 'give netrc lines such as "machine proxy.example.com login USER password SECRET"';
const NETRC_KEYWORDS = new Set(['machine', 'default', 'login', 'password', 'account', 'macdef']);
/**
 * Parses netrc text exactly as go does (cmd/go/internal/auth/netrc.go): keyword/value pairs within a line, an
 * entry is complete once machine, login and password are known, `default` ends the file, `macdef` bodies skipped.
 */
function parseNetrc(text) {
    const out = [];
    let cur = { machine: '', login: '', password: '' };
    let inMacro = false;
    for (const line of text.replace(/\r/g, '').split('\n')) {
        if (inMacro) {
            if (line === '')
                inMacro = false;
            continue;
        }
        const f = line.split(/\s+/).filter((t) => t !== '');
        let i = 0;
        for (; i < f.length - 1; i += 2) {
            const [k, v] = [f[i], f[i + 1]];
            if (k === 'machine')
                cur = { machine: v, login: '', password: '' };
            else if (k === 'login')
                cur.login = v;
            else if (k === 'password')
                cur.password = v;
            else if (k === 'macdef')
                inMacro = true;
            if (cur.machine && cur.login && cur.password) {
                out.push(cur);
                cur = { machine: '', login: '', password: '' };
            }
        }
        if (i < f.length && f[i] === 'default')
            break;
    }
    return out;
}
/** Checks netrc text loosely, naming lines but never their values (a misplaced token may be a password). */
function checkNetrc(text) {
    const lines = text.replace(/\r/g, '').split('\n');
    let inMacro = false;
    lines.forEach((line, idx) => {
        if (inMacro) {
            inMacro = line !== '';
            return;
        }
        const f = line.split(/\s+/).filter((t) => t !== '');
        if (f.length === 0 || f[0].startsWith('#'))
            return;
        for (let i = 0; i < f.length; i += 2) {
            // `default` takes no value in netrc; go reads keyword pairs per line and simply finds nothing there.
            if (f[i] === 'default') {
                i--;
                continue;
            }
            if (!NETRC_KEYWORDS.has(f[i])) {
                throw new InputError(`netrc: line ${idx + 1}: expected a keyword (machine, login, password, ...) where another token stands; ${NETRC_FORM}`);
            }
            if (i + 1 >= f.length) {
                throw new InputError(`netrc: line ${idx + 1}: "${f[i]}" has no value on the same line (go reads keyword and value from one line); ${NETRC_FORM}`);
            }
            if (f[i] === 'macdef')
                inMacro = true;
            if (f[i] === 'machine' && /[/@]/.test(f[i + 1])) {
                throw new InputError(`netrc: line ${idx + 1}: machine "${f[i + 1]}" must be a host name (with :port when not 443), not a URL; ${NETRC_FORM}`);
            }
        }
    });
    const entries = parseNetrc(text);
    if (entries.length === 0)
        throw new InputError(`netrc: no complete entry with machine, login and password; ${NETRC_FORM}`);
    return entries;
}
/** Registers every password of netrc text as a secret, then validates it; throws InputError naming `netrc`. */
function validateNetrc(text) {
    // Secrets first: a validation error must not be the first place a password shows up unmasked.
    for (const m of text.matchAll(/\bpassword\s+(\S+)/g))
        addSecret(m[1]);
    for (const e of parseNetrc(text))
        addSecret(e.password);
    return checkNetrc(text);
}
/**
 * Input `netrc`: validates, and writes the text to a new 0600 file under RUNNER_TEMP for go's NETRC.
 * Returns the file's path (the post step deletes it with `removeCredentialFile`).
 */
async function writeNetrc(text, runnerTemp) {
    validateNetrc(text);
    const file = path.join(runnerTemp, `go-tidy-guard-${randomUUID()}.netrc`);
    // 'wx': never follow or reuse an existing path; mode applies at creation, before any byte is written.
    await promises.writeFile(file, text.endsWith('\n') ? text : text + '\n', { mode: 0o600, flag: 'wx' });
    await promises.chmod(file, 0o600); // umask cannot widen it, but make the intent explicit on every platform
    return file;
}
/**
 * The netrc credential go would use for `url` (Go 1.24+ GOAUTH=netrc): only for https, matching the machine
 * against `host[:port]/path` and its parent prefixes; the earliest line for a machine wins.
 */
function netrcCredentialFor(entries, url) {
    const machine = netrcMachineFor(entries.map((e) => e.machine), url);
    return machine === undefined ? undefined : entries.find((e) => e.machine === machine);
}
/**
 * The netrc machine whose credentials go sends with a request to `url`, or undefined: the one matcher that the relay,
 * preflight, the security review and the hints share. As cmd/go/internal/auth does it: only over https (go never
 * sends netrc credentials over plain http), the machine equal to `host[:port]` or to `host[:port]/path` for a
 * leading part of the URL's path, the longest match first.
 */
function netrcMachineFor(machines, url) {
    let u;
    try {
        u = new URL(url);
    }
    catch {
        return undefined;
    }
    if (u.protocol !== 'https:')
        return undefined;
    let prefix = (u.host + u.pathname).replace(/\/+$/, '');
    for (;;) {
        if (machines.includes(prefix))
            return prefix;
        const slash = prefix.lastIndexOf('/');
        if (slash < 0)
            return undefined;
        prefix = prefix.slice(0, slash);
    }
}

// Reads and validates every input before anything runs. Each error names the input and the accepted form.
/**
 * Two go processes per CPU the job may use (at most 64; a container's CPU quota counts, lib/cpus.ts): `go mod tidy`
 * leaves a CPU idle for part of its life (starting, reading go.mod and source files, waiting on the network), so a
 * second process per CPU fills those gaps. Measured on 300 modules and two cores: 0.83–0.89 of the time with one per
 * CPU, warm and cold.
 */
function defaultConcurrency() {
    return Math.min(64, 2 * usableCpus());
}
const defaultGetter = (name) => getInput(name);
function readInputs(get = defaultGetter, workspace = process.env.GITHUB_WORKSPACE || process.cwd()) {
    const token = get('token');
    addSecret(token);
    const netrc = get('netrc');
    if (netrc.trim())
        validateNetrc(netrc);
    const goproxyText = get('goproxy');
    let goproxy;
    try {
        goproxy = goproxyText.trim() ? parseProxyList(goproxyText, 'goproxy') : undefined;
    }
    catch (e) {
        if (e instanceof ProxyListError)
            throw new InputError(e.message);
        throw e;
    }
    return {
        workspace,
        workingDirectory: workingDirectory(get('working-directory'), workspace),
        modules: lines(get('modules')).map((m) => checkRelative('modules', m)),
        goproxy,
        goprivate: patterns('goprivate', get('goprivate')),
        gonoproxy: patterns('gonoproxy', get('gonoproxy')),
        gonosumdb: patterns('gonosumdb', get('gonosumdb')),
        gosumdb: gosumdb(get('gosumdb')),
        preflight: oneOf('preflight', get('preflight'), ['true', 'false', 'strict']),
        preflightTimeoutMs: seconds$1('preflight-timeout', get('preflight-timeout')),
        stallTimeoutMs: get('stall-timeout').trim() === '0' ? 0 : seconds$1('stall-timeout', get('stall-timeout')),
        concurrency: get('concurrency').trim() === '' ? defaultConcurrency() : wholeNumber('concurrency', get('concurrency'), 1, 64),
        shard: shard(get('shard')),
        retries: wholeNumber('retries', get('retries'), 0, 10),
        relay: bool('relay', get('relay')),
        cache: oneOf('cache', get('cache'), ['true', 'false', 'restore-only']),
        mode: oneOf('mode', get('mode'), ['check', 'fix']),
        tidyArgs: tidyArgs(get('tidy-args')),
        token,
        privateHosts: privateHosts(get('private-hosts')),
        netrc: netrc.trim() ? netrc : '',
        caCertificates: loadCaInput(get('ca-certificates'), workspace),
        exportEnv: bool('export-env', get('export-env'))
    };
}
function lines(text) {
    return text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'));
}
function workingDirectory(value, workspace) {
    const rel = value.trim() || '.';
    const abs = path.resolve(workspace, rel);
    let isDir = false;
    try {
        isDir = fs.statSync(abs).isDirectory();
    }
    catch {
        isDir = false;
    }
    if (!isDir) {
        throw new InputError(`working-directory: "${rel}" is not a directory; give a directory relative to the workspace (default ".")`);
    }
    if (!insideWorkspace(workspace, abs)) {
        throw new InputError(`working-directory: "${rel}" is outside the workspace (GITHUB_WORKSPACE), directly or through a symlink; give a directory inside it, relative to it`);
    }
    return abs;
}
function checkRelative(name, value) {
    if (path.isAbsolute(value) || value.split(/[\\/]/).includes('..')) {
        throw new InputError(`${name}: "${value}" must be a directory or glob relative to working-directory, without ".." or a leading "/"`);
    }
    return value;
}
function patterns(name, text) {
    const items = text
        .split(/[,\n]/)
        .map((p) => p.trim())
        .filter((p) => p !== '');
    if (items.length === 0)
        return undefined;
    for (const p of items) {
        if (/\s/.test(p) || p.includes('://')) {
            throw new InputError(`${name}: "${p}" is not a module path pattern; give comma- or newline-separated patterns such as example.com/private,*.corp.example.com`);
        }
    }
    return items.join(',');
}
/**
 * The forms go accepts: `off`, a database name (a host name, maybe with a port), or its verifier key
 * (`name+hash+key`: eight hex digits and base64) optionally followed by the database's http(s) URL.
 */
function gosumdb(text) {
    const v = text.trim();
    if (v === '' || v === 'off')
        return v || undefined;
    const [key, url, ...more] = v.split(/\s+/);
    const plus = key.indexOf('+');
    const name = plus < 0 ? key : key.slice(0, plus);
    const verifier = plus < 0 ? undefined : key.slice(plus + 1); // hash+data; base64 data may hold `+` itself
    const ok = more.length === 0 &&
        /^[A-Za-z0-9][A-Za-z0-9.-]*(:\d{1,5})?$/.test(name) &&
        (verifier === undefined || /^[0-9a-f]{8}\+[A-Za-z0-9/+=]+$/.test(verifier)) &&
        (url === undefined || (verifier !== undefined && /^https?:\/\/[^\s]+$/i.test(url)));
    if (!ok) {
        throw new InputError(`gosumdb: "${v}" is not valid; accepted: "off", a database name ("sum.example.com"), its key ("name+hash+key"), ` +
            'or its key and URL ("name+hash+key https://url")');
    }
    return v;
}
function oneOf(name, value, allowed) {
    const v = value.trim().toLowerCase();
    if (allowed.includes(v))
        return v;
    throw new InputError(`${name}: "${value}" is not accepted; use one of: ${allowed.join(', ')}`);
}
function bool(name, value) {
    return oneOf(name, value, ['true', 'false']) === 'true';
}
function seconds$1(name, value) {
    const v = value.trim();
    const n = Number(v);
    // Below a tenth of a second nothing can answer: such a value is a mistake, not a deadline.
    if (v === '' || !/^\d*\.?\d+$/.test(v) || !Number.isFinite(n) || n < 0.1 || n > 600) {
        throw new InputError(`${name}: "${value}" is not accepted; give a number of seconds from 0.1 to 600, such as 5 or 2.5`);
    }
    return Math.round(n * 1000);
}
function shard(text) {
    const v = text.trim();
    if (v === '')
        return undefined;
    const m = /^(\d{1,4})\/(\d{1,4})$/.exec(v);
    const index = Number(m?.[1]);
    const count = Number(m?.[2]);
    if (!m || count < 1 || index < 1 || index > count) {
        throw new InputError(`shard: "${text}" is not accepted; give K/N with 1 <= K <= N, such as 2/8 (this job's part of N)`);
    }
    return { index, count };
}
function wholeNumber(name, value, min, max) {
    const v = value.trim();
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
        throw new InputError(`${name}: "${value}" is not accepted; give a whole number from ${min} to ${max}`);
    }
    return Number(v);
}
// Go versions as go.mod's go line takes them (modfile.GoVersionRE): 1.N, 1.N.P, 1.NrcK, 1.NbetaK, no leading zeros.
const GO_VERSION = '(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)(?:\\.(?:0|[1-9]\\d*)|(?:rc|beta)[1-9]\\d*)?';
const TIDY_FLAG = new RegExp(`^-(e|v|x|compat=${GO_VERSION}|go=${GO_VERSION})$`);
function tidyArgs(text) {
    const args = text.split(/\s+/).filter((a) => a !== '');
    for (const a of args) {
        const normal = a.startsWith('--') ? a.slice(1) : a;
        if (!TIDY_FLAG.test(normal)) {
            throw new InputError(`tidy-args: "${a}" is not accepted; allowed flags are -e, -v, -x, -compat=<go version>, -go=<go version>`);
        }
    }
    return args;
}

// Runs the go command. Output is captured, never streamed: reporting decides what the user sees.
// node's execFile starts go within the call. (@actions/exec first awaits a stat of the binary, and in that turn of
// the event loop preflight's pending work ran first: a warm-cache tidy started about 15 ms late.)
function runGo(go, args, opts = {}) {
    return new Promise((resolve, reject) => {
        const options = { cwd: opts.cwd, env: opts.env, encoding: 'utf8', maxBuffer: Infinity, windowsHide: true };
        execFile(go.bin, args, options, (err, stdout, stderr) => {
            // A number is go's exit status; a string code (ENOENT, EACCES) means go never started.
            if (err && typeof err.code === 'string')
                return reject(new Error(`cannot run ${go.bin}: ${err.message}`));
            const exitCode = !err ? 0 : typeof err.code === 'number' ? err.code : 1; // killed by a signal
            resolve({ exitCode, stdout, stderr: err?.signal ? `${stderr}\ngo was killed by ${err.signal}` : stderr });
        });
    });
}

// Finds the go command (PATH first, then the newest Go in the runner's tool cache) and reads `go env -json` once.
class ToolchainError extends Error {
}
/** The `go env` variables the stages read. */
const GO_ENV_VARS = [
    'GOVERSION',
    'GOMODCACHE',
    'GOPROXY',
    'GOPRIVATE',
    'GONOPROXY',
    'GONOSUMDB',
    'GOSUMDB',
    'GOINSECURE',
    'GOFLAGS'
];
/**
 * Finds go and reads its environment. `go env` starts within this call when go is on PATH (POSIX), so the caller's
 * synchronous work right after it (the walk for go.mod files) runs while go does.
 */
function findGo(env = process.env) {
    const onPath = process.platform === 'win32' ? undefined : onPosixPath('go', env.PATH ?? '');
    return onPath ? readGoEnv(onPath, env) : findGoSlowly(env);
}
async function findGoSlowly(env) {
    const bin = (await which('go', false)) || (await fromToolCache(env));
    if (!bin) {
        throw new ToolchainError('go was not found on PATH or in the runner tool cache; add a step `uses: actions/setup-go` (with go-version-file: go.mod) before this action');
    }
    return readGoEnv(bin, env);
}
/** The first executable `name` in the absolute entries of a POSIX PATH, or undefined. */
function onPosixPath(name, pathVar) {
    for (const dir of pathVar.split(path.delimiter)) {
        if (!path.isAbsolute(dir))
            continue; // never a go from the checkout (io.which, the fallback, may still find one)
        const file = path.join(dir, name);
        try {
            if (fs.statSync(file).isFile()) {
                fs.accessSync(file, fs.constants.X_OK);
                return file;
            }
        }
        catch {
            // not here
        }
    }
    return undefined;
}
async function readGoEnv(bin, env) {
    // Named variables only: a bare `go env -json` computes every variable (cgo, compiler probing) and costs
    // a quarter of a second on a fresh runner.
    const r = await runGo({ bin }, ['env', '-json', ...GO_ENV_VARS], { env: stringEnv(env) });
    if (r.exitCode !== 0) {
        throw new ToolchainError(`\`go env -json\` failed (exit ${r.exitCode}): ${r.stderr.trim().split('\n')[0]}`);
    }
    const goEnv = JSON.parse(r.stdout);
    const version = (goEnv.GOVERSION || '').replace(/^go/, '');
    return { bin, version, env: goEnv };
}
async function fromToolCache(env) {
    if (!env.RUNNER_TOOL_CACHE)
        return undefined;
    const tc = await import('./shared/tool-cache.js'); // only needed when go is not on PATH
    // tc.find with '*' evaluates semver and returns the newest installed version.
    const dir = tc.find('go', '*');
    return dir ? path.join(dir, 'bin', process.platform === 'win32' ? 'go.exe' : 'go') : undefined;
}
/** True when this go supports `go mod tidy -diff` (Go 1.23 and later; devel builds count as new). */
function supportsTidyDiff(version) {
    const m = /^(\d+)\.(\d+)/.exec(version);
    if (!m)
        return true;
    return Number(m[1]) > 1 || Number(m[2]) >= 23;
}
/** Orders Go versions by their numbers (1.21 < 1.21.3 < 1.22); pre-release suffixes are ignored. */
function compareGoVersions(a, b) {
    const nums = (v) => (/^(\d+)\.(\d+)(?:\.(\d+))?/.exec(v) ?? []).slice(1).map((n) => Number(n ?? 0));
    const [x, y] = [nums(a), nums(b)];
    for (let i = 0; i < 3; i++)
        if ((x[i] ?? 0) !== (y[i] ?? 0))
            return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
}
/**
 * tidy-args' `-go=` and `-compat=` must name a Go this toolchain knows: go cannot write a go line newer than itself
 * (with GOTOOLCHAIN=local it fails with a generic error). Checked before anything is downloaded.
 */
function checkTidyGoVersions(tidyArgs, goVersion) {
    for (const a of tidyArgs) {
        const m = /^--?(go|compat)=(.+)$/.exec(a);
        if (m && /^\d/.test(goVersion) && compareGoVersions(m[2], goVersion) > 0) {
            throw new InputError(`tidy-args: "${a}" names Go ${m[2]}, newer than the installed Go ${goVersion}; give a version up to ${goVersion}, or install a newer Go before this step`);
        }
    }
}
function stringEnv(env) {
    const out = {};
    for (const [k, v] of Object.entries(env))
        if (v !== undefined)
            out[k] = v;
    return out;
}

function effectiveSettings(inputs, goEnv, processEnv = process.env) {
    const proxies = inputs.goproxy ?? parseProxyList(goEnv.GOPROXY || 'off', 'GOPROXY (from go env)');
    for (const p of proxies)
        if (p.kind === 'url')
            redactUrl(p.url); // registers URL credentials as secrets
    const GOPRIVATE = inputs.goprivate ?? goEnv.GOPRIVATE ?? '';
    // go derives GONOPROXY and GONOSUMDB from GOPRIVATE when they are not set explicitly; `go env` reports the
    // derived value, which is stale when the goprivate input changes GOPRIVATE.
    const derived = (name, input) => {
        if (input !== undefined)
            return input;
        if (inputs.goprivate !== undefined && !processEnv[name])
            return GOPRIVATE;
        return goEnv[name] ?? '';
    };
    return {
        proxies,
        GOPROXY: formatProxyList(proxies),
        GOPRIVATE,
        GONOPROXY: derived('GONOPROXY', inputs.gonoproxy),
        GONOSUMDB: derived('GONOSUMDB', inputs.gonosumdb),
        GOSUMDB: inputs.gosumdb ?? goEnv.GOSUMDB ?? ''
    };
}

// go.mod text scanning: the module path (read without starting go: one process less per module, about 30 ms of a
// warm-cache step) and the line numbers that annotations need. go itself is the authority on what a go.mod means;
// tidy reports any go.mod it cannot parse, and the tests check this scanner against `go mod edit -json`.
/** Splits a go.mod line into its tokens and its trailing `//` comment (go.mod has no other comment form). */
function splitComment(text) {
    // A `//` inside a quoted path is not a comment; go.mod strings are Go interpreted or raw strings. Most lines
    // quote nothing: their comment starts at the first `//`.
    if (!hasQuote(text)) {
        const at = text.indexOf('//');
        return at < 0
            ? { body: text.trim(), comment: '' }
            : { body: text.slice(0, at).trim(), comment: text.slice(at + 2).trim() };
    }
    let quote = '';
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (quote) {
            if (c === '\\' && quote === '"')
                i++;
            else if (c === quote)
                quote = '';
        }
        else if (c === '"' || c === '`') {
            quote = c;
        }
        else if (c === '/' && text[i + 1] === '/') {
            return { body: text.slice(0, i).trim(), comment: text.slice(i + 2).trim() };
        }
    }
    return { body: text.trim(), comment: '' };
}
/** Same rule as golang.org/x/mod/modfile isIndirect: the comment is `indirect` or starts with `indirect;`. */
function isIndirect(comment) {
    const f = comment.split(/\s+/).filter(Boolean);
    return (f.length === 1 && f[0] === 'indirect') || (f.length > 1 && f[0] === 'indirect;');
}
function unquote(token) {
    if (token.startsWith('`') && token.endsWith('`') && token.length >= 2)
        return token.slice(1, -1);
    if (token.startsWith('"') && token.endsWith('"') && token.length >= 2) {
        try {
            return JSON.parse(token);
        }
        catch {
            return token.slice(1, -1);
        }
    }
    return token;
}
/** Tokens of a statement body: bare words and quoted strings. */
function tokens(body) {
    // A scanner, not a pattern: a go.mod comes from the pull request, and `"(?:[^"\\]|\\.)*"` is quadratic on a line
    // of unclosed quotes. Once a quote finds no closer, no later one can (escapes resync after a quote), so a line is
    // read once.
    if (!hasQuote(body))
        return body.split(/\s+/).filter(Boolean); // the common line: words between spaces
    const out = [];
    const closed = { '"': true, '`': true };
    let i = 0;
    while (i < body.length) {
        const c = body[i];
        if (c === '"' || c === '`') {
            const end = closed[c] ? closer(body, i) : -1;
            if (end < 0)
                closed[c] = false;
            if (end >= 0)
                out.push(body.slice(i, end + 1));
            i = end >= 0 ? end + 1 : i + 1; // an unclosed quote is skipped, as go's tokenizer would fail on it
        }
        else if (isSpace(c))
            i++;
        else {
            let j = i;
            while (j < body.length && !isSpace(body[j]) && body[j] !== '"' && body[j] !== '`')
                j++;
            out.push(body.slice(i, j));
            i = j;
        }
    }
    return out;
}
const hasQuote = (s) => s.includes('"') || s.includes('`');
/** `\s` as a regular expression reads it, without running one per character (ASCII first: a go.mod is ASCII). */
function isSpace(c) {
    return c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\v' || c === '\f' || (c > '\x7f' && /\s/.test(c));
}
/** Index of the quote closing the string that starts at `start`, or -1. */
function closer(s, start) {
    if (s[start] === '`')
        return s.indexOf('`', start + 1);
    for (let i = start + 1; i < s.length; i++) {
        if (s[i] === '\\')
            i++;
        else if (s[i] === '"')
            return i;
    }
    return -1;
}
/**
 * Parses one requirement line's text: `require path version`, or `path version` inside a block (`inBlock`).
 * Returns undefined for anything else (block brackets, other directives, comments).
 */
function parseRequireText(text, inBlock) {
    const { body, comment } = splitComment(text);
    let t = tokens(body);
    if (!inBlock) {
        if (t[0] !== 'require')
            return undefined;
        t = t.slice(1);
    }
    if (t.length !== 2 || t[0] === '(' || t[0] === ')')
        return undefined;
    return { path: unquote(t[0]), version: unquote(t[1]), indirect: isIndirect(comment) };
}
/** Scans go.mod text for requirements, require blocks, replaced paths and the module/go/toolchain directives. */
function scanGoMod(text) {
    const scan = { requires: [], blocks: [], moduleLine: 0, ignores: [], replaces: [] };
    const lines = text.split('\n');
    // The verb of the block we are in (`require`, `replace`, ...), and where it started.
    let block;
    for (let i = 0; i < lines.length; i++) {
        const n = i + 1;
        const { body } = splitComment(lines[i].replace(/\r$/, ''));
        if (!body)
            continue;
        if (block) {
            if (body === ')') {
                if (block.verb === 'require')
                    closeBlock(scan, block.start, n, block.first);
                block = undefined;
            }
            else if (block.verb === 'require') {
                const r = parseRequireText(lines[i], true);
                if (r)
                    scan.requires.push({ ...r, line: n });
            }
            else if (block.verb === 'module' && scan.modulePath === undefined) {
                scan.modulePath = unquote(tokens(body)[0]);
            }
            else if (block.verb === 'ignore') {
                scan.ignores.push(unquote(tokens(body)[0]));
            }
            else if (block.verb === 'replace') {
                replaced(scan, tokens(body));
            }
            continue;
        }
        const opened = /^([A-Za-z]+)\s*\($/.exec(body);
        if (opened) {
            block = { verb: opened[1], start: n, first: scan.requires.length };
            if (opened[1] === 'module' && !scan.moduleLine)
                scan.moduleLine = n;
            continue;
        }
        directive(scan, lines[i], body, n);
    }
    return scan;
}
function directive(scan, raw, body, n) {
    const t = tokens(body);
    if (t[0] === 'module' && !scan.moduleLine) {
        scan.moduleLine = n;
        if (t.length === 2)
            scan.modulePath = unquote(t[1]);
    }
    else if (t[0] === 'go' && t.length === 2)
        scan.go = { version: t[1], line: n };
    else if (t[0] === 'toolchain' && t.length === 2)
        scan.toolchain = { name: t[1], line: n };
    else if (t[0] === 'ignore' && t.length === 2)
        scan.ignores.push(unquote(t[1]));
    else if (t[0] === 'replace')
        replaced(scan, t.slice(1));
    else if (t[0] === 'require') {
        const r = parseRequireText(raw, false);
        if (!r)
            return;
        scan.requires.push({ ...r, line: n });
        scan.blocks.push({ start: n, end: n, indirect: r.indirect });
    }
}
/** `old [version] => new [version]`: records `old`. */
function replaced(scan, t) {
    const arrow = t.indexOf('=>');
    if (arrow === 1 || arrow === 2)
        return void scan.replaces.push(unquote(t[0]));
    // `=>` without spaces is a line go cannot parse, but it still names a path the user does not want fetched from a
    // proxy (often a private one): it counts as replaced.
    if (t.length > 0 && t.some((x) => x.includes('=>')))
        scan.replaces.push(unquote(t[0].split('=>')[0]));
}
function closeBlock(scan, start, end, first) {
    const inside = scan.requires.slice(first);
    scan.blocks.push({ start, end, indirect: inside.length > 0 && inside.every((r) => r.indirect) });
}

// Finds the modules to check: every module below working-directory (go.work's `use` directories and every go.mod,
// skipping what go skips: testdata, vendor, directories named `.*` or `_*`, and those a go.mod's `ignore` directive
// leaves out), narrowed by the `modules` input when given. go reads go.work; module paths come from go/gomod.ts.
class ModulesError extends Error {
}
/**
 * Walks working-directory for go.mod files (synchronously; never throws). The pipeline walks while `go env` runs in
 * its own process, so the walk adds no time of its own to a step.
 */
function walkModuleTree(workingDirectory) {
    const scans = new Map();
    try {
        return { dirs: walk(workingDirectory, [], scans), scans };
    }
    catch (error) {
        return { error };
    }
}
async function discoverModules(o, tree) {
    const walked = tree ?? walkModuleTree(o.workingDirectory);
    if ('error' in walked)
        throw walked.error;
    // go.mod files the walk already read and scanned: each is scanned once.
    const { scans } = walked;
    const all = unique(await withWorkspace(o, walked.dirs));
    const dirs = o.patterns.length > 0 ? unique(await fromPatterns(o, new Set(all))) : all;
    if (dirs.length === 0) {
        throw new ModulesError(`no go.mod found in or below working-directory "${rel(o.workspace, o.workingDirectory)}"; set working-directory or modules`);
    }
    for (const dir of dirs) {
        // The walk follows no symlink, so what it found is inside working-directory (itself checked): only the files are.
        const why = moduleOutsideWorkspace(o.workspace, dir, scans.has(dir));
        const input = o.patterns.length > 0 ? 'modules' : 'working-directory';
        if (why)
            throw new ModulesError(`${input}: the module in "${rel(o.workspace, dir)}" cannot be checked: ${why}`);
    }
    const mine = o.shard ? dirs.filter((d) => inShard(rel(o.workspace, d), o.shard)) : dirs;
    const modules = await Promise.all(mine.map((dir) => readModule(o, dir, scans.get(dir))));
    const goMods = new Map(mine.flatMap((dir) => (scans.has(dir) ? [[dir, scans.get(dir)]] : [])));
    return { modules, found: new Set([...all, ...dirs]).size, goMods };
}
/**
 * Whether a module directory belongs to shard K of N: FNV-1a of its workspace-relative path, so every job of a
 * matrix computes the same split, whatever order or machine, and a module keeps its shard as others come and go.
 */
function inShard(relDir, shard) {
    let h = 0x811c9dc5;
    for (const byte of Buffer.from(relDir, 'utf8'))
        h = Math.imul(h ^ byte, 0x01000193) >>> 0;
    return h % shard.count === shard.index - 1;
}
function unique(dirs) {
    return [...new Set(dirs.map((d) => path.resolve(d)))].sort();
}
/**
 * The module directories the patterns match. A `**` does not reach into what discovery skips (testdata, vendor, `.*`,
 * `_*`, ignore directives: `discovered` is discovery's set) unless the pattern names such a directory itself.
 */
async function fromPatterns(o, discovered) {
    const glob = await import('./shared/glob.js'); // only needed for the modules input
    const out = [];
    for (const pattern of o.patterns) {
        const globber = await glob.create(path.join(o.workingDirectory, pattern), {
            matchDirectories: true,
            implicitDescendants: false,
            followSymbolicLinks: false
        });
        const found = (await globber.glob())
            .filter((d) => fs.existsSync(path.join(d, 'go.mod')))
            .filter((d) => !pattern.includes('**') ||
            discovered.has(path.resolve(d)) ||
            named(pattern, path.relative(o.workingDirectory, d)));
        if (found.length === 0) {
            throw new ModulesError(`modules: "${pattern}" matches no directory with a go.mod; give module directories or globs relative to working-directory`);
        }
        out.push(...found);
    }
    return out;
}
/** The walk's directories plus go.work's `use` directories (go reads go.work). */
async function withWorkspace(o, walked) {
    const wd = o.workingDirectory;
    const dirs = [...walked];
    if (fs.existsSync(path.join(wd, 'go.work'))) {
        const r = await runGo(o.go, ['work', 'edit', '-json'], { cwd: wd, env: o.env });
        if (r.exitCode !== 0)
            throw new ModulesError(`go.work in "${rel(o.workspace, wd)}": ${firstLine(r.stderr)}`);
        const work = JSON.parse(r.stdout);
        dirs.push(...(work.Use ?? []).map((u) => path.resolve(wd, u.DiskPath)));
    }
    return dirs;
}
// What go itself never treats as part of a module tree (plus node_modules, which holds no Go modules of the repo).
const SKIP = new Set(['vendor', 'testdata', 'node_modules']);
const skipped = (name) => SKIP.has(name) || name.startsWith('.') || name.startsWith('_');
/** On the way to relDir lie directories discovery skips by name, and the pattern names each of them itself. */
function named(pattern, relDir) {
    const elems = new Set(pattern.split('/'));
    const segs = relDir.split(path.sep);
    return segs.some(skipped) && segs.every((seg) => !skipped(seg) || elems.has(seg));
}
function walk(dir, ignores, scans) {
    const out = [];
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    if (entries.some((e) => (e.isFile() || e.isSymbolicLink()) && e.name === 'go.mod')) {
        out.push(dir);
        const scan = scanFile(dir);
        if (scan)
            scans.set(dir, scan);
        ignores = [...ignores, ignoresOf(dir, scan?.ignores ?? [])];
    }
    for (const e of entries) {
        if (!e.isDirectory() || skipped(e.name))
            continue;
        const sub = path.join(dir, e.name);
        if (ignores.some((i) => ignored(i, sub)))
            continue;
        out.push(...walk(sub, ignores, scans));
    }
    return out;
}
/** The scan of dir/go.mod, or undefined when it cannot be read here (readModule then says why). */
function scanFile(dir) {
    try {
        return scanGoMod(fs.readFileSync(path.join(dir, 'go.mod'), 'utf8'));
    }
    catch {
        return undefined;
    }
}
function ignoresOf(root, list) {
    const slashed = (p) => `/${p.replace(/^\/+|\/+$/g, '')}/`;
    return {
        root,
        relative: list.filter((p) => p.startsWith('./')).map((p) => slashed(p.slice(2))),
        any: list.filter((p) => !p.startsWith('./')).map(slashed)
    };
}
function ignored(i, dir) {
    const r = `/${path.relative(i.root, dir).split(path.sep).join('/')}/`;
    return i.relative.some((p) => r.startsWith(p)) || i.any.some((p) => r.includes(p));
}
async function readModule(o, dir, scanned) {
    const scan = scanned ??
        scanGoMod(await fs.promises.readFile(path.join(dir, 'go.mod'), 'utf8').catch((e) => {
            throw new ModulesError(`${rel(o.workspace, dir)}/go.mod: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
        }));
    return { dir, rel: rel(o.workspace, dir), path: scan.modulePath ?? '' };
}
/** Path of `p` relative to the workspace, '/'-separated, '.' for the workspace itself. */
function rel(workspace, p) {
    return path.relative(workspace, p).split(path.sep).join('/') || '.';
}
function firstLine(text) {
    return text.trim().split('\n')[0] ?? '';
}

// go's rules for module paths and versions in module proxy URLs, one home for them: golang.org/x/mod/module
// (CheckPath, EscapePath/UnescapePath, EscapeVersion/UnescapeVersion) and cmd/go's pathEscape (proxy.go).
// Upper case is written `!` + lower case (`example.com/BurntSushi` -> `example.com/!burnt!sushi`), and
// go percent-encodes the `!` in URLs. Every function is one pass over its input (the input is untrusted).
/** `!#$%&()+,-.=@[]^_{}~ ` and ASCII letters and digits: go's fileNameOK (versions are file-name elements). */
const FILE_NAME_PUNCT = new Set('!#$%&()+,-.=@[]^_{}~ ');
const WINDOWS_NAMES = new Set([
    'con',
    'prn',
    'aux',
    'nul',
    ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((i) => [`com${i}`, `lpt${i}`])
]);
const isDigit = (c) => c >= '0' && c <= '9';
const isLower = (c) => c >= 'a' && c <= 'z';
const isUpper = (c) => c >= 'A' && c <= 'Z';
const isAlnum = (c) => isDigit(c) || isLower(c) || isUpper(c);
const modPathOK = (c) => isAlnum(c) || c === '-' || c === '.' || c === '_' || c === '~';
const firstPathOK = (c) => isDigit(c) || isLower(c) || c === '-' || c === '.';
// Non-ASCII letters pass go's check of an unescaped version, though EscapeVersion then refuses them.
const fileNameOK = (c) => isAlnum(c) || FILE_NAME_PUNCT.has(c) || (c > '\x7f' && /^\p{L}$/u.test(c));
/** go's checkElem: why `elem` is not a valid path element of this kind, or undefined. */
function checkElem(elem, kind) {
    if (elem === '')
        return 'empty path element';
    let dots = 0;
    for (const c of elem) {
        if (c === '.')
            dots++;
        if (!(kind === 'module' ? modPathOK(c) : fileNameOK(c)))
            return `invalid char ${JSON.stringify(c)}`;
    }
    if (dots === elem.length)
        return `invalid path element ${JSON.stringify(elem)}`;
    if (kind === 'module' && elem.startsWith('.'))
        return 'leading dot in path element';
    if (elem.endsWith('.'))
        return 'trailing dot in path element';
    const dot = elem.indexOf('.');
    const short = dot < 0 ? elem : elem.slice(0, dot);
    if (WINDOWS_NAMES.has(short.toLowerCase()))
        return `${JSON.stringify(short)} disallowed as path element component on Windows`;
    const tilde = short.lastIndexOf('~');
    if (kind === 'module' && tilde >= 0 && tilde < short.length - 1 && [...short.slice(tilde + 1)].every(isDigit)) {
        return 'trailing tilde and digits in path element';
    }
    return undefined;
}
/** go's SplitPathVersion `ok`: a `/vN` suffix has N >= 2 without a leading 0; gopkg.in paths end in `.vN`. */
function majorSuffixOK(path) {
    if (path.startsWith('gopkg.in/')) {
        let i = path.endsWith('-unstable') ? path.length - '-unstable'.length : path.length;
        while (i > 0 && isDigit(path[i - 1]))
            i--;
        if (i <= 1 || path[i - 1] !== 'v' || path[i - 2] !== '.' || i === path.length)
            return false;
        return path[i] !== '0' || path.slice(i - 2) === '.v0';
    }
    let i = path.length;
    let dot = false;
    while (i > 0 && (isDigit(path[i - 1]) || path[i - 1] === '.')) {
        if (path[i - 1] === '.')
            dot = true;
        i--;
    }
    if (i <= 1 || i === path.length || path[i - 1] !== 'v' || path[i - 2] !== '/')
        return true;
    return !dot && path[i] !== '0' && path.slice(i) !== '1';
}
/** go's module.CheckPath: why `path` is not a valid module path, or undefined. */
function checkModulePath(path) {
    if (path === '')
        return 'empty string';
    if (path.startsWith('-'))
        return 'leading dash';
    if (path.includes('//'))
        return 'double slash';
    if (path.endsWith('/'))
        return 'trailing slash';
    const elems = path.split('/');
    for (const e of elems) {
        const bad = checkElem(e, 'module');
        if (bad)
            return bad;
    }
    const first = elems[0];
    if (!first.includes('.'))
        return 'missing dot in first path element';
    const c = [...first].find((ch) => !firstPathOK(ch));
    if (c !== undefined)
        return `invalid char ${JSON.stringify(c)} in first path element`;
    return majorSuffixOK(path) ? undefined : 'invalid version';
}
/** The check of go's EscapeVersion: why `v` cannot be a version in a proxy URL, or undefined. */
function checkVersion(v) {
    if (v.includes('!'))
        return 'disallowed version string';
    const bad = checkElem(v, 'file');
    return bad && `disallowed version string: ${bad}`;
}
/** go's escapeString: upper case to `!` + lower case; undefined for `!` or non-ASCII (never valid). */
function escapeString(s) {
    let out = '';
    for (const c of s) {
        if (c === '!' || c > '\x7f')
            return undefined;
        out += isUpper(c) ? '!' + c.toLowerCase() : c;
    }
    return out;
}
/** go's unescapeString: undefined for upper case, non-ASCII, or a `!` not followed by a lower-case letter. */
function unescapeString(escaped) {
    let out = '';
    let bang = false;
    for (const c of escaped) {
        if (c > '\x7f')
            return undefined;
        if (bang) {
            if (!isLower(c))
                return undefined;
            out += c.toUpperCase();
            bang = false;
        }
        else if (c === '!')
            bang = true;
        else if (isUpper(c))
            return undefined;
        else
            out += c;
    }
    return bang ? undefined : out;
}
/** go's EscapePath: `example.com/BurntSushi/toml` -> `example.com/!burnt!sushi/toml`; undefined when CheckPath fails. */
function escapePath(path) {
    return checkModulePath(path) === undefined ? escapeString(path) : undefined;
}
/** go's UnescapePath: the module path of an escaped one; undefined when either form is invalid. */
function unescapePath(escaped) {
    const path = unescapeString(escaped);
    return path !== undefined && checkModulePath(path) === undefined ? path : undefined;
}
/** go's EscapeVersion: `v1.0.0-RC1` -> `v1.0.0-!r!c1`; undefined for a version go never puts in a URL. */
function escapeVersion(v) {
    return checkVersion(v) === undefined ? escapeString(v) : undefined;
}
/** go's UnescapeVersion; undefined when the escaped or the unescaped form is invalid. */
function unescapeVersion(escaped) {
    const v = unescapeString(escaped);
    return v !== undefined && checkElem(v, 'file') === undefined ? v : undefined;
}
/** Bytes url.PathEscape leaves alone, plus `/`: cmd/go's pathEscape turns `%2F` back into `/`. */
const PATH_SAFE = new Set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~$&+:=@/');
/** cmd/go's pathEscape (url.PathEscape, `/` kept): how go writes escaped paths and versions into proxy URLs. */
function pathEscape(s) {
    let out = '';
    for (const byte of Buffer.from(s, 'utf8')) {
        const c = String.fromCharCode(byte);
        out += PATH_SAFE.has(c) ? c : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
    }
    return out;
}
// go's canonical versions (semver.Canonical, plus +incompatible): only these name content that never changes.
const CANONICAL = /^v(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+incompatible)?$/;
/** A canonical version (v1.2.3, v1.2.3-pre, a pseudo-version, v2.0.0+incompatible): what go fetches .mod/.zip for. */
function isCanonicalVersion(v) {
    return CANONICAL.test(v);
}

// Host names as URLs carry them: one home for the rules several stages need.
/** `[::1]` -> `::1`: URL.hostname keeps an IPv6 literal's brackets; sockets, TLS and net.isIP want it bare. */
function unbracket(host) {
    return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
/** A loopback IP (127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6). Not a name: see isLoopbackHost. */
function isLoopbackIp(ip) {
    const v4 = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
    if (isIP(v4) === 4)
        return v4.startsWith('127.');
    const bl = new BlockList();
    bl.addAddress('::1', 'ipv6');
    return isIP(v4) === 6 && bl.check(v4, 'ipv6');
}
/** `localhost` or a loopback IP, brackets and case aside: traffic that never leaves the machine. */
function isLoopbackHost(host) {
    const h = unbracket(host).toLowerCase();
    return h === 'localhost' || isLoopbackIp(h);
}

// Security review of the effective settings: each finding weakens module verification or exposes credentials or
// private module paths. Findings are warnings for the summary; none stops the run.
function securityReview(s) {
    const out = [];
    if (s.GOSUMDB.trim() === 'off') {
        out.push({
            title: 'Checksum database disabled',
            message: 'GOSUMDB=off: modules missing from go.sum are accepted without verification against the checksum database.'
        });
    }
    if (s.GOINSECURE.trim() !== '') {
        out.push({
            title: 'Insecure module fetches allowed',
            message: `GOINSECURE=${s.GOINSECURE.trim()}: modules matching these patterns may be fetched over plain http or with unverified TLS certificates.`
        });
    }
    if (/(^|\s)--?insecure(=(true|1|t|TRUE|True|T))?(?=\s|$)/.test(s.GOFLAGS)) {
        out.push({
            title: 'GOFLAGS contains -insecure',
            message: 'GOFLAGS sets -insecure: go may fetch over plain http and skip TLS verification.'
        });
    }
    const broad = s.GONOSUMDB.split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '' && !coveredBy(p, s.GOPRIVATE));
    if (broad.length > 0) {
        out.push({
            title: 'GONOSUMDB broader than GOPRIVATE',
            message: `GONOSUMDB pattern(s) ${broad.join(', ')} are not covered by GOPRIVATE (${s.GOPRIVATE || 'empty'}): ` +
                'public modules under them skip the checksum database.'
        });
    }
    out.push(...plainHttpCredentials(s.proxies, s.netrcHosts));
    const leak = privateToPublic(s.proxies, s.netrcHosts, s.GOPRIVATE);
    if (leak)
        out.push(leak);
    return out.map((f) => ({ title: f.title, message: redact(f.message) }));
}
/** True when the go-style pattern `p` only matches paths that some GOPRIVATE pattern matches too. */
function coveredBy(p, goprivate) {
    const trimmed = p.replace(/\/+$/, '');
    const privates = goprivate.split(',').map((g) => g.trim().replace(/\/+$/, ''));
    // Identical text covers itself even where glob syntax (character classes) does not match its own text.
    if (privates.includes(trimmed))
        return true;
    // Reading the pattern's text as a module path is exact for literal patterns and for `*`/`?`, which match
    // themselves; a GOPRIVATE glob that matches that text matches everything the pattern can.
    return matchPrefixPatterns(goprivate, trimmed);
}
/** go's module.MatchPrefixPatterns: does any comma-separated glob match a leading run of path elements? */
function matchPrefixPatterns(globs, target) {
    for (let glob of globs.split(',')) {
        glob = glob.trim().replace(/\/$/, '');
        if (glob === '')
            continue;
        let n = glob.split('/').length - 1;
        let prefix = target;
        for (let i = 0; i < target.length; i++) {
            if (target[i] !== '/')
                continue;
            if (n === 0) {
                prefix = target.slice(0, i);
                break;
            }
            n--;
        }
        if (n > 0)
            continue;
        if (pathMatch(glob, prefix))
            return true;
    }
    return false;
}
/** go's path.Match (`*`, `?`, `[...]` with ranges and `^`, `\` escapes); a malformed pattern matches nothing. */
function pathMatch(pattern, name) {
    let re = '^';
    for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i];
        if (c === '*')
            re += '[^/]*';
        else if (c === '?')
            re += '[^/]';
        else if (c === '\\') {
            if (++i >= pattern.length)
                return false;
            re += escapeRe(pattern[i]);
        }
        else if (c === '[') {
            const end = classEnd(pattern, i + 1);
            if (end < 0)
                return false;
            let body = pattern.slice(i + 1, end);
            const negated = body.startsWith('^');
            if (negated)
                body = body.slice(1);
            let items = '';
            for (let j = 0; j < body.length; j++) {
                // An escaped character is literal (even '-'); an unescaped '-' keeps its range meaning.
                const lit = body[j] === '\\' ? (body[++j] ?? '') : body[j];
                items += /[\]^\\[]/.test(lit) || (lit === '-' && body[j - 1] === '\\') ? '\\' + lit : lit;
            }
            re += negated ? `[^${items}]` : `[${items}]`;
            i = end;
        }
        else
            re += escapeRe(c);
    }
    try {
        return new RegExp(re + '$').test(name);
    }
    catch {
        return false;
    }
}
function classEnd(p, from) {
    let i = from;
    if (p[i] === '^')
        i++;
    if (p[i] === ']')
        return -1; // go rejects an empty class
    for (; i < p.length; i++) {
        if (p[i] === '\\')
            i++;
        else if (p[i] === ']')
            return i;
    }
    return -1;
}
function escapeRe(c) {
    return /[\\^$.*+?()[\]{}|/-]/.test(c) ? '\\' + c : c;
}
function proxyUrl(p) {
    if (p.kind !== 'url')
        return undefined;
    try {
        return new URL(p.url);
    }
    catch {
        return undefined;
    }
}
/** go sends credentials with requests to this proxy: from its URL, or from netrc (https only: see netrcMachineFor). */
function hasCredentials(p, machines) {
    const u = proxyUrl(p);
    return !!u && (u.username !== '' || u.password !== '' || netrcMachineFor(machines, u.href) !== undefined);
}
function plainHttpCredentials(proxies, machines) {
    return proxies
        .filter((p) => {
        const u = proxyUrl(p);
        return u?.protocol === 'http:' && !isLoopbackHost(u.hostname) && hasCredentials(p, machines);
    })
        .map((p) => ({
        title: 'Credentials over plain http',
        message: `${p.display} is reached over plain http with credentials: anyone on the network path can read them. Use https.`
    }));
}
function privateToPublic(proxies, machines, goprivate) {
    if (goprivate.trim() !== '')
        return undefined;
    const first = proxies.findIndex((p) => hasCredentials(p, machines));
    if (first < 0)
        return undefined;
    const pub = proxies.slice(first + 1).find((p) => {
        const u = proxyUrl(p);
        return !!u && /^https?:$/.test(u.protocol) && !isLoopbackHost(u.hostname) && !hasCredentials(p, machines);
    });
    if (!pub)
        return undefined;
    return {
        title: 'Private proxy fails over to a public one',
        message: `${proxies[first].display} needs credentials (a private proxy) and ${pub.display} follows it without ` +
            'credentials while GOPRIVATE is empty: when the private proxy fails or lacks a module, the paths of private ' +
            'modules are sent to the public proxy. List them in `goprivate`.'
    };
}

// What go will ask a module proxy for while it tidies these modules: the requirements in their go.mod files that no
// `replace` directive covers and that GONOPROXY leaves to the proxy (go fetches each one's .mod, and the .zip of
// those that provide packages: all of them in a tidy go.mod; a drifted one's unused requirement costs a zip).
// Preflight probes the first of them (preflight/target.ts); the relay fetches the files the module cache lacks ahead
// of go (relay/prefetch.ts), so a cold run waits for one round of requests, not for one per level of the dependency
// graph. A replaced or private path is never asked of a proxy: go would not ask.
/** A module's requirements and replaced paths: from discovery's scan, else read now (unreadable: none). */
function goModOf(m, known) {
    const scanned = known?.get(m.dir);
    if (scanned)
        return scanned;
    try {
        return scanGoMod(readFileSync(join(m.dir, 'go.mod'), 'utf8'));
    }
    catch {
        return { requires: [], replaces: [] }; // tidy reports an unreadable go.mod
    }
}
/**
 * Each requirement go would fetch through a proxy, once, in the modules' order: canonical versions only (go resolves
 * a branch name or `latest` through .info first), never a path a replace directive covers or GONOPROXY matches.
 * `known`: discovery's scans by directory (go.mod files not in it are read now).
 */
function proxiedRequirements(modules, gonoproxy, known) {
    const seen = new Set();
    const out = [];
    for (const m of modules) {
        const { requires, replaces } = goModOf(m, known);
        const replaced = new Set(replaces);
        for (const { path, version } of requires) {
            const key = `${path}@${version}`;
            if (seen.has(key) || replaced.has(path))
                continue;
            seen.add(key);
            if (escapePath(path) === undefined || escapeVersion(version) === undefined || !isCanonicalVersion(version))
                continue;
            if (!matchPrefixPatterns(gonoproxy, path))
                out.push({ path, version });
        }
    }
    return out;
}
/**
 * The proxy paths (`<escaped path>/@v/<escaped version>.mod|.zip`, before percent-encoding) of those requirements'
 * files that the module cache's download directory does not hold yet: what a cold run will download.
 */
function missingDownloads(requirements, gomodcache) {
    const out = [];
    for (const r of requirements) {
        const base = `${escapePath(r.path)}/@v/${escapeVersion(r.version)}`;
        for (const ext of ['.mod', '.zip']) {
            if (!gomodcache || !existsSync(join(gomodcache, 'cache', 'download', ...`${base}${ext}`.split('/')))) {
                out.push(base + ext);
            }
        }
    }
    return out;
}

// The environment that go (and the git it runs) reads for the access stage's credentials and trust: everything
// lives in environment variables and files under RUNNER_TEMP, nothing in a git config file or the user's HOME.
/** The variables to add to every go process's environment (and to export, when export-env is on). */
function credentialEnv(o) {
    const out = {};
    if (o.netrcFile) {
        out.NETRC = o.netrcFile;
        // Go 1.24+ reads netrc only through GOAUTH; unset means "netrc". A user's own commands keep their place.
        const goauth = (o.baseEnv.GOAUTH ?? '').trim();
        if (goauth !== '' && goauth !== 'off' && !goauth.split(';').some((c) => c.trim() === 'netrc')) {
            out.GOAUTH = `${goauth};netrc`;
        }
    }
    if (o.caBundleFile) {
        out.SSL_CERT_FILE = o.caBundleFile;
        // git uses curl's own CA file, not SSL_CERT_FILE, on most builds.
        out.GIT_SSL_CAINFO = o.caBundleFile;
    }
    Object.assign(out, gitTokenEnv(o.gitConfigFile, o.baseEnv));
    return out;
}

// The access stage: credentials and trust for private modules and enterprise networks (netrc, token, extra CAs),
// turned into the environment go and git read, and into per-upstream credentials for preflight and the relay.
async function prepareAccess(i, runnerTemp, baseEnv) {
    // Deleted however the step ends, unless main hands it over to later steps (access/credential-file.ts).
    const netrcFile = i.netrc ? guardCredentialFile(await writeNetrc(i.netrc, runnerTemp)) : undefined;
    const ca = i.caCertificates ? await writeCaBundle(i.caCertificates, runnerTemp, baseEnv) : undefined;
    const token = await writeGitTokenConfig(i.token, i.privateHosts, runnerTemp);
    const gitConfigFile = token ? guardCredentialFile(token) : undefined;
    const env = credentialEnv({ baseEnv, gitConfigFile, netrcFile, caBundleFile: ca?.bundleFile });
    return {
        env,
        extraCa: i.caCertificates,
        netrc: netrcEntries(i.netrc, { ...baseEnv, ...env }),
        netrcFile,
        gitConfigFile
    };
}
function netrcEntries(text, env) {
    if (text)
        return parseNetrc(text);
    if ((env.GOAUTH ?? '').trim() === 'off')
        return [];
    const file = env.NETRC || path.join(env.HOME || os.homedir(), process.platform === 'win32' ? '_netrc' : '.netrc');
    try {
        const entries = parseNetrc(fs.readFileSync(file, 'utf8'));
        for (const e of entries)
            addSecret(e.password);
        return entries;
    }
    catch {
        return [];
    }
}
/**
 * Upstreams with the netrc credentials go would send them. go never sends credentials to the relay on
 * 127.0.0.1, so the relay (and preflight, to judge what go will see) carries them in the upstream URL:
 * each upstream's credentials reach only that upstream. `display` stays the user's redacted URL.
 */
function withNetrc(entries, netrc) {
    return entries.map((e) => {
        if (e.kind !== 'url' || /^[a-z][a-z0-9+.-]*:\/\/[^/@]*@/i.test(e.url))
            return e;
        const cred = netrcCredentialFor(netrc, e.url);
        if (!cred)
            return e;
        const u = new URL(e.url);
        u.username = encodeURIComponent(cred.login);
        u.password = encodeURIComponent(cred.password);
        return { ...e, url: u.href.replace(/\/$/, e.url.endsWith('/') ? '/' : '') };
    });
}
/** Hosts (host[:port], lower case) of the proxies that get credentials, from their URL or from netrc. */
function proxyCredentialHosts(entries, netrc) {
    return withNetrc(entries, netrc).flatMap((e) => {
        if (e.kind !== 'url')
            return [];
        try {
            const u = new URL(e.url);
            return u.username || u.password ? [u.host.toLowerCase()] : [];
        }
        catch {
            return [];
        }
    });
}

/**
 * The verdict for an outcome. A sumdb-supported 404/410 is judged by the sumdb route, not here. `credentialed`:
 * the request carried credentials (URL userinfo or netrc), so a 403 is about them.
 */
function verdictOf(o, kind, credentialed = false) {
    const f = o.failure;
    if (f) {
        if (f.kind !== 'egress')
            return f.kind;
        return f.status === 407 ? 'auth' : `http-${f.status ?? 0}`;
    }
    const s = o.status ?? 0;
    if (kind === 'proxy-module' || kind === 'proxy-list')
        return proxyVerdict(s, kind === 'proxy-list' || isInfo(o.body), credentialed);
    if (s === 200)
        return 'ok';
    if (s === 401 || s === 403)
        return 'auth';
    return `http-${s}`;
}
/**
 * A module proxy is judged by whether it speaks the protocol, not by whether it has or allows one module: "not
 * found" (404/410) and a filtering mirror's policy refusal (400, or 403 without credentials) are protocol answers.
 */
function proxyVerdict(s, protocolBody, credentialed) {
    if (s === 200)
        return protocolBody ? 'ok' : 'http-200';
    if (s === 404 || s === 410 || s === 400)
        return 'ok';
    // Mirrors that redirect downloads to storage (Athens, Artifactory): go and the relay follow the redirect.
    if (s >= 301 && s <= 308 && s !== 304 && s !== 305 && s !== 306)
        return 'ok';
    if (s === 403)
        return credentialed ? 'auth' : 'ok';
    if (s === 401)
        return 'auth';
    return `http-${s}`;
}
/** A `.info` answer: JSON with a Version string (a captive portal's or login page's 200 is not one). */
function isInfo(body) {
    try {
        const v = JSON.parse(body ?? '');
        return typeof v?.Version === 'string';
    }
    catch {
        return false;
    }
}
/** The first line of a server's text, reduced to plain characters that cannot render as Markdown or HTML. */
function quoteServerText(body, max = 100) {
    const line = (body ?? '').split('\n').find((l) => l.trim() !== '') ?? '';
    const plain = line
        .replace(/[^A-Za-z0-9 .,:;'()/@+=!?-]/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
    return plain.length > max ? plain.slice(0, max) + '…' : plain;
}
const UNFINISHED_HINT = 'Not finished: tidy completed before this probe did, so it was stopped; nothing is known to be wrong with it.';
/** One sentence the user can act on. */
function hintFor(verdict, c) {
    const what = c.role === 'proxy' ? 'module proxy' : 'checksum database';
    const via = c.outcome.via;
    const f = c.outcome.failure;
    // Failures before the tunnel is up are the egress proxy's, not the endpoint's.
    const atEgress = via !== undefined && f !== undefined && (f.stage === 'dns' || f.stage === 'tcp');
    const egressWhat = `the egress proxy ${via ?? ''} (HTTPS_PROXY/HTTP_PROXY)`;
    switch (verdict) {
        case 'unfinished':
            return `Not finished: no answer yet after ${(c.timeoutMs / 1000).toFixed(1)} s (${f?.stage ?? 'http'} stage) when tidy completed, so it was stopped; nothing is known to be wrong with it.`;
        case 'ok':
            return okHint(c, what);
        case 'dns':
            return atEgress
                ? `The host of ${egressWhat} does not resolve: check that variable and the runner's DNS.`
                : `${c.host} does not resolve: check the host name in the URL and the runner's DNS (a private host needs a runner inside that network).`;
        case 'refused':
            return atEgress
                ? `Nothing accepts connections at ${egressWhat}: check its host and port.`
                : `${c.host} refused the connection: check the port in the URL and that the service is running; a firewall may be rejecting it.`;
        case 'timeout':
            return (`No answer within ${(c.timeoutMs / 1000).toFixed(1)} s (stuck in the ${f?.stage ?? 'http'} stage): a firewall may drop the traffic ` +
                `or the server hangs; the relay tries healthy upstreams first, and preflight-timeout can be raised if it is just slow.`);
        case 'tls-untrusted': {
            const cert = c.outcome.certificate;
            const shown = cert ? ` (subject "${cert.subject}", issuer "${cert.issuer}")` : '';
            const whose = atEgress ? egressWhat : c.host;
            return (`The certificate presented for ${whose}${shown} is not trusted: if a TLS-intercepting proxy sits in between ` +
                `or the server uses a private CA, give that CA certificate (PEM) to the \`ca-certificates\` input.`);
        }
        case 'tls-other':
            return `TLS with ${atEgress ? egressWhat : c.host} failed (${f?.code ?? 'handshake'}): check that the URL's scheme and port are right and that the certificate is valid for this host and not expired.`;
        case 'auth':
            if (f?.kind === 'egress')
                return `${egressWhat} asks for credentials (407): put them in its URL (http://user:password@host:port).`;
            return (`${c.host} requires credentials: put them in the URL (https://user:token@host/...), give netrc lines to the \`netrc\` ` +
                `input, or, for private modules fetched directly, use the \`token\` input.`);
        case 'unreachable':
            return `${atEgress ? egressWhat : c.host} cannot be reached (${f?.code ?? f?.message ?? 'network error'}): check the network route, firewall and HTTPS_PROXY/NO_PROXY.`;
        default:
            return httpHint(verdict, c, what, egressWhat);
    }
}
function okHint(c, what) {
    const s = c.outcome.status;
    const through = c.outcome.via ? `, through the egress proxy ${c.outcome.via}` : '';
    const asked = c.module ?? 'the probed module';
    if (c.role === 'proxy' && (s === 400 || s === 403)) {
        const said = quoteServerText(c.outcome.body);
        return (`The ${what} answers${through}, but its policy refuses ${asked} (HTTP ${s}${said ? `: "${said}"` : ''}): if that ` +
            "module is private, list it in `goprivate`; otherwise ask the mirror's owners to allow it.");
    }
    if (c.role === 'proxy' && s !== undefined && s >= 300 && s < 400) {
        const to = c.outcome.location ? ` to ${quoteServerText(c.outcome.location, 200)}` : '';
        return `The ${what} answers${through} with a redirect (HTTP ${s}${to}), which go and the relay follow.`;
    }
    if (c.role === 'proxy' && (s === 404 || s === 410) && c.module)
        return `The ${what} answers${through}; it does not have ${asked} (HTTP ${s}).`;
    return `The ${what} answers${through}.`;
}
function httpHint(verdict, c, what, egressWhat) {
    const status = Number(verdict.slice('http-'.length));
    if (c.outcome.failure?.kind === 'egress') {
        return `${egressWhat} refused to open a tunnel to ${c.host} (HTTP ${status}): ask for this host to be allowed, or add it to NO_PROXY if it is reachable directly.`;
    }
    if (status >= 500)
        return `${c.host} answers HTTP ${status}: the ${what} is failing; the relay retries it and fails over to other upstreams meanwhile.`;
    if (status === 429)
        return `${c.host} rate-limits requests (HTTP 429): the relay backs off and fails over; consider a mirror or credentials with a higher quota.`;
    if (status >= 300 && status < 400) {
        return `${c.host} redirects (HTTP ${status}${c.outcome.location ? ` to ${c.outcome.location}` : ''}): point the URL at the final location.`;
    }
    if (c.role === 'sumdb')
        return `${c.host} does not serve a checksum database at this URL (HTTP ${status}): check GOSUMDB.`;
    if (status === 200) {
        return `${c.host} answers HTTP 200, but not with a module proxy's answer (a login page or captive portal?): check that the URL is a Go module proxy.`;
    }
    return `${c.host} answers HTTP ${status} to a module request: check that the URL is a Go module proxy (GOPROXY protocol) and its path is complete.`;
}

// Which egress proxy (HTTP_PROXY / HTTPS_PROXY) a request goes through, decided exactly as go's
// net/http does (golang.org/x/net/http/httpproxy), so that preflight tests the path go will take.
// undici's EnvHttpProxyAgent differs in details (lowercase names first, loopback handling), so the
// rules are ported here rather than borrowed.
const defaultPorts = { 'http:': '80', 'https:': '443', 'socks5:': '1080' };
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];
function proxyEnv(env = process.env) {
    const proxy = (name) => {
        const raw = firstSet(env, name, name.toLowerCase());
        return raw ? parseProxy(raw) : undefined;
    };
    return {
        http: proxy('HTTP_PROXY'),
        https: proxy('HTTPS_PROXY'),
        noProxy: firstSet(env, 'NO_PROXY', 'no_proxy') ?? ''
    };
}
/** The egress proxy URL for `target`, or undefined when the request goes direct. */
function egressProxyFor(target, env = process.env) {
    const u = typeof target === 'string' ? new URL(target) : target;
    const pe = proxyEnv(env);
    const proxy = u.protocol === 'https:' ? pe.https : u.protocol === 'http:' ? pe.http : undefined;
    if (!proxy)
        return undefined;
    const host = unbracket(u.hostname);
    const port = u.port || defaultPorts[u.protocol] || '';
    return useProxy(host, port, pe.noProxy) ? proxy : undefined;
}
/**
 * The egress proxy in force for module traffic (proxies are https, so HTTPS_PROXY first), redacted, for the summary.
 * Called before anything is printed: it registers the credentials of every proxy variable as secrets, in each form
 * go accepts (`scheme://user:pw@host`, or `user:pw@host:port` without a scheme).
 */
function egressProxySummary(env) {
    for (const name of PROXY_VARIABLES)
        if (env[name])
            redactUrl(env[name]);
    const pe = proxyEnv(env);
    const name = pe.https ? 'HTTPS_PROXY' : pe.http ? 'HTTP_PROXY' : undefined;
    const raw = name && firstSet(env, name, name.toLowerCase()); // as the user wrote it
    if (!raw)
        return undefined;
    return redactUrl(raw) + (pe.noProxy ? ` (NO_PROXY: ${pe.noProxy})` : '');
}
function firstSet(env, ...names) {
    for (const n of names)
        if (env[n])
            return env[n];
    return undefined;
}
// go accepts "host:port" without a scheme and means http://.
function parseProxy(raw) {
    try {
        const u = new URL(raw);
        if (u.host)
            return u;
    }
    catch {
        // fall through to the http:// form
    }
    try {
        return new URL('http://' + raw);
    }
    catch {
        return undefined; // go ignores an unparsable value too
    }
}
/** go's useProxy: false when the host is localhost, a loopback IP, or matched by NO_PROXY. */
function useProxy(host, port, noProxy) {
    host = host.toLowerCase().trim();
    if (host === 'localhost')
        return false;
    const family = isIP(host);
    if (family && isLoopbackIp(host))
        return false;
    for (let p of noProxy.split(',')) {
        p = p.trim().toLowerCase();
        if (!p)
            continue;
        if (p === '*')
            return false;
        if (family ? matchIp(p, host, port, family) : matchDomain(p, host, port))
            return false;
    }
    return true;
}
function splitHostPort(p) {
    const m = /^\[([^\]]*)\]:(\d*)$/.exec(p) ?? /^([^:]*):(\d*)$/.exec(p);
    return m ? { h: m[1], port: m[2] } : { h: unbracket(p), port: '' };
}
function matchIp(p, ip, port, family) {
    const fam = family === 6 ? 'ipv6' : 'ipv4';
    const cidr = /^(.+)\/(\d{1,3})$/.exec(p);
    if (cidr) {
        const netFamily = isIP(cidr[1]);
        if (!netFamily || (netFamily === 6 ? 'ipv6' : 'ipv4') !== fam)
            return false;
        const bl = new BlockList();
        bl.addSubnet(cidr[1], Number(cidr[2]), fam);
        return bl.check(ip, fam);
    }
    const { h, port: pport } = splitHostPort(p);
    const pFamily = isIP(h);
    if (!pFamily || (pFamily === 6 ? 'ipv6' : 'ipv4') !== fam)
        return false;
    const bl = new BlockList();
    bl.addAddress(h, fam);
    return bl.check(ip, fam) && (pport === '' || pport === port);
}
// "example.com" matches itself and subdomains; ".example.com" and "*.example.com" only subdomains.
function matchDomain(p, host, port) {
    if (p.includes('/'))
        return false; // a CIDR never matches a name
    const hp = splitHostPort(p);
    let h = hp.h;
    const pport = hp.port;
    if (!h || isIP(h))
        return false;
    if (h.startsWith('*.'))
        h = h.slice(1);
    const matchHost = !h.startsWith('.');
    if (matchHost)
        h = '.' + h;
    if (/[^\x00-\x7f]/.test(h))
        h = '.' + domainToASCII(h.slice(1));
    const hit = host.endsWith(h) || (matchHost && host === h.slice(1));
    return hit && (pport === '' || pport === port);
}

// Credentials in a URL, as every stage that sends them needs them.
/** `Basic …` from a URL's userinfo (both parts registered as secrets first), or undefined when it has none. */
function basicAuth(u) {
    if (!u.username && !u.password)
        return undefined;
    const pass = decodeURIComponent(u.password);
    const token = Buffer.from(`${decodeURIComponent(u.username)}:${pass}`).toString('base64');
    addSecret(pass);
    addSecret(token);
    return `Basic ${token}`;
}

// The one undici dispatcher factory (preflight and relay): proxies from the environment the way go reads
// them, and the CA roots go would trust (the system's) plus any extra CA the user gave us.
function readPem(file) {
    try {
        const text = readFileSync(file, 'utf8');
        return text.includes('-----BEGIN CERTIFICATE-----') ? text : undefined;
    }
    catch {
        return undefined;
    }
}
let systemCache;
/** The system's CA bundle as go would load it, plus NODE_EXTRA_CA_CERTS (an explicit `ca` drops it otherwise). */
function systemCa() {
    const key = `${process.env.SSL_CERT_FILE}\0${process.env.NODE_EXTRA_CA_CERTS}`;
    if (systemCache?.key === key)
        return systemCache.pems;
    const out = [];
    // Node ships its own roots and ignores the system's, so an intercepting proxy's CA that the runner installed
    // system-wide would be trusted by go but not by us without this.
    const first = systemBundle(process.env)?.text;
    if (first)
        out.push(first);
    const nodeExtra = process.env.NODE_EXTRA_CA_CERTS && readPem(process.env.NODE_EXTRA_CA_CERTS);
    if (nodeExtra)
        out.push(nodeExtra);
    systemCache = { key, pems: out };
    return out;
}
// Building a context from ~300 roots costs ~50 ms, so preflight and the relay share one per set of extra CAs.
const contexts = new Map();
/** The roots go trusts (Node's bundle plus the system's) plus the user's extra CAs, as one TLS context. */
function trustedContext(extraCa) {
    const key = `${process.env.SSL_CERT_FILE}\0${process.env.NODE_EXTRA_CA_CERTS}\0${(extraCa ?? []).join('\n')}`;
    let ctx = contexts.get(key);
    if (!ctx) {
        ctx = tls.createSecureContext({ ca: [...tls.rootCertificates, ...systemCa(), ...(extraCa ?? [])] });
        contexts.set(key, ctx);
    }
    return ctx;
}
/** Taken off a server's Keep-Alive timeout hint: the time a reused connection may still be in flight. */
const KEEP_ALIVE_MARGIN_MS = 250;
/**
 * An EnvHttpProxyAgent honouring HTTP_PROXY / HTTPS_PROXY / NO_PROXY as go does: upper case wins, a bare
 * host:port is http, and loopback is never proxied (go's special case, which also keeps our tests hermetic).
 */
function createDispatcher(opts) {
    const timeout = opts.connectTimeoutMs;
    const pe = proxyEnv(process.env);
    const httpProxy = pe.http?.href ?? '';
    const httpsProxy = pe.https?.href ?? '';
    // The TLS context is built on the first https connection only: plain-http upstreams never pay for it.
    let plain;
    let secure;
    const connect = (o, cb) => {
        if (o.protocol === 'https:')
            secure ??= undiciSubsetExports.buildConnector({ timeout, secureContext: trustedContext(opts.extraCa) });
        else
            plain ??= undiciSubsetExports.buildConnector({ timeout });
        return (o.protocol === 'https:' ? secure : plain)(o, cb);
    };
    // Through a proxy: `proxyTls` is the hop to an https proxy, `requestTls` the tunnelled origin.
    const tlsOpts = httpProxy || httpsProxy ? { timeout, secureContext: trustedContext(opts.extraCa) } : { timeout };
    const noProxy = [pe.noProxy, 'localhost', '127.0.0.1', '[::1]'].filter(Boolean).join(',');
    return new undiciSubsetExports.EnvHttpProxyAgent({
        httpProxy,
        httpsProxy,
        noProxy,
        connect,
        // go sends plain-http requests to an HTTP proxy in absolute form and tunnels (CONNECT) only https; many
        // corporate proxies allow CONNECT to port 443 alone, so a tunnel for http would fail where go succeeds.
        proxyTunnel: false,
        proxyTls: tlsOpts,
        requestTls: tlsOpts,
        // undici keeps a connection for the server's Keep-Alive hint minus 2 s, so a server that hints a second or
        // two (Node's own servers hint 5 s) got a new connection per request. go reuses idle connections whatever the
        // hint; a reused connection the server has just closed fails fast, and the relay retries that at once.
        keepAliveTimeoutThreshold: KEEP_ALIVE_MARGIN_MS
    });
}

/** The abort reason preflight gives its probes when it ends them early on purpose (see Preflight.finish). */
class CutShort extends Error {
    constructor() {
        super('preflight ended early: tidy had finished');
        this.name = 'CutShort';
    }
}
/** A probe failure: what kind, in which stage. `message` is low-level text, redacted by the prober. */
class StageError extends Error {
    kind;
    stage;
    code;
    status;
    constructor(kind, stage, message, code, 
    /** For `egress`: the egress proxy's answer to CONNECT. */
    status) {
        super(message);
        this.kind = kind;
        this.stage = stage;
        this.code = code;
        this.status = status;
        this.name = 'StageError';
    }
}
/** Asks an egress proxy for a tunnel to `authority` (host:port) on an open connection. */
function openTunnel(socket, authority, proxyAuth) {
    return new Promise((resolve, reject) => {
        let buf = Buffer.alloc(0);
        const done = () => {
            socket.off('data', onData);
            socket.off('close', onClose);
            socket.off('error', onError);
        };
        const onData = (chunk) => {
            buf = Buffer.concat([buf, chunk]);
            const end = buf.indexOf('\r\n\r\n');
            if (end < 0) {
                if (buf.length > 65536)
                    onError(new Error('oversized CONNECT response'));
                return;
            }
            done();
            // Nothing may follow the proxy's answer: the client speaks first inside a tunnel.
            const statusLine = buf.subarray(0, buf.indexOf('\r\n')).toString('latin1');
            const status = Number(/^HTTP\/\d(?:\.\d)? (\d{3})/.exec(statusLine)?.[1] ?? 0);
            if (status >= 200 && status < 300)
                return resolve(socket);
            reject(new StageError('egress', 'tcp', `egress proxy answered CONNECT ${authority} with "${statusLine}"`, undefined, status));
        };
        const onClose = () => {
            done();
            reject(new StageError('unreachable', 'tcp', `egress proxy closed the connection during CONNECT ${authority}`));
        };
        const onError = (e) => {
            done();
            reject(new StageError('unreachable', 'tcp', `egress proxy: ${e.code ?? 'error'}: ${e.message}`, e.code));
        };
        socket.on('data', onData);
        socket.on('close', onClose);
        socket.on('error', onError);
        const auth = proxyAuth ? `Proxy-Authorization: ${proxyAuth}\r\n` : '';
        socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth}\r\n`);
    });
}
// Chain errors that a trusted CA would cure: typical of TLS-intercepting proxies and private CAs.
const untrustedCodes = new Set([
    'UNABLE_TO_GET_ISSUER_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'CERT_UNTRUSTED'
]);
/**
 * TLS over an open connection, without rejecting: the verdict is judged from `authorized`
 * afterwards, so an untrusted certificate can still be shown to the user.
 */
function tlsHandshake(socket, host, extraCa, track) {
    return new Promise((resolve, reject) => {
        const isIp = /^[\d.]+$|:/.test(host);
        const s = tls.connect({
            socket,
            host,
            servername: isIp ? undefined : host,
            rejectUnauthorized: false,
            secureContext: trustedContext(extraCa),
            ALPNProtocols: ['http/1.1']
        });
        track(s);
        s.once('secureConnect', () => {
            if (s.authorized)
                return resolve({ socket: s });
            const code = String(s.authorizationError ?? 'UNKNOWN');
            const cert = s.getPeerCertificate();
            const certificate = cert && cert.subject ? { subject: dn(cert.subject), issuer: dn(cert.issuer) } : undefined;
            const kind = untrustedCodes.has(code) ? 'tls-untrusted' : 'tls-other';
            resolve({
                socket: s,
                certificate,
                failure: new StageError(kind, 'tls', `${code}: certificate for ${host} not accepted`, code)
            });
        });
        s.once('error', (e) => {
            reject(new StageError('tls-other', 'tls', `${e.code ?? 'handshake failed'}: ${e.message}`, e.code));
        });
    });
}
/** "CN=mirror.test, O=Example" from Node's certificate name object. */
function dn(name) {
    if (!name)
        return '';
    return Object.entries(name)
        .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
        .join(', ');
}

// One endpoint's staged probe: DNS, TCP (plus the egress proxy's CONNECT tunnel), TLS, then one
// HTTP request on that very connection, each stage timed. The HTTP stage reuses the socket the
// earlier stages built, so every number measures one stage only and the request goes exactly
// the way the stages went (direct or through the egress proxy).
const now = () => performance$1.now();
/** Probes one URL. Never rejects: failures are described in `failure`. */
async function probeUrl(req) {
    const start = now();
    const out = { timings: { total: 0 } };
    const sockets = [];
    const track = (s) => {
        s.on('error', () => { }); // errors are read by the stage promises; late ones must not crash
        sockets.push(s);
        return s;
    };
    let stage = 'dns';
    const run = async (s, fn) => {
        stage = s;
        const t = now();
        try {
            return await abortable(fn(), req.signal, s);
        }
        finally {
            // tcp runs twice through an egress proxy (connect, then CONNECT): the stage is their sum
            out.timings[s] = (out.timings[s] ?? 0) + Math.round(now() - t);
        }
    };
    try {
        const target = new URL(req.url);
        if (target.protocol !== 'http:' && target.protocol !== 'https:') {
            throw new StageError('unreachable', 'dns', `unsupported URL scheme ${target.protocol}`);
        }
        const egress = egressProxyFor(target, req.env ?? process.env);
        if (egress)
            out.via = redactUrl(egress.href.replace(/\/$/, ''));
        const hop = egress ?? target;
        const host = unbracket(hop.hostname);
        const port = Number(hop.port || (hop.protocol === 'https:' ? 443 : 80));
        const address = isIP(host) ? host : await run('dns', () => resolve(host));
        let socket = await run('tcp', () => tcpConnect(address, port, track));
        if (egress)
            socket = await run('tcp', () => throughEgress(socket, egress, target, req.extraCa, track));
        if (target.protocol === 'https:') {
            const tls = await run('tls', () => tlsHandshake(socket, unbracket(target.hostname), req.extraCa, track));
            if (tls.failure) {
                out.certificate = tls.certificate;
                throw tls.failure;
            }
            socket = tls.socket;
        }
        const res = await run('http', () => httpGet(socket, target, egress, req.signal));
        out.status = res.status;
        out.body = res.body;
        if (res.location)
            out.location = redact(res.location);
    }
    catch (e) {
        out.failure = toStageError(e, stage);
    }
    finally {
        // Outermost first: destroying a socket under a live TLSSocket crashes Node 20 (SIGSEGV).
        for (const s of sockets.reverse())
            s.destroy();
        out.timings.total = Math.round(now() - start);
    }
    return out;
}
// Settles as soon as the deadline passes, whatever the stage is waiting on (dns.lookup cannot be
// cancelled at all, sockets are destroyed by the caller).
function abortable(p, signal, stage) {
    const timeout = () => signal.reason instanceof CutShort
        ? new StageError('unfinished', stage, `stopped during the ${stage} stage: tidy had finished`)
        : new StageError('timeout', stage, `deadline reached during the ${stage} stage`);
    if (signal.aborted) {
        p.catch(() => { });
        return Promise.reject(timeout());
    }
    return new Promise((resolve, reject) => {
        const onAbort = () => reject(timeout());
        signal.addEventListener('abort', onAbort, { once: true });
        p.then((v) => {
            signal.removeEventListener('abort', onAbort);
            resolve(v);
        }, (e) => {
            signal.removeEventListener('abort', onAbort);
            reject(e);
        });
    });
}
async function resolve(host) {
    try {
        return (await lookup(host)).address;
    }
    catch (e) {
        const err = e;
        throw new StageError('dns', 'dns', `${err.code ?? 'lookup failed'}: ${host} did not resolve`, err.code);
    }
}
function tcpConnect(address, port, track) {
    return new Promise((resolve, reject) => {
        const s = track(connect({ host: address, port }));
        s.once('connect', () => resolve(s));
        s.once('error', (e) => {
            const kind = e.code === 'ECONNREFUSED' ? 'refused' : e.code === 'ETIMEDOUT' ? 'timeout' : 'unreachable';
            reject(new StageError(kind, 'tcp', `${e.code ?? 'error'}: ${e.message}`, e.code));
        });
    });
}
// An https:// egress proxy is itself reached over TLS before the CONNECT.
async function throughEgress(socket, egress, target, extraCa, track) {
    if (egress.protocol === 'https:') {
        const tls = await tlsHandshake(socket, unbracket(egress.hostname), extraCa, track);
        if (tls.failure)
            throw new StageError(tls.failure.kind, 'tcp', `egress proxy: ${tls.failure.message}`, tls.failure.code);
        socket = tls.socket;
    }
    else if (egress.protocol !== 'http:') {
        throw new StageError('unreachable', 'tcp', `egress proxy scheme ${egress.protocol} is not supported by preflight`);
    }
    // Plain-http targets go through the proxy as absolute-form requests (as go does), no tunnel.
    if (target.protocol === 'http:')
        return socket;
    return openTunnel(socket, `${target.hostname}:${target.port || 443}`, basicAuth(egress));
}
const PROBE_BODY_LIMIT = 64 * 1024;
const PROBE_BODY_KEPT = 4 * 1024;
async function httpGet(socket, target, egress, signal) {
    let handedOut = false;
    const client = new undiciSubsetExports.Client(target.origin, {
        // One request on the prepared socket; never a second, fresh connection.
        connect: (_opts, cb) => {
            if (handedOut)
                return cb(new Error('connection closed'), null);
            handedOut = true;
            setImmediate(() => cb(null, socket)); // undici stalls when handed a socket synchronously
        }
    });
    const clean = new URL(target.href);
    clean.username = '';
    clean.password = '';
    const headers = { 'user-agent': 'go-tidy-guard-preflight' };
    const auth = basicAuth(target);
    if (auth)
        headers.authorization = auth;
    const absolute = egress !== undefined && target.protocol === 'http:';
    const proxyAuth = absolute && egress ? basicAuth(egress) : undefined;
    if (proxyAuth)
        headers['proxy-authorization'] = proxyAuth;
    try {
        const res = await client.request({
            method: 'GET',
            path: absolute ? clean.href : clean.pathname + clean.search,
            headers,
            signal
        });
        res.body.on('error', () => { });
        // Read what a small answer holds (up to 64 KiB) under the same deadline: a proxy that sends headers and then
        // stalls would otherwise pass as ok, and the relay would prefer it.
        let seen = 0;
        const kept = [];
        for await (const chunk of res.body) {
            if (seen < PROBE_BODY_KEPT)
                kept.push(chunk);
            seen += chunk.length;
            if (seen > PROBE_BODY_LIMIT)
                break;
        }
        res.body.destroy();
        const loc = res.headers.location;
        const body = Buffer.concat(kept).subarray(0, PROBE_BODY_KEPT).toString('utf8');
        return { status: res.statusCode, location: Array.isArray(loc) ? loc[0] : loc, body };
    }
    catch (e) {
        const err = e;
        throw new StageError('unreachable', 'http', `${err.code ?? 'error'}: ${err.message}`, err.code);
    }
    finally {
        client.destroy().catch(() => { });
    }
}
function toStageError(e, stage) {
    if (e instanceof StageError)
        return new StageError(e.kind, e.stage, redact(e.message), e.code, e.status);
    const err = e;
    return new StageError('unreachable', stage, redact(`${err?.code ?? 'error'}: ${err?.message ?? String(e)}`), err?.code);
}

// What preflight asks each module proxy: a request this run really needs. Filtering mirrors (allow-lists, "module
// host not permitted") refuse made-up module paths, so a probe for one says nothing about whether the proxy works;
// the first module that a checked go.mod requires, asked at the version it names, is what go will ask for too.
/** The proxy-relative request path for the module's `.info`, escaped exactly as go sends it. */
function infoPath(m) {
    return pathEscape(`${escapePath(m.path)}/@v/${escapeVersion(m.version)}.info`);
}

/**
 * Parses GOSUMDB ('off' | 'name' | 'name+key' | 'name+key url'). Returns undefined for 'off'.
 * Throws an Error naming GOSUMDB and the accepted form when the value cannot be what go accepts.
 */
function parseGosumdb(gosumdb) {
    const form = "accepted forms: 'off', '<name>', '<name>+<key>' or '<name>+<key> <url>'";
    if (gosumdb.trim() === 'off')
        return undefined;
    const fields = gosumdb.trim().split(/\s+/).filter(Boolean);
    if (fields.length === 0)
        throw new Error(`GOSUMDB is empty; ${form}`);
    if (fields.length > 2)
        throw new Error(`GOSUMDB has too many fields; ${form}`);
    const key = fields[0];
    const name = key.split('+')[0];
    if (!validName(name))
        throw new Error(`GOSUMDB names an invalid database "${name}" (must be host[/path]); ${form}`);
    if (fields.length === 1)
        return { name, key };
    const url = fields[1];
    if (!/^[a-z][a-z0-9+.-]*:\/\/\S/i.test(url))
        throw new Error(`GOSUMDB has an invalid URL; ${form}`);
    return { name, key, url };
}
// go rejects names that are not exactly https://host[/path] once parsed: no userinfo, query,
// fragment, escaping or trailing slash.
function validName(name) {
    return /^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._~!$&'()*+,;=:-]+)*$/i.test(name) && !name.startsWith('.');
}
/** `base` joined with a path, the way go's web.Join does: exactly one '/' in between. */
function joinUrl(base, path) {
    const u = new URL(base);
    u.pathname = u.pathname.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '');
    return u.href;
}
/** The supported-check URL for one proxy. */
function supportedUrl(proxyUrl, name) {
    return joinUrl(proxyUrl, `sumdb/${name}/supported`);
}
/**
 * Decides the checksum database route. `ask(entry)` is called for url entries, in GOPROXY order,
 * and may have been started earlier (answers are awaited one by one, as go tries them one by one).
 * Mirrors TryProxies: a 404/410 or a keyword moves on; any other failure moves on only after '|';
 * 'direct' and 'off' end the list; an error ranks above not-found unless 'direct' was reached.
 */
async function resolveSumdbRoute(cfg, proxies, ask) {
    if (cfg.url)
        return { via: 'explicit', base: cfg.url };
    const direct = 'https://' + cfg.name;
    let bestError;
    let reachedDirect = false;
    for (const entry of proxies) {
        if (entry.kind === 'direct') {
            reachedDirect = true;
            break;
        }
        if (entry.kind === 'off')
            break;
        const answer = await ask(entry);
        if (answer.answer === 'supported')
            return { via: 'proxy', base: joinUrl(entry.url, `sumdb/${cfg.name}`), entry, answer };
        if (answer.answer === 'error') {
            bestError = { entry, answer };
            if (entry.separator !== '|')
                break;
        }
    }
    // go ranks the 'direct' outcome above proxy errors, and proxy errors above not-found.
    if (reachedDirect || !bestError)
        return { via: 'direct', base: direct };
    return { via: 'unavailable', ...bestError };
}

// The checks preflight runs for one endpoint: a module proxy, a proxy's checksum-database
// support, the checksum database itself. Each turns a staged probe into a ProbeResult.
/** Asked when no module is known to be needed: no version of it can exist, so proxies answer 404/410 (or refuse it). */
const PROBE_PATH = 'example.com/go-tidy-guard-probe/@v/list';
/** A GOPROXY entry as the URL go asks (config/proxylist.ts has the rule). */
function normalizeProxyUrl(url) {
    return withScheme(url);
}
function hostOf$1(url) {
    try {
        const u = new URL(url);
        return u.host || u.pathname;
    }
    catch {
        return redact(url);
    }
}
/** Builds the ProbeResult for an outcome. `endpoint` must already be redacted. */
function toResult(endpoint, role, o, kind, ctx, requestUrl) {
    const target = new URL(requestUrl);
    const verdict = verdictOf(o, kind, target.username !== '' || target.password !== '');
    const module = kind === 'proxy-module' && ctx.probeModule ? `${ctx.probeModule.path}@${ctx.probeModule.version}` : undefined;
    const r = {
        endpoint,
        role,
        verdict,
        hint: hintFor(verdict, { role, module, host: hostOf$1(requestUrl), timeoutMs: ctx.timeoutMs, outcome: o }),
        timings: o.timings
    };
    if (o.certificate)
        r.certificate = o.certificate;
    const path = redact(target.pathname);
    r.detail = o.failure ? redact(o.failure.message) : `HTTP ${o.status} for GET ${path}`;
    if (o.via)
        r.via = o.via;
    return r;
}
// go reads file:// proxies from disk; a missing directory is the only thing that can be wrong.
async function checkFileUrl(url) {
    const t = Date.now();
    try {
        await stat(fileURLToPath(url));
        return { status: 200, timings: { total: Date.now() - t } };
    }
    catch (e) {
        const code = e.code;
        return { status: code === 'ENOENT' || code === 'ENOTDIR' ? 404 : 500, timings: { total: Date.now() - t } };
    }
}
async function run$1(url, ctx) {
    if (url.startsWith('file:'))
        return checkFileUrl(url);
    return probeUrl({ url, signal: ctx.signal, extraCa: ctx.extraCa, env: ctx.env });
}
/** Probes one module proxy with a protocol request: a module the run needs, else one that no proxy has. */
async function checkProxy(url, ctx) {
    const base = normalizeProxyUrl(url);
    const endpoint = redactUrl(url);
    if (base.startsWith('file:')) {
        const o = await checkFileUrl(base);
        const r = toResult(endpoint, 'proxy', o, 'sumdb-latest', ctx, base);
        r.detail = o.status === 200 ? 'directory exists' : 'no such directory';
        if (r.verdict !== 'ok') {
            r.verdict = 'unreachable';
            r.hint = `The directory of this file:// proxy cannot be read: check the path in GOPROXY.`;
        }
        return r;
    }
    if (ctx.probeModule) {
        const target = joinUrl(base, infoPath(ctx.probeModule));
        return toResult(endpoint, 'proxy', await run$1(target, ctx), 'proxy-module', ctx, target);
    }
    const target = joinUrl(base, PROBE_PATH);
    return toResult(endpoint, 'proxy', await run$1(target, ctx), 'proxy-list', ctx, target);
}
/** Asks a proxy whether it relays the checksum database `name` (`/sumdb/<name>/supported`). */
async function checkSupported(url, name, ctx) {
    const base = normalizeProxyUrl(url);
    const target = supportedUrl(base, name);
    const o = await run$1(target, ctx);
    const result = toResult(redactUrl(joinUrl(base, `sumdb/${name}`)), 'sumdb', o, 'sumdb-supported', ctx, target);
    if (o.failure)
        return { answer: 'error', result };
    if (o.status === 200)
        return { answer: 'supported', result };
    if (o.status === 404 || o.status === 410)
        return { answer: 'not-found', result };
    return { answer: 'error', result };
}
/** Probes a checksum database reached directly (or at GOSUMDB's explicit URL): GET <base>/latest. */
async function checkSumdb(base, ctx) {
    const target = joinUrl(base, 'latest');
    return toResult(redactUrl(base), 'sumdb', await run$1(target, ctx), 'sumdb-latest', ctx, target);
}

// Preflight: probes every module proxy and the checksum database concurrently under one shared
// deadline, and hands out verdicts as they arrive so tidy can start at the first healthy proxy.
function startPreflight(opts) {
    const ac = new AbortController();
    setMaxListeners(0, ac.signal); // one abort listener per running stage, however many endpoints
    const timer = setTimeout(() => ac.abort(), Math.max(0, opts.timeoutMs));
    timer.unref();
    const started = Date.now();
    const ctx = {
        signal: ac.signal,
        timeoutMs: opts.timeoutMs,
        extraCa: opts.extraCa,
        env: opts.env,
        probeModule: opts.probeModule
    };
    const arrived = [];
    const listeners = [];
    const deliver = (cb, r, e) => {
        try {
            cb(r, e);
        }
        catch {
            // a listener's bug must not cost the other verdicts
        }
    };
    const emit = (r, e) => {
        arrived.push([r, e]);
        for (const cb of listeners)
            deliver(cb, r, e);
        return r;
    };
    const urlEntries = opts.proxies.filter((p) => p.kind === 'url');
    const proxyChecks = urlEntries.map((e) => safely(checkProxy(e.url, ctx), e.url, 'proxy').then((r) => emit(r, e)));
    const sumdbCheck = checkSumdbRoute(opts, ctx).then((r) => (r ? emit(r) : undefined));
    const firstOk = new Promise((resolve) => {
        for (const p of proxyChecks)
            void p.then((r) => r.verdict === 'ok' && resolve(r));
        void Promise.all(proxyChecks).then(() => resolve(undefined));
    });
    const results = Promise.all([...proxyChecks, sumdbCheck]).then((all) => {
        clearTimeout(timer);
        ac.abort(); // nothing may outlive preflight
        return all.filter((r) => r !== undefined);
    });
    return {
        results,
        firstOk,
        proxies: Promise.all(proxyChecks),
        onResult(cb) {
            listeners.push(cb);
            for (const [r, e] of arrived)
                deliver(cb, r, e);
        },
        finish() {
            if (!ac.signal.aborted) {
                ctx.timeoutMs = Math.min(opts.timeoutMs, Date.now() - started); // what the hints say they waited
                ac.abort(new CutShort());
            }
            return results;
        }
    };
}
// A check must never reject: an unexpected error is still a verdict.
function safely(p, url, role) {
    return p.catch((e) => ({
        endpoint: redactUrl(url),
        role,
        verdict: 'unreachable',
        hint: 'Preflight could not probe this endpoint; see the detail.',
        timings: { total: 0 },
        detail: redact(String(e instanceof Error ? e.message : e))
    }));
}
async function checkSumdbRoute(opts, ctx) {
    let cfg;
    try {
        cfg = parseGosumdb(opts.gosumdb);
    }
    catch (e) {
        return invalidGosumdb(opts.gosumdb, e);
    }
    if (!cfg)
        return undefined;
    const name = cfg.name;
    // Every proxy is asked at once; the answers are then read in GOPROXY order, as go tries them.
    const entries = opts.proxies.map((e) => (e.kind === 'url' ? { ...e, url: normalizeProxyUrl(e.url) } : e));
    const asks = new Map();
    if (!cfg.url) {
        for (const e of untilKeyword(entries)) {
            const check = checkSupported(e.url, name, ctx).catch(async (err) => ({
                answer: 'error',
                result: await safely(Promise.reject(err), e.url, 'sumdb')
            }));
            asks.set(e, check);
        }
    }
    const route = await resolveSumdbRoute(cfg, entries, (e) => asks.get(e));
    switch (route.via) {
        case 'proxy':
            return {
                ...route.answer.result,
                hint: `The checksum database answers through the proxy ${redactUrl(route.entry.url)}.`
            };
        case 'unavailable': {
            const r = route.answer.result;
            return {
                ...r,
                hint: `go reaches the checksum database through this proxy (GOSUMDB has no URL) and it failed: ${r.hint}`
            };
        }
        default:
            if (ctx.signal.aborted)
                return lateSumdb(route.base, name, ctx.signal.reason instanceof CutShort);
            return safely(checkSumdb(route.base, ctx), route.base, 'sumdb');
    }
}
/** The url entries go may use: 'direct' and 'off' end go's list. */
function untilKeyword(proxies) {
    const end = proxies.findIndex((p) => p.kind !== 'url');
    return end < 0 ? proxies : proxies.slice(0, end);
}
function invalidGosumdb(gosumdb, e) {
    const message = errorMessage(e);
    return {
        endpoint: redact(gosumdb),
        role: 'sumdb',
        verdict: 'unreachable',
        hint: `go cannot use this GOSUMDB: ${redact(message)}`,
        timings: { total: 0 }
    };
}
function lateSumdb(base, name, cutShort) {
    const r = { endpoint: redactUrl(base), role: 'sumdb', timings: { total: 0 } };
    if (cutShort) {
        return { ...r, verdict: 'unfinished', hint: UNFINISHED_HINT, detail: 'tidy finished before the probe started' };
    }
    return {
        ...r,
        verdict: 'timeout',
        hint: `The deadline passed before the checksum database could be probed: a proxy answered /sumdb/${name}/supported too late.`,
        detail: 'deadline reached before the probe started'
    };
}
/** Verdicts that mean the endpoint could not be talked to at all (as opposed to an HTTP answer). */
const TRANSPORT_FAILURES = new Set([
    'dns',
    'refused',
    'timeout',
    'tls-untrusted',
    'tls-other',
    'unreachable'
]);
/**
 * For go without the relay, which has no timeout for a silent proxy: the network proxies (healthy first) without
 * those preflight could not talk to at all, keeping at least the first one.
 */
function withoutUnreachable(ordered, results) {
    const failed = (e) => {
        const r = results.find((x) => x.role === 'proxy' && x.endpoint === redactUrl(e.url));
        return e.kind === 'url' && r !== undefined && TRANSPORT_FAILURES.has(r.verdict);
    };
    const kept = ordered.filter((e) => !failed(e));
    return kept.length > 0 ? kept : ordered.slice(0, 1);
}
/**
 * The proxies with those whose verdict is 'ok' first, then those without a verdict yet, then the
 * failing ones; stable within each group. Only the url entries before the first keyword move:
 * 'direct'/'off' end go's list and stay last. Separators stay with their positions, so the list
 * keeps the shape the user gave it.
 */
function orderHealthyFirst(proxies, results) {
    const head = untilKeyword(proxies);
    const rank = (e) => {
        const endpoint = redactUrl(e.url);
        const r = results.find((x) => x.role === 'proxy' && x.endpoint === endpoint);
        return !r || r.verdict === 'unfinished' ? 1 : r.verdict === 'ok' ? 0 : 2;
    };
    const sorted = head
        .map((e, i) => ({ e, i, k: rank(e) }))
        .sort((a, b) => a.k - b.k || a.i - b.i)
        .map(({ e }, pos) => ({ ...e, separator: head[pos].separator }));
    return [...sorted, ...proxies.slice(head.length)];
}

const DEFAULT_BREAKER = { tripAfter: 3, tripAfterIfAlive: 10 };
/** The latest first-byte times kept: the median follows the upstream's present latency, and costs little. */
const MAX_SAMPLES = 64;
/**
 * How long an attempt on a last resort (an upstream preflight found down, tried because nothing better is in
 * service) waits for response headers, connect included. Preflight already gave it preflight-timeout to
 * answer; waiting the full first-byte timeout again would make "every upstream down" take half a minute.
 */
const LAST_RESORT_WAIT_MS = 2_000;
/**
 * A demotion expires after this many requests delivered by other upstreams, doubled for each demotion in a row
 * (cleared when the upstream itself delivers), up to DEMOTION_TERM_CAP: a good proxy demoted after one spurious
 * hedge comes back soon, while one that keeps going silent is tried again ever more rarely. A demotion for a body
 * that stalled mid-way does not expire this way (see outlived).
 */
const DEMOTION_TERM = 8;
const DEMOTION_TERM_CAP = 512;
class Upstream {
    url;
    display;
    index;
    opts;
    health = undefined;
    open = false;
    isDemoted = false;
    /** Demotions since it last delivered: the exponent of the next demotion's term. */
    demotions = 0;
    /** Requests delivered by other upstreams since it was demoted. */
    deliveredElsewhere = 0;
    /** Why it was last demoted, for the summary. */
    demotedFor;
    consecutive = 0;
    alive = false;
    delivered = 0;
    ttfb = [];
    /** Answers with a first-byte time, all of them (the samples keep only the latest). */
    answers = 0;
    /** Median of the samples, until the next one arrives (read several times per request). */
    medianCache;
    /** `unanswered`: requests it sat silent on until another upstream served them (not failures: they were cut off). */
    counts = { requests: 0, bytes: 0, retries: 0, failures: 0, hedges: 0, unanswered: 0 };
    /** Attempts waiting for response headers; aborted when preflight demotes this upstream. */
    waiting = new Set();
    constructor(
    /** As the user wrote it, credentials included: never print. */
    url, 
    /** Redacted, safe to print. */
    display, 
    /** Preference order from the GOPROXY list. */
    index, opts) {
        this.url = url;
        this.display = display;
        this.index = index;
        this.opts = opts;
    }
    /** Preflight's verdict: true ok, false not ok, undefined not known (yet). */
    get healthy() {
        return this.health;
    }
    /** Out of service for the rest of the run (circuit breaker). */
    get tripped() {
        return this.open;
    }
    /**
     * Stalled mid-body or sat silent until a hedge beat it: later requests try the others first. Not a
     * breaker trip: it stays in service, and is promoted again when it delivers or when the demotion expires.
     */
    get demoted() {
        return this.isDemoted;
    }
    /** Complete bodies it delivered to go: evidence that its failures are bad luck, not a dead upstream. */
    get deliveries() {
        return this.delivered;
    }
    /** @internal The pool's; see UpstreamPool.setHealthy. */
    setVerdict(healthy) {
        this.health = healthy;
    }
    /** The upstream answered over HTTP (any status that is not a failure). */
    answered(ttfbMs) {
        this.consecutive = 0;
        this.alive = true;
        if (ttfbMs !== undefined) {
            if (this.ttfb.length >= MAX_SAMPLES)
                this.ttfb.shift();
            this.ttfb.push(ttfbMs);
            this.answers++;
            this.medianCache = undefined;
        }
    }
    /** Behind the others for later requests: it went silent (no headers in time, or a hedge beat it) or stalled mid-body. */
    demote(why) {
        if (!this.isDemoted)
            this.demotions++;
        this.isDemoted = true;
        this.deliveredElsewhere = 0;
        this.demotedFor = why;
    }
    /** @internal The pool's; see UpstreamPool.delivered. */
    won() {
        this.delivered++;
        this.isDemoted = false;
        this.demotions = 0;
    }
    /**
     * @internal Another upstream delivered a request: a demotion for silence that has served its term expires (it may
     * have been one spurious hedge). A body that stalled mid-way is a real fault: only a delivery of its own promotes it.
     */
    outlived() {
        if (!this.isDemoted || this.demotedFor === 'stalled')
            return;
        const term = Math.min(DEMOTION_TERM_CAP, DEMOTION_TERM * 2 ** (this.demotions - 1));
        if (++this.deliveredElsewhere >= term)
            this.isDemoted = false;
    }
    /**
     * Sat idle on a request until another upstream delivered it: silent (no headers) or with its body stalled mid-way
     * (a real fault, whose demotion does not expire by others' deliveries: see outlived).
     */
    outrun(why = 'silent') {
        this.counts.unanswered++;
        this.demote(why);
    }
    failed() {
        this.counts.failures++;
        this.consecutive++;
        if (this.consecutive >= (this.alive ? this.opts.tripAfterIfAlive : this.opts.tripAfter))
            this.open = true;
    }
    /** @internal The pool's; see UpstreamPool.timedOut. */
    trip() {
        this.open = true;
    }
    /** How long an attempt may wait for response headers: the first-byte timeout, or less for a last resort. */
    headersWaitMs(firstByteTimeoutMs) {
        return this.healthy === false ? Math.min(firstByteTimeoutMs, LAST_RESORT_WAIT_MS) : firstByteTimeoutMs;
    }
    /** It has answered an HTTP request in this run (with any status that is not a failure). */
    get hasAnswered() {
        return this.alive;
    }
    /** Median time to first byte of its latest answers, ms; 0 before the first. */
    medianTtfb() {
        return (this.medianCache ??= median(this.ttfb));
    }
    stats() {
        return {
            upstream: this.display,
            ...this.counts,
            latencyMs: this.medianTtfb(),
            answers: this.answers,
            tripped: this.tripped,
            demoted: this.demoted,
            ...(this.demotedFor ? { demotedFor: this.demotedFor } : {})
        };
    }
}
function median(values) {
    if (values.length === 0)
        return 0;
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return Math.round(sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2);
}
const RANK = (u) => (u.healthy === true ? 0 : u.healthy === undefined ? 1 : 2);
class UpstreamPool {
    all;
    constructor(entries, opts = DEFAULT_BREAKER) {
        this.all = entries.map((e, i) => new Upstream(e.url, e.display, i, opts));
    }
    /**
     * Upstreams still in service, healthy first, then unknown; GOPROXY order within each. Those preflight
     * found broken are a last resort, used only while no other upstream is in service: otherwise every
     * "not found" that go expects (it probes module path prefixes) would wait out a dead proxy's timeouts.
     * Demoted upstreams (they stalled or were beaten by a hedge) go behind the others still usable.
     */
    order() {
        const inService = this.all.filter((u) => !u.tripped);
        const usable = inService.some((u) => u.healthy !== false) ? inService.filter((u) => u.healthy !== false) : inService;
        return usable.sort((a, b) => Number(a.demoted) - Number(b.demoted) || RANK(a) - RANK(b) || a.index - b.index);
    }
    setHealthy(url, healthy) {
        for (const u of this.all) {
            if (u.url !== url)
                continue;
            u.setVerdict(healthy);
            // Requests stuck on an upstream that preflight now calls broken move on at once instead of
            // waiting out the first-byte timeout, but only when somewhere better is left to go.
            if (!healthy && this.all.some((o) => o !== u && !o.tripped && o.healthy !== false)) {
                for (const ac of u.waiting)
                    ac.abort(new Error('preflight marked the upstream unhealthy'));
            }
        }
    }
    /** `winner` delivered a request: it is in front again, and the others' demotions run down their term. */
    delivered(winner) {
        winner.won();
        for (const u of this.all)
            if (u !== winner)
                u.outlived();
    }
    /**
     * `up` timed out. When only upstreams preflight found broken are left (the last resort), that confirms the
     * verdict: it leaves the run, so no retry and no later request waits out another timeout on it (every
     * upstream down must fail within preflight-timeout plus one relay timeout).
     */
    timedOut(up) {
        if (up.healthy === false && this.order().every((u) => u.healthy === false))
            up.trip();
    }
    allDown() {
        return this.all.every((u) => u.tripped || u.healthy === false);
    }
    stats() {
        return this.all.map((u) => u.stats());
    }
}

// The relay's retry policy, kept pure so it can be tested without sockets: which failures are worth
// another attempt, how long to wait, which upstream to try next, and what to tell go at the end.
/** 404/410 are go's "not found" (its `,` fallback); 401/403 are auth; other 4xx are permanent; 429 and 5xx may pass. */
function classifyStatus(status) {
    if (status >= 200 && status < 300)
        return 'ok';
    if (status === 404 || status === 410)
        return 'not-found';
    if (status === 401 || status === 403)
        return 'denied';
    if (status === 429 || status === 408)
        return 'transient';
    // 501 and 505 say the server will never do this, however often we ask.
    if (status >= 500 && status !== 501 && status !== 505)
        return 'transient';
    return 'rejected';
}
const CODE_KINDS = {
    ENOTFOUND: 'dns',
    EAI_AGAIN: 'dns',
    EAI_FAIL: 'dns',
    ECONNREFUSED: 'connect',
    EHOSTUNREACH: 'connect',
    ENETUNREACH: 'connect',
    EADDRNOTAVAIL: 'connect',
    ECONNRESET: 'reset',
    EPIPE: 'reset',
    ECONNABORTED: 'reset',
    ETIMEDOUT: 'connect-timeout',
    UND_ERR_CONNECT_TIMEOUT: 'connect-timeout',
    UND_ERR_HEADERS_TIMEOUT: 'first-byte-timeout',
    UND_ERR_BODY_TIMEOUT: 'stall',
    UND_ERR_SOCKET: 'reset',
    UND_ERR_CLOSED: 'reset',
    UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'reset',
    ERR_STREAM_PREMATURE_CLOSE: 'reset',
    UND_ERR_INFO: 'protocol'
};
function errorCode(err) {
    // undici wraps the socket error of a failed connect in `cause`; the inner code is the telling one.
    let e = err;
    for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
        const code = e.code;
        if (typeof code === 'string' && code !== 'UND_ERR' && code !== 'UND_ERR_ABORTED')
            return code;
        e = e.cause;
    }
    return undefined;
}
/** Maps a thrown network error (node, undici) to a failure kind. `detail` is the caller's job to redact. */
function classifyError(err) {
    const code = errorCode(err);
    const message = errorMessage(err);
    if (code && CODE_KINDS[code])
        return { kind: CODE_KINDS[code], detail: `${code}: ${message}` };
    if (code && /^HPE_/.test(code))
        return { kind: 'protocol', detail: `${code}: ${message}` };
    if (code && (/CERT|SSL|TLS/.test(code) || /certificate/i.test(message)))
        return { kind: 'tls', detail: `${code}: ${message}` };
    return { kind: 'other', detail: code ? `${code}: ${message}` : message };
}
/** Transient failures may succeed on another attempt; DNS "no such host", TLS trust and the like never do. */
function isTransient(f) {
    switch (f.kind) {
        case 'dns':
            return /EAI_AGAIN/.test(f.detail);
        case 'tls':
        case 'other':
        case 'resume':
            return false;
        case 'http':
            return f.status !== undefined && classifyStatus(f.status) === 'transient';
        default:
            return true;
    }
}
/** Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^retry)). `retry` counts from 0. */
function backoffMs(retry, baseMs, capMs, random = Math.random) {
    const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(retry, 30));
    return Math.floor(random() * ceiling);
}
/**
 * Failures that took a timeout to show (silence before headers, a connect that never completed, a body that
 * stalled): the upstream may be overloaded, so these back off exponentially. Every other transient failure (an
 * HTTP 429/5xx, a reset, a refused connection) showed at once and costs the upstream nothing to retry.
 */
function isSlowFailure(f) {
    return f.kind === 'first-byte-timeout' || f.kind === 'connect-timeout' || f.kind === 'stall';
}
/**
 * A fast failure retried on the upstream that just failed waits a jitter, so retries do not march in step: uniform
 * between half and all of a ceiling of a few of that upstream's round trips (FAST_RETRY_ROUND_TRIPS times its
 * median time to first byte), the ceiling kept within these bounds. A nearby proxy is asked again within
 * milliseconds; one whose latency is not known yet gets the maximum ceiling.
 */
const FAST_RETRY_MS = { min: 2, max: 50 };
const FAST_RETRY_ROUND_TRIPS = 2;
/** The jitter before a fast failure's retry on the same upstream (see FAST_RETRY_MS). */
function fastRetryJitterMs(latencyMs, random = Math.random) {
    const { min, max } = FAST_RETRY_MS;
    const ceiling = latencyMs > 0 ? Math.min(max, Math.max(min, FAST_RETRY_ROUND_TRIPS * latencyMs)) : max;
    return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
}
/**
 * The wait before a retry: none when a fast failure moves to another upstream, a short jitter when it hits the
 * same one again, exponential backoff after a slow failure; never less than the upstream's Retry-After (the
 * caller caps that, see relay/fetch.ts).
 */
function retryWaitMs(w, random = Math.random) {
    const f = w.failure;
    const retryAfter = f?.retryAfterMs ?? 0;
    if (f && isSlowFailure(f))
        return Math.max(backoffMs(w.slowRetries, w.baseMs, w.capMs, random), retryAfter);
    const jitter = w.sameUpstream ? fastRetryJitterMs(w.latencyMs ?? 0, random) : 0;
    return Math.max(jitter, retryAfter);
}
/**
 * One request's retries: the configured count, and beyond it a time window for failures that were bad luck.
 * A retry past the count is allowed only while the request is younger than `windowMs`, at most `extraCap` times,
 * and only onto an upstream that delivered other requests since this one began (`lucky`): a flaky but working
 * proxy then costs a few fast retries instead of a failed request (and a restarted module), while an upstream
 * that delivers nothing still fails within the count (and its breaker).
 */
class RetryBudget {
    tries;
    started;
    opts;
    extra = 0;
    constructor(tries, started, opts = RETRY_WINDOW) {
        this.tries = tries;
        this.started = started;
        this.opts = opts;
    }
    /** Whether a retry may start now (nothing is spent). */
    allows(now, lucky) {
        if (this.tries > 0)
            return true;
        return lucky && this.extra < this.opts.extraCap && now - this.started < this.opts.windowMs;
    }
    /** Spends one retry; false when none is allowed. */
    spend(now, lucky) {
        if (!this.allows(now, lucky))
            return false;
        if (this.tries > 0)
            this.tries--;
        else
            this.extra++;
        return true;
    }
}
/** Default window of RetryBudget: at one failure in three, twelve more straight failures are a 1-in-500,000 event. */
const RETRY_WINDOW = { windowMs: 15_000, extraCap: 12 };
/** Retry-After in ms (seconds or an HTTP date), capped; undefined when absent or unparsable. */
function parseRetryAfter(value, capMs, now = Date.now()) {
    if (!value)
        return undefined;
    const trimmed = value.trim();
    let ms;
    if (/^\d+$/.test(trimmed))
        ms = Number(trimmed) * 1000;
    else {
        const at = Date.parse(trimmed);
        if (Number.isNaN(at))
            return undefined;
        ms = at - now;
    }
    return Math.max(0, Math.min(capMs, ms));
}
/**
 * Picks the next upstream for a request. Every upstream in `order` gets a first attempt without spending
 * the retry budget (that is failover); after that, a retry goes to the retryable upstream tried least,
 * preferring earlier ones, so retries alternate between mirrors instead of hammering the first.
 */
function planNext(order, tries, retriesLeft) {
    for (const u of order)
        if (!tries.has(u))
            return { upstream: u, retry: false };
    let best;
    let bestAttempts = Infinity;
    for (const u of order) {
        const t = tries.get(u);
        if (t && t.retryable && t.attempts < bestAttempts) {
            best = u;
            bestAttempts = t.attempts;
        }
    }
    return best === undefined ? undefined : { upstream: best, retry: true };
}
/**
 * The answer go gets when no upstream delivered. Only upstreams still in service count (a tripped one is
 * out of the run). 404/410 only when all of them said not found, so go's `,` fallback keeps its meaning;
 * an auth refusal passes through when all refused definitively; anything else is a 502 naming each upstream.
 */
function finalReply(path, verdicts) {
    const counted = verdicts.filter((v) => !v.tripped && v.outcome);
    const answers = counted.flatMap((v) => (v.outcome?.type === 'answer' ? [v.outcome.answer] : []));
    if (counted.length > 0 && answers.length === counted.length) {
        const pick = answers.find((a) => classifyStatus(a.status) === 'denied') ??
            answers.find((a) => classifyStatus(a.status) !== 'not-found') ??
            answers[0];
        return { status: pick.status, contentType: pick.contentType ?? 'text/plain; charset=utf-8', text: pick.text };
    }
    const lines = verdicts.map(({ display, outcome, tripped }) => {
        const what = !outcome
            ? 'not tried'
            : outcome.type === 'answer'
                ? `HTTP ${outcome.answer.status}`
                : outcome.failure.detail;
        return `${display}: ${what}${tripped ? ' (circuit open: no longer used)' : ''}`;
    });
    return {
        status: 502,
        contentType: 'text/plain; charset=utf-8',
        text: `go-tidy-guard relay: ${path} failed on every upstream: ${lines.join('; ')}\n`
    };
}

function parseUpstream(raw) {
    const u = new URL(raw);
    // netrc credentials arrive here in the URL too (see access/access.ts: withNetrc).
    return { origin: u.origin, basePath: u.pathname.replace(/\/+$/, ''), authorization: basicAuth(u) };
}
const ERROR_TEXT_CAP = 4096;
// A Retry-After of minutes would stall go for minutes; other upstreams or the next run do better.
const RETRY_AFTER_CAP_MS = 10_000;
async function attempt(target, path, opts) {
    const started = performance.now();
    // identity: byte offsets for Range must be offsets of what we relay.
    const headers = {
        'accept-encoding': 'identity',
        'user-agent': opts.userAgent || 'go-tidy-guard-relay'
    };
    if (target.authorization)
        headers.authorization = target.authorization;
    if (opts.range) {
        headers.range = `bytes=${opts.range.start}-`;
        if (opts.range.ifRange)
            headers['if-range'] = opts.range.ifRange;
    }
    let res;
    try {
        res = await opts.dispatcher.request({
            origin: target.origin,
            path: target.basePath + path,
            method: 'GET',
            headers,
            headersTimeout: opts.firstByteTimeoutMs,
            bodyTimeout: opts.stallTimeoutMs,
            signal: opts.signal
        });
    }
    catch (err) {
        if (opts.signal.aborted) {
            const why = opts.signal.reason instanceof Error ? opts.signal.reason.message : 'aborted';
            return { type: 'failure', failure: { kind: 'first-byte-timeout', detail: `abandoned: ${why}` } };
        }
        const failure = classifyError(err);
        return { type: 'failure', failure: { ...failure, detail: redact(failure.detail) } };
    }
    const ttfbMs = performance.now() - started;
    const status = res.statusCode;
    const cls = classifyStatus(status);
    if (cls === 'ok' && status === 206 && !opts.range) {
        // A part we did not ask for cannot be relayed as the whole.
        discard(res.body);
        return { type: 'failure', failure: { kind: 'protocol', detail: 'HTTP 206 without a Range request' } };
    }
    if (cls === 'ok')
        return { type: 'ok', status, headers: res.headers, body: res.body, ttfbMs };
    const text = await readText(res.body, ERROR_TEXT_CAP);
    if (cls === 'transient') {
        const retryAfterMs = parseRetryAfter(header(res.headers, 'retry-after'), RETRY_AFTER_CAP_MS);
        return { type: 'failure', failure: { kind: 'http', status, detail: `HTTP ${status}`, retryAfterMs } };
    }
    const contentType = header(res.headers, 'content-type');
    return { type: 'answer', answer: { status, contentType, text: redact(text) }, ttfbMs };
}
function header(headers, name) {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
}
/** Reads at most `cap` bytes of a (small, error) body as text and drops the rest. */
async function readText(body, cap) {
    const chunks = [];
    let size = 0;
    try {
        for await (const chunk of body) {
            chunks.push(chunk);
            size += chunk.length;
            if (size >= cap)
                break;
        }
    }
    catch {
        // The status is what counts; a broken error body only loses its text.
    }
    discard(body);
    return Buffer.concat(chunks).subarray(0, cap).toString('utf8');
}
/** Drops a body we no longer want; undici reports the abort as an error event, which must not crash us. */
function discard(body) {
    body.on('error', () => { });
    body.destroy();
}

// What undici's redirect handler follows (lib/handler/redirect-handler.js).
const REDIRECTS = new Set([300, 301, 302, 303, 307, 308]);
// go's checkRedirect: "stopped after 10 redirects".
const MAX_REDIRECTS = 10;
class InsecureRedirect extends Error {
}
/** `base` following redirects the way go does. */
function followingRedirects(base) {
    // Composed below the redirect interceptor: the guard sees every hop, the first one included.
    return base.compose(refuseDowngrade, undiciSubsetExports.interceptors.redirect({ maxRedirections: MAX_REDIRECTS }));
}
function refuseDowngrade(dispatch) {
    // undici's redirect handler dispatches every hop of a request as itself: the scheme of the request's first URL.
    // (Were it ever a new object per hop, this would judge each hop by the one before: stricter, never looser.)
    const firstScheme = new WeakMap();
    return (opts, handler) => {
        const here = new URL(opts.path, opts.origin);
        const first = firstScheme.get(handler) ?? here.protocol;
        firstScheme.set(handler, first);
        return dispatch(opts, first === 'https:' ? new DowngradeGuard(handler, here) : handler);
    };
}
/** Passes everything on, but a redirect to a URL that is not https fails the request instead of being followed. */
class DowngradeGuard {
    next;
    here;
    constructor(next, here) {
        this.next = next;
        this.here = here;
    }
    onRequestStart(controller, context) {
        this.next.onRequestStart?.(controller, context);
    }
    onRequestUpgrade(...args) {
        this.next.onRequestUpgrade?.(...args);
    }
    onResponseStart(controller, status, headers, message) {
        const location = REDIRECTS.has(status) ? [headers.location].flat()[0] : undefined;
        const to = location ? parseUrl(location, this.here) : undefined;
        // Thrown here, undici aborts the request with this error (as it does for its own "max redirects").
        if (to && to.protocol !== 'https:') {
            throw new InsecureRedirect(`redirected from secure URL ${redactUrl(this.here.href)} to insecure URL ${redactUrl(to.href)}`);
        }
        this.next.onResponseStart?.(controller, status, headers, message);
    }
    onResponseData(controller, chunk) {
        this.next.onResponseData?.(controller, chunk);
    }
    onResponseEnd(controller, trailers) {
        this.next.onResponseEnd?.(controller, trailers);
    }
    onResponseError(controller, error) {
        this.next.onResponseError?.(controller, error);
    }
}
function parseUrl(location, base) {
    try {
        return new URL(location, base);
    }
    catch {
        return undefined; // undici fails the request on a Location it cannot parse
    }
}

function newRequest(cfg, path, userAgent, cancelled) {
    return {
        cfg,
        path,
        budget: new RetryBudget(cfg.retries, performance.now()),
        deliveriesAtStart: new Map(cfg.pool.all.map((u) => [u, u.deliveries])),
        slowRetries: 0,
        cancelled,
        userAgent
    };
}
function lucky(req, up) {
    return up.deliveries > (req.deliveriesAtStart.get(up) ?? 0);
}
/** Whether a retry on `up` may start now (nothing is spent). */
function mayRetry(req, up) {
    return req.budget.allows(performance.now(), lucky(req, up));
}
/** Spends a retry on `up`; false when the budget allows none. */
function spendRetry(req, up) {
    return req.budget.spend(performance.now(), lucky(req, up));
}
/** The wait before retrying `up`, whose own last failure in this request was `failure` (see retryWaitMs). */
function retryDelayMs(req, up, failure) {
    const { backoffBaseMs: baseMs, backoffCapMs: capMs } = req.cfg;
    const sameUpstream = up === req.lastFailed;
    const ms = retryWaitMs({
        failure,
        sameUpstream,
        slowRetries: req.slowRetries,
        baseMs,
        capMs,
        latencyMs: up.medianTtfb()
    });
    if (failure && isSlowFailure(failure))
        req.slowRetries++;
    return ms;
}

// Where the relay holds an upstream's body until it is complete. go gets headers and bytes only from a
// complete spool, so it never sees an answer that may still break, and never bytes of two upstreams spliced
// together (two proxies' zips of one version need not be byte-identical: go would report a checksum
// mismatch). Small bodies stay in memory; past MEMORY_LIMIT the spool moves to a temp file, so memory stays
// flat for big zips however slowly go reads.
/** Bodies up to this size (.info, .mod, lists, sumdb tiles) never touch the disk. */
const MEMORY_LIMIT = 1 << 20;
/** go refuses module zips over 500 MiB: a longer body is no module proxy answer, and must not fill the disk. */
const SIZE_LIMIT = 512 * (1 << 20);
const READ_CHUNK = 256 * 1024;
class SpoolTooLarge extends Error {
}
/** Writes one chunk; true once the socket has taken it (its buffer may then be reused), false if go hung up. */
function written(res, chunk) {
    return new Promise((resolve) => {
        if (res.destroyed)
            return resolve(false);
        const onClose = () => resolve(false);
        res.once('close', onClose);
        res.write(chunk, (err) => {
            res.off('close', onClose);
            resolve(!err);
        });
    });
}
/** The spools of one relay, in one private temp directory that close() removes with everything in it. */
class SpoolStore {
    base;
    dir;
    live = new Set();
    closed = false;
    /** `base`: RUNNER_TEMP on a runner (the runner cleans it), else the OS temp dir. */
    constructor(base = process.env.RUNNER_TEMP || tmpdir()) {
        this.base = base;
    }
    create() {
        const s = new Spool(this);
        this.live.add(s);
        return s;
    }
    /** @internal A fresh file path in the store's directory, which is made on first use. */
    async newPath() {
        // A lane that read one more chunk before its abort landed must not make a directory nobody removes.
        if (this.closed)
            throw new Error('relay closed');
        this.dir ??= mkdtemp(join(this.base, 'go-tidy-guard-relay-'));
        return join(await this.dir, randomBytes(9).toString('hex'));
    }
    /** @internal */
    forget(s) {
        this.live.delete(s);
    }
    async close() {
        this.closed = true;
        await Promise.all([...this.live].map((s) => s.dispose()));
        const dir = await this.dir?.catch(() => undefined);
        if (dir)
            await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
}
class Spool {
    store;
    /** Bytes held so far. */
    size = 0;
    chunks = [];
    file;
    disposed;
    constructor(store) {
        this.store = store;
    }
    /** Past MEMORY_LIMIT: held in a temp file, not in memory. */
    get onDisk() {
        return this.file !== undefined;
    }
    /** Adds the next bytes; callers await each append before the next (that is the upstream's backpressure). */
    async append(chunk) {
        if (this.disposed)
            throw new Error('spool disposed');
        if (this.size + chunk.length > SIZE_LIMIT)
            throw new SpoolTooLarge(`body larger than ${SIZE_LIMIT} bytes`);
        this.size += chunk.length;
        if (!this.file && this.size <= MEMORY_LIMIT) {
            this.chunks.push(chunk);
            return;
        }
        if (!this.file)
            await this.moveToDisk();
        await this.file.handle.write(chunk);
    }
    async moveToDisk() {
        const path = await this.store.newPath();
        const handle = await open(path, 'w+', 0o600);
        if (this.disposed) {
            await handle.close().catch(() => undefined);
            await rm(path, { force: true }).catch(() => undefined);
            throw new Error('spool disposed');
        }
        this.file = { path, handle };
        for (const c of this.chunks)
            await handle.write(c);
        this.chunks = [];
    }
    /** Starts over: the same upstream sent the whole body again instead of the rest. */
    async reset() {
        await this.dropFile();
        this.chunks = [];
        this.size = 0;
    }
    /**
     * Sends the complete body as the answer to go, with its exact length. Resolves when go has it all or has
     * hung up (a hang-up is go's business, not an upstream fault). The spool stays until dispose().
     */
    async sendTo(res, status, headers) {
        res.writeHead(status, { ...headers, 'content-length': this.size });
        if (!this.file)
            return void res.end(Buffer.concat(this.chunks));
        // One buffer, reused once go's socket has taken each chunk: a slow go holds back the disk reads, and a
        // fast one leaves no trail of garbage buffers for the collector (a read stream would allocate 50 MB of
        // them for a 50 MB zip, on top of the upstream's).
        const buf = Buffer.allocUnsafe(READ_CHUNK);
        const { handle } = this.file;
        for (let pos = 0; pos < this.size;) {
            const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, this.size - pos), pos);
            if (bytesRead === 0)
                return void res.destroy(new Error('spool file shorter than its body'));
            pos += bytesRead;
            if (!(await written(res, buf.subarray(0, bytesRead))))
                return;
        }
        res.end();
    }
    dispose() {
        this.disposed ??= (async () => {
            this.store.forget(this);
            this.chunks = [];
            await this.dropFile();
        })();
        return this.disposed;
    }
    async dropFile() {
        const f = this.file;
        this.file = undefined;
        if (!f)
            return;
        await f.handle.close().catch(() => undefined);
        await rm(f.path, { force: true }).catch(() => undefined);
    }
}

/**
 * Floor of the delay before a second attempt on the same upstream (see Lane.sameHedgeDelayMs): a few scheduling
 * hiccups, so a busy machine does not double its requests.
 */
const SAME_HEDGE_FLOOR_MS = 8;
class Lane {
    req;
    up;
    opts;
    done;
    /** Last headers or body bytes (or the lane's start). */
    lastProgress = performance.now();
    /** When its current request to the upstream was sent (undefined while it waits before one). */
    sentAt;
    /** Its idleness started a hedge: if the hedge wins, this upstream is demoted. */
    stuck = false;
    /** Headers arrived: if it goes idle now, its body stalled mid-way (not a silent upstream). */
    answered = false;
    abort = new AbortController();
    signal;
    constructor(req, up, opts) {
        this.req = req;
        this.up = up;
        this.opts = opts;
        this.signal = AbortSignal.any([this.abort.signal, req.cancelled, req.cfg.closing]);
        if (opts.retry)
            up.counts.retries++;
        if (opts.hedge)
            up.counts.hedges++;
        // Never rejects: a bug in one lane must not leave the others' spools behind.
        this.done = this.run().catch((err) => {
            const detail = redact(errorMessage(err));
            return { type: 'failure', failure: { kind: 'other', detail } };
        });
    }
    /** No progress for this long makes the request worth hedging: 4× the upstream's usual first byte, ≥ the floor. */
    get hedgeDelayMs() {
        const { hedgeDelayMs, stallTimeoutMs } = this.req.cfg;
        return Math.min(stallTimeoutMs, Math.max(hedgeDelayMs, 4 * this.up.medianTtfb()));
    }
    /**
     * No progress for this long on a request sent to an upstream that has answered before: a second attempt on the
     * same upstream (relay/race.ts, when no other upstream is left to hedge onto). Several of its usual latencies,
     * at least SAME_HEDGE_FLOOR_MS, at most the hedge delay floor (and the stall timeout).
     */
    get sameHedgeDelayMs() {
        const { hedgeDelayMs, stallTimeoutMs } = this.req.cfg;
        return Math.min(stallTimeoutMs, hedgeDelayMs, Math.max(SAME_HEDGE_FLOOR_MS, 4 * this.up.medianTtfb()));
    }
    /**
     * Since when it has been waiting on the upstream without progress; undefined while it waits before a request (a
     * retry's jitter or backoff) or before its upstream ever answered (a silent upstream is not asked twice).
     */
    get idleSince() {
        if (this.sentAt === undefined || !this.up.hasAnswered)
            return undefined;
        return Math.max(this.sentAt, this.lastProgress);
    }
    progressed() {
        this.lastProgress = performance.now();
    }
    /** Loser of a race, or nobody waits any more: stop, and drop whatever was spooled. */
    cancel(why) {
        this.abort.abort(new Error(why));
        void this.done.then((r) => (r.type === 'ok' ? r.spool.dispose() : undefined));
    }
    async run() {
        if (this.opts.delayMs > 0)
            await setTimeout$1(this.opts.delayMs, undefined, { signal: this.signal }).catch(() => undefined);
        if (this.signal.aborted)
            return abandoned;
        if (this.up.tripped)
            return { type: 'failure', failure: { kind: 'other', detail: 'circuit open' } };
        const r = await this.tryOnce(undefined);
        if (r.type !== 'ok')
            return r;
        this.answered = true;
        this.progressed();
        const spool = this.req.cfg.spools.create();
        try {
            const out = await this.fill(r, spool);
            if (out.type !== 'ok')
                await spool.dispose();
            return out;
        }
        catch (err) {
            await spool.dispose();
            throw err;
        }
    }
    /** One request to this upstream; results of an abandoned attempt say nothing about the upstream. */
    async tryOnce(range) {
        const { cfg } = this.req;
        const waiting = new AbortController();
        this.up.counts.requests++;
        this.up.waiting.add(waiting);
        this.sentAt = performance.now();
        const waitMs = this.up.headersWaitMs(cfg.firstByteTimeoutMs);
        // A last resort's wait covers the connect too: an address that drops packets must not cost the connect timeout.
        const cut = waitMs < cfg.firstByteTimeoutMs
            ? setTimeout(() => waiting.abort(new Error(`no answer within ${waitMs / 1000} s; preflight had found it down`)), waitMs)
            : undefined;
        let r;
        try {
            r = await attempt(cfg.targets.get(this.up), this.req.path, {
                dispatcher: cfg.dispatcher,
                firstByteTimeoutMs: cfg.firstByteTimeoutMs,
                stallTimeoutMs: cfg.stallTimeoutMs,
                signal: AbortSignal.any([waiting.signal, this.signal]),
                range,
                userAgent: this.req.userAgent
            });
        }
        finally {
            clearTimeout(cut);
            this.up.waiting.delete(waiting);
        }
        if (this.signal.aborted) {
            if (r.type === 'ok')
                discard(r.body);
            return abandoned;
        }
        if (r.type === 'failure') {
            this.up.failed();
            this.req.lastFailed = this.up;
            // Silent until a timeout: behind the others for later requests, at once.
            if (r.failure.kind === 'first-byte-timeout' || r.failure.kind === 'connect-timeout')
                this.up.demote('silent');
        }
        else
            this.up.answered(r.type === 'ok' ? r.ttfbMs : undefined);
        return r;
    }
    /** Spools the body; when it breaks, resumes on this upstream while the budget lasts. */
    async fill(first, spool) {
        let meta = describe(first);
        let body = first.body;
        for (;;) {
            const err = await this.drain(body, spool);
            if (this.signal.aborted)
                return abandoned;
            if (err === undefined && (meta.total === undefined || spool.size === meta.total)) {
                return { type: 'ok', status: meta.status, contentType: meta.contentType, spool };
            }
            if (err instanceof SpoolTooLarge)
                return { type: 'failure', failure: { kind: 'protocol', detail: err.message } };
            const failure = err === undefined
                ? { kind: 'reset', detail: `body ended after ${spool.size} of ${meta.total} bytes` }
                : bodyFailure(err);
            this.up.failed();
            this.req.lastFailed = this.up;
            // Stalled mid-body: whatever happens to this request, later ones try the others first.
            if (failure.kind === 'stall')
                this.up.demote('stalled');
            const next = await this.resume(spool, meta, failure);
            if (next.type === 'failure')
                return { type: 'failure', failure: next.failure ?? failure };
            body = next.body;
            meta = next.meta;
        }
    }
    async drain(body, spool) {
        try {
            for await (const chunk of body) {
                await spool.append(chunk);
                this.up.counts.bytes += chunk.length;
                this.progressed();
            }
            return undefined;
        }
        catch (err) {
            discard(body);
            return err ?? new Error('upstream body failed');
        }
    }
    /**
     * The rest of the body from the same upstream: a 206 that fits continues the spool; a 200 (the entity
     * changed, or the upstream ignores Range) is the whole body again and restarts it.
     */
    async resume(spool, meta, broke) {
        if (!meta.ranges || this.up.tripped || !spendRetry(this.req, this.up))
            return { type: 'failure' };
        this.up.counts.retries++;
        this.sentAt = undefined;
        await setTimeout$1(retryDelayMs(this.req, this.up, broke), undefined, { signal: this.signal }).catch(() => undefined);
        if (this.signal.aborted)
            return { type: 'failure', failure: abandoned.failure };
        const range = spool.size > 0 ? { start: spool.size, ifRange: meta.ifRange } : undefined;
        const r = await this.tryOnce(range);
        if (r.type === 'failure')
            return r;
        if (r.type === 'answer')
            return { type: 'failure', failure: { kind: 'resume', detail: `resume: HTTP ${r.answer.status}` } };
        this.progressed();
        if (r.status === 206 && range && rangeFits(header(r.headers, 'content-range'), range.start, meta.total)) {
            return { type: 'body', body: r.body, meta };
        }
        if (r.status === 206) {
            discard(r.body);
            return {
                type: 'failure',
                failure: { kind: 'resume', detail: 'resume: Content-Range does not continue the body' }
            };
        }
        await spool.reset();
        return { type: 'body', body: r.body, meta: describe(r) };
    }
}
const abandoned = {
    type: 'failure',
    failure: { kind: 'other', detail: 'abandoned' }
};
function describe(r) {
    const etag = header(r.headers, 'etag');
    const length = header(r.headers, 'content-length');
    return {
        status: r.status,
        contentType: header(r.headers, 'content-type'),
        total: length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined,
        ifRange: etag && !etag.startsWith('W/') ? etag : header(r.headers, 'last-modified'),
        ranges: header(r.headers, 'accept-ranges') !== 'none'
    };
}
function bodyFailure(err) {
    const f = classifyError(err);
    return { ...f, detail: redact(f.detail) };
}
/** `bytes START-END/TOTAL` must start where we stopped and describe the same entity length. */
function rangeFits(contentRange, start, total) {
    const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(contentRange?.trim() ?? '');
    if (!m || Number(m[1]) !== start)
        return false;
    if (total === undefined)
        return true;
    return m[3] !== '*' && Number(m[3]) === total && Number(m[2]) === total - 1;
}

class Race {
    req;
    running = new Set();
    tries = new Map();
    outcomes = new Map();
    /** Each upstream's last failure in this request (undefined after an answer): what its retry waits for. */
    lastFailure = new Map();
    /** When each upstream's last lane ended without a body: a retry's wait counts from then. */
    endedAt = new Map();
    constructor(req) {
        this.req = req;
    }
    get stopped() {
        return this.req.cancelled.aborted || this.req.cfg.closing.aborted;
    }
    busy(up) {
        for (const lane of this.running)
            if (lane.up === up)
                return true;
        return false;
    }
    /** The next upstream to put to work, if any: untried ones first (failover), then retries while the budget lasts. */
    plan() {
        const idle = this.req.cfg.pool.order().filter((u) => !this.busy(u));
        const next = planNext(idle, this.tries);
        return next && (!next.retry || mayRetry(this.req, next.upstream)) ? next : undefined;
    }
    /**
     * The only lane, when a second attempt on its own upstream may start (nowhere else to hedge to): it waits on an
     * upstream in service that has answered before, and the budget allows a retry there.
     */
    soleLane() {
        if (this.running.size !== 1)
            return undefined;
        const [lane] = this.running;
        const ok = lane.idleSince !== undefined && !lane.up.tripped && this.tries.get(lane.up)?.retryable !== false;
        return ok && mayRetry(this.req, lane.up) ? lane : undefined;
    }
    /** Starts the planned lane (for a hedge, a second one on the sole lane's upstream when nothing else is left). */
    launch(hedge) {
        const sole = hedge ? this.soleLane() : undefined;
        const next = this.plan() ?? (sole && { upstream: sole.up, retry: true, same: true });
        if (!next)
            return undefined;
        let delayMs = 0;
        if (next.retry) {
            spendRetry(this.req, next.upstream);
            delayMs = retryDelayMs(this.req, next.upstream, this.lastFailure.get(next.upstream));
            // A second lane on a busy upstream waits only what is left of the wait since its last failure there.
            if (next.same)
                delayMs = Math.max(0, delayMs - (performance.now() - (this.endedAt.get(next.upstream) ?? -Infinity)));
        }
        const lane = new Lane(this.req, next.upstream, { retry: next.retry, hedge, delayMs });
        this.running.add(lane);
        return lane;
    }
    /**
     * How long until a hedge is due (0: now): every running lane idle for its hedge delay when another upstream can
     * be put to work, else the sole lane idle for its same-upstream delay; undefined when there is nowhere to hedge to.
     */
    hedgeInMs() {
        if (this.running.size === 0)
            return undefined;
        const now = performance.now();
        if (this.plan()) {
            let wait = 0;
            for (const lane of this.running)
                wait = Math.max(wait, lane.lastProgress + lane.hedgeDelayMs - now);
            return wait;
        }
        const sole = this.soleLane();
        return sole && sole.idleSince + sole.sameHedgeDelayMs - now;
    }
    record(ev) {
        const { lane, result } = ev;
        this.running.delete(lane);
        const t = this.tries.get(lane.up) ?? { attempts: 0, retryable: true };
        t.attempts++;
        this.tries.set(lane.up, t);
        if (result.type === 'ok')
            return;
        this.endedAt.set(lane.up, performance.now());
        t.retryable = result.type === 'failure' && isTransient(result.failure);
        this.outcomes.set(lane.up, result);
        this.lastFailure.set(lane.up, result.type === 'failure' ? result.failure : undefined);
        const f = result.type === 'failure' ? result.failure : undefined;
        if (f?.kind === 'first-byte-timeout' || f?.kind === 'connect-timeout')
            this.req.cfg.pool.timedOut(lane.up);
    }
    /** Every upstream still in service said not found: lanes still running elsewhere (out of service) cannot change that. */
    allSaidNotFound() {
        const inService = this.req.cfg.pool.order();
        return (inService.length > 0 &&
            inService.every((u) => {
                const o = this.outcomes.get(u);
                return o?.type === 'answer' && classifyStatus(o.answer.status) === 'not-found' && !this.busy(u);
            }));
    }
    /** The winner is promoted; other upstreams whose silence started a hedge are demoted for later requests. */
    settle(winner) {
        this.req.cfg.pool.delivered(winner);
        for (const lane of this.running) {
            if (lane.stuck && lane.up !== winner)
                lane.up.outrun(lane.answered ? 'stalled' : 'silent');
            lane.cancel('another attempt delivered first');
        }
        this.running.clear();
    }
    cancelAll(why) {
        for (const lane of this.running)
            lane.cancel(why);
        this.running.clear();
    }
}
/** Waits for the next lane to finish, or `wait` ms ('tick': time to look at the lanes' progress again). */
async function nextEvent(race, wait) {
    const lanes = [...race.running].map((lane) => lane.done.then((result) => ({ lane, result })));
    if (wait === undefined)
        return Promise.race(lanes);
    let timer;
    const tick = new Promise((resolve) => (timer = setTimeout(() => resolve('tick'), Math.ceil(wait))));
    try {
        return await Promise.race([...lanes, tick]);
    }
    finally {
        clearTimeout(timer);
    }
}
/** Runs one request to its end: the winning upstream's complete body, every upstream's verdict, or nobody left to answer. */
async function runRace(req) {
    const race = new Race(req);
    try {
        race.launch(false);
        while (race.running.size > 0) {
            const wait = race.hedgeInMs();
            if (wait !== undefined && wait <= 0) {
                const idle = [...race.running];
                const hedge = race.launch(true);
                // Only another upstream can outrun a stuck one; a second attempt on the same upstream demotes nobody.
                if (hedge)
                    for (const lane of idle)
                        lane.stuck ||= lane.up !== hedge.up;
                continue;
            }
            const ev = await nextEvent(race, wait);
            if (race.stopped) {
                if (ev !== 'tick' && ev.result.type === 'ok')
                    await ev.result.spool.dispose();
                return { type: 'gone' };
            }
            if (ev === 'tick')
                continue;
            race.record(ev);
            if (ev.result.type === 'ok') {
                race.settle(ev.lane.up);
                return { type: 'ok', up: ev.lane.up, result: ev.result };
            }
            if (race.allSaidNotFound())
                break;
            // Failover (or a retry after backoff) when nothing else is at work; otherwise hedging decides.
            if (race.running.size === 0)
                race.launch(false);
        }
        return race.stopped ? { type: 'gone' } : { type: 'none', outcomes: race.outcomes };
    }
    finally {
        race.cancelAll('request finished');
    }
}

/** A complete body held for the go requests that want it; disposed when the last lets go and the cache has dropped it. */
class Held {
    spool;
    status;
    contentType;
    users = 0;
    /** @internal In the cache (which counts as a user). */
    kept = false;
    constructor(spool, status, contentType) {
        this.spool = spool;
        this.status = status;
        this.contentType = contentType;
    }
    acquire(n = 1) {
        this.users += n;
    }
    release(n = 1) {
        this.users -= n;
        if (this.users <= 0 && !this.kept)
            void this.spool.dispose();
    }
}
/**
 * Bytes of kept answers, least recently used dropped first. Only answers held in memory (up to the spool's 1 MiB)
 * are kept: .info, .mod and small zips, the ones go asks for again; a big zip is fetched once per version anyway
 * (go locks the version while it downloads) and would only hold its spool file for the run.
 */
const KEEP_BYTES = 32 << 20;
/** `<mod>/@v/<canonical version>.info|.mod|.zip`: an answer that is the same for the whole run. */
function immutablePath(path) {
    const m = /\/@v\/([^/]+)\.(?:info|mod|zip)$/.exec(path);
    const version = m ? unescapeVersion(m[1]) : undefined;
    return version !== undefined && isCanonicalVersion(version);
}
/** Bytes of answers fetched ahead of go (relay/prefetch.ts) and held until go asks for them, spooled files included. */
const AHEAD_BYTES = 256 << 20;
class Sharing {
    keepBytes;
    aheadLimit;
    flights = new Map();
    /** Least recently used first (Map order). */
    kept = new Map();
    bytes = 0;
    /** Fetched before go asked: each held once, for the first go request that wants it. */
    ahead = new Map();
    /** Paths go has asked for: never fetched ahead again (go has them, or heard why not). */
    asked = new Set();
    /** Paths whose fetch ahead of go delivered a body, and its size: the run's read-ahead report. */
    fetchedAhead = new Map();
    /** Bytes held in `ahead`. */
    aheadBytes = 0;
    /** Called when a go request takes an answer fetched ahead (room for the next one). */
    onTaken;
    constructor(keepBytes = KEEP_BYTES, aheadLimit = AHEAD_BYTES) {
        this.keepBytes = keepBytes;
        this.aheadLimit = aheadLimit;
    }
    /**
     * The answer for `path`: a kept one at once, else the result of the fetch in flight for it, else of a new
     * fetch (`start`, whose signal aborts when every go waiting for it has hung up). A delivered body is acquired
     * for the caller, who releases it when sent. `gone` aborts when this caller's go hangs up.
     */
    get(path, gone, start) {
        this.asked.add(path);
        const early = this.ahead.get(path);
        if (early) {
            // The reference fetchAhead held passes to this caller.
            this.ahead.delete(path);
            this.aheadBytes -= early.spool.size;
            this.onTaken?.();
            return Promise.resolve({ type: 'body', body: early });
        }
        const hit = this.kept.get(path);
        if (hit) {
            this.kept.delete(path);
            this.kept.set(path, hit);
            hit.acquire();
            return Promise.resolve({ type: 'body', body: hit });
        }
        if (gone.aborted)
            return Promise.resolve({ type: 'gone' });
        const flight = this.flights.get(path) ?? this.launch(path, start);
        return new Promise((resolve) => {
            const onGone = () => {
                flight.waiters.delete(waiter);
                if (flight.waiters.size === 0)
                    flight.cancel.abort(new Error('go closed the connection'));
                resolve({ type: 'gone' });
            };
            const waiter = (d) => {
                gone.removeEventListener('abort', onGone);
                resolve(d);
            };
            flight.waiters.add(waiter);
            gone.addEventListener('abort', onGone, { once: true });
        });
    }
    /**
     * Fetches `path` before go asks for it, as go's own request would (sharing a fetch already in flight), and
     * resolves when the fetch is over. Nothing is fetched for a path go has asked for already. A body is held for the
     * first go request for it, unless go got it meanwhile or it is kept anyway (a small immutable answer); a failure is
     * not held (go's own request then fetches again and hears why). The caller stops asking once `aheadBytes` reaches
     * `aheadLimit` (see relay/prefetch.ts): a body already on its way is held all the same, not fetched twice.
     */
    fetchAhead(path, start) {
        if (this.asked.has(path) || this.kept.has(path) || this.ahead.has(path))
            return Promise.resolve();
        const flight = this.flights.get(path) ?? this.launch(path, start);
        return new Promise((resolve) => {
            flight.waiters.add((d) => {
                if (d.type === 'body') {
                    this.fetchedAhead.set(path, d.body.spool.size);
                    if (this.asked.has(path) || d.body.kept || this.ahead.has(path))
                        d.body.release();
                    else {
                        this.ahead.set(path, d.body);
                        this.aheadBytes += d.body.spool.size;
                    }
                }
                resolve();
            });
        });
    }
    /** Files fetched ahead so far, their bytes, and how many of them go has asked for (held, kept or shared). */
    aheadReport() {
        let bytes = 0;
        let used = 0;
        for (const [path, size] of this.fetchedAhead) {
            bytes += size;
            if (this.asked.has(path))
                used++;
        }
        return { files: this.fetchedAhead.size, bytes, used };
    }
    /** Lets go of every answer fetched ahead that go never asked for (the relay is closing). */
    dropAhead() {
        for (const held of this.ahead.values())
            held.release();
        this.ahead.clear();
        this.aheadBytes = 0;
    }
    launch(path, start) {
        const flight = { waiters: new Set(), cancel: new AbortController() };
        this.flights.set(path, flight);
        const internal = {
            type: 'reply',
            reply: { status: 502, contentType: 'text/plain; charset=utf-8', text: 'go-tidy-guard relay: internal error\n' }
        };
        // Never rejects: a bug must not leave go waiting.
        void start(flight.cancel.signal)
            .catch(() => internal)
            .then((d) => {
            this.flights.delete(path);
            if (d.type === 'body') {
                if (immutablePath(path))
                    this.keep(path, d.body);
                // Each waiter gets its reference now, before any of them can send and release.
                d.body.acquire(flight.waiters.size);
                d.body.release(0);
            }
            for (const w of flight.waiters)
                w(d);
        });
        return flight;
    }
    keep(path, held) {
        if (held.spool.onDisk)
            return;
        held.kept = true;
        this.kept.set(path, held);
        this.bytes += held.spool.size;
        for (const [p, h] of this.kept) {
            if (this.bytes <= this.keepBytes)
                break;
            this.kept.delete(p);
            this.bytes -= h.spool.size;
            h.kept = false;
            h.release(0);
        }
    }
}

async function serve(cfg, path, userAgent, res) {
    const gone = new AbortController();
    res.once('close', () => {
        if (!res.writableFinished)
            gone.abort(new Error('go closed the connection'));
    });
    const got = await cfg.sharing.get(path, gone.signal, (cancel) => fetchPath(cfg, path, userAgent, cancel));
    if (got.type === 'gone')
        return;
    if (got.type === 'body') {
        const { spool, status, contentType } = got.body;
        try {
            await spool.sendTo(res, status, contentType ? { 'content-type': contentType } : {});
        }
        finally {
            got.body.release();
        }
        return;
    }
    const { reply } = got;
    res.writeHead(reply.status, { 'content-type': reply.contentType, 'content-length': Buffer.byteLength(reply.text) });
    res.end(reply.text);
}
/** One race for `path`; `cancel` aborts when nobody waits for it any more. */
async function fetchPath(cfg, path, userAgent, cancel) {
    const won = await runRace(newRequest(cfg, path, userAgent, cancel));
    if (won.type === 'gone')
        return won;
    if (won.type === 'ok') {
        const { spool, status, contentType } = won.result;
        return { type: 'body', body: new Held(spool, status, contentType) };
    }
    const reply = finalReply(path, cfg.pool.all.map((u) => ({ display: u.display, outcome: won.outcomes.get(u), tripped: u.tripped })));
    return { type: 'reply', reply };
}

/** Fetches at once: enough to hide a proxy's latency, few enough to leave go's own requests the bandwidth. */
const AHEAD_CONCURRENCY = 6;
class Prefetcher {
    sharing;
    fetch;
    ready;
    queue = [];
    running = 0;
    stopped = false;
    constructor(sharing, fetch, ready) {
        this.sharing = sharing;
        this.fetch = fetch;
        this.ready = ready;
        sharing.onTaken = () => this.pump();
    }
    /** Protocol paths (as protocolPath returns them), fetched in this order after the ones already queued. */
    add(paths) {
        this.queue.push(...paths);
        void this.ready.then(() => this.pump());
    }
    stop() {
        this.stopped = true;
        this.queue.length = 0;
    }
    pump() {
        while (!this.stopped && this.running < AHEAD_CONCURRENCY && this.queue.length > 0) {
            // No room to hold more: the rest waits until go takes what is held.
            if (this.sharing.aheadBytes >= this.sharing.aheadLimit)
                return;
            const path = this.queue.shift();
            this.running++;
            void this.sharing
                .fetchAhead(path, (cancel) => this.fetch(path, cancel))
                .finally(() => {
                this.running--;
                this.pump();
            });
        }
    }
}

// The relay: an in-process module proxy on 127.0.0.1 that go uses as its GOPROXY. It serves only under a
// random path prefix, so another local process cannot borrow the upstreams' credentials through it, and
// forwards module and checksum-database requests to the user's upstreams (see relay/serve.ts): hedged
// across upstreams when one is silent or stalls, and answered only from a complete body.
const DEFAULTS = {
    connectTimeoutMs: 10_000,
    firstByteTimeoutMs: 30_000,
    stallTimeoutMs: 30_000,
    backoffBaseMs: 250,
    hedgeDelayMs: 200
};
const BACKOFF_CAP_MS = 8_000;
// The go module proxy protocol, and the checksum database as a proxy relays it (cmd/go's modfetch/proxy.go and
// sumdb.go, x/mod's sumdb/client.go and tlog/tile.go). A request is percent-decoded segment by segment, must
// have one of these shapes with module paths and versions in go's escaped form (lib/modpath.ts), and is forwarded
// re-escaped as go escapes it; anything else never leaves the machine.
/** Decoded `/`-separated segments, or undefined for an encoded `/`, a control character or bad percent-encoding. */
function decodeSegments(path) {
    const segs = [];
    for (const raw of path.split('/')) {
        let seg;
        try {
            seg = decodeURIComponent(raw);
        }
        catch {
            return undefined;
        }
        if (seg.includes('/') || /[\x00-\x1f\x7f]/.test(seg))
            return undefined;
        segs.push(seg);
    }
    return segs;
}
/** `<mod>/@v/list`, `<mod>/@v/<version>.info|.mod|.zip`, `<mod>/@latest`. */
function isModuleRequest(segs) {
    const at = segs.findIndex((s) => s.startsWith('@'));
    if (at < 1 || unescapePath(segs.slice(0, at).join('/')) === undefined)
        return false;
    const tail = segs.slice(at);
    if (tail.length === 1)
        return tail[0] === '@latest';
    if (tail.length !== 2 || tail[0] !== '@v')
        return false;
    if (tail[1] === 'list')
        return true;
    const m = /^(.+)\.(?:info|mod|zip)$/.exec(tail[1]);
    return m !== null && unescapeVersion(m[1]) !== undefined;
}
/** `tile/<H>/<L or data>/[x<NNN>/...]<NNN>[.p/<W>]` in tlog's canonical form. */
function isTile(t) {
    if (t.length < 3 || !/^[1-9][0-9]?$/.test(t[0]) || Number(t[0]) > 30)
        return false;
    if (t[1] !== 'data' && !/^(?:0|[1-9][0-9]{0,8})$/.test(t[1]))
        return false;
    let n = t.slice(2);
    const partial = n.length >= 2 && n[n.length - 2].endsWith('.p');
    if (partial) {
        const w = n[n.length - 1];
        if (!/^[1-9][0-9]{0,9}$/.test(w) || Number(w) >= 2 ** Number(t[0]))
            return false;
        n = [...n.slice(0, -2), n[n.length - 2].slice(0, -2)];
    }
    if (n.length > 1 && n[0] === 'x000')
        return false;
    return n.every((s, i) => (i === n.length - 1 ? /^[0-9]{3}$/ : /^x[0-9]{3}$/).test(s));
}
/** `sumdb/<name>/supported`, `sumdb/<name>/lookup/<mod>@<version>`, `sumdb/<name>/tile/...`; name is host[:port][/path]. */
function isSumdbRequest(segs) {
    const k = segs.findIndex((s, i) => i > 0 && (s === 'supported' || s === 'lookup' || s === 'tile'));
    if (k < 1 || !segs.slice(0, k).every((s) => /^[A-Za-z0-9._~:-]+$/.test(s)))
        return false;
    const tail = segs.slice(k + 1);
    if (segs[k] === 'supported')
        return tail.length === 0;
    if (segs[k] === 'tile')
        return isTile(tail);
    const lookup = tail.join('/');
    const at = lookup.indexOf('@');
    return (at > 0 && unescapePath(lookup.slice(0, at)) !== undefined && unescapeVersion(lookup.slice(at + 1)) !== undefined);
}
/**
 * A request path (after the relay's prefix) in the form go sends the upstream: the path go would have requested
 * from that upstream directly, or undefined when it is not a module proxy protocol request.
 */
function protocolPath(path) {
    const segs = decodeSegments(path);
    if (!segs || segs[0] !== '' || segs.length < 3)
        return undefined;
    const rest = segs.slice(1);
    if (rest.some((s) => s === '' || s === '.' || s === '..'))
        return undefined;
    const ok = rest[0] === 'sumdb' ? isSumdbRequest(rest.slice(1)) : isModuleRequest(rest);
    return ok ? '/' + rest.map(pathEscape).join('/') : undefined;
}
/** The protocol path under our prefix, re-escaped, or undefined for anything else. */
function route(prefix, rawUrl) {
    const path = rawUrl.split('?')[0];
    const given = Buffer.from(path.slice(1, 1 + prefix.length));
    const want = Buffer.from(prefix);
    if (given.length !== want.length || !timingSafeEqual(given, want) || path[prefix.length + 1] !== '/')
        return undefined;
    return protocolPath(path.slice(prefix.length + 1));
}
function plain(res, status, text) {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
}
function validate(opts) {
    if (opts.upstreams.length === 0)
        throw new Error('relay: no upstream module proxy to relay to');
    const bad = opts.upstreams.find((u) => u.kind !== 'url');
    if (bad)
        throw new Error(`relay: upstreams must be proxy URLs, got the keyword "${bad.display}"`);
    if (!Number.isInteger(opts.retries) || opts.retries < 0 || opts.retries > 10) {
        throw new Error(`relay: retries must be an integer from 0 to 10, got ${opts.retries}`);
    }
}
async function startRelay(opts) {
    validate(opts);
    const listenHost = opts.listen?.host ?? '127.0.0.1';
    // Loopback only: the relay carries the upstreams' credentials.
    if (!/^127(\.\d{1,3}){3}$/.test(listenHost))
        throw new Error(`relay: listen address must be a 127.x.x.x loopback address, got "${listenHost}"`);
    const t = { ...DEFAULTS, ...definedOnly(opts) };
    const pool = new UpstreamPool(opts.upstreams.map((e) => ({ url: e.url, display: redactUrl(e.url) })));
    const own = opts.dispatcher === undefined;
    const base = opts.dispatcher ?? createDispatcher({ connectTimeoutMs: t.connectTimeoutMs });
    // Proxies may redirect zips to storage: followed as go follows them (relay/redirect.ts).
    const dispatcher = followingRedirects(base);
    const closing = new AbortController();
    const spools = new SpoolStore(opts.spoolDir || process.env.RUNNER_TEMP || tmpdir());
    const cfg = {
        pool,
        targets: new Map(pool.all.map((u) => [u, parseUpstream(u.url)])),
        dispatcher,
        retries: opts.retries,
        firstByteTimeoutMs: t.firstByteTimeoutMs,
        stallTimeoutMs: t.stallTimeoutMs,
        hedgeDelayMs: t.hedgeDelayMs,
        backoffBaseMs: t.backoffBaseMs,
        backoffCapMs: BACKOFF_CAP_MS,
        spools,
        sharing: new Sharing(),
        closing: closing.signal
    };
    const prefix = randomBytes(18).toString('base64url');
    const ready = opts.ready?.catch(() => undefined) ?? Promise.resolve();
    const server = createServer((req, res) => handle(cfg, prefix, ready, req, res));
    const prefetcher = new Prefetcher(cfg.sharing, (path, cancel) => fetchPath(cfg, path, undefined, cancel), ready);
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(opts.listen?.port ?? 0, listenHost, () => resolve());
    });
    const { port } = server.address();
    return {
        url: `http://${listenHost}:${port}/${prefix}`,
        prefetch: (paths) => prefetcher.add(paths.flatMap(prefetchable)),
        setHealthy: (url, healthy) => pool.setHealthy(url, healthy),
        stats: () => pool.stats(),
        readAhead: () => cfg.sharing.aheadReport(),
        allDown: () => pool.allDown(),
        close: async () => {
            prefetcher.stop();
            closing.abort(new Error('relay closed'));
            const closed = new Promise((resolve) => server.close(() => resolve()));
            server.closeAllConnections();
            await closed;
            cfg.sharing.dropAhead();
            // Aborted lanes drop their spools themselves; this also removes the spool directory.
            await spools.close();
            if (own)
                await base.destroy();
        }
    };
}
/** A canonical version's module file (`<path>/@v/<version>.mod|.zip`, go-escaped, never percent-encoded), as a protocol path. */
function prefetchable(file) {
    if (file.includes('%') || !/\.(?:mod|zip)$/.test(file))
        return [];
    const path = protocolPath(`/${file}`);
    return path && !path.startsWith('/sumdb/') && immutablePath(path) ? [path] : [];
}
function definedOnly(opts) {
    const out = {};
    for (const k of Object.keys(DEFAULTS)) {
        if (typeof opts[k] === 'number')
            out[k] = opts[k];
    }
    return out;
}
function handle(cfg, prefix, ready, req, res) {
    const path = route(prefix, req.url ?? '/');
    if (path === undefined)
        return plain(res, 404, 'not found\n');
    if (req.method !== 'GET') {
        res.setHeader('allow', 'GET');
        return plain(res, 405, 'method not allowed\n');
    }
    ready
        .then(() => serve(cfg, path, req.headers['user-agent'], res))
        .catch(() => {
        // A bug, not a network fault: never leave go waiting or let it trust a half-written body.
        if (!res.headersSent)
            plain(res, 502, 'go-tidy-guard relay: internal error\n');
        else
            res.destroy();
    });
}

class PreflightFailed extends Error {
    results;
    constructor(results) {
        const bad = results.filter((r) => r.verdict !== 'ok');
        super(`preflight (strict) failed: ${bad.map((r) => `${r.endpoint} is ${r.verdict} (${r.hint})`).join('; ')}`);
        this.results = results;
    }
}
const RELAY_CONNECT_TIMEOUT_MS = 10_000;
async function startNetwork(inputs, settings, trust, { probeModule, listen } = {}) {
    // Credentials ride in each upstream's URL from here on (for preflight and the relay); `display` stays redacted
    // for every report. What go and later steps get is what the user wrote: go reads netrc credentials itself.
    const proxies = withNetrc(settings.proxies, trust.netrc);
    const written = new Map(proxies.map((p, i) => [p.url, settings.proxies[i]]));
    const asWritten = (list) => list.map((e) => ({ ...(written.get(e.url) ?? e), separator: e.separator }));
    const upstreams = networkProxies(proxies);
    const rest = proxies.filter((p) => !upstreams.includes(p));
    const pre = inputs.preflight === 'false'
        ? undefined
        : startPreflight({
            proxies,
            gosumdb: settings.GOSUMDB,
            timeoutMs: inputs.preflightTimeoutMs,
            extraCa: trust.extraCa,
            probeModule
        });
    const seen = [];
    pre?.onResult((r) => seen.push(r));
    if (pre && inputs.preflight === 'strict') {
        const all = await pre.results;
        if (all.some((r) => r.verdict !== 'ok'))
            throw new PreflightFailed(all);
    }
    else if (pre && upstreams.length > 0 && !inputs.relay) {
        // Without the relay go gets a fixed list and has no timeout for a silent proxy: wait for every proxy's verdict
        // (within preflight-timeout) and leave out those that could not be talked to at all.
        // With the relay go starts at once and the relay holds requests until the first ok (see `ready` below).
        await pre.proxies;
    }
    const ordered = orderHealthyFirst(upstreams, seen);
    const exportGoproxy = () => formatProxyList(asWritten([...orderHealthyFirst(upstreams, seen), ...rest]), '|');
    const finishPreflight = async () => pre?.finish();
    // Preflight replays the verdicts in so far to a new listener, then each as it comes.
    const onVerdict = (listener) => pre?.onResult(listener);
    if (!inputs.relay || upstreams.length === 0) {
        const goproxy = formatProxyList(asWritten([...withoutUnreachable(orderHealthyFirst(upstreams, seen), seen), ...rest]), '|');
        const none = {
            stats: () => [],
            readAhead: () => undefined,
            allDown: () => false,
            downReport: () => undefined,
            prefetch: () => { }
        };
        return { goproxy, exportGoproxy, finishPreflight, onVerdict, ...none, close: async () => { } };
    }
    const dispatcher = createDispatcher({ extraCa: trust.extraCa, connectTimeoutMs: RELAY_CONNECT_TIMEOUT_MS });
    const ready = pre?.firstOk;
    const relay = await startRelay({ upstreams: ordered, retries: inputs.retries, dispatcher, ready, listen });
    onVerdict((r) => follow(r, relay, upstreams));
    const sep = upstreams[upstreams.length - 1].separator || ',';
    const goproxy = [relay.url, ...rest.map((p) => (p.kind === 'url' ? p.url : p.kind))].join(sep);
    return {
        goproxy,
        relayUrl: relay.url,
        prefetch: (paths) => relay.prefetch(paths),
        exportGoproxy,
        finishPreflight,
        onVerdict,
        stats: () => relay.stats(),
        readAhead: () => {
            const r = relay.readAhead();
            return r.files > 0 ? r : undefined;
        },
        allDown: () => relay.allDown(),
        downReport: () => (relay.allDown() ? downReport(relay.stats(), seen) : undefined),
        close: async () => {
            await relay.close();
            await dispatcher.close();
        }
    };
}
/** A proxy's verdict steers the relay: healthy ones first. A probe cut short (`unfinished`) says nothing. */
function follow(r, relay, upstreams) {
    // Preflight names endpoints by their redacted URL, netrc credentials (see withNetrc) included.
    const entry = upstreams.find((u) => redactUrl(u.url) === r.endpoint);
    if (entry && r.role === 'proxy' && r.verdict !== 'unfinished')
        relay.setHealthy(entry.url, r.verdict === 'ok');
}
/** "Every module proxy is down: <upstream> (preflight: timeout; relay: out of service after failing), ...". */
function downReport(stats, seen) {
    const each = stats.map((s) => {
        const verdict = seen.find((r) => r.role === 'proxy' && r.endpoint === s.upstream)?.verdict;
        const found = [verdict && `preflight: ${verdict}`, s.tripped && 'relay: out of service after failing'].filter(Boolean);
        return `${s.upstream} (${found.join('; ') || 'down'})`;
    });
    return `Every module proxy is down: ${each.join(', ')}`;
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
/** Parses `go mod tidy -diff` stdout into one entry per file; '' or anything without a file diff gives []. */
function parseTidyDiff(stdout) {
    const out = [];
    const lines = stdout.replace(/\r\n/g, '\n').split('\n');
    let current;
    const flush = () => {
        if (current)
            out.push(fileDiff(current.file, current.lines));
        current = undefined;
    };
    for (const line of lines) {
        const header = /^diff \S+ \S*?(go\.mod|go\.sum)$/.exec(line);
        if (header) {
            flush();
            current = { file: header[1], lines: [] };
        }
        else if (current) {
            current.lines.push(line);
        }
    }
    flush();
    return out;
}
function fileDiff(file, lines) {
    // go's Println leaves a blank line after each file; no hunk line is ever empty (context lines start with ' ').
    while (lines.length > 0 && lines[lines.length - 1] === '')
        lines.pop();
    const d = { file, patch: lines.join('\n') + '\n', removed: [], added: [] };
    let old = 0; // lines of the current file consumed so far
    for (const line of lines) {
        const h = HUNK.exec(line);
        if (h) {
            // `-5,0` means "after line 5"; `-5,3` starts at line 5.
            const start = Number(h[1]);
            old = h[2] === '0' ? start : start - 1;
        }
        else if (line.startsWith('---') || line.startsWith('+++')) {
            continue;
        }
        else if (line.startsWith(' ')) {
            old++;
        }
        else if (line.startsWith('-')) {
            old++;
            d.removed.push({ line: old, text: line.slice(1) });
        }
        else if (line.startsWith('+')) {
            d.added.push({ afterLine: old, text: line.slice(1) });
        }
    }
    return d;
}
/**
 * The diffs as one unified diff with workspace-relative `a/…` and `b/…` names (what `git apply` expects), in place
 * of go's `current/…` and `tidy/…`.
 */
function relabelDiff(d, moduleRel) {
    return d
        .map((f) => {
        const path = workspacePath(moduleRel, f.file);
        const body = f.patch.split('\n').filter((l, i) => !(i < 2 && (l.startsWith('---') || l.startsWith('+++'))));
        return [`--- a/${path}`, `+++ b/${path}`, ...body].join('\n').replace(/\n*$/, '\n');
    })
        .join('');
}
/** One `core.error`-ready annotation per drifted file. */
function driftAnnotations(moduleRel, modulePath, diffs, gomodText, gosumText, mode = 'check') {
    const where = workspacePath(moduleRel, '').replace(/\/$/, '');
    const run = mode === 'fix'
        ? 'the tidy file is left in place for a later step to commit'
        : where
            ? `run \`go mod tidy\` in ${where} and commit the result`
            : 'run `go mod tidy` and commit the result';
    const verb = mode === 'fix' ? 'changed' : 'changes';
    return diffs
        .filter((d) => d.removed.length > 0 || d.added.length > 0)
        .map((d) => {
        const { line, changes } = d.file === 'go.mod' ? describeGoMod(d, gomodText) : describeGoSum(d, gosumText);
        return {
            file: workspacePath(moduleRel, d.file),
            startLine: line,
            title: mode === 'fix' ? `${d.file} was tidied` : `${d.file} is not tidy`,
            message: `go mod tidy ${verb} ${d.file} of ${modulePath}: ${changes}; ${run}.`
        };
    });
}
/** Longest list of changes a message spells out; annotations stay one readable line. */
const MAX_ITEMS = 8;
function joinCapped(items, sep) {
    if (items.length <= MAX_ITEMS)
        return items.join(sep);
    return items.slice(0, MAX_ITEMS).join(sep) + `${sep}and ${items.length - MAX_ITEMS} more`;
}
/** The tidy go.mod, rebuilt from the current text and the diff, with the new line number of every added line. */
function applyDiff(text, d) {
    const old = text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
    const removed = new Set(d.removed.map((r) => r.line));
    const next = [];
    const addedAt = [];
    let a = 0;
    const insertAfter = (o) => {
        for (; a < d.added.length && d.added[a].afterLine === o; a++) {
            next.push(d.added[a].text);
            addedAt.push(next.length);
        }
    };
    insertAfter(0);
    for (let o = 1; o <= old.length; o++) {
        if (!removed.has(o))
            next.push(old[o - 1]);
        insertAfter(o);
    }
    return { text: next.join('\n') + '\n', addedAt };
}
/** Requirement changes between two scans, paired by module path so a version bump reads as one change. */
function requireChanges(before, after) {
    const paths = [...new Set([...before, ...after].map((r) => r.path))];
    const changes = [];
    const ind = (r) => (r.indirect ? ' (indirect)' : '');
    for (const path of paths) {
        const olds = before.filter((r) => r.path === path);
        const news = after.filter((r) => r.path === path);
        // Identical requirements (maybe moved between blocks) are not changes.
        for (const o of [...olds]) {
            const i = news.findIndex((n) => n.version === o.version && n.indirect === o.indirect);
            if (i >= 0) {
                news.splice(i, 1);
                olds.splice(olds.indexOf(o), 1);
            }
        }
        const paired = Math.min(olds.length, news.length);
        for (let i = 0; i < paired; i++) {
            const [o, n] = [olds[i], news[i]];
            const text = o.version !== n.version
                ? `${path} ${o.version} -> ${n.version}${o.indirect !== n.indirect ? ind(n) || ' (direct)' : ''}`
                : `${path} ${o.version} now ${n.indirect ? 'indirect' : 'direct'}`;
            changes.push({ text, oldLine: o.line, newLine: n.line });
        }
        for (const o of olds.slice(paired))
            changes.push({ text: `remove ${path} ${o.version}`, oldLine: o.line, newLine: 0 });
        for (const n of news.slice(paired)) {
            changes.push({ text: `add ${path} ${n.version}${ind(n)}`, oldLine: 0, newLine: n.line });
        }
    }
    return changes.sort((x, y) => (x.oldLine || Infinity) - (y.oldLine || Infinity) || x.newLine - y.newLine);
}
function directiveChanges(before, after) {
    const out = [];
    const change = (what, from, to) => {
        if (from === to)
            return;
        if (!from)
            out.push(`add ${what} ${to}`);
        else if (!to)
            out.push(`remove ${what} ${from}`);
        else
            out.push(`${what} ${from} -> ${to}`);
    };
    change('go directive', before.go?.version, after.go?.version);
    change('toolchain', before.toolchain?.name, after.toolchain?.name);
    return out;
}
/**
 * Where an added requirement lands in the current go.mod: the require block go puts it in (read from where the diff
 * inserts it), else the last require block (go opened a new one after it), else line 1.
 */
function blockLine(before, d, afterLine) {
    const removed = new Set(d.removed.map((r) => r.line));
    const joined = before.blocks.find((b) => b.start <= afterLine && (afterLine < b.end || (afterLine === b.end && removed.has(afterLine))));
    if (joined)
        return joined.start;
    return before.blocks.length > 0 ? Math.max(...before.blocks.map((b) => b.start)) : 1;
}
function describeGoMod(d, text) {
    const before = scanGoMod(text);
    const tidy = applyDiff(text, d);
    const after = scanGoMod(tidy.text);
    const reqs = requireChanges(before.requires, after.requires);
    const items = [...reqs.map((c) => c.text), ...directiveChanges(before, after)];
    let line = reqs.find((c) => c.oldLine > 0)?.oldLine ?? 0;
    const added = reqs.find((c) => c.newLine > 0 && c.oldLine === 0);
    if (!line && added) {
        const i = tidy.addedAt.indexOf(added.newLine);
        line = blockLine(before, d, i >= 0 ? d.added[i].afterLine : Infinity);
    }
    if (!line && before.go && before.go.version !== after.go?.version)
        line = before.go.line;
    if (!line && before.toolchain && before.toolchain.name !== after.toolchain?.name)
        line = before.toolchain.line;
    if (!line)
        line = d.removed[0]?.line ?? (d.added[0] ? d.added[0].afterLine + 1 : 1);
    const changes = items.length > 0 ? joinCapped(items, '; ') : 'reformats requirements';
    return { line: Math.max(1, line), changes };
}
/** `path version[/go.mod] h1:…` -> `path version`. */
function sumModule(line) {
    const [path, version = ''] = line.trim().split(/\s+/);
    return `${path} ${version.replace(/\/go\.mod$/, '')}`.trim();
}
function countByModule(lines) {
    const counts = new Map();
    for (const l of lines) {
        if (!l.text.trim())
            continue;
        const m = sumModule(l.text);
        counts.set(m, (counts.get(m) ?? 0) + 1);
    }
    return [...counts].map(([m, n], i) => (i === 0 ? `${n} checksum${n === 1 ? '' : 's'} for ${m}` : `${n} for ${m}`));
}
function describeGoSum(d, text) {
    const adds = countByModule(d.added);
    const removes = countByModule(d.removed);
    const parts = [];
    if (adds.length)
        parts.push('adds ' + joinCapped(adds, ', '));
    if (removes.length)
        parts.push('removes ' + joinCapped(removes, ', '));
    const fileLines = text.replace(/\n$/, '').split('\n').length;
    // An added line goes before the line that follows it; past the end, point at the last line.
    const line = d.removed[0]?.line ?? (d.added[0] ? Math.min(d.added[0].afterLine + 1, fileLines) : 1);
    return { line: Math.max(1, line), changes: parts.join('; ') || 'reformats checksums' };
}

class Diff {
    diff(oldStr, newStr, 
    // Type below is not accurate/complete - see above for full possibilities - but it compiles
    options = {}) {
        let callback;
        if (typeof options === 'function') {
            callback = options;
            options = {};
        }
        else if ('callback' in options) {
            callback = options.callback;
        }
        // Allow subclasses to massage the input prior to running
        const oldString = this.castInput(oldStr, options);
        const newString = this.castInput(newStr, options);
        const oldTokens = this.removeEmpty(this.tokenize(oldString, options));
        const newTokens = this.removeEmpty(this.tokenize(newString, options));
        return this.diffWithOptionsObj(oldTokens, newTokens, options, callback);
    }
    diffWithOptionsObj(oldTokens, newTokens, options, callback) {
        var _a;
        const done = (value) => {
            value = this.postProcess(value, options);
            if (callback) {
                setTimeout(function () { callback(value); }, 0);
                return undefined;
            }
            else {
                return value;
            }
        };
        const newLen = newTokens.length, oldLen = oldTokens.length;
        let editLength = 1;
        let maxEditLength = newLen + oldLen;
        if (options.maxEditLength != null) {
            maxEditLength = Math.min(maxEditLength, options.maxEditLength);
        }
        const maxExecutionTime = (_a = options.timeout) !== null && _a !== void 0 ? _a : Infinity;
        const abortAfterTimestamp = Date.now() + maxExecutionTime;
        const bestPath = [{ oldPos: -1, lastComponent: undefined }];
        // Seed editLength = 0, i.e. the content starts with the same values
        let newPos = this.extractCommon(bestPath[0], newTokens, oldTokens, 0, options);
        if (bestPath[0].oldPos + 1 >= oldLen && newPos + 1 >= newLen) {
            // Identity per the equality and tokenizer
            return done(this.buildValues(bestPath[0].lastComponent, newTokens, oldTokens));
        }
        // Once we hit the right edge of the edit graph on some diagonal k, we can
        // definitely reach the end of the edit graph in no more than k edits, so
        // there's no point in considering any moves to diagonal k+1 any more (from
        // which we're guaranteed to need at least k+1 more edits).
        // Similarly, once we've reached the bottom of the edit graph, there's no
        // point considering moves to lower diagonals.
        // We record this fact by setting minDiagonalToConsider and
        // maxDiagonalToConsider to some finite value once we've hit the edge of
        // the edit graph.
        // This optimization is not faithful to the original algorithm presented in
        // Myers's paper, which instead pointlessly extends D-paths off the end of
        // the edit graph - see page 7 of Myers's paper which notes this point
        // explicitly and illustrates it with a diagram. This has major performance
        // implications for some common scenarios. For instance, to compute a diff
        // where the new text simply appends d characters on the end of the
        // original text of length n, the true Myers algorithm will take O(n+d^2)
        // time while this optimization needs only O(n+d) time.
        let minDiagonalToConsider = -Infinity, maxDiagonalToConsider = Infinity;
        // Main worker method. checks all permutations of a given edit length for acceptance.
        const execEditLength = () => {
            for (let diagonalPath = Math.max(minDiagonalToConsider, -editLength); diagonalPath <= Math.min(maxDiagonalToConsider, editLength); diagonalPath += 2) {
                let basePath;
                const removePath = bestPath[diagonalPath - 1], addPath = bestPath[diagonalPath + 1];
                if (removePath) {
                    // No one else is going to attempt to use this value, clear it
                    // @ts-expect-error - perf optimisation. This type-violating value will never be read.
                    bestPath[diagonalPath - 1] = undefined;
                }
                let canAdd = false;
                if (addPath) {
                    // what newPos will be after we do an insertion:
                    const addPathNewPos = addPath.oldPos - diagonalPath;
                    canAdd = addPath && 0 <= addPathNewPos && addPathNewPos < newLen;
                }
                const canRemove = removePath && removePath.oldPos + 1 < oldLen;
                if (!canAdd && !canRemove) {
                    // If this path is a terminal then prune
                    // @ts-expect-error - perf optimisation. This type-violating value will never be read.
                    bestPath[diagonalPath] = undefined;
                    continue;
                }
                // Select the diagonal that we want to branch from. We select the prior
                // path whose position in the old string is the farthest from the origin
                // and does not pass the bounds of the diff graph
                if (!canRemove || (canAdd && removePath.oldPos < addPath.oldPos)) {
                    basePath = this.addToPath(addPath, true, false, 0, options);
                }
                else {
                    basePath = this.addToPath(removePath, false, true, 1, options);
                }
                newPos = this.extractCommon(basePath, newTokens, oldTokens, diagonalPath, options);
                if (basePath.oldPos + 1 >= oldLen && newPos + 1 >= newLen) {
                    // If we have hit the end of both strings, then we are done
                    return done(this.buildValues(basePath.lastComponent, newTokens, oldTokens)) || true;
                }
                else {
                    bestPath[diagonalPath] = basePath;
                    if (basePath.oldPos + 1 >= oldLen) {
                        maxDiagonalToConsider = Math.min(maxDiagonalToConsider, diagonalPath - 1);
                    }
                    if (newPos + 1 >= newLen) {
                        minDiagonalToConsider = Math.max(minDiagonalToConsider, diagonalPath + 1);
                    }
                }
            }
            editLength++;
        };
        // Performs the length of edit iteration. Is a bit fugly as this has to support the
        // sync and async mode which is never fun. Loops over execEditLength until a value
        // is produced, or until the edit length exceeds options.maxEditLength (if given),
        // in which case it will return undefined.
        if (callback) {
            (function exec() {
                setTimeout(function () {
                    if (editLength > maxEditLength || Date.now() > abortAfterTimestamp) {
                        return callback(undefined);
                    }
                    if (!execEditLength()) {
                        exec();
                    }
                }, 0);
            }());
        }
        else {
            while (editLength <= maxEditLength && Date.now() <= abortAfterTimestamp) {
                const ret = execEditLength();
                if (ret) {
                    return ret;
                }
            }
        }
    }
    addToPath(path, added, removed, oldPosInc, options) {
        const last = path.lastComponent;
        if (last && !options.oneChangePerToken && last.added === added && last.removed === removed) {
            return {
                oldPos: path.oldPos + oldPosInc,
                lastComponent: { count: last.count + 1, added: added, removed: removed, previousComponent: last.previousComponent }
            };
        }
        else {
            return {
                oldPos: path.oldPos + oldPosInc,
                lastComponent: { count: 1, added: added, removed: removed, previousComponent: last }
            };
        }
    }
    extractCommon(basePath, newTokens, oldTokens, diagonalPath, options) {
        const newLen = newTokens.length, oldLen = oldTokens.length;
        let oldPos = basePath.oldPos, newPos = oldPos - diagonalPath, commonCount = 0;
        while (newPos + 1 < newLen && oldPos + 1 < oldLen && this.equals(oldTokens[oldPos + 1], newTokens[newPos + 1], options)) {
            newPos++;
            oldPos++;
            commonCount++;
            if (options.oneChangePerToken) {
                basePath.lastComponent = { count: 1, previousComponent: basePath.lastComponent, added: false, removed: false };
            }
        }
        if (commonCount && !options.oneChangePerToken) {
            basePath.lastComponent = { count: commonCount, previousComponent: basePath.lastComponent, added: false, removed: false };
        }
        basePath.oldPos = oldPos;
        return newPos;
    }
    equals(left, right, options) {
        if (options.comparator) {
            return options.comparator(left, right);
        }
        else {
            return left === right
                || (!!options.ignoreCase && left.toLowerCase() === right.toLowerCase());
        }
    }
    removeEmpty(array) {
        const ret = [];
        for (let i = 0; i < array.length; i++) {
            if (array[i]) {
                ret.push(array[i]);
            }
        }
        return ret;
    }
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    castInput(value, options) {
        return value;
    }
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    tokenize(value, options) {
        return Array.from(value);
    }
    join(chars) {
        // Assumes ValueT is string, which is the case for most subclasses.
        // When it's false, e.g. in diffArrays, this method needs to be overridden (e.g. with a no-op)
        // Yes, the casts are verbose and ugly, because this pattern - of having the base class SORT OF
        // assume tokens and values are strings, but not completely - is weird and janky.
        return chars.join('');
    }
    postProcess(changeObjects, 
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    options) {
        return changeObjects;
    }
    get useLongestToken() {
        return false;
    }
    buildValues(lastComponent, newTokens, oldTokens) {
        // First we convert our linked list of components in reverse order to an
        // array in the right order:
        const components = [];
        let nextComponent;
        while (lastComponent) {
            components.push(lastComponent);
            nextComponent = lastComponent.previousComponent;
            delete lastComponent.previousComponent;
            lastComponent = nextComponent;
        }
        components.reverse();
        const componentLen = components.length;
        let componentPos = 0, newPos = 0, oldPos = 0;
        for (; componentPos < componentLen; componentPos++) {
            const component = components[componentPos];
            if (!component.removed) {
                if (!component.added && this.useLongestToken) {
                    let value = newTokens.slice(newPos, newPos + component.count);
                    value = value.map(function (value, i) {
                        const oldValue = oldTokens[oldPos + i];
                        return oldValue.length > value.length ? oldValue : value;
                    });
                    component.value = this.join(value);
                }
                else {
                    component.value = this.join(newTokens.slice(newPos, newPos + component.count));
                }
                newPos += component.count;
                // Common case
                if (!component.added) {
                    oldPos += component.count;
                }
            }
            else {
                component.value = this.join(oldTokens.slice(oldPos, oldPos + component.count));
                oldPos += component.count;
            }
        }
        return components;
    }
}

class LineDiff extends Diff {
    constructor() {
        super(...arguments);
        this.tokenize = tokenize;
    }
    equals(left, right, options) {
        // If we're ignoring whitespace, we need to normalise lines by stripping
        // whitespace before checking equality. (This has an annoying interaction
        // with newlineIsToken that requires special handling: if newlines get their
        // own token, then we DON'T want to trim the *newline* tokens down to empty
        // strings, since this would cause us to treat whitespace-only line content
        // as equal to a separator between lines, which would be weird and
        // inconsistent with the documented behavior of the options.)
        if (options.ignoreWhitespace) {
            if (!options.newlineIsToken || !left.includes('\n')) {
                left = left.trim();
            }
            if (!options.newlineIsToken || !right.includes('\n')) {
                right = right.trim();
            }
        }
        else if (options.ignoreNewlineAtEof && !options.newlineIsToken) {
            if (left.endsWith('\n')) {
                left = left.slice(0, -1);
            }
            if (right.endsWith('\n')) {
                right = right.slice(0, -1);
            }
        }
        return super.equals(left, right, options);
    }
}
const lineDiff = new LineDiff();
function diffLines(oldStr, newStr, options) {
    return lineDiff.diff(oldStr, newStr, options);
}
// Exported standalone so it can be used from jsonDiff too.
function tokenize(value, options) {
    if (options.stripTrailingCr) {
        // remove one \r before \n to match GNU diff's --strip-trailing-cr behavior
        value = value.replace(/\r\n/g, '\n');
    }
    const retLines = [], linesAndNewlines = value.split(/(\n|\r\n)/);
    // Ignore the final empty token that occurs if the string ends with a new line
    if (!linesAndNewlines[linesAndNewlines.length - 1]) {
        linesAndNewlines.pop();
    }
    // Merge the content and line separators into single tokens
    for (let i = 0; i < linesAndNewlines.length; i++) {
        const line = linesAndNewlines[i];
        if (i % 2 && !options.newlineIsToken) {
            retLines[retLines.length - 1] += line;
        }
        else {
            retLines.push(line);
        }
    }
    return retLines;
}

function structuredPatch(oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, options) {
    let optionsObj;
    if (!options) {
        optionsObj = {};
    }
    else if (typeof options === 'function') {
        optionsObj = { callback: options };
    }
    else {
        optionsObj = options;
    }
    if (typeof optionsObj.context === 'undefined') {
        optionsObj.context = 4;
    }
    // We copy this into its own variable to placate TypeScript, which thinks
    // optionsObj.context might be undefined in the callbacks below.
    const context = optionsObj.context;
    // @ts-expect-error (runtime check for something that is correctly a static type error)
    if (optionsObj.newlineIsToken) {
        throw new Error('newlineIsToken may not be used with patch-generation functions, only with diffing functions');
    }
    if (!optionsObj.callback) {
        return diffLinesResultToPatch(diffLines(oldStr, newStr, optionsObj));
    }
    else {
        const { callback } = optionsObj;
        diffLines(oldStr, newStr, Object.assign(Object.assign({}, optionsObj), { callback: (diff) => {
                const patch = diffLinesResultToPatch(diff);
                // TypeScript is unhappy without the cast because it does not understand that `patch` may
                // be undefined here only if `callback` is StructuredPatchCallbackAbortable:
                callback(patch);
            } }));
    }
    function diffLinesResultToPatch(diff) {
        // STEP 1: Build up the patch with no "\ No newline at end of file" lines and with the arrays
        //         of lines containing trailing newline characters. We'll tidy up later...
        if (!diff) {
            return;
        }
        diff.push({ value: '', lines: [] }); // Append an empty value to make cleanup easier
        function contextLines(lines) {
            return lines.map(function (entry) { return ' ' + entry; });
        }
        const hunks = [];
        let oldRangeStart = 0, newRangeStart = 0, curRange = [], oldLine = 1, newLine = 1;
        for (let i = 0; i < diff.length; i++) {
            const current = diff[i], lines = current.lines || splitLines(current.value);
            current.lines = lines;
            if (current.added || current.removed) {
                // If we have previous context, start with that
                if (!oldRangeStart) {
                    const prev = diff[i - 1];
                    oldRangeStart = oldLine;
                    newRangeStart = newLine;
                    if (prev) {
                        curRange = context > 0 ? contextLines(prev.lines.slice(-context)) : [];
                        oldRangeStart -= curRange.length;
                        newRangeStart -= curRange.length;
                    }
                }
                // Output our changes
                for (const line of lines) {
                    curRange.push((current.added ? '+' : '-') + line);
                }
                // Track the updated file position
                if (current.added) {
                    newLine += lines.length;
                }
                else {
                    oldLine += lines.length;
                }
            }
            else {
                // Identical context lines. Track line changes
                if (oldRangeStart) {
                    // Close out any changes that have been output (or join overlapping)
                    if (lines.length <= context * 2 && i < diff.length - 2) {
                        // Overlapping
                        for (const line of contextLines(lines)) {
                            curRange.push(line);
                        }
                    }
                    else {
                        // end the range and output
                        const contextSize = Math.min(lines.length, context);
                        for (const line of contextLines(lines.slice(0, contextSize))) {
                            curRange.push(line);
                        }
                        const hunk = {
                            oldStart: oldRangeStart,
                            oldLines: (oldLine - oldRangeStart + contextSize),
                            newStart: newRangeStart,
                            newLines: (newLine - newRangeStart + contextSize),
                            lines: curRange
                        };
                        hunks.push(hunk);
                        oldRangeStart = 0;
                        newRangeStart = 0;
                        curRange = [];
                    }
                }
                oldLine += lines.length;
                newLine += lines.length;
            }
        }
        // Step 2: eliminate the trailing `\n` from each line of each hunk, and, where needed, add
        //         "\ No newline at end of file".
        for (const hunk of hunks) {
            for (let i = 0; i < hunk.lines.length; i++) {
                if (hunk.lines[i].endsWith('\n')) {
                    hunk.lines[i] = hunk.lines[i].slice(0, -1);
                }
                else {
                    hunk.lines.splice(i + 1, 0, '\\ No newline at end of file');
                    i++; // Skip the line we just added, then continue iterating
                }
            }
        }
        return {
            oldFileName: oldFileName, newFileName: newFileName,
            oldHeader: oldHeader, newHeader: newHeader,
            hunks: hunks
        };
    }
}
/**
 * Split `text` into an array of lines, including the trailing newline character (where present)
 */
function splitLines(text) {
    const hasTrailingNl = text.endsWith('\n');
    const result = text.split('\n').map(line => line + '\n');
    if (hasTrailingNl) {
        result.pop();
    }
    else {
        result.push(result.pop().slice(0, -1));
    }
    return result;
}

// `go mod tidy -diff` only exists from Go 1.23. On older Go we tidy a snapshot and compare, and render the result in
// the same shape go prints so that one parser (tidy/drift.ts) and one report format serve every Go version.
/** Lines of context around each change, as go's internal/diff uses. */
const CONTEXT = 3;
/**
 * What `go mod tidy -diff` prints on stdout for one file: `diff current/F tidy/F`, the `---`/`+++` lines, the hunks,
 * and the blank line that go's fmt.Println adds. '' when the texts are equal. So
 * `tidyDiff('go.mod', …) + tidyDiff('go.sum', …)` is what Go >= 1.23 prints for the same change.
 * The hunks come from jsdiff's line diff; on go.mod/go.sum edits they match go's anchored diff line for line, but
 * a different (equally valid) pairing of repeated lines is possible in unusual files.
 */
function tidyDiff(file, before, after) {
    if (before === after)
        return '';
    const patch = structuredPatch(`current/${file}`, `tidy/${file}`, before, after, undefined, undefined, {
        context: CONTEXT
    });
    const out = [`diff current/${file} tidy/${file}`, `--- current/${file}`, `+++ tidy/${file}`];
    for (const hunk of patch.hunks.flatMap(splitHunk)) {
        out.push(hunkHeader(hunk), ...hunk.lines);
    }
    return out.join('\n') + '\n\n';
}
/** go writes `-0,0` for an empty side and otherwise the 1-based first line, like jsdiff's formatPatch. */
function hunkHeader(h) {
    const oldStart = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart;
    const newStart = h.newLines === 0 ? h.newStart - 1 : h.newStart;
    return `@@ -${Math.max(0, oldStart)},${h.oldLines} +${Math.max(0, newStart)},${h.newLines} @@`;
}
/**
 * jsdiff joins two changes separated by up to 2*CONTEXT unchanged lines into one hunk; go joins them only when fewer
 * than 2*CONTEXT lines separate them. Split a hunk at an inner run of exactly 2*CONTEXT unchanged lines.
 */
function splitHunk(hunk) {
    const lines = hunk.lines;
    let run = 0;
    for (let i = 0; i < lines.length; i++) {
        if (lines[i].startsWith(' ')) {
            run++;
            continue;
        }
        if (lines[i].startsWith('\\'))
            continue;
        const runStart = i - run;
        if (run === 2 * CONTEXT && runStart > 0) {
            const cut = runStart + CONTEXT;
            const head = lines.slice(0, cut);
            const first = {
                oldStart: hunk.oldStart,
                newStart: hunk.newStart,
                oldLines: count(head, '-'),
                newLines: count(head, '+'),
                lines: head
            };
            const rest = {
                oldStart: hunk.oldStart + first.oldLines,
                newStart: hunk.newStart + first.newLines,
                oldLines: hunk.oldLines - first.oldLines,
                newLines: hunk.newLines - first.newLines,
                lines: lines.slice(cut)
            };
            return [first, ...splitHunk(rest)];
        }
        run = 0;
    }
    return [hunk];
}
/** Lines of one side of a hunk: context lines count on both sides. */
function count(lines, sign) {
    return lines.filter((l) => l.startsWith(' ') || l.startsWith(sign)).length;
}

// Classifies a failed go command from its output, so the action can decide whether retrying makes sense and tell the
// user what to do. Patterns follow the wording of cmd/go (modfetch, modload, web), net/http, crypto/x509 and git.
// Order matters: the first rule that matches any line wins. Security and toolchain come first because they
// must never be retried, even when a transient fault is reported next to them; then the other permanent classes.
const RULES = [
    { class: 'security', re: /checksum mismatch/i },
    { class: 'security', re: /checksum missing from sumdb response/ },
    { class: 'security', re: /SECURITY ERROR/ },
    { class: 'security', re: /security error: misbehaving server/ },
    {
        class: 'security',
        re: /malformed record|malformed go\.sum|cannot authenticate record data|downloaded inconsistent tile/
    },
    // `verifying … go.sum`, found without `.*`: go's output holds the pull request's module paths.
    { class: 'security', re: { test: (l) => inOrder(l, 'verifying ', 'go.sum') } },
    {
        // golang.org/x/mod/sumdb/note, wrapped by the sumdb client as "reading tree note: ...".
        class: 'security',
        re: /reading tree note: |invalid signature for key|note has no verifiable signatures|malformed note/,
        hint: "The checksum database's signed answer does not verify with the key in GOSUMDB: something on the way altered " +
            'it, or GOSUMDB names the wrong key. Do not turn verification off to make this pass.'
    },
    { class: 'toolchain', re: /requires go >= \S+ \(running go / },
    { class: 'toolchain', re: /go\.mod requires go\b/ },
    {
        class: 'toolchain',
        re: /invalid go version '[^']*': must match format|unknown directive: toolchain|note: module requires Go /
    },
    { class: 'auth', re: /\b40[13] (Unauthorized|Forbidden)\b/ },
    {
        class: 'auth',
        re: /refusing to pass credentials to insecure URL/,
        hint: 'go sends credentials only over https: use an https:// proxy URL, or give the credential through the `token` input.'
    },
    {
        class: 'auth',
        re: /terminal prompts disabled|could not read (Username|Password)|Authentication failed|Access denied/i
    },
    { class: 'auth', re: /Permission denied \(publickey/ },
    { class: 'not-found', re: /\b(404 Not Found|410 Gone)\b/ },
    { class: 'not-found', re: /unknown revision|no matching versions|cannot find module providing package/ },
    { class: 'not-found', re: /reading file:\/\/\S+: no such file or directory/ },
    { class: 'not-found', re: { test: (l) => moduleNotFound(l) } },
    {
        class: 'network',
        re: /x509: |tls: failed to verify certificate|SSL certificate problem|server certificate verification failed/,
        tls: true
    },
    {
        class: 'network',
        re: /dial tcp|connection refused|i\/o timeout|TLS handshake timeout|no such host|server misbehaving/
    },
    {
        class: 'network',
        re: /connection reset|broken pipe|unexpected EOF|: EOF$|network is unreachable|no route to host/
    },
    { class: 'network', re: /timeout awaiting response headers|Client\.Timeout exceeded|context deadline exceeded/ },
    {
        class: 'network',
        re: /\b(429 Too Many Requests|500 Internal Server Error|502 Bad Gateway|503 Service Unavailable|504 Gateway Timeout)\b/
    },
    {
        class: 'network',
        re: /http2: |stream error: |Could not resolve host|Failed to connect to|RPC failed|early EOF|remote end hung up/
    }
];
const HINTS = {
    security: 'What was downloaded does not match go.sum or the checksum database: do not edit go.sum to make this pass; ' +
        "find out which proxy served the changed content (see 'go help module-auth').",
    auth: 'The module host refused the request: pass a credential with access through the `token` input and list ' +
        'private module paths in `goprivate`.',
    policy: "A module proxy's policy refused a module or version: list private modules in `goprivate`, or ask the mirror's " +
        'owners to allow it.',
    toolchain: 'The installed Go is older than a go.mod requires: install a newer Go before this step, e.g. actions/setup-go ' +
        'with `go-version-file: go.mod`.',
    'not-found': 'A module or version does not exist on the configured proxies: check the path and version in go.mod, and list ' +
        'private modules in `goprivate`.',
    network: 'go could not reach a module proxy or VCS host: check the preflight results, or add a working mirror to the ' +
        '`goproxy` input.',
    other: "See go's full output in the log."
};
const TLS_HINT = "The server's TLS certificate is not trusted: if a TLS-intercepting proxy sits in between, give its CA " +
    'certificate (PEM text or a file path) in the `ca-certificates` input.';
/** Lines go wrote, without `server response:` bodies: those are the server's words, not go's. */
function goLines(stderr) {
    const out = [];
    let inResponse = false;
    for (const raw of stderr.replace(/\r\n/g, '\n').split('\n')) {
        const line = raw.trim();
        if (!line)
            continue;
        if (line.startsWith('server response:')) {
            inResponse = true;
            continue;
        }
        // go indents the rest of the body under `server response:`; a line at column 0 is go's again.
        if (inResponse && /^\s/.test(raw))
            continue;
        inResponse = false;
        out.push(line);
    }
    return out;
}
/** Classifies a failed go command by its stderr; `exitCode` is only used when the output says nothing. */
function classifyGoError(stderr, exitCode) {
    const lines = goLines(stderr);
    for (const rule of RULES) {
        const line = lines.find((l) => rule.re.test(l));
        if (!line)
            continue;
        return {
            class: rule.class,
            transient: rule.class === 'network' && !rule.tls,
            message: redact(line),
            hint: rule.hint ?? (rule.tls ? TLS_HINT : HINTS[rule.class])
        };
    }
    // Prefer go's own error line (`go: ...`) over progress lines such as `go: downloading ...`.
    const errorLine = [...lines].reverse().find((l) => !/^go: (downloading|finding|found|extracting) /.test(l)) ??
        `go exited with code ${exitCode}`;
    return { class: 'other', transient: false, message: redact(errorLine), hint: HINTS.other };
}
/**
 * For a dependency that needs a newer Go than go.mod's own `go` line: `go-version-file: go.mod` would install that
 * older Go again, so the hint names the version the dependency needs. Undefined when that is not the case.
 */
function toolchainHint(stderr, goLine) {
    const need = /requires go >= (\d+\.\d+(?:\.\d+)?)/.exec(stderr)?.[1];
    if (!need || !goLine || compareGoVersions(goLine, need) >= 0)
        return undefined;
    return (`A dependency needs Go ${need} or newer, but go.mod says \`go ${goLine}\`: install Go ${need} or newer before this step ` +
        `(actions/setup-go with \`go-version: '${need}'\`; \`go-version-file: go.mod\` would install ${goLine} again). ` +
        'go mod tidy then raises the go line.');
}
/** `first` occurs in `line`, and `then` after it: literal searches, linear in the line. */
function inOrder(line, first, then) {
    const i = line.indexOf(first);
    return i >= 0 && line.indexOf(then, i + first.length) >= 0;
}
/** "module … not found" or "repository … not found", any case (go's and git's wording), without `.*`. */
function moduleNotFound(line) {
    const lower = line.toLowerCase();
    const at = lower.lastIndexOf('not found');
    return at > 0 && /\b(module|repository)\b/.test(lower.slice(0, at)) && !/\w/.test(lower[at + 9] ?? '');
}

// What a module proxy URL that go printed asks for, in words a user knows: `example.com/BigCorp/Lib@v1.2.0 (.mod)`
// instead of `http://127.0.0.1:PORT/<relay prefix>/example.com/%21big%21corp/%21lib/@v/v1.2.0.mod`. The relay's
// address means nothing to the user (and changes every run); the module and version do.
/** The module request of a proxy path (after the proxy's base), in words; undefined when it is not one. */
function describeProxyPath(path) {
    let p;
    try {
        p = decodeURIComponent(path.replace(/^\/+/, ''));
    }
    catch {
        return undefined;
    }
    const sumdb = /^sumdb\/([^/]+)\/(.*)$/.exec(p);
    if (sumdb)
        return `the checksum database ${sumdb[1]} (${sumdb[2]})`;
    const at = p.lastIndexOf('/@');
    if (at < 0)
        return undefined;
    const mod = unescapePath(p.slice(0, at));
    const rest = p.slice(at + 1);
    if (mod === undefined)
        return undefined;
    if (rest === '@latest')
        return `${mod}@latest`;
    if (rest === '@v/list')
        return `the version list of ${mod}`;
    const file = /^@v\/(.+)\.(info|mod|zip)$/.exec(rest);
    const version = file ? unescapeVersion(file[1]) : undefined;
    return version === undefined ? undefined : `${mod}@${version} (.${file[2]})`;
}
/** The module@version a proxy path asks for (`.info`/`.mod`/`.zip`), for messages; undefined otherwise. */
function moduleOfProxyPath(path) {
    return describeProxyPath(path)?.replace(/ \(\.(info|mod|zip)\)$/, '');
}
/**
 * `text` with every URL under the relay's base written as what it asks for, "through the relay". One pass over
 * the text per occurrence of the base (a literal search, no pattern over untrusted text).
 */
function describeRelayUrls(text, relayUrl) {
    if (!relayUrl)
        return text;
    const parts = text.split(relayUrl);
    let out = parts[0];
    for (const part of parts.slice(1)) {
        let end = 0;
        while (end < part.length && !/[\s"':]/.test(part[end]))
            end++;
        const what = describeProxyPath(part.slice(0, end));
        out += (what ? `${what} through the relay` : 'the relay') + part.slice(end);
    }
    return out;
}

// Hints for authentication failures in go's output, each naming the input that fixes it. tidy/classify.ts decides
// *that* a failure is `auth`; this decides *which* credential is missing: git's (token, private-hosts) or a
// proxy's (credentials in goproxy, netrc).
// git, asked for a password it may not prompt for: "fatal: could not read Username for 'https://host': terminal
// prompts disabled". Also a plain "Authentication failed for 'https://host/repo/'".
const GIT_PROMPT = /could not read (?:Username|Password) for '([a-z]+:\/\/[^']+)'|terminal prompts disabled/i;
const GIT_FAILED = /Authentication failed for '([a-z]+:\/\/[^']+)'/i;
// go's HTTP client: "reading https://host/path/@v/list: 401 Unauthorized" (also 403 Forbidden).
const HTTP_DENIED = /reading (https?:\/\/\S+?):? (40[13]) (?:Unauthorized|Forbidden)/;
function hostOf(url) {
    if (!url)
        return undefined;
    try {
        return new URL(url).host.toLowerCase();
    }
    catch {
        return undefined;
    }
}
/** A hint naming the input that fixes the auth failure in `output`, or undefined when it is not one we know. */
function authHint(output, ctx) {
    const git = GIT_PROMPT.exec(output) ?? GIT_FAILED.exec(output);
    if (git)
        return redact(gitHint(hostOf(git[1]), ctx));
    const http = HTTP_DENIED.exec(output);
    if (http && ctx.relayUrl && http[1].startsWith(ctx.relayUrl)) {
        return redact(`An upstream proxy answered ${http[2]}: check the credentials in the \`goproxy\` URLs and the \`netrc\` input ` +
            '(see the proxy statistics for which upstream).');
    }
    if (http)
        return redact(proxyHint(http[1], http[2], ctx));
    return undefined;
}
/**
 * A 403 from a module proxy that was sent no credentials is the mirror's policy refusing that module or version (an
 * allow-list, "this module version is not available"), not an authentication problem: said so, naming the module.
 */
function policyRefusal(output, ctx) {
    const http = HTTP_DENIED.exec(output);
    if (!http || http[2] !== '403')
        return undefined;
    const url = http[1];
    const viaRelay = ctx.relayUrl !== undefined && url.startsWith(ctx.relayUrl);
    const creds = ctx.proxyCredentialHosts ?? [];
    const host = hostOf(url);
    if (viaRelay
        ? creds.length > 0
        : host === undefined || creds.includes(host) || netrcMachineFor(ctx.netrcHosts, url) !== undefined) {
        return undefined;
    }
    const asked = moduleOfUrl(url, viaRelay ? ctx.relayUrl : undefined) ?? 'a module';
    const who = viaRelay ? 'An upstream module proxy' : `The module proxy ${host}`;
    const said = quoteServerText(/server response:\s*(.*)/.exec(output)?.[1]);
    return {
        class: 'policy',
        transient: false,
        message: redact(`${who} refused ${asked} with 403 Forbidden${said ? ` ("${said}")` : ''}, and no credentials were configured for it`),
        hint: `No credentials go to this proxy, so its 403 is its policy refusing ${asked}: if that module is private, list it ` +
            "in `goprivate` (go then fetches it directly, with the `token` input); otherwise ask the mirror's owners to allow it."
    };
}
/** The module@version a proxy URL asks for, trying the path after the relay's base or after the proxy's own base. */
function moduleOfUrl(url, base) {
    let path;
    try {
        path = base ? url.slice(base.length) : new URL(url).pathname;
    }
    catch {
        return undefined;
    }
    const segments = path.split('/').filter(Boolean);
    for (let i = 0; i < segments.length; i++) {
        const m = moduleOfProxyPath(segments.slice(i).join('/'));
        if (m)
            return m;
    }
    return undefined;
}
function gitHint(host, ctx) {
    const where = host ? `https://${host}` : 'the module host';
    if (!ctx.tokenSet) {
        return (`git needs credentials for ${where}: pass a token with read access to the private repositories in the ` +
            '`token` input' +
            (host ? ` and make sure \`private-hosts\` includes ${host}.` : '.'));
    }
    if (host && !ctx.privateHosts.includes(host)) {
        return (`The token is only sent to ${ctx.privateHosts.join(', ') || 'no host'}; add ${host} to the \`private-hosts\` ` +
            'input so git uses it there.');
    }
    return `${where} refused the \`token\`: give a token that can read the private repositories (it needs at least read access to their contents).`;
}
function proxyHint(url, status, ctx) {
    const host = hostOf(url);
    const display = host ?? 'the proxy';
    const hasNetrc = netrcMachineFor(ctx.netrcHosts, url) !== undefined;
    if (status === '403') {
        return (`${display} answered 403 Forbidden: the credentials were accepted but lack access; check the user in the ` +
            '`goproxy` URL or the `netrc` entry for this host.');
    }
    if (url.startsWith('http:')) {
        return (`${display} answered 401 over plain http: go never sends netrc credentials over http; use an https proxy URL, ` +
            'or put the credentials into the `goproxy` URL (https://USER:PASSWORD@host/path).');
    }
    if (hasNetrc) {
        return `${display} rejected the credentials from the \`netrc\` input: check its login and password for this host.`;
    }
    return (`${display} requires credentials: add a \`netrc\` line "machine ${host ?? 'HOST'} login USER password SECRET" ` +
        '(use host:port when the port is not 443), or put them into the `goproxy` URL.');
}

// Runs `go mod tidy` for one module and turns the outcome into a TidyResult.
// Check mode never writes: `-diff` on Go 1.23+, else snapshot, tidy, compare and restore byte for byte.
const FILES = ['go.mod', 'go.sum'];
async function tidyWithRetries(module, o, gate) {
    const started = Date.now();
    let attempts = 0;
    for (;;) {
        attempts++;
        const outcome = await tidyOnce(module, o);
        const err = outcome.error;
        const retry = err?.transient && attempts <= o.retries && (o.mayRetry?.() ?? true) && (gate?.mayRetry(err) ?? true);
        if (retry)
            continue;
        if (err)
            gate?.gaveUp(err);
        return finish(module, o.mode, outcome, attempts, Date.now() - started);
    }
}
async function tidyOnce(module, o) {
    // No await before go starts: preflight's pending work would run first and delay go by its length.
    const watch = {
        cwd: module.dir,
        env: o.env,
        stallMs: o.stallMs ?? 0,
        gomodcache: o.gomodcache,
        untimed: o.auth?.relayUrl,
        launcher: o.launcher
    };
    if (o.mode === 'check' && supportsTidyDiff(o.go.version)) {
        const r = await runGoWatched(o.go, ['mod', 'tidy'], ['-diff', ...o.tidyArgs], watch);
        const reported = parseTidyDiff(r.stdout);
        // `-diff` writes nothing: the files are read only when the report needs them (drift's annotations, the go line
        // of an error's hint), not for each of hundreds of tidy modules.
        if (!r.stalled && (r.exitCode === 0 || (reported.length > 0 && !hasError(r)))) {
            const diffs = reported.filter((d) => !onlyLineEndings(d));
            return { diffs, before: diffs.length > 0 ? readFiles(module.dir) : {} };
        }
        const before = readFiles(module.dir);
        return { diffs: [], before, error: explain(r, o, before['go.mod']) };
    }
    const before = readFiles(module.dir);
    if (o.mode === 'check')
        return tidyCopy(module, o, before, watch);
    const r = await runGoWatched(o.go, ['mod', 'tidy'], o.tidyArgs, watch);
    const after = readFiles(module.dir);
    if (r.exitCode !== 0 || r.stalled) {
        // A failed tidy may have written partial files: fix mode must not leave them.
        await restoreFiles(module.dir, before, after);
        return { diffs: [], before, error: explain(r, o, before['go.mod']) };
    }
    return { diffs: diffFiles(before, after), before };
}
/**
 * Check mode without `-diff` (Go < 1.23): go tidies a copy of go.mod/go.sum (`-modfile`; go.sum is the file beside
 * it), so the user's files are never written, not even when the job is cancelled while go runs.
 */
async function tidyCopy(module, o, before, watch) {
    const copy = mkdtempSync(path.join(o.scratchDir ?? tmpdir(), 'gtg-tidy-'));
    try {
        for (const f of FILES)
            if (before[f])
                writeFileSync(path.join(copy, f), before[f]);
        const r = await runGoWatched(o.go, ['mod', 'tidy'], [`-modfile=${path.join(copy, 'go.mod')}`, ...o.tidyArgs], watch);
        if (r.exitCode !== 0 || r.stalled)
            return { diffs: [], before, error: explain(r, o, before['go.mod']) };
        return { diffs: diffFiles(before, readFiles(copy)), before };
    }
    finally {
        await fs$1.rm(copy, { recursive: true, force: true });
    }
}
function diffFiles(before, after) {
    return parseTidyDiff(FILES.map((f) => tidyDiff(f, text(before[f]), text(after[f]))).join(''));
}
function explain(r, o, gomod) {
    // The `# get` trace is ours (the watchdog's): it would read as go's errors (a 404 while go probes path prefixes).
    const stderr = withoutTrace(r.stderr);
    const shown = o.tidyArgs.some((a) => a === '-x' || a === '--x') ? r.stderr : stderr;
    const output = redact(shown.trimEnd().split('\n').slice(-40).join('\n'));
    const goLine = gomod ? scanGoMod(text(gomod)).go?.version : undefined;
    const e = r.stalled
        ? stalledError(r.stalled)
        : refineHint(classifyGoError(stderr, r.exitCode), stderr, o.auth, goLine);
    // The relay's address means nothing to the user: say which module and version go asked for instead.
    const relay = o.auth?.relayUrl;
    const down = e.class === 'network' ? o.downReport?.() : undefined;
    return {
        ...e,
        message: describeRelayUrls(e.message, relay),
        hint: describeRelayUrls(down ? `${down}. ${e.hint}` : e.hint, relay),
        output: describeRelayUrls(output, relay)
    };
}
function refineHint(e, stderr, auth, goLine) {
    if (e.class === 'toolchain')
        return { ...e, hint: toolchainHint(stderr, goLine) ?? e.hint };
    if (e.class !== 'auth' || !auth)
        return e;
    return policyRefusal(stderr, auth) ?? { ...e, hint: authHint(stderr, auth) ?? e.hint };
}
/** go waited on one request with no progress until the watchdog stopped it. Retrying the same list cannot help. */
function stalledError(s) {
    let host = 'the server';
    try {
        host = new URL(s.url).host;
    }
    catch {
        /* keep the generic name */
    }
    return {
        class: 'network',
        transient: false,
        message: redact(`go made no progress for ${Math.floor(s.ms / 1000)} s waiting for ${s.url}`),
        hint: redact(`${host} accepted the request but sent nothing (a silent proxy or a firewall that drops the traffic): take it out of ` +
            '`goproxy` or put a working mirror before it, and keep `relay: true`, which hedges and fails over; `stall-timeout` sets this bound.')
    };
}
/**
 * `go mod tidy -diff` reports a go.sum that differs only in line endings (a CRLF checkout) although
 * `go mod tidy` itself leaves such a go.sum as it is: that is not drift.
 */
function onlyLineEndings(d) {
    if (d.file !== 'go.sum')
        return false;
    const text = (lines) => lines.map((l) => l.text.replace(/\r$/, '')).join('\n');
    return text(d.removed) === text(d.added);
}
/** `-diff` exits 1 both for drift and for errors; go reports errors on stderr with a "go: " prefix. */
function hasError(r) {
    return /^go: /m.test(r.stderr) && !/^diff /m.test(r.stdout);
}
function finish(module, mode, out, attempts, durationMs) {
    const changed = out.diffs.length > 0;
    const base = { module, attempts, durationMs };
    if (out.error)
        return { ...base, status: 'error', diff: '', changedFiles: [], annotations: [], error: out.error };
    return {
        ...base,
        status: !changed ? 'tidy' : mode === 'fix' ? 'fixed' : 'drift',
        diff: changed ? relabelDiff(out.diffs, module.rel) : '',
        changedFiles: out.diffs.map((d) => workspacePath(module.rel, d.file)),
        annotations: changed
            ? driftAnnotations(module.rel, module.path, out.diffs, text(out.before['go.mod']), text(out.before['go.sum']), mode)
            : []
    };
}
function text(b) {
    return b ? b.toString('utf8') : '';
}
/** Synchronous on purpose: two small files, and no turn of the event loop before go starts (see tidyOnce). */
function readFiles(dir) {
    const out = {};
    for (const f of FILES) {
        try {
            out[f] = readFileSync(path.join(dir, f));
        }
        catch {
            /* absent */
        }
    }
    return out;
}
/** Puts go.mod/go.sum back byte for byte, removing files that tidy created. */
async function restoreFiles(dir, before, after) {
    for (const f of FILES) {
        const p = path.join(dir, f);
        const was = before[f];
        if (was === undefined) {
            if (after[f] !== undefined)
                await fs$1.rm(p, { force: true });
        }
        else if (!after[f] || !was.equals(after[f])) {
            await fs$1.writeFile(p, was);
        }
    }
}

// Tidies every module of the run: concurrently (go's module cache locking makes concurrent go processes safe, and
// they share one relay and one preflight), the slowest modules first when a previous run's timings are known, and
// with whole-module retries that are shared by the run: a cause that already failed one module after its retries
// (same class, same host) is not retried again module by module.
/** Results in the order of `modules`, whatever order they ran in. */
async function tidyModules(modules, o) {
    const order = slowestFirst(modules, o.timings ?? {});
    const gate = new SharedRetries(o.retries * Math.max(1, o.concurrency ?? 1));
    const results = new Map();
    let next = 0;
    const lane = async () => {
        while (next < order.length) {
            const m = order[next++];
            o.onStart?.(m);
            const r = await tidyWithRetries(m, each, gate);
            results.set(m, r);
            o.onDone?.(r);
        }
    };
    const lanes = Math.max(1, Math.min(o.concurrency ?? usableCpus(), order.length));
    // go started by a shell per lane rather than by this process (see go/launch.ts), unless the caller chose.
    const launcher = o.launcher ?? shellLauncher();
    const each = { ...o, launcher };
    try {
        await Promise.all(Array.from({ length: lanes }, lane));
    }
    finally {
        if (!o.launcher)
            launcher.close();
    }
    return modules.map((m) => results.get(m));
}
function slowestFirst(modules, timings) {
    // Unknown modules (new ones) count as slow: they may need downloads the others already made.
    const ms = (m) => timings[m.rel] ?? Infinity;
    return [...modules].sort((a, b) => ms(b) - ms(a) || (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}
/** The run's whole-module retries: a budget in attempts, and the causes that already failed a module for good. */
class SharedRetries {
    left;
    failed = new Set();
    constructor(left) {
        this.left = left;
    }
    mayRetry(e) {
        if (this.failed.has(causeOf(e)) || this.left <= 0)
            return false;
        this.left--;
        return true;
    }
    gaveUp(e) {
        this.failed.add(causeOf(e));
    }
}
/** What failed, coarsely: the class and the host named in the message (a URL's, or a DNS lookup's). */
function causeOf(e) {
    // Literal searches, then anchored patterns: the message holds untrusted text (module paths), so nothing here may
    // backtrack over it.
    const scheme = e.message.indexOf('://');
    const url = scheme < 0 ? undefined : /^[^/\s"':@]+(?::\d+)?/.exec(e.message.slice(scheme + 3))?.[0];
    const lookup = e.message.indexOf('lookup ');
    const host = url ?? (lookup < 0 ? undefined : /^[^\s:]+/.exec(e.message.slice(lookup + 7))?.[0]);
    return `${e.class} ${host ?? (e.message.includes('through the relay') ? 'relay' : '')}`;
}
const TIMINGS_FILE = ['cache', 'download', 'go-tidy-guard-timings.json'];
/** Last run's timings, kept in the module cache (saved and restored with it). Empty when there are none. */
function readTimings(gomodcache) {
    if (!gomodcache)
        return {};
    try {
        const data = JSON.parse(readFileSync(path.join(gomodcache, ...TIMINGS_FILE), 'utf8'));
        if (!data || typeof data !== 'object')
            return {};
        return Object.fromEntries(Object.entries(data).filter(([, v]) => typeof v === 'number' && Number.isFinite(v)));
    }
    catch {
        return {};
    }
}
/** Records this run's timings next to last run's (modules not checked this time keep theirs). Fail-soft. */
function writeTimings(gomodcache, results) {
    if (!gomodcache || results.length === 0)
        return;
    const file = path.join(gomodcache, ...TIMINGS_FILE);
    const all = { ...readTimings(gomodcache), ...Object.fromEntries(results.map((r) => [r.module.rel, r.durationMs])) };
    try {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file + '.tmp', JSON.stringify(all));
        renameSync(file + '.tmp', file);
    }
    catch {
        // Only an ordering hint for the next run.
    }
}

async function restoreModuleCache(o) {
    let report;
    try {
        report = await restore(o);
    }
    catch (e) {
        report = { restore: 'failed', note: `module cache not restored: ${cleanMessage(errorMessage(e))}` };
    }
    return report;
}
async function restore(o) {
    if (o.mode === 'false')
        return { restore: 'disabled' };
    const started = Date.now();
    const { key, restoreKeys } = cacheKeys({
        os: process.env.RUNNER_OS || process.platform,
        arch: process.env.RUNNER_ARCH || process.arch,
        goVersion: o.goVersion,
        files: readKeyFiles(o.modules)
    });
    const state = {
        mode: o.mode,
        gomodcache: o.gomodcache,
        goVersion: o.goVersion,
        key,
        restore: 'miss',
        modules: o.modules.map((m) => ({ dir: m.dir, rel: m.rel }))
    };
    const done = (report) => {
        state.restore = report.restore;
        state.matchedKey = report.matchedKey;
        saveCacheState(state);
        return { key, ...report };
    };
    if (!o.gomodcache)
        return done({ restore: 'failed', note: '`go env GOMODCACHE` is empty; module cache not restored' });
    if (holdsModules(o.gomodcache)) {
        // Unpacking over another cache (e.g. actions/setup-go's) would mix two caches' files; that step owns it.
        const note = 'GOMODCACHE already holds modules (restored by an earlier step?): not restoring over it, and not saving it';
        return done({ restore: 'skipped', note });
    }
    const cache = await import('./shared/service.js');
    if (!cache.isFeatureAvailable()) {
        state.noService = true;
        return done({
            restore: 'failed',
            note: 'the Actions cache service is not available to this step; module cache not restored'
        });
    }
    const paths = cachePaths(o.gomodcache);
    // Past "Cache Size" the library extracts into GOMODCACHE: that is waited for, never abandoned.
    const outcome = await callCacheLibrary(() => cache.restoreCache(paths, key, restoreKeys), {
        ...cacheBounds('restore', o.bounds),
        busyLine: /^Cache Size: /m
    });
    const durationMs = Date.now() - started;
    if (outcome.abandoned !== undefined) {
        return done({
            restore: 'failed',
            durationMs,
            note: `module cache not restored: ${outcome.abandoned}; continuing without it`
        });
    }
    const { value: matchedKey, failure } = outcome;
    if (failure) {
        // GOMODCACHE held no modules before, so whatever is there now is a half-extracted archive: go would trust
        // its extracted directories as complete. The library already logged the failure; the summary names it too.
        removeModules(o.gomodcache);
        return done({ restore: 'failed', durationMs, note: failure.message });
    }
    if (!matchedKey)
        return done({ restore: 'miss', durationMs });
    return done({
        restore: matchedKey === key ? 'hit' : 'partial',
        matchedKey,
        durationMs,
        sizeBytes: downloadBytes(o.gomodcache)
    });
}

// The stages of one run, in order (see DEVELOPERS.md, "Architecture"), shared by the action (main.ts) and the
// command line (cli/cli.ts). It returns the RunResult and never reports: each front end reports in its own way.
// What differs between them comes in as hooks: saving state and exporting variables exist only in Actions.
/** Runs every stage. Never throws: an early end is `result.fatal` (and `error`). */
async function runPipeline(getInputs, hooks = {}) {
    const result = { mode: 'check', modules: [] };
    const state = {};
    let error;
    try {
        await stages(getInputs, hooks, result, state);
    }
    catch (e) {
        error = e;
        result.fatal = errorMessage(e);
        hooks.debug?.(redact(String(e?.stack ?? e)));
    }
    finally {
        if (state.network) {
            result.preflight = await state.network.finishPreflight();
            result.relay = state.network.stats();
            result.readAhead = state.network.readAhead();
            await state.network.close();
        }
        // The netrc file goes now unless it was handed over with NETRC (post, run always(), removes that one).
        removeGuardedCredentialFiles();
    }
    return { result, error };
}
async function stages(getInputs, hooks, result, state) {
    const inputs = getInputs();
    result.mode = inputs.mode;
    const goFound = findGo();
    // go env runs in its own process meanwhile: the (synchronous) walk for go.mod files costs the step no time.
    const tree = walkModuleTree(inputs.workingDirectory);
    const go = await goFound;
    result.goVersion = go.version;
    checkTidyGoVersions(inputs.tidyArgs, go.version);
    const settings = effectiveSettings(inputs, go.env);
    result.goproxy = formatProxyList(settings.proxies, undefined, true);
    result.egressProxy = egressProxySummary(process.env);
    const access = await prepareAccess(inputs, hooks.tempDir || process.env.RUNNER_TEMP || os.tmpdir(), stringEnv(process.env));
    if (access.netrcFile)
        hooks.saveState?.('netrc-file', access.netrcFile);
    if (access.gitConfigFile)
        hooks.saveState?.('git-config-file', access.gitConfigFile);
    const netrcHosts = access.netrc.map((e) => e.machine);
    result.security = securityReview({
        ...settings,
        GOINSECURE: go.env.GOINSECURE ?? '',
        GOFLAGS: go.env.GOFLAGS ?? '',
        netrcHosts
    });
    const env = { ...goEnv(settings), ...access.env };
    const { workspace, workingDirectory, shard } = inputs;
    const { modules, found, goMods } = await discoverModules({
        go,
        env,
        workspace,
        workingDirectory,
        patterns: inputs.modules,
        shard
    }, tree);
    result.discovery = {
        found,
        checked: modules.length,
        workingDirectory: rel(workspace, workingDirectory),
        shard: shard && `${shard.index}/${shard.count}`
    };
    hooks.onModules?.(modules);
    const wanted = proxiedRequirements(modules, settings.GONOPROXY, goMods);
    const [cache, net] = await Promise.all([
        restoreModuleCache({ mode: inputs.cache, gomodcache: go.env.GOMODCACHE, goVersion: go.version, modules }),
        startNetwork(inputs, settings, access, { probeModule: wanted[0] }).catch((e) => {
            if (e instanceof PreflightFailed)
                result.preflight = e.results;
            throw e;
        })
    ]);
    state.network = net;
    result.cache = cache;
    // What a cold (or partly restored) module cache lacks: the relay fetches it while the first go processes start.
    net.prefetch(missingDownloads(wanted, go.env.GOMODCACHE));
    result.modules = await tidyModules(modules, {
        concurrency: inputs.concurrency,
        timings: readTimings(go.env.GOMODCACHE),
        go,
        env: { ...env, GOPROXY: net.goproxy },
        mode: inputs.mode,
        tidyArgs: inputs.tidyArgs,
        retries: inputs.retries,
        mayRetry: () => !net.allDown(),
        downReport: () => net.downReport(),
        stallMs: inputs.stallTimeoutMs,
        gomodcache: go.env.GOMODCACHE,
        onStart: hooks.onModuleStart,
        onDone: hooks.onModuleDone,
        auth: {
            tokenSet: inputs.token !== '',
            privateHosts: inputs.privateHosts,
            netrcHosts,
            relayUrl: net.relayUrl,
            proxyCredentialHosts: proxyCredentialHosts(settings.proxies, access.netrc)
        }
    });
    writeTimings(go.env.GOMODCACHE, result.modules);
    // After tidy, so that the healthy-first order has every verdict that arrived meanwhile.
    if (inputs.exportEnv)
        hooks.exportEnv?.(settings, net.exportGoproxy(), access);
}
/**
 * The environment of go (and of the git it runs): this process's, without the step's inputs (the runner's `INPUT_*`
 * variables are the action's, and hold its token and netrc), with the run's settings.
 */
function goEnv(s, processEnv = process.env) {
    const env = stringEnv(processEnv);
    for (const name of Object.keys(env))
        if (name.startsWith('INPUT_'))
            delete env[name];
    return {
        ...env,
        GOPROXY: s.GOPROXY,
        GOPRIVATE: s.GOPRIVATE,
        GONOPROXY: s.GONOPROXY,
        GONOSUMDB: s.GONOSUMDB,
        GOSUMDB: s.GOSUMDB
    };
}

// Escaping for the job summary (GitHub-flavoured Markdown with some HTML). Module paths, directory names, go's and
// a proxy's messages come from a pull request or a server: each value from outside goes through `md` (Markdown
// text, table cells) or `html` (inside an HTML element such as <summary>, where Markdown is not parsed), or is
// shown as code with `code` / `codeBlock`. Every one redacts first: escaping changes how a secret is spelled.
// Characters that could start HTML, an entity, a link or image, emphasis, math, a code span or a table cell, or undo
// an escape: written as numeric character references, which render as the character itself and start nothing.
const SPECIAL = /[&<>`|\\*_[\]~$]/g;
const entity = (c) => `&#${c.charCodeAt(0)};`;
const oneLine = (s) => s.replace(/\r\n?|\n/g, ' ');
/** Text from outside inside an HTML element (<summary>, <b>): every special character escaped, on one line. */
function html(s) {
    return oneLine(redact(s)).replace(SPECIAL, entity);
}
/**
 * Text from outside on a Markdown line or in a table cell, on one line. Code spans in it (our hints write input
 * names as `name`) stay code spans, whose content Markdown shows literally; everything else is escaped, so no
 * backslash or backtick is left outside them to change where a span starts. Pipes inside a span are escaped by
 * the table that holds it.
 */
function md(s) {
    const text = oneLine(redact(s));
    let out = '';
    let i = 0;
    while (i < text.length) {
        const tick = text.indexOf('`', i);
        if (tick < 0)
            break;
        const run = backtickRun(text, tick);
        const close = closingRun(text, tick + run, run);
        out += text.slice(i, tick).replace(SPECIAL, entity);
        if (close < 0) {
            out += entity('`').repeat(run); // no closing run: Markdown shows these backticks as they are
            i = tick + run;
        }
        else {
            out += text.slice(tick, close + run);
            i = close + run;
        }
    }
    return out + text.slice(i).replace(SPECIAL, entity);
}
/** `s` as an inline code span, whatever backticks it holds. */
function code(s) {
    const fence = '`'.repeat(longestBacktickRun(s) + 1);
    const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
    return md(fence + pad + s + pad + fence);
}
/** `s` as a fenced code block (redacted), with a fence longer than any backtick run in it, so it cannot close early. */
function codeBlock(s, info = '') {
    const fence = '`'.repeat(Math.max(3, longestBacktickRun(s) + 1));
    return [fence + info, redact(s), fence];
}
function backtickRun(s, at) {
    let n = 0;
    while (s.charCodeAt(at + n) === 96)
        n++;
    return n;
}
/** Where the next run of exactly `n` backticks from `from` starts (CommonMark's code span rule), or -1. */
function closingRun(s, from, n) {
    for (let i = s.indexOf('`', from); i >= 0;) {
        const run = backtickRun(s, i);
        if (run === n)
            return i;
        i = s.indexOf('`', i + run);
    }
    return -1;
}
function longestBacktickRun(s) {
    let longest = 0;
    for (let i = s.indexOf('`'); i >= 0;) {
        const run = backtickRun(s, i);
        longest = Math.max(longest, run);
        i = s.indexOf('`', i + run);
    }
    return longest;
}

// The modules part of the job summary, bounded whatever the repository: drifted and failed modules first (one table),
// the tidy ones folded into one <details>, identical failures told once for all the modules they hit, and diffs
// capped per module and in total (the whole diff is in the `diff-file` output). GitHub refuses a step summary over
// 1 MiB; report/summary.ts keeps the rest small and cuts the whole as a last resort.
const STATUS = {
    tidy: '✅ tidy',
    drift: '❌ drift',
    fixed: '🔧 fixed',
    error: '💥 error'
};
/** Diff shown per module (characters), and for all modules together (bytes). */
const DIFF_CAP_PER_MODULE = 16 * 1024;
const DIFF_CAP_TOTAL = 512 * 1024;
/** Rows of the folded table of tidy modules; module names listed for a group of identical failures. */
const TIDY_ROWS = 1000;
const GROUP_NAMES = 20;
/** Cells are already escaped (md/code); a pipe left inside a code span is escaped as GFM tables require. */
function table(head, rows) {
    const esc = (c) => c.replace(/\|/g, '\\|').replace(/\n/g, ' ');
    return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.map(esc).join(' | ')} |`).join('\n');
}
function seconds(ms) {
    return `${(ms / 1000).toFixed(1)} s`;
}
function modulesSection(mods) {
    const order = { error: 0, drift: 1, fixed: 2, tidy: 3 };
    const notTidy = mods.filter((m) => m.status !== 'tidy').sort((a, b) => order[a.status] - order[b.status]);
    const tidy = mods.filter((m) => m.status === 'tidy');
    const parts = [];
    if (notTidy.length)
        parts.push(moduleTable(notTidy), '');
    if (tidy.length)
        parts.push(...tidyFold(tidy));
    parts.push(...failures(notTidy.filter((m) => m.error)));
    parts.push(...diffs(notTidy.filter((m) => m.diff)));
    return parts;
}
function moduleTable(mods) {
    return table(['Module', 'Directory', 'Status', 'Time', 'Attempts'], mods.map((m) => [
        md(m.module.path || '?'),
        md(m.module.rel),
        STATUS[m.status],
        seconds(m.durationMs),
        String(m.attempts)
    ]));
}
function tidyFold(tidy) {
    const shown = tidy.slice(0, TIDY_ROWS);
    const more = tidy.length - shown.length;
    return [
        `<details><summary>✅ ${tidy.length} module${tidy.length === 1 ? ' is' : 's are'} tidy</summary>`,
        '',
        moduleTable(shown),
        ...(more > 0 ? ['', `…and ${more} more.`] : []),
        '',
        '</details>',
        ''
    ];
}
/** Failures told once per distinct error (class, message, hint), naming the modules it hit. */
function failures(failed) {
    const groups = new Map();
    for (const m of failed) {
        const key = `${m.error.class}\n${m.error.message}\n${m.error.hint}`;
        groups.set(key, [...(groups.get(key) ?? []), m]);
    }
    const out = [];
    for (const group of groups.values()) {
        const e = group[0].error;
        const names = group
            .slice(0, GROUP_NAMES)
            .map((m) => md(m.module.rel))
            .join(', ');
        const more = group.length > GROUP_NAMES ? ` and ${group.length - GROUP_NAMES} more` : '';
        const who = group.length === 1 ? `**${names}**` : `**${group.length} modules** (${names}${more}), the same`;
        const output = e.output
            ? ['<details><summary>go output</summary>', '', ...codeBlock(e.output), '', '</details>', '']
            : [];
        out.push(`${who}: ${md(e.class)} error`, '', ...codeBlock(e.message), '', `💡 ${md(e.hint)}`, '', ...output);
    }
    return out;
}
/** Each drifted module's diff, capped per module and in total; what is left out is said, with where to find it. */
function diffs(drifted) {
    const out = [];
    let budget = DIFF_CAP_TOTAL;
    let omitted = 0;
    for (const m of drifted) {
        if (budget <= 0) {
            omitted++;
            continue;
        }
        const cap = Math.min(DIFF_CAP_PER_MODULE, budget);
        const text = m.diff.trimEnd();
        const cut = cutAtLine(text, cap);
        budget -= Buffer.byteLength(cut);
        const note = cut.length < text.length
            ? [`(${text.length - cut.length} more bytes of this diff in the ${code('diff-file')} output)`, '']
            : [];
        const summary = `<b>${html(m.module.rel)}</b>: ${html(m.changedFiles.join(', '))}`;
        out.push(`<details open><summary>${summary}</summary>`, '', ...codeBlock(cut, 'diff'), '', ...note, '</details>', '');
    }
    if (omitted > 0)
        out.push(`The diffs of ${omitted} more drifted modules are left out here: see the ${code('diff-file')} output.`, '');
    return out;
}
/** At most `max` UTF-16 units of `text`, ending at a line end when there is one. */
function cutAtLine(text, max) {
    if (text.length <= max)
        return text;
    const nl = text.lastIndexOf('\n', max);
    return text.slice(0, nl > 0 ? nl : max);
}

function renderSummary(r) {
    const parts = [`## go-tidy-guard (${r.mode})`, ''];
    const facts = [
        r.goVersion && `**Go** ${md(r.goVersion)}`,
        r.goproxy !== undefined && `**GOPROXY** ${code(r.goproxy)}`,
        r.egressProxy && `**Egress proxy** ${code(r.egressProxy)}`
    ].filter(Boolean);
    if (facts.length)
        parts.push(facts.join(' · '), '');
    if (r.fatal)
        parts.push(`> [!CAUTION]\n> ${r.fatal.split('\n').map(md).join('\n> ')}`, '');
    if (r.discovery)
        parts.push(discoveryLine(r.discovery), '');
    parts.push(...modulesSection(r.modules));
    if (r.preflight?.length)
        parts.push('### Preflight', '', preflightTable(r.preflight), '');
    if (r.relay?.length)
        parts.push('### Relay', '', relayTable(r.relay), '', ...readAheadLine(r.readAhead));
    if (r.cache)
        parts.push('### Module cache', '', cacheLine(r), '');
    if (r.security?.length) {
        parts.push('### Security review', '', ...r.security.map((s) => `- ⚠️ **${md(s.title)}**: ${md(s.message)}`), '');
    }
    return bounded(parts.join('\n'));
}
/** GitHub refuses a step summary over 1 MiB: kept well under, whatever the parts held (they are capped already). */
const SUMMARY_LIMIT = 900 * 1024;
function bounded(text) {
    if (Buffer.byteLength(text) <= SUMMARY_LIMIT)
        return text;
    const cut = Buffer.from(text)
        .subarray(0, SUMMARY_LIMIT - 4096)
        .toString('utf8')
        .replace(/\uFFFD$/, '');
    const end = cut.lastIndexOf('\n');
    return `${cut.slice(0, end)}\n\n> [!NOTE]\n> The summary was cut here to stay within GitHub's 1 MiB limit.\n`;
}
function discoveryLine(d) {
    const plural = (n) => `${n} module${n === 1 ? '' : 's'}`;
    const where = `below ${code(d.workingDirectory)}`;
    if (d.shard)
        return `Checked ${d.checked} of the ${plural(d.found)} found ${where}: shard ${d.shard} of those selected.`;
    if (d.checked === d.found)
        return `Checked all ${plural(d.found)} found ${where} (go.work members and every go.mod).`;
    return `Checked ${d.checked} of the ${plural(d.found)} found ${where}, as the \`modules\` input selects.`;
}
function preflightTable(rows) {
    const ms = (n) => (n === undefined ? '–' : `${Math.round(n)} ms`);
    return table(['Endpoint', 'Role', 'Verdict', 'DNS', 'TCP', 'TLS', 'HTTP', 'Hint'], rows.map((p) => [
        code(p.endpoint),
        p.role,
        p.verdict === 'ok' ? '✅ ok' : p.verdict === 'unfinished' ? '⏸️ not finished' : `❌ ${p.verdict}`,
        ms(p.timings.dns),
        ms(p.timings.tcp),
        ms(p.timings.tls),
        ms(p.timings.http),
        md(p.hint + (p.certificate ? ` (subject: ${p.certificate.subject}; issuer: ${p.certificate.issuer})` : ''))
    ]));
}
/** "Fetched ahead of go: 37 module files (21.4 KiB); go asked for 37 of them.", or undefined when none was. */
function readAheadText(ra) {
    if (!ra || ra.files === 0)
        return undefined;
    const files = ra.files === 1 ? '1 module file' : `${ra.files} module files`;
    return `Fetched ahead of go: ${files} (${formatBytes(ra.bytes)}); go asked for ${ra.used} of them.`;
}
function readAheadLine(ra) {
    const text = readAheadText(ra);
    return text ? [text, ''] : [];
}
function relayTable(rows) {
    return table(['Upstream', 'Requests', 'Bytes', 'Retries', 'Hedged', 'Failures', 'Median latency', 'State'], rows.map((u) => [
        code(u.upstream),
        String(u.requests),
        String(u.bytes),
        String(u.retries),
        String(u.hedges ?? 0),
        String(u.failures),
        u.answers === 0 ? '– (never answered)' : `${Math.round(u.latencyMs)} ms`,
        relayState(u)
    ]));
}
function relayState(u) {
    if (u.tripped)
        return '⛔ stopped (circuit breaker)';
    if (!u.demoted)
        return 'in use';
    if (u.demotedFor === 'stalled')
        return '⚠️ demoted: a body stalled mid-way';
    const left = u.unanswered ? `, ${u.unanswered} request${u.unanswered === 1 ? '' : 's'} left unanswered` : '';
    return `⚠️ demoted: silent${left}`;
}
function cacheLine(r) {
    const c = r.cache;
    const bits = [`restore: **${c.restore}**`];
    if (c.matchedKey)
        bits.push(`key ${code(c.matchedKey)}`);
    else if (c.key)
        bits.push(`key ${code(c.key)}`);
    if (c.sizeBytes !== undefined)
        bits.push(formatBytes(c.sizeBytes));
    if (c.durationMs !== undefined)
        bits.push(seconds(c.durationMs));
    if (c.note)
        bits.push(md(c.note));
    return bits.join(' · ');
}

// Reporting reads one RunResult and writes annotations, outputs and the job summary. Nothing else logs ad hoc.
// Fail-soft: a reporting problem is a warning, never the reason a step fails.
/** GitHub keeps 1 MB of outputs per job: the `diff` output is capped well under; the whole diff is in `diff-file`. */
const DIFF_OUTPUT_CAP = 256 * 1024;
/** The lists' share of the 1 MB: `changed-files` and `modules` each (the diff has its own cap; the rest is small). */
const LIST_OUTPUT_CAP = 192 * 1024;
/** Writes the outputs; returns a note for each list that had to be cut (reportAnnotations shows them). */
function reportOutputs(r) {
    const drifted = r.modules.filter((m) => m.status === 'drift' || m.status === 'fixed');
    const diff = redact(drifted.map((m) => m.diff).join(''));
    setOutput('drift', drifted.length > 0 ? 'true' : 'false');
    setOutput('diff', capped(diff));
    if (diff)
        setOutput('diff-file', writeDiffFile(diff));
    const notes = [];
    const files = fitting(r.modules.flatMap((m) => m.changedFiles), 1);
    const dirs = fitting(r.modules.map((m) => m.module.rel), 3);
    setOutput('changed-files', files.kept.join('\n'));
    setOutput('modules', JSON.stringify(dirs.kept));
    if (files.left)
        notes.push(`changed-files lists ${files.kept.length} files; ${files.left} more are in the job summary and diff-file.`);
    if (dirs.left)
        notes.push(`modules lists ${dirs.kept.length} module directories; ${dirs.left} more are in the job summary.`);
    if (r.goproxy !== undefined)
        setOutput('goproxy', redact(r.goproxy));
    if (r.preflight)
        setOutput('preflight', redact(JSON.stringify(r.preflight)));
    if (r.cache)
        setOutput('cache-hit', r.cache.restore === 'hit' ? 'true' : 'false');
    return notes;
}
/** The leading items whose text (plus `sep` bytes each) fits LIST_OUTPUT_CAP, and how many are left out. */
function fitting(items, sep) {
    let size = 2;
    let n = 0;
    while (n < items.length && size + Buffer.byteLength(items[n]) + sep <= LIST_OUTPUT_CAP)
        size += Buffer.byteLength(items[n++]) + sep;
    return { kept: items.slice(0, n), left: items.length - n };
}
function capped(diff) {
    if (Buffer.byteLength(diff) <= DIFF_OUTPUT_CAP)
        return diff;
    const head = Buffer.from(diff).subarray(0, DIFF_OUTPUT_CAP).toString('utf8');
    const cut = head.slice(0, Math.max(0, head.lastIndexOf('\n') + 1));
    return `${cut}# go-tidy-guard: the diff is cut here (${Buffer.byteLength(diff)} bytes in all); the whole diff is in the file named by the diff-file output\n`;
}
/** The whole (redacted) diff, for an upload-artifact step: a file under RUNNER_TEMP. */
function writeDiffFile(diff) {
    const file = path.join(process.env.RUNNER_TEMP || os.tmpdir(), `go-tidy-guard-${randomUUID()}.diff`);
    writeFileSync(file, diff);
    return file;
}
/** GitHub shows 10 error, 10 warning and 10 notice annotations per step and drops the rest silently. */
const ANNOTATIONS_SHOWN = 10;
/**
 * The most useful annotations first, at most ANNOTATIONS_SHOWN of each level: the first annotation of every drifted
 * module, then failures, then the drifted modules' other lines; past the limit, one annotation that says how many
 * more there are and where they are.
 */
function reportAnnotations(r, outputNotes = []) {
    const first = [];
    const rest = [];
    const failed = [];
    for (const m of r.modules) {
        m.annotations.forEach((a, i) => (i === 0 ? first : rest).push({
            message: a.message,
            props: { title: a.title, file: a.file, startLine: a.startLine }
        }));
        if (m.error) {
            const file = workspacePath(m.module.rel, 'go.mod');
            failed.push({
                message: `${m.error.message}\n${m.error.hint}`,
                props: { title: `go mod tidy failed in ${m.module.rel} (${m.error.class})`, file }
            });
        }
    }
    // The failing step's own line (core.setFailed) is an error annotation too: one place is kept for it.
    const errorsShown = ANNOTATIONS_SHOWN - 1;
    // Caching is fail-soft: a failed restore is a warning, a deliberate skip a notice (counted with the others).
    const cacheNote = r.cache?.note ? [{ message: r.cache.note, props: { title: 'Module cache' } }] : [];
    const cacheNotice = r.cache?.restore === 'failed' ? [] : cacheNote;
    if (r.mode === 'fix') {
        emit(notice, [...cacheNotice, ...first, ...rest]);
        emit(error, failed, errorsShown);
    }
    else {
        emit(error, [...first, ...failed, ...rest], errorsShown);
        emit(notice, cacheNotice);
    }
    const warnings = (r.security ?? []).map((s) => ({ message: s.message, props: { title: s.title } }));
    if (r.cache?.restore === 'failed')
        warnings.push(...cacheNote);
    for (const message of outputNotes)
        warnings.push({ message, props: { title: 'Outputs' } });
    for (const p of r.preflight ?? []) {
        if (p.verdict !== 'ok' && p.verdict !== 'unfinished')
            warnings.push({ message: `${p.endpoint}: ${p.verdict}. ${p.hint}`, props: { title: 'Preflight' } });
    }
    emit(warning, warnings);
}
function emit(level, notes, limit = ANNOTATIONS_SHOWN) {
    const shown = notes.length <= limit ? notes : notes.slice(0, limit - 1);
    for (const n of shown)
        level(redact(n.message), n.props);
    const more = notes.length - shown.length;
    if (more > 0)
        level(`${more} more like these (GitHub shows ${ANNOTATIONS_SHOWN} per step): see the job summary and the step log.`, { title: 'go-tidy-guard' });
}
/** go's own output for failed modules, folded into a group per module (core escapes the title). */
function reportLog(r) {
    for (const m of r.modules) {
        if (!m.error?.output)
            continue;
        startGroup(`go output for ${m.module.rel}`);
        logUntrusted(m.error.output);
        endGroup();
    }
}
/** One line that says why the step fails, or undefined when it passes. */
function failureMessage(r) {
    if (r.fatal)
        return redact(r.fatal);
    const errors = r.modules.filter((m) => m.status === 'error');
    if (errors.length > 0) {
        const first = errors[0].error;
        const list = names(errors.map((m) => `${m.module.rel} (${m.error?.class})`));
        return redact(`go mod tidy failed for ${list}: ${first?.message ?? ''}`);
    }
    const drifted = r.modules.filter((m) => m.status === 'drift');
    if (r.mode === 'check' && drifted.length > 0) {
        return `go.mod/go.sum are not tidy in: ${names(drifted.map((m) => m.module.rel))} (run \`go mod tidy\`)`;
    }
    return undefined;
}
/** A list for one line: the first 20, then how many more. */
function names(items) {
    const more = items.length > 20 ? `, and ${items.length - 20} more` : '';
    return items.slice(0, 20).join(', ') + more;
}
/** Writes everything; each part is fail-soft. */
async function report(r) {
    let notes = [];
    const parts = [
        ['outputs', () => (notes = reportOutputs(r))],
        ['the log', () => reportLog(r)],
        ['annotations', () => reportAnnotations(r, notes)]
    ];
    for (const [what, part] of parts) {
        try {
            part();
        }
        catch (e) {
            warning(`go-tidy-guard could not write ${what}: ${redact(String(e))}`);
        }
    }
    try {
        await summary.addRaw(redact(renderSummary(r)), true).write();
    }
    catch (e) {
        warning(`go-tidy-guard could not write the job summary: ${redact(String(e))}`);
    }
}

// The action's front end of the pipeline (pipeline.ts): inputs from the runner, state and exported variables for
// later steps, and reporting (annotations, outputs, job summary) from the one RunResult, even when the step fails.
async function run() {
    const { result } = await runPipeline(() => readInputs(), {
        saveState: (name, file) => saveState(name, file),
        exportEnv: (settings, goproxy, access) => {
            exportEnv(settings, goproxy, access.env);
            // Later steps read them (NETRC, the git config's include.path); post deletes them.
            handOverCredentialFile(access.netrcFile);
            handOverCredentialFile(access.gitConfigFile);
        },
        debug: (text) => debug(text)
    });
    await report(result);
    const failure = failureMessage(result);
    if (failure)
        setFailed(failure);
    else
        recordStepPassed(); // post saves the module cache only then
}
function exportEnv(s, goproxy, extra) {
    exportVariable('GOPROXY', goproxy);
    for (const name of ['GOPRIVATE', 'GONOPROXY', 'GONOSUMDB', 'GOSUMDB'])
        exportVariable(name, s[name]);
    for (const [name, value] of Object.entries(extra))
        exportVariable(name, value);
}

// Entry point of the main step (runs.main in action.yml).
// A cancelled job: the runner signals this process, not go. go is stopped with it (check mode never writes the
// user's files, whatever the moment), and the step still reports what it has; a hard exit bounds the rest.
for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
        cancelGo(signal);
        setTimeout(() => process.exit(1), 5000).unref();
    });
}
await run();
// A cache service that accepted a connection and never answered would keep the process alive after the
// (timed-out) restore; the step is over once run() returns, with process.exitCode set by core.setFailed.
process.exit();
