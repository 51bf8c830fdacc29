import { setFlagsFromString } from 'node:v8';
import { o as setSecret, a as warning, j as saveState, m as getState, l as info } from './core.js';
import { lstatSync, realpathSync, rmSync, promises, existsSync, readdirSync, chmodSync, readFileSync, writeFileSync, rmdirSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { join, sep, relative } from 'node:path';
import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';

// Imported first by both entry points, before undici can compile its HTTP parser.
// undici parses HTTP with llhttp compiled to WebAssembly. V8 compiles it with Liftoff, then recompiles the whole
// module with TurboFan on a background thread: about half a second of one core, measured on Node 20. Node's exit
// waits for that job, so any step that made one request ended about 200 ms late, and on a 2-core runner the job
// competes with go for CPU. Liftoff's code parses the few hundred header bytes of a response just as well; the
// bodies we relay pass through the parser as spans, not byte by byte.
setFlagsFromString('--liftoff-only');

// Secrets registry: every credential the action learns is masked for the runner (core.setSecret)
// and scrubbed from any text we print, summarise or output.
// Redaction runs over text from outside (go's output, a pull request's import paths), so it is a hand-written
// scanner that looks at each character a bounded number of times: a regular expression over such text took
// quadratic time on a long run of letters (issue 10).
const secrets = new Set();
/** Registers a secret with the runner and with `redact`. Empty and very short values are ignored. */
function addSecret(value) {
    if (!value || value.length < 3)
        return;
    // URL credentials may also be seen percent-encoded or decoded.
    let decoded = value;
    try {
        decoded = decodeURIComponent(value);
    }
    catch {
        /* not encoded */
    }
    for (const v of new Set([value, decoded, encodeURIComponent(decoded)])) {
        if (secrets.has(v))
            continue;
        secrets.add(v);
        setSecret(v);
    }
}
/**
 * Registers the userinfo of one URL (`scheme://user:password@host...`, or go's scheme-less `user:password@host:port`
 * for an egress proxy) as secrets; returns the URL with it shown as `***`. The userinfo ends at the last `@` before
 * the host, so a password with an unencoded `/`, `#`, `?` or `@` is hidden whole.
 */
function redactUrl(url) {
    const sep = url.indexOf('://');
    const start = sep > 0 && isSchemeChar(url.charCodeAt(sep - 1)) ? sep + 3 : 0;
    const at = userinfoEnd(url, start, url.length);
    if (at < 0)
        return url;
    const userinfo = url.slice(start, at);
    addSecret(userinfo);
    const colon = userinfo.indexOf(':');
    if (colon >= 0)
        addSecret(userinfo.slice(colon + 1));
    return url.slice(0, start) + '***' + url.slice(at);
}
/** Replaces every registered secret, and the userinfo of every `scheme://` URL, in free text. Linear time. */
function redact(text) {
    let out = '';
    let copied = 0;
    for (let sep = text.indexOf('://'); sep >= 0;) {
        const start = sep + 3;
        const end = urlEnd(text, start);
        const at = sep > 0 && isSchemeChar(text.charCodeAt(sep - 1)) ? userinfoEnd(text, start, end) : -1;
        if (at >= 0) {
            out += text.slice(copied, start) + '***';
            copied = at;
        }
        // Any later `://` before `end` lies inside this URL (its path or query): the next URL starts past it.
        sep = text.indexOf('://', end);
    }
    out += text.slice(copied);
    for (const s of [...secrets].sort((a, b) => b.length - a.length))
        out = out.split(s).join('***');
    return out;
}
// Where a URL in free text ends: whitespace, quotes, angle brackets, backticks, and GOPROXY's `,` and `|` lists.
const URL_END = new Set([...' \t\r\n\f\v"\'<>`,|'].map((c) => c.charCodeAt(0)));
function urlEnd(text, from) {
    let i = from;
    while (i < text.length && !URL_END.has(text.charCodeAt(i)))
        i++;
    return i;
}
/** A letter, digit, `+`, `-` or `.`: what may precede `://` in a URL scheme. */
function isSchemeChar(c) {
    return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;
}
/**
 * The index of the `@` that ends the userinfo of a URL whose authority starts at `start` and which ends at `end`,
 * or -1. That is the last `@` in the URL, except an `@` of the module proxy protocol's path (`/@v/`, `/@latest`).
 * A path with another `@` is hidden along with the userinfo: showing too little is safe, a password is not.
 */
function userinfoEnd(text, start, end) {
    if (text.charCodeAt(start) === 47)
        return -1; // `scheme:///path`: no authority, so no userinfo
    for (let i = end - 1; i >= start; i--) {
        if (text.charCodeAt(i) !== 64)
            continue;
        const protocolPath = text.charCodeAt(i - 1) === 47 && (text.startsWith('v/', i + 1) || text.startsWith('latest', i + 1));
        if (!protocolPath)
            return i > start ? i : -1;
    }
    return -1;
}

// Paths from inputs and from the repository never lead out of the workspace: `working-directory: ../..`, a committed
// symlink to outside as a module directory, or a go.mod that is a symlink to a file outside (fix mode would write
// through it; check mode would print it in the diff). Judged on real paths, symlinks resolved.
/** The real path of `p`, or undefined when it does not exist. */
function realPath(p) {
    try {
        return realpathSync(p);
    }
    catch {
        return undefined;
    }
}
/** True when `p` (resolved, symlinks followed where it exists) is the workspace or below it. */
function insideWorkspace(workspace, p) {
    const root = realPath(workspace) ?? path.resolve(workspace);
    // A path that does not exist (yet) is judged as written: reading it fails later with its own error.
    const real = realPath(p) ?? path.resolve(p);
    const rel = path.relative(root, real);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
/**
 * Why a module directory may not be used, or undefined: it (through symlinks) or its go.mod/go.sum, when they are
 * symlinks, lead outside the workspace.
 */
function moduleOutsideWorkspace(workspace, dir, dirKnownInside = false) {
    if (!dirKnownInside && !insideWorkspace(workspace, dir))
        return 'the directory leads outside the workspace (through a symlink or "..")';
    for (const f of ['go.mod', 'go.sum']) {
        const file = path.join(dir, f);
        let link = false;
        try {
            link = lstatSync(file).isSymbolicLink();
        }
        catch {
            continue; // absent
        }
        // A symlink that points nowhere would have go create its target, wherever that is: refused like one outside.
        if (link && realPath(file) === undefined)
            return `${f} is a symlink to a file that does not exist`;
        if (link && !insideWorkspace(workspace, file))
            return `${f} is a symlink to a file outside the workspace`;
    }
    return undefined;
}
/** Path of a module's file relative to the workspace, '/'-separated. */
function workspacePath(moduleRel, file) {
    const rel = moduleRel
        .replace(/\\/g, '/')
        .replace(/^(\.\/)+/, '')
        .replace(/\/+$/, '');
    return rel === '' || rel === '.' ? file : `${rel}/${file}`;
}

// The life of a credentials file the action writes (the netrc file, the git config with the token). From the moment it
// exists until it is deleted or handed over to later steps, it is deleted however main ends: in main's `finally`,
// which a cancelled job also reaches (index.ts stops go on SIGINT/SIGTERM and lets the step finish), and at exit
// (index.ts's hard exit after a signal, process.exit, an uncaught exception). A file handed over (NETRC exported)
// lives until the post step, which runs `always()` and deletes it.
const guarded = new Set();
/** Deletes `file` when the process ends, unless it is deleted or handed over first. Returns `file`. */
function guardCredentialFile(file) {
    if (guarded.size === 0)
        process.on('exit', removeGuardedCredentialFiles);
    guarded.add(file);
    return file;
}
/** Later steps read the file (NETRC was exported): it outlives this step; post deletes it. */
function handOverCredentialFile(file) {
    if (file && guarded.delete(file) && guarded.size === 0)
        process.removeListener('exit', removeGuardedCredentialFiles);
}
/** Deletes every file not handed over. Never throws: a file it cannot delete is a warning (post tries again). */
function removeGuardedCredentialFiles() {
    for (const file of guarded) {
        try {
            rmSync(file, { force: true });
        }
        catch (e) {
            warning(`could not delete a credentials file: ${e.code ?? 'error'}`);
        }
    }
    guarded.clear();
    process.removeListener('exit', removeGuardedCredentialFiles);
}
/** The names under which main hands the credential files' paths to post (core.saveState), with what each file is. */
const CREDENTIAL_STATE = {
    'netrc-file': 'netrc file',
    'git-config-file': "token's git config file"
};
/** Deletes a credentials file written by the access stage; missing files are fine (post may run twice). */
async function removeCredentialFile(file) {
    if (!file)
        return;
    await promises.rm(file, { force: true });
    handOverCredentialFile(file); // nothing left to delete at exit
}

// The text of anything thrown: an Error's message, else the value as a string.
function errorMessage(e) {
    return e instanceof Error ? e.message : String(e);
}

// Module cache keys and saved paths. Pure: no I/O, so main (restore) and post (save) agree by construction.
const CACHE_KEY_PREFIX = 'go-tidy-guard';
/** Keys may not hold commas (the cache service splits on them); keep them to a tame character set. */
function keyPart(s) {
    return s.replace(/[^A-Za-z0-9._+-]+/g, '_');
}
/**
 * `go-tidy-guard-<RUNNER_OS>-<RUNNER_ARCH>-go<version>-<sha256 of every checked module's go.mod and go.sum>`; the
 * restore key is the same without the hash, so any earlier cache of this toolchain and platform is a partial hit.
 */
function cacheKeys(o) {
    const h = createHash('sha256');
    const files = [...o.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const f of files) {
        // Name and length before the bytes, so moving text between files changes the hash.
        h.update(`${f.path}\0${f.content.length}\0`);
        h.update(f.content);
    }
    const prefix = `${CACHE_KEY_PREFIX}-${keyPart(o.os)}-${keyPart(o.arch)}-go${keyPart(o.goVersion)}-`;
    return { key: prefix + h.digest('hex'), restoreKeys: [prefix] };
}
/**
 * The glob patterns given to @actions/cache. They are part of the cache "version", so they depend only on
 * GOMODCACHE. Everything in the module cache except `cache/vcs` (full VCS clones from direct fetches, large and
 * not needed once the module zip is in cache/download) and `cache/download/sumdb` (checksum-database tiles:
 * they grow without bound, go fetches the few it needs, and go.sum already covers every module tidy checks).
 * Exclusions must name whole top-level entries: tar adds an included directory with all its descendants.
 */
function cachePaths(gomodcache) {
    return [
        join(gomodcache, '*'),
        '!' + join(gomodcache, 'cache'),
        join(gomodcache, 'cache', 'download', '*'),
        '!' + join(gomodcache, 'cache', 'download', 'sumdb')
    ];
}
/** Pull-request events run untrusted changes against the base branch's cache scope: restore only. */
function isPullRequestEvent(eventName) {
    return eventName === 'pull_request' || eventName === 'pull_request_target';
}

// Prunes the module cache to what the checked modules need, so a cache that is restored, extended and saved again
// does not grow run after run. Runs in post, which only runs on success: each checked module's go.sum is tidy,
// so it lists exactly the module versions (zip) and go.mod files that module needs.
/** Reads go.sum texts: `<path> <version> h1:` needs the zip, `<path> <version>/go.mod h1:` the go.mod. */
function neededFromGoSum(texts) {
    const needed = new Map();
    for (const text of texts) {
        for (const line of text.split(/\r?\n/)) {
            const f = line.trim().split(/\s+/);
            if (f.length !== 3 || !f[2].includes(':'))
                continue;
            const modOnly = f[1].endsWith('/go.mod');
            const version = modOnly ? f[1].slice(0, -'/go.mod'.length) : f[1];
            const versions = needed.get(f[0]) ?? new Map();
            if (!modOnly)
                versions.set(version, 'zip');
            else if (!versions.has(version))
                versions.set(version, 'mod');
            needed.set(f[0], versions);
        }
    }
    return needed;
}
function readNeeded(moduleDirs) {
    const texts = [];
    for (const d of moduleDirs) {
        const file = join(d, 'go.sum');
        if (existsSync(file))
            texts.push(readFileSync(file, 'utf8'));
    }
    return neededFromGoSum(texts);
}
/** GOMODCACHE's case encoding: `!x` stands for `X` in module paths and versions. */
function unescapeCachePath(s) {
    return s.replace(/!([a-z])/g, (_, c) => c.toUpperCase());
}
const DOWNLOAD_FILE = /^(.+)\.(zip|ziphash|mod|info|lock|partial)$/;
const ZIP_ONLY = new Set(['zip', 'ziphash', 'partial']);
function pruneModuleCache(gomodcache, needed) {
    const removed = new Set();
    const stats = { removedVersions: 0, removedBytes: 0 };
    const download = join(gomodcache, 'cache', 'download');
    for (const vdir of findDirs(download, (name, rel) => name === '@v' || (rel === '' && name === 'sumdb'))) {
        if (!vdir.endsWith(`${sep}@v`))
            continue;
        const modPath = unescapeCachePath(relative(download, vdir).split(sep).slice(0, -1).join('/'));
        pruneVersionDir(vdir, needed.get(modPath), (version, bytes) => {
            removed.add(`${modPath}@${version}`);
            stats.removedBytes += bytes;
        });
    }
    for (const dir of findDirs(gomodcache, (name, rel) => name.includes('@') || (rel === '' && name === 'cache'))) {
        const rel = relative(gomodcache, dir).split(sep).join('/');
        const at = rel.lastIndexOf('@');
        if (at < 0 || rel.startsWith('cache/'))
            continue;
        const modPath = unescapeCachePath(rel.slice(0, at));
        const version = unescapeCachePath(rel.slice(at + 1));
        if (needed.get(modPath)?.get(version) === 'zip')
            continue;
        stats.removedBytes += treeBytes(dir);
        removeTree(dir);
        removed.add(`${modPath}@${version}`);
    }
    removeEmptyDirs(gomodcache);
    stats.removedVersions = removed.size;
    return stats;
}
/** One `@v` directory: drop the files of versions nobody needs (or their zips when only go.mod is needed). */
function pruneVersionDir(vdir, versions, onRemove) {
    const kept = new Set();
    for (const name of readdirSync(vdir)) {
        const m = DOWNLOAD_FILE.exec(name);
        if (!m)
            continue;
        const version = unescapeCachePath(m[1]);
        const need = versions?.get(version);
        if (need === 'zip' || (need === 'mod' && !ZIP_ONLY.has(m[2]))) {
            kept.add(m[1]);
            continue;
        }
        const file = join(vdir, name);
        const bytes = lstatSync(file).size;
        makeWritable(vdir);
        rmSync(file, { force: true });
        onRemove(version, bytes);
    }
    // `list` records the versions this cache holds (go serves it when GOMODCACHE/cache/download is used as a proxy).
    const list = join(vdir, 'list');
    if (existsSync(list)) {
        const lines = readFileSync(list, 'utf8')
            .split('\n')
            .filter((l) => l.trim() !== '');
        const keep = lines.filter((v) => kept.has(v.trim()));
        if (keep.length === 0)
            rmSync(list, { force: true });
        else if (keep.length !== lines.length)
            writeFileSync(list, keep.map((v) => v + '\n').join(''));
    }
    if (kept.size === 0)
        for (const f of readdirSync(vdir))
            if (f === 'list.lock')
                rmSync(join(vdir, f), { force: true });
}
/** Directories below `root` for which `stop(name, parentRel)` is true; those are not descended into. */
function findDirs(root, stop) {
    const out = [];
    const walk = (dir, rel) => {
        let names;
        try {
            names = readdirSync(dir);
        }
        catch {
            return;
        }
        for (const name of names) {
            const p = join(dir, name);
            if (!lstatSync(p, { throwIfNoEntry: false })?.isDirectory())
                continue;
            if (stop(name, rel))
                out.push(p);
            else
                walk(p, rel === '' ? name : `${rel}/${name}`);
        }
    };
    walk(root, '');
    return out;
}
function treeBytes(dir) {
    let total = 0;
    for (const name of readdirSync(dir)) {
        const st = lstatSync(join(dir, name));
        total += st.isDirectory() ? treeBytes(join(dir, name)) : st.size;
    }
    return total;
}
function makeWritable(dir) {
    try {
        chmodSync(dir, 0o755);
    }
    catch {
        // rm reports what it cannot remove.
    }
}
/** go makes extracted modules read-only; directories must be writable for their entries to be removed. */
function removeTree(dir) {
    const st = lstatSync(dir, { throwIfNoEntry: false });
    if (!st)
        return;
    if (st.isDirectory()) {
        makeWritable(dir);
        for (const name of readdirSync(dir)) {
            if (lstatSync(join(dir, name)).isDirectory())
                removeTree(join(dir, name));
        }
    }
    rmSync(dir, { recursive: true, force: true });
}
/** Removes the directories pruning left empty, in the saved part of the cache only (VCS clones keep theirs). */
function removeEmptyDirs(gomodcache) {
    // True when `dir` ended up empty and was removed. Extracted modules (`name@version`) are never descended into.
    const sweep = (dir) => {
        let left = 0;
        for (const name of readdirSync(dir)) {
            const p = join(dir, name);
            const isDir = lstatSync(p).isDirectory();
            const gone = isDir && (name.includes('@') ? removeIfEmptyVersionDir(p, name) : sweep(p));
            if (!gone)
                left++;
        }
        if (left > 0)
            return false;
        rmdirSync(dir);
        return true;
    };
    const roots = [
        ...subdirs(gomodcache)
            .filter((n) => n !== 'cache')
            .map((n) => join(gomodcache, n)),
        ...subdirs(join(gomodcache, 'cache', 'download'))
            .filter((n) => n !== 'sumdb')
            .map((n) => join(gomodcache, 'cache', 'download', n))
    ];
    for (const r of roots)
        sweep(r);
}
function removeIfEmptyVersionDir(p, name) {
    if (name !== '@v' || readdirSync(p).length > 0)
        return false;
    rmdirSync(p);
    return true;
}
function subdirs(dir) {
    if (!existsSync(dir))
        return [];
    return readdirSync(dir).filter((n) => lstatSync(join(dir, n)).isDirectory());
}
/** Removes every module from GOMODCACHE (a half-extracted restore), keeping checksum tiles and VCS clones. */
function removeModules(gomodcache) {
    for (const name of existsSync(gomodcache) ? readdirSync(gomodcache) : []) {
        if (name !== 'cache')
            removeTree(join(gomodcache, name));
    }
    const download = join(gomodcache, 'cache', 'download');
    for (const name of existsSync(download) ? readdirSync(download) : []) {
        if (name !== 'sumdb')
            removeTree(join(download, name));
    }
}

// What main's cache restore hands to the post step, and small I/O helpers both sides share.
const STATE_NAME = 'gtg-cache';
const PASSED_STATE = 'gtg-passed';
/**
 * Main records that it passed; post saves the cache only then (post runs `always()`, to delete the netrc file, and
 * a failed, drifted or cancelled step records nothing).
 */
function recordStepPassed() {
    saveState(PASSED_STATE, 'true');
}
function stepPassed() {
    return getState(PASSED_STATE) === 'true';
}
function saveCacheState(s) {
    saveState(STATE_NAME, JSON.stringify(s));
}
/** The state main saved, or undefined when main never got that far (or cache is `false`). */
function loadCacheState() {
    const raw = getState(STATE_NAME);
    if (!raw)
        return undefined;
    try {
        const s = JSON.parse(raw);
        return typeof s.gomodcache === 'string' && typeof s.key === 'string' && Array.isArray(s.modules) ? s : undefined;
    }
    catch {
        return undefined;
    }
}
/** go.mod and go.sum of each module, named relative to the workspace; missing files are left out. */
function readKeyFiles(modules) {
    const out = [];
    for (const m of modules) {
        for (const name of ['go.mod', 'go.sum']) {
            const file = join(m.dir, name);
            if (existsSync(file))
                out.push({ path: workspacePath(m.rel, name), content: readFileSync(file) });
        }
    }
    return out;
}
function entries(dir) {
    try {
        return readdirSync(dir);
    }
    catch {
        return [];
    }
}
/** True when GOMODCACHE holds any module (extracted or downloaded); checksum tiles and VCS clones do not count. */
function holdsModules(gomodcache) {
    if (entries(gomodcache).some((e) => e !== 'cache'))
        return true;
    return entries(join(gomodcache, 'cache', 'download')).some((e) => e !== 'sumdb');
}
/** Bytes of the downloaded modules (cache/download without sumdb): the size users recognise, and cheap to walk. */
function downloadBytes(gomodcache) {
    const root = join(gomodcache, 'cache', 'download');
    let total = 0;
    const walk = (dir) => {
        for (const e of entries(dir)) {
            const p = join(dir, e);
            const st = lstatSync(p, { throwIfNoEntry: false });
            if (!st)
                continue;
            if (st.isDirectory())
                walk(p);
            else
                total += st.size;
        }
    };
    for (const e of entries(root))
        if (e !== 'sumdb')
            walk(join(root, e));
    return total;
}
/** Text safe for a summary or annotation: registered secrets and signed-URL queries removed, one line. */
function cleanMessage(text) {
    // Bounded first: the pattern below may backtrack over a long run without `?` (library error text, but still).
    return redact(text)
        .slice(0, 4096)
        .replace(/(https?:\/\/[^\s?]+)\?\S*/g, '$1?…')
        .replace(/%0A|%0D|\r?\n/g, ' ')
        .replace(/%25/g, '%')
        .trim();
}

// One bounded call into @actions/cache. The library takes no AbortSignal and waits for a silent service for up to
// 15 minutes (five attempts of a 3-minute socket timeout). Every HTTP request it makes goes through node:http (its
// Twirp client and the storage SDK alike) and is seen here on the `http.client.request.start` diagnostics channel,
// attributed to the call by AsyncLocalStorage. A request that moves no byte for `stallMs`, or the call outliving
// `totalMs`, abandons the call: its requests are destroyed, and so is every request it starts afterwards. An
// abandoned call can receive nothing more, so a restore can never reach extraction into GOMODCACHE once its caller
// has gone on: the caller may start tidy at once. A call that is past the network (`busyLine`: a restore
// extracting its archive) is never abandoned, only waited for.
const DEFAULTS = { stallMs: 10_000, restoreMs: 2 * 60_000, saveMs: 5 * 60_000 };
/**
 * The bounds of a restore or a save. GTG_CACHE_STALL_SECONDS (tests only, see DEVELOPERS.md) shortens the stall
 * bound; `given` (in-process tests) wins.
 */
function cacheBounds(kind, given = {}) {
    const env = Number(process.env.GTG_CACHE_STALL_SECONDS);
    const stallMs = given.stallMs ?? (env > 0 ? env * 1000 : DEFAULTS.stallMs);
    return { stallMs, totalMs: given.totalMs ?? (kind === 'restore' ? DEFAULTS.restoreMs : DEFAULTS.saveMs) };
}
const calls = new AsyncLocalStorage();
let subscribed = false;
async function callCacheLibrary(fn, o) {
    if (!subscribed) {
        subscribe('http.client.request.start', (m) => calls.getStore()?.onRequest(m.request));
        subscribed = true;
    }
    const log = watchLog(o.busyLine);
    const watch = new CallWatch(o, () => log.busy);
    const call = calls.run(watch, fn);
    try {
        const finished = call.then((value) => ({ value, failure: log.failure }));
        const outcome = await Promise.race([finished, watch.abandoned]);
        if (outcome.abandoned !== undefined) {
            // The library unwinds in a moment and warns about the requests destroyed here: keep that out of the log.
            log.quiet = true;
            await Promise.race([call.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, UNWIND_MS))]);
        }
        return outcome;
    }
    finally {
        watch.stop();
        if (watch.reason)
            call.then(log.restore, log.restore);
        else
            log.restore();
    }
}
/** How long an abandoned call is given to unwind (its own failure lines, kept out of the log) before the caller goes on. */
const UNWIND_MS = 500;
class CallWatch {
    o;
    busy;
    reason;
    pending;
    inflight = new Map();
    settle;
    abandoned = new Promise((resolve) => (this.settle = resolve));
    poll;
    total;
    constructor(o, busy) {
        this.o = o;
        this.busy = busy;
        this.poll = setInterval(() => this.check(), Math.max(10, Math.min(250, o.stallMs / 4)));
        this.total = setTimeout(() => this.abandon(`the cache service took longer than ${seconds(o.totalMs)}`), o.totalMs);
    }
    onRequest(req) {
        // Destroyed once its starter has piped the body in, so that the body stream (an open archive) goes with it.
        if (this.reason)
            return void setImmediate(() => req.destroy(abandonError(this.reason ?? '')));
        const t = { what: describe(req), since: Date.now(), bytes: 0, answered: false };
        this.inflight.set(req, t);
        req.once('response', () => (t.answered = true));
        req.once('close', () => this.inflight.delete(req));
        if (this.pending)
            this.abandon(this.pending);
    }
    stop() {
        clearInterval(this.poll);
        clearTimeout(this.total);
    }
    check() {
        const now = Date.now();
        for (const [req, t] of this.inflight) {
            const bytes = req.socket ? req.socket.bytesRead + req.socket.bytesWritten : 0;
            if (bytes !== t.bytes) {
                t.bytes = bytes;
                t.since = now;
            }
            else if (now - t.since >= this.o.stallMs) {
                const how = t.answered ? 'the cache service answered, then stopped sending' : 'no answer from the cache service';
                return this.abandon(`${t.what} made no progress for ${seconds(this.o.stallMs)} (${how})`);
            }
        }
    }
    /**
     * Abandons at a request: one in flight now, else the next one the call starts (between requests the call may be
     * about to extract what it has fully downloaded, which must finish). Never once the call is busy extracting.
     */
    abandon(reason) {
        if (this.reason || this.busy())
            return;
        if (this.inflight.size === 0) {
            this.pending = reason;
            return;
        }
        this.reason = reason;
        this.stop();
        for (const req of [...this.inflight.keys()])
            req.destroy(abandonError(reason));
        this.settle({ abandoned: reason });
    }
}
/** ECONNRESET: the library's Twirp client gives up at once on it instead of retrying. */
function abandonError(reason) {
    return Object.assign(new Error(`abandoned by go-tidy-guard: ${reason}`), { code: 'ECONNRESET' });
}
function describe(req) {
    const twirp = /\/twirp\/[^/?]+\/(\w+)/.exec(req.path);
    if (twirp)
        return twirp[1];
    if (req.method === 'PUT')
        return 'the archive upload';
    return req.method === 'HEAD' ? 'the archive size query' : 'the archive download';
}
function seconds(ms) {
    return `${Number((ms / 1000).toFixed(1))} s`;
}
const FAILURE_LINE = /^(?:::(warning|error)(?: [^:]*)?::)?(Failed to (?:restore|save): .*)$/m;
/** What the library prints about requests that failed: after an abandonment, the requests destroyed here. */
const LIBRARY_NOISE = /Failed to (?:restore|save): |Attempt \d+ of \d+ failed/;
/**
 * Watches stdout while the library runs. The library swallows every service error (it logs "Failed to
 * restore/save: …" and returns a miss or -1), so its log line is the only way to tell a miss from an outage, or a
 * save conflict (logged as info) from success.
 */
