import { c as cleanMessage, e as errorMessage, x as loadCacheState, l as cacheBounds, t as logUntrusted, f as readKeyFiles, h as holdsModules, y as pruneModuleCache, z as readNeeded, o as downloadBytes, k as callCacheLibrary, j as cachePaths, q as formatBytes, A as stepPassed, B as isPullRequestEvent, d as cacheKeys, C as CREDENTIAL_STATE, D as removeCredentialFile } from './shared/log-safe.js';
import { a as warning, s as summary, l as info, m as getState } from './shared/core.js';
import 'node:v8';
import 'node:fs';
import 'node:crypto';
import 'node:path';
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

// Post step: prune and save the module cache. Fail-soft: nothing here throws or fails the step.
/** Saves the cache main restored; undefined when main saved no state (cache `false`, or main failed early). */
async function saveModuleCache(opts = {}) {
    const state = loadCacheState();
    if (!state)
        return undefined;
    try {
        return await save(state, cacheBounds('save', opts.bounds));
    }
    catch (e) {
        return { saved: false, key: state.key, reason: warn(`module cache not saved: ${cleanMessage(errorMessage(e))}`) };
    }
}
async function save(state, bounds) {
    const skip = skipReason(state);
    if (skip)
        return { saved: false, key: state.key, reason: skip };
    // Key from the go.mod/go.sum as tidy left them (fix mode may have changed them), so the next run's key matches.
    const files = readKeyFiles(state.modules);
    const key = files.length > 0 ? keyFor(state, files) : state.key;
    if (key === state.matchedKey)
        return { saved: false, key, reason: 'exact key hit: the cache is already saved' };
    if (!holdsModules(state.gomodcache))
        return { saved: false, key, reason: 'no modules in GOMODCACHE to save' };
    const cache = await import('./shared/service.js');
    if (!cache.isFeatureAvailable()) {
        return {
            saved: false,
            key,
            reason: warn('the Actions cache service is not available to the post step; module cache not saved')
        };
    }
    const started = Date.now();
    let pruned;
    try {
        pruned = pruneModuleCache(state.gomodcache, readNeeded(state.modules.map((m) => m.dir)));
    }
    catch (e) {
        // A partly pruned cache is still a valid cache: save it.
        warn(`module cache not fully pruned: ${cleanMessage(errorMessage(e))}`);
    }
    const sizeBytes = downloadBytes(state.gomodcache);
    const outcome = await callCacheLibrary(() => cache.saveCache(cachePaths(state.gomodcache), key), bounds);
    const durationMs = Date.now() - started;
    if (outcome.abandoned !== undefined) {
        const reason = warn(`module cache not saved: ${outcome.abandoned}`);
        return { saved: false, key, pruned, durationMs, reason, timedOut: true };
    }
    const { value: id, failure } = outcome;
    if (id === -1 || failure) {
        const why = failure?.message ?? 'the cache service did not accept the entry';
        // A save conflict is only logged as info by the library; everything else it already warned about.
        const reason = failure && failure.level !== 'info' ? why : warn(`module cache not saved: ${why}`);
        return { saved: false, key, pruned, durationMs, reason };
    }
    info(`Module cache saved with key ${key} (${formatBytes(sizeBytes)} of module downloads)`);
    return { saved: true, key, sizeBytes, durationMs, pruned };
}
function keyFor(state, files) {
    return cacheKeys({
        os: process.env.RUNNER_OS || process.platform,
        arch: process.env.RUNNER_ARCH || process.arch,
        goVersion: state.goVersion,
        files
    }).key;
}
function skipReason(state) {
    if (!stepPassed())
        return 'the step did not pass (failed, drifted or cancelled)';
    if (state.mode !== 'true')
        return '`cache: restore-only`';
    if (isPullRequestEvent(process.env.GITHUB_EVENT_NAME))
        return `pull request event (${process.env.GITHUB_EVENT_NAME}): restore only`;
    if (state.restore === 'skipped')
        return 'GOMODCACHE was filled by an earlier step, which owns saving it';
    if (state.noService)
        return 'no cache service';
    return undefined;
}
function warn(message) {
    warning(message);
    return message;
}
/** The post step: save, then one summary section. Never throws. */
async function runPost() {
    let report;
    try {
        report = await saveModuleCache();
        if (report)
            await writeSaveSummary(report);
    }
    catch (e) {
        warning(`module cache: ${cleanMessage(errorMessage(e))}`);
    }
    return report;
}
function saveSummaryLine(r) {
    const bits = [];
    if (r.saved) {
        bits.push(`saved: **yes**`, `key \`${r.key}\``);
        if (r.sizeBytes !== undefined)
            bits.push(`${formatBytes(r.sizeBytes)} of module downloads`);
        if (r.durationMs !== undefined)
            bits.push(`${(r.durationMs / 1000).toFixed(1)} s`);
    }
    else {
        bits.push(`saved: **no**`);
        if (r.reason)
            bits.push(r.reason);
    }
    if (r.pruned && r.pruned.removedVersions > 0) {
        bits.push(`pruned ${r.pruned.removedVersions} unused module version(s), ${formatBytes(r.pruned.removedBytes)}`);
    }
    return bits.join(' · ');
}
async function writeSaveSummary(r) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    try {
        await summary.addHeading('Module cache (post)', 3).addRaw(saveSummaryLine(r), true).write();
    }
    catch (e) {
        // Reporting is fail-soft: a warning. The message may quote paths, so it is printed as untrusted text.
        warning('job summary not written (see the log)');
        logUntrusted(`job summary not written: ${cleanMessage(errorMessage(e))}`);
    }
}

// Entry point of the post step (runs.post in action.yml, `post-if: always()`): deletes the credentials files, and saves the
// module cache when main passed (cache/save.ts). Caching is fail-soft, so this step never fails: every problem is
// a warning.
// A failed upload can surface as an uncaught exception from inside @actions/cache's dependencies (an aborted
// stream); it must not fail the step.
process.on('uncaughtException', (e) => warning(`module cache: ${cleanMessage(errorMessage(e))}`));
// The netrc file written for the `netrc` input lives until here when later steps got NETRC exported; post runs
// even after a failed or cancelled main, so it is never left behind.
for (const [state, what] of Object.entries(CREDENTIAL_STATE)) {
    await removeCredentialFile(getState(state)).catch((e) => warning(`could not delete the ${what}: ${cleanMessage(String(e))}`));
}
const report = await runPost();
// A cache service that never answered leaves a socket open that would keep the step alive until the job's timeout.
if (report?.timedOut)
    process.stdout.write('', () => process.exit(0));
