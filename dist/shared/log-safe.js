import { setFlagsFromString } from "node:v8";

import { randomUUID, X509Certificate, createHash, randomBytes } from "node:crypto";

import { lstatSync, realpathSync, rmSync, readFileSync, promises, statSync, existsSync, readdirSync, chmodSync, writeFileSync, rmdirSync } from "node:fs";

import * as path from "node:path";

import { join, sep, relative } from "node:path";

import { o as setSecret, a as warning, j as saveState, m as getState, l as info } from "./core.js";

import { AsyncLocalStorage } from "node:async_hooks";

import { subscribe } from "node:diagnostics_channel";

setFlagsFromString("--liftoff-only");

const secrets = new Set;

function addSecret(value) {
    if (!value || value.length < 3) return;
    let decoded = value;
    try {
        decoded = decodeURIComponent(value);
    } catch {}
    for (const v of new Set([ value, decoded, encodeURIComponent(decoded) ])) {
        if (secrets.has(v)) continue;
        secrets.add(v);
        setSecret(v);
    }
}

function redactUrl(url) {
    const sep = url.indexOf("://");
    const start = sep > 0 && isSchemeChar(url.charCodeAt(sep - 1)) ? sep + 3 : 0;
    const at = userinfoEnd(url, start, url.length);
    if (at < 0) return url;
    const userinfo = url.slice(start, at);
    addSecret(userinfo);
    const colon = userinfo.indexOf(":");
    if (colon >= 0) addSecret(userinfo.slice(colon + 1));
    return url.slice(0, start) + "***" + url.slice(at);
}

function redact(text) {
    let out = "";
    let copied = 0;
    for (let sep = text.indexOf("://"); sep >= 0; ) {
        const start = sep + 3;
        const end = urlEnd(text, start);
        const at = sep > 0 && isSchemeChar(text.charCodeAt(sep - 1)) ? userinfoEnd(text, start, end) : -1;
        if (at >= 0) {
            out += text.slice(copied, start) + "***";
            copied = at;
        }
        sep = text.indexOf("://", end);
    }
    out += text.slice(copied);
    for (const s of [ ...secrets ].sort((a, b) => b.length - a.length)) out = out.split(s).join("***");
    return out;
}

const URL_END = new Set([ ..." \t\r\n\f\v\"'<>`,|" ].map(c => c.charCodeAt(0)));

function urlEnd(text, from) {
    let i = from;
    while (i < text.length && !URL_END.has(text.charCodeAt(i))) i++;
    return i;
}

function isSchemeChar(c) {
    return c >= 97 && c <= 122 || c >= 65 && c <= 90 || c >= 48 && c <= 57 || c === 43 || c === 45 || c === 46;
}

function userinfoEnd(text, start, end) {
    if (text.charCodeAt(start) === 47) return -1;
    for (let i = end - 1; i >= start; i--) {
        if (text.charCodeAt(i) !== 64) continue;
        const protocolPath = text.charCodeAt(i - 1) === 47 && (text.startsWith("v/", i + 1) || text.startsWith("latest", i + 1));
        if (!protocolPath) return i > start ? i : -1;
    }
    return -1;
}

class InputError extends Error {}

function realPath(p) {
    try {
        return realpathSync(p);
    } catch {
        return undefined;
    }
}

function insideWorkspace(workspace, p) {
    const root = realPath(workspace) ?? path.resolve(workspace);
    const real = realPath(p) ?? path.resolve(p);
    const rel = path.relative(root, real);
    return rel === "" || !rel.startsWith("..") && !path.isAbsolute(rel);
}

function moduleOutsideWorkspace(workspace, dir, dirKnownInside = false) {
    if (!dirKnownInside && !insideWorkspace(workspace, dir)) return 'the directory leads outside the workspace (through a symlink or "..")';
    for (const f of [ "go.mod", "go.sum" ]) {
        const file = path.join(dir, f);
        let link = false;
        try {
            link = lstatSync(file).isSymbolicLink();
        } catch {
            continue;
        }
        if (link && !insideWorkspace(workspace, file)) return `${f} is a symlink to a file outside the workspace`;
    }
    return undefined;
}

function workspacePath(moduleRel, file) {
    const rel = moduleRel.replace(/\\/g, "/").replace(/^(\.\/)+/, "").replace(/\/+$/, "");
    return rel === "" || rel === "." ? file : `${rel}/${file}`;
}