function watchLog(busyLine) {
    const original = process.stdout.write;
    const state = {
        failure: undefined,
        busy: false,
        quiet: false,
        restore: () => {
            if (process.stdout.write === watcher)
                process.stdout.write = original;
        }
    };
    const watcher = function (chunk, ...rest) {
        const text = String(chunk);
        if (state.quiet && LIBRARY_NOISE.test(text)) {
            rest.find((r) => typeof r === 'function')?.();
            return true;
        }
        const m = state.failure ? null : FAILURE_LINE.exec(text);
        if (m)
            state.failure = { level: m[1] ?? 'info', message: cleanMessage(m[2]) };
        if (busyLine?.test(text))
            state.busy = true;
        return original.call(this, chunk, ...rest);
    };
    process.stdout.write = watcher;
    return state;
}

// Sizes for people: one formatter, binary units named as such (KiB, MiB).
function formatBytes(n) {
    if (n < 1024 * 1024)
        return `${(n / 1024).toFixed(1)} KiB`;
    return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

// The one way text from outside (go's and git's output, a proxy's answer, anything from the repository) reaches
// the step log. The runner reads every log line, strips leading whitespace and executes a line starting with `::`
// as a workflow command (`::add-mask::`, `::error::`, `::save-state::`, ...); old `##[cmd]` commands anywhere in a
// line too. Inside a `::stop-commands::<token>` block the runner executes nothing until it sees `::<token>::`, so
// the block's token must be one the text cannot know: fresh and random for every block.
// Annotations, debug lines and group titles need no block: @actions/core writes them as one command whose message
// and properties it escapes (`%`, CR, LF; and `:` `,` in properties). log-safe.test.ts proves it with the runner's parser.
/** Prints `text` (redacted) so that no byte of it can act as a workflow command. */
function logUntrusted(text) {
    const safe = redact(text);
    let token = newToken();
    while (safe.toLowerCase().includes(token))
        token = newToken(); // the runner compares case-insensitively
    info(`::stop-commands::${token}`);
    info(safe);
    info(`::${token}::`);
}
/** 128 random bits as 32 letters a-p: a command name every parser accepts (some take letters and `-` only). */
function newToken() {
    return [...randomBytes(16)].map((b) => String.fromCharCode(97 + (b >> 4), 97 + (b & 15))).join('');
}

export { stepPassed as A, isPullRequestEvent as B, CREDENTIAL_STATE as C, removeCredentialFile as D, addSecret as a, redact as b, cleanMessage as c, cacheKeys as d, errorMessage as e, readKeyFiles as f, guardCredentialFile as g, holdsModules as h, insideWorkspace as i, cachePaths as j, callCacheLibrary as k, cacheBounds as l, moduleOutsideWorkspace as m, removeModules as n, downloadBytes as o, removeGuardedCredentialFiles as p, formatBytes as q, redactUrl as r, saveCacheState as s, logUntrusted as t, recordStepPassed as u, handOverCredentialFile as v, workspacePath as w, loadCacheState as x, pruneModuleCache as y, readNeeded as z };
