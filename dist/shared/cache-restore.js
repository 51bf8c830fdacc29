import { c as cleanMessage, j as cacheKeys, r as readKeyFiles, h as holdsModules, g as isFeatureAvailable, e as cachePaths, w as withTimeout, b as watchCacheLog, k as removeModules, d as downloadBytes, m as saveCacheState, n as restoreCache } from './cache-state.js';
import './core.js';
import 'os';
import 'crypto';
import 'fs';
import 'path';
import 'http';
import 'https';
import 'net';
import 'tls';
import 'events';
import 'assert';
import 'util';
import 'node:module';
import 'string_decoder';
import 'child_process';
import 'timers';
import './glob.js';
import 'stream';
import './index.js';
import 'url';
import 'node:stream';
import 'buffer';
import 'node:os';
import 'node:util';
import 'node:process';
import 'node:http';
import 'node:https';
import 'node:zlib';
import 'node:buffer';
import 'node:path';
import 'node:url';
import 'node:crypto';
import 'tty';
import 'node:fs';
import './redact.js';

// Main step: restore the module cache (runs concurrently with preflight). Fail-soft: it never throws; every
// outcome is a CacheReport for the summary, and the state the post step needs to save.
async function restoreModuleCache(o) {
    let report;
    try {
        report = await restore(o);
    }
    catch (e) {
        report = { restore: 'failed', note: `module cache not restored: ${cleanMessage(e instanceof Error ? e.message : String(e))}` };
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
    if (!isFeatureAvailable()) {
        state.noService = true;
        return done({ restore: 'failed', note: 'the Actions cache service is not available to this step; module cache not restored' });
    }
    const paths = cachePaths(o.gomodcache);
    const outcome = await withTimeout(watchCacheLog(() => restoreCache(paths, key, restoreKeys)), o.timeoutMs ?? 5 * 60_000);
    const durationMs = Date.now() - started;
    if (!outcome) {
        const s = Math.round((o.timeoutMs ?? 5 * 60_000) / 1000);
        return done({ restore: 'failed', durationMs, note: `the cache service did not answer within ${s} s; continuing without the module cache` });
    }
    const { value: matchedKey, failure } = outcome.value;
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

export { restoreModuleCache };