const guarded = new Set;

function guardCredentialFile(file) {
    if (guarded.size === 0) process.on("exit", removeGuardedCredentialFiles);
    guarded.add(file);
    return file;
}

function handOverCredentialFile(file) {
    if (file && guarded.delete(file) && guarded.size === 0) process.removeListener("exit", removeGuardedCredentialFiles);
}

function removeGuardedCredentialFiles() {
    for (const file of guarded) {
        try {
            rmSync(file, {
                force: true
            });
        } catch (e) {
            warning(`could not delete a credentials file: ${e.code ?? "error"}`);
        }
    }
    guarded.clear();
    process.removeListener("exit", removeGuardedCredentialFiles);
}

function gitTokenConfig(token, hosts) {
    addSecret(token);
    const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
    addSecret(basic);
    return hosts.map(host => `[http "https://${host}/"]\n\textraheader =\n\textraheader = AUTHORIZATION: basic ${basic}\n`).join("");
}

async function writeGitTokenConfig(token, hosts, runnerTemp) {
    if (!token || hosts.length === 0) return undefined;
    const file = path.join(runnerTemp, `go-tidy-guard-${randomUUID()}.gitconfig`);
    await promises.writeFile(file, gitTokenConfig(token, hosts), {
        mode: 384,
        flag: "wx"
    });
    await promises.chmod(file, 384);
    return file;
}

function gitTokenEnv(file, baseEnv) {
    if (!file) return {};
    const existing = Number(baseEnv.GIT_CONFIG_COUNT ?? "");
    const n = Number.isInteger(existing) && existing > 0 ? existing : 0;
    return {
        [`GIT_CONFIG_KEY_${n}`]: "include.path",
        [`GIT_CONFIG_VALUE_${n}`]: file,
        GIT_CONFIG_COUNT: String(n + 1)
    };
}

const HOST_FORM = "give comma- or newline-separated host names such as github.example.com or git.corp.example:8443";

function privateHosts(input, serverUrl = process.env.GITHUB_SERVER_URL) {
    const items = input.split(/[,\n]/).map(h => h.trim()).filter(h => h !== "");
    if (items.length === 0) {
        if (!serverUrl) return [];
        try {
            const host = new URL(serverUrl).host.toLowerCase();
            return host ? [ host ] : [];
        } catch {
            return [];
        }
    }
    const hosts = [];
    for (const item of items) {
        if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/i.test(item)) {
            throw new InputError(`private-hosts: "${item}" is not a host name; ${HOST_FORM}`);
        }
        const host = item.toLowerCase();
        if (!hosts.includes(host)) hosts.push(host);
    }
    return hosts;
}

const NETRC_FORM = 'give netrc lines such as "machine proxy.example.com login USER password SECRET"';

const NETRC_KEYWORDS = new Set([ "machine", "default", "login", "password", "account", "macdef" ]);

function parseNetrc(text) {
    const out = [];
    let cur = {
        machine: "",
        login: "",
        password: ""
    };
    let inMacro = false;
    for (const line of text.replace(/\r/g, "").split("\n")) {
        if (inMacro) {
            if (line === "") inMacro = false;
            continue;
        }
        const f = line.split(/\s+/).filter(t => t !== "");
        let i = 0;
        for (;i < f.length - 1; i += 2) {
            const [k, v] = [ f[i], f[i + 1] ];
            if (k === "machine") cur = {
                machine: v,
                login: "",
                password: ""
            }; else if (k === "login") cur.login = v; else if (k === "password") cur.password = v; else if (k === "macdef") inMacro = true;
            if (cur.machine && cur.login && cur.password) {
                out.push(cur);
                cur = {
                    machine: "",
                    login: "",
                    password: ""
                };
            }
        }
        if (i < f.length && f[i] === "default") break;
    }
    return out;
}

function checkNetrc(text) {
    const lines = text.replace(/\r/g, "").split("\n");
    let inMacro = false;
    lines.forEach((line, idx) => {
        if (inMacro) {
            inMacro = line !== "";
            return;
        }
        const f = line.split(/\s+/).filter(t => t !== "");
        if (f.length === 0 || f[0].startsWith("#")) return;
        for (let i = 0; i < f.length; i += 2) {
            if (f[i] === "default") {
                i--;
                continue;
            }
            if (!NETRC_KEYWORDS.has(f[i])) {
                throw new InputError(`netrc: line ${idx + 1}: expected a keyword (machine, login, password, ...) where another token stands; ${NETRC_FORM}`);
            }
            if (i + 1 >= f.length) {
                throw new InputError(`netrc: line ${idx + 1}: "${f[i]}" has no value on the same line (go reads keyword and value from one line); ${NETRC_FORM}`);
            }
            if (f[i] === "macdef") inMacro = true;
            if (f[i] === "machine" && /[/@]/.test(f[i + 1])) {
                throw new InputError(`netrc: line ${idx + 1}: machine "${f[i + 1]}" must be a host name (with :port when not 443), not a URL; ${NETRC_FORM}`);
            }
        }
    });
    const entries = parseNetrc(text);
    if (entries.length === 0) throw new InputError(`netrc: no complete entry with machine, login and password; ${NETRC_FORM}`);
    return entries;
}

function validateNetrc(text) {
    for (const m of text.matchAll(/\bpassword\s+(\S+)/g)) addSecret(m[1]);
    for (const e of parseNetrc(text)) addSecret(e.password);
    return checkNetrc(text);
}

async function writeNetrc(text, runnerTemp) {
    validateNetrc(text);
    const file = path.join(runnerTemp, `go-tidy-guard-${randomUUID()}.netrc`);
    await promises.writeFile(file, text.endsWith("\n") ? text : text + "\n", {
        mode: 384,
        flag: "wx"
    });
    await promises.chmod(file, 384);
    return file;
}

async function removeCredentialFile(file) {
    if (!file) return;
    await promises.rm(file, {
        force: true
    });
    handOverCredentialFile(file);
}

function netrcCredentialFor(entries, url) {
    const machine = netrcMachineFor(entries.map(e => e.machine), url);
    return machine === undefined ? undefined : entries.find(e => e.machine === machine);
}

function netrcMachineFor(machines, url) {
    let u;
    try {
        u = new URL(url);
    } catch {
        return undefined;
    }
    if (u.protocol !== "https:") return undefined;
    let prefix = (u.host + u.pathname).replace(/\/+$/, "");
    for (;;) {
        if (machines.includes(prefix)) return prefix;
        const slash = prefix.lastIndexOf("/");
        if (slash < 0) return undefined;
        prefix = prefix.slice(0, slash);
    }
}

const LINUX_BUNDLES = [ "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/ca-bundle.pem", "/etc/pki/tls/cacert.pem", "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", "/etc/ssl/cert.pem" ];

function systemBundleFile(env = process.env, platform = process.platform) {
    const candidates = platform === "win32" ? [] : platform === "darwin" ? [ "/etc/ssl/cert.pem" ] : LINUX_BUNDLES;
    for (const file of env.SSL_CERT_FILE ? [ env.SSL_CERT_FILE ] : candidates) {
        try {
            if (readFileSync(file, "utf8").includes("-----BEGIN CERTIFICATE-----")) return file;
        } catch {}
    }
    return undefined;
}

const CA_FORM = "give a path relative to the workspace to a PEM bundle, or the PEM text itself (-----BEGIN CERTIFICATE----- ...)";

function parseCertificates(text, source) {
    const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
    if (blocks.length === 0) throw new InputError(`ca-certificates: ${source} holds no PEM certificate; ${CA_FORM}`);
    return blocks.map((pem, i) => {
        try {
            new X509Certificate(pem);
        } catch (e) {
            throw new InputError(`ca-certificates: certificate ${i + 1} in ${source} does not parse (${e.message}); ${CA_FORM}`);
        }
        return pem + "\n";
    });
}

function loadCaInput(input, workspace) {
    const value = input.trim();
    if (value === "") return undefined;
    if (value.includes("-----BEGIN")) return parseCertificates(value, "the input text");
    const source = `"${value}"`;
    const file = path.resolve(workspace, value);
    const outside = !insideWorkspace(workspace, file);
    if (outside && (!path.isAbsolute(value) || !isRegularFile(file))) {
        throw new InputError(`ca-certificates: ${source} leads outside the workspace; ${CA_FORM} (an absolute path outside the workspace must be a readable regular file)`);
    }
    let text;
    try {
        text = readFileSync(file, "utf8");
    } catch (e) {
        throw new InputError(`ca-certificates: cannot read ${source} (${e.code ?? "error"}); ${CA_FORM}`);
    }
    return parseCertificates(text, source);
}

async function writeCaBundle(pems, runnerTemp, env = process.env, platform = process.platform) {
    const systemBundle = systemBundleFile(env, platform);
    const system = systemBundle ? readFileSync(systemBundle, "utf8") : "";
    const bundleFile = path.join(runnerTemp, `go-tidy-guard-${randomUUID()}-ca.pem`);
    const sep = system === "" || system.endsWith("\n") ? "" : "\n";
    await promises.writeFile(bundleFile, system + sep + pems.join(""), {
        mode: 420,
        flag: "wx"
    });
    return {
        pems: pems,
        bundleFile: bundleFile,
        systemBundle: systemBundle
    };
}

function isRegularFile(p) {
    try {
        return statSync(p).isFile();
    } catch {
        return false;
    }
}

function credentialEnv(o) {
    const out = {};
    if (o.netrcFile) {
        out.NETRC = o.netrcFile;
        const goauth = (o.baseEnv.GOAUTH ?? "").trim();
        if (goauth !== "" && goauth !== "off" && !goauth.split(";").some(c => c.trim() === "netrc")) {
            out.GOAUTH = `${goauth};netrc`;
        }
    }
    if (o.caBundleFile) {
        out.SSL_CERT_FILE = o.caBundleFile;
        out.GIT_SSL_CAINFO = o.caBundleFile;
    }
    Object.assign(out, gitTokenEnv(o.gitConfigFile, o.baseEnv));
    return out;
}

const CACHE_KEY_PREFIX = "go-tidy-guard";

function keyPart(s) {
    return s.replace(/[^A-Za-z0-9._+-]+/g, "_");
}

function cacheKeys(o) {
    const h = createHash("sha256");
    const files = [ ...o.files ].sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    for (const f of files) {
        h.update(`${f.path}\0${f.content.length}\0`);
        h.update(f.content);
    }
    const prefix = `${CACHE_KEY_PREFIX}-${keyPart(o.os)}-${keyPart(o.arch)}-go${keyPart(o.goVersion)}-`;
    return {
        key: prefix + h.digest("hex"),
        restoreKeys: [ prefix ]
    };
}

function cachePaths(gomodcache) {
    return [ join(gomodcache, "*"), "!" + join(gomodcache, "cache"), join(gomodcache, "cache", "download", "*"), "!" + join(gomodcache, "cache", "download", "sumdb") ];
}

function isPullRequestEvent(eventName) {
    return eventName === "pull_request" || eventName === "pull_request_target";
}

function neededFromGoSum(texts) {
    const needed = new Map;
    for (const text of texts) {
        for (const line of text.split(/\r?\n/)) {
            const f = line.trim().split(/\s+/);
            if (f.length !== 3 || !f[2].includes(":")) continue;
            const modOnly = f[1].endsWith("/go.mod");
            const version = modOnly ? f[1].slice(0, -"/go.mod".length) : f[1];
            const versions = needed.get(f[0]) ?? new Map;
            if (!modOnly) versions.set(version, "zip"); else if (!versions.has(version)) versions.set(version, "mod");
            needed.set(f[0], versions);
        }
    }
    return needed;
}

function readNeeded(moduleDirs) {
    const texts = [];
    for (const d of moduleDirs) {
        const file = join(d, "go.sum");
        if (existsSync(file)) texts.push(readFileSync(file, "utf8"));
    }
    return neededFromGoSum(texts);
}

function unescapeCachePath(s) {
    return s.replace(/!([a-z])/g, (_, c) => c.toUpperCase());
}

const DOWNLOAD_FILE = /^(.+)\.(zip|ziphash|mod|info|lock|partial)$/;

const ZIP_ONLY = new Set([ "zip", "ziphash", "partial" ]);

function pruneModuleCache(gomodcache, needed) {
    const removed = new Set;
    const stats = {
        removedVersions: 0,
        removedBytes: 0
    };
    const download = join(gomodcache, "cache", "download");
    for (const vdir of findDirs(download, (name, rel) => name === "@v" || rel === "" && name === "sumdb")) {
        if (!vdir.endsWith(`${sep}@v`)) continue;
        const modPath = unescapeCachePath(relative(download, vdir).split(sep).slice(0, -1).join("/"));
        pruneVersionDir(vdir, needed.get(modPath), (version, bytes) => {
            removed.add(`${modPath}@${version}`);
            stats.removedBytes += bytes;
        });
    }
    for (const dir of findDirs(gomodcache, (name, rel) => name.includes("@") || rel === "" && name === "cache")) {
        const rel = relative(gomodcache, dir).split(sep).join("/");
        const at = rel.lastIndexOf("@");
        if (at < 0 || rel.startsWith("cache/")) continue;
        const modPath = unescapeCachePath(rel.slice(0, at));
        const version = unescapeCachePath(rel.slice(at + 1));
        if (needed.get(modPath)?.get(version) === "zip") continue;
        stats.removedBytes += treeBytes(dir);
        removeTree(dir);
        removed.add(`${modPath}@${version}`);
    }
    removeEmptyDirs(gomodcache);
    stats.removedVersions = removed.size;
    return stats;
}

function pruneVersionDir(vdir, versions, onRemove) {
    const kept = new Set;
    for (const name of readdirSync(vdir)) {
        const m = DOWNLOAD_FILE.exec(name);
        if (!m) continue;
        const version = unescapeCachePath(m[1]);
        const need = versions?.get(version);
        if (need === "zip" || need === "mod" && !ZIP_ONLY.has(m[2])) {
            kept.add(m[1]);
            continue;
        }
        const file = join(vdir, name);
        const bytes = lstatSync(file).size;
        makeWritable(vdir);
        rmSync(file, {
            force: true
        });
        onRemove(version, bytes);
    }
    const list = join(vdir, "list");
    if (existsSync(list)) {
        const lines = readFileSync(list, "utf8").split("\n").filter(l => l.trim() !== "");
        const keep = lines.filter(v => kept.has(v.trim()));
        if (keep.length === 0) rmSync(list, {
            force: true
        }); else if (keep.length !== lines.length) writeFileSync(list, keep.map(v => v + "\n").join(""));
    }
    if (kept.size === 0) for (const f of readdirSync(vdir)) if (f === "list.lock") rmSync(join(vdir, f), {
        force: true
    });
}

function findDirs(root, stop) {
    const out = [];
    const walk = (dir, rel) => {
        let names;
        try {
            names = readdirSync(dir);
        } catch {
            return;
        }
        for (const name of names) {
            const p = join(dir, name);
            if (!lstatSync(p, {
                throwIfNoEntry: false
            })?.isDirectory()) continue;
            if (stop(name, rel)) out.push(p); else walk(p, rel === "" ? name : `${rel}/${name}`);
        }
    };
    walk(root, "");
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
        chmodSync(dir, 493);
    } catch {}
}

function removeTree(dir) {
    const st = lstatSync(dir, {
        throwIfNoEntry: false
    });
    if (!st) return;
    if (st.isDirectory()) {
        makeWritable(dir);
        for (const name of readdirSync(dir)) {
            if (lstatSync(join(dir, name)).isDirectory()) removeTree(join(dir, name));
        }
    }
    rmSync(dir, {
        recursive: true,
        force: true
    });
}

function removeEmptyDirs(gomodcache) {
    const sweep = dir => {
        let left = 0;
        for (const name of readdirSync(dir)) {
            const p = join(dir, name);
            const isDir = lstatSync(p).isDirectory();
            const gone = isDir && (name.includes("@") ? removeIfEmptyVersionDir(p, name) : sweep(p));
            if (!gone) left++;
        }
        if (left > 0) return false;
        rmdirSync(dir);
        return true;
    };
    const roots = [ ...subdirs(gomodcache).filter(n => n !== "cache").map(n => join(gomodcache, n)), ...subdirs(join(gomodcache, "cache", "download")).filter(n => n !== "sumdb").map(n => join(gomodcache, "cache", "download", n)) ];
    for (const r of roots) sweep(r);
}

function removeIfEmptyVersionDir(p, name) {
    if (name !== "@v" || readdirSync(p).length > 0) return false;
    rmdirSync(p);
    return true;
}

function subdirs(dir) {
    if (!existsSync(dir)) return [];
    return readdirSync(dir).filter(n => lstatSync(join(dir, n)).isDirectory());
}

function removeModules(gomodcache) {
    for (const name of existsSync(gomodcache) ? readdirSync(gomodcache) : []) {
        if (name !== "cache") removeTree(join(gomodcache, name));
    }
    const download = join(gomodcache, "cache", "download");
    for (const name of existsSync(download) ? readdirSync(download) : []) {
        if (name !== "sumdb") removeTree(join(download, name));
    }
}

const STATE_NAME = "gtg-cache";

const PASSED_STATE = "gtg-passed";

function recordStepPassed() {
    saveState(PASSED_STATE, "true");
}

function stepPassed() {
    return getState(PASSED_STATE) === "true";
}

function saveCacheState(s) {
    saveState(STATE_NAME, JSON.stringify(s));
}

function loadCacheState() {
    const raw = getState(STATE_NAME);
    if (!raw) return undefined;
    try {
        const s = JSON.parse(raw);
        return typeof s.gomodcache === "string" && typeof s.key === "string" && Array.isArray(s.modules) ? s : undefined;
    } catch {
        return undefined;
    }
}

function readKeyFiles(modules) {
    const out = [];
    for (const m of modules) {
        for (const name of [ "go.mod", "go.sum" ]) {
            const file = join(m.dir, name);
            if (existsSync(file)) out.push({
                path: workspacePath(m.rel, name),
                content: readFileSync(file)
            });
        }
    }
    return out;
}

function entries(dir) {
    try {
        return readdirSync(dir);
    } catch {
        return [];
    }
}

function holdsModules(gomodcache) {
    if (entries(gomodcache).some(e => e !== "cache")) return true;
    return entries(join(gomodcache, "cache", "download")).some(e => e !== "sumdb");
}

function downloadBytes(gomodcache) {
    const root = join(gomodcache, "cache", "download");
    let total = 0;
    const walk = dir => {
        for (const e of entries(dir)) {
            const p = join(dir, e);
            const st = lstatSync(p, {
                throwIfNoEntry: false
            });
            if (!st) continue;
            if (st.isDirectory()) walk(p); else total += st.size;
        }
    };
    for (const e of entries(root)) if (e !== "sumdb") walk(join(root, e));
    return total;
}

function cleanMessage(text) {
    return redact(text).replace(/(https?:\/\/[^\s?]+)\?\S*/g, "$1?\u2026").replace(/%0A|%0D|\r?\n/g, " ").replace(/%25/g, "%").trim();
}

const DEFAULTS = {
    stallMs: 1e4,
    restoreMs: 2 * 6e4,
    saveMs: 5 * 6e4
};

function cacheBounds(kind, given = {}) {
    const env = Number(process.env.GTG_CACHE_STALL_SECONDS);
    const stallMs = given.stallMs ?? (env > 0 ? env * 1e3 : DEFAULTS.stallMs);
    return {
        stallMs: stallMs,
        totalMs: given.totalMs ?? (kind === "restore" ? DEFAULTS.restoreMs : DEFAULTS.saveMs)
    };
}

const calls = new AsyncLocalStorage;

let subscribed = false;

async function callCacheLibrary(fn, o) {
    if (!subscribed) {
        subscribe("http.client.request.start", m => calls.getStore()?.onRequest(m.request));
        subscribed = true;
    }
    const log = watchLog(o.busyLine);
    const watch = new CallWatch(o, () => log.busy);
    const call = calls.run(watch, fn);
    try {
        const finished = call.then(value => ({
            value: value,
            failure: log.failure
        }));
        const outcome = await Promise.race([ finished, watch.abandoned ]);
        if (outcome.abandoned !== undefined) {
            log.quiet = true;
            await Promise.race([ call.catch(() => undefined), new Promise(resolve => setTimeout(resolve, UNWIND_MS)) ]);
        }
        return outcome;
    } finally {
        watch.stop();
        if (watch.reason) call.then(log.restore, log.restore); else log.restore();
    }
}

const UNWIND_MS = 500;

class CallWatch {
    o;
    busy;
    reason;
    pending;
    inflight=new Map;
    settle;
    abandoned=new Promise(resolve => this.settle = resolve);
    poll;
    total;
    constructor(o, busy) {
        this.o = o;
        this.busy = busy;
        this.poll = setInterval(() => this.check(), Math.max(10, Math.min(250, o.stallMs / 4)));
        this.total = setTimeout(() => this.abandon(`the cache service took longer than ${seconds(o.totalMs)}`), o.totalMs);
    }
    onRequest(req) {
        if (this.reason) return void setImmediate(() => req.destroy(abandonError(this.reason ?? "")));
        const t = {
            what: describe(req),
            since: Date.now(),
            bytes: 0,
            answered: false
        };
        this.inflight.set(req, t);
        req.once("response", () => t.answered = true);
        req.once("close", () => this.inflight.delete(req));
        if (this.pending) this.abandon(this.pending);
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
            } else if (now - t.since >= this.o.stallMs) {
                const how = t.answered ? "the cache service answered, then stopped sending" : "no answer from the cache service";
                return this.abandon(`${t.what} made no progress for ${seconds(this.o.stallMs)} (${how})`);
            }
        }
    }
    abandon(reason) {
        if (this.reason || this.busy()) return;
        if (this.inflight.size === 0) {
            this.pending = reason;
            return;
        }
        this.reason = reason;
        this.stop();
        for (const req of [ ...this.inflight.keys() ]) req.destroy(abandonError(reason));
        this.settle({
            abandoned: reason
        });
    }
}

function abandonError(reason) {
    return Object.assign(new Error(`abandoned by go-tidy-guard: ${reason}`), {
        code: "ECONNRESET"
    });
}

function describe(req) {
    const twirp = /\/twirp\/[^/?]+\/(\w+)/.exec(req.path);
    if (twirp) return twirp[1];
    if (req.method === "PUT") return "the archive upload";
    return req.method === "HEAD" ? "the archive size query" : "the archive download";
}

function seconds(ms) {
    return `${Number((ms / 1e3).toFixed(1))} s`;
}

const FAILURE_LINE = /^(?:::(warning|error)(?: [^:]*)?::)?(Failed to (?:restore|save): .*)$/m;

const LIBRARY_NOISE = /Failed to (?:restore|save): |Attempt \d+ of \d+ failed/;

function watchLog(busyLine) {
    const original = process.stdout.write;
    const state = {
        failure: undefined,
        busy: false,
        quiet: false,
        restore: () => {
            if (process.stdout.write === watcher) process.stdout.write = original;
        }
    };
    const watcher = function(chunk, ...rest) {
        const text = String(chunk);
        if (state.quiet && LIBRARY_NOISE.test(text)) {
            rest.find(r => typeof r === "function")?.();
            return true;
        }
        const m = state.failure ? null : FAILURE_LINE.exec(text);
        if (m) state.failure = {
            level: m[1] ?? "info",
            message: cleanMessage(m[2])
        };
        if (busyLine?.test(text)) state.busy = true;
        return original.call(this, chunk, ...rest);
    };
    process.stdout.write = watcher;
    return state;
}

function errorMessage(e) {
    return e instanceof Error ? e.message : String(e);
}

function formatBytes(n) {
    if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
    return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

function logUntrusted(text) {
    const safe = redact(text);
    let token = newToken();
    while (safe.toLowerCase().includes(token)) token = newToken();
    info(`::stop-commands::${token}`);
    info(safe);
    info(`::${token}::`);
}

function newToken() {
    return [ ...randomBytes(16) ].map(b => String.fromCharCode(97 + (b >> 4), 97 + (b & 15))).join("");
}

export { removeModules as A, downloadBytes as B, saveCacheState as C, removeGuardedCredentialFiles as D, formatBytes as E, logUntrusted as F, recordStepPassed as G, handOverCredentialFile as H, InputError as I, loadCacheState as J, pruneModuleCache as K, readNeeded as L, stepPassed as M, isPullRequestEvent as N, removeCredentialFile as O, addSecret as a, writeCaBundle as b, writeGitTokenConfig as c, credentialEnv as d, parseNetrc as e, redact as f, guardCredentialFile as g, netrcMachineFor as h, insideWorkspace as i, workspacePath as j, cleanMessage as k, loadCaInput as l, moduleOutsideWorkspace as m, netrcCredentialFor as n, errorMessage as o, privateHosts as p, cacheKeys as q, redactUrl as r, systemBundleFile as s, readKeyFiles as t, holdsModules as u, validateNetrc as v, writeNetrc as w, cachePaths as x, callCacheLibrary as y, cacheBounds as z };
