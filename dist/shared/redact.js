import { t as setSecret } from './core.js';

// Secrets registry: every credential the action learns is masked for the runner (core.setSecret)
// and scrubbed from any text we print, summarise or output.
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
/** Registers the userinfo of a URL (user:password@) as secrets; returns the URL with it shown as `***`. */
function redactUrl(url) {
    const m = /^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@/i.exec(url);
    if (!m)
        return url;
    const userinfo = m[2];
    addSecret(userinfo);
    const colon = userinfo.indexOf(':');
    if (colon >= 0)
        addSecret(userinfo.slice(colon + 1));
    return m[1] + '***@' + url.slice(m[0].length);
}
/** Replaces every registered secret, and any URL userinfo, in free text. */
function redact(text) {
    let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^@/\s?#"'<>]*@/gi, '$1***@');
    for (const s of [...secrets].sort((a, b) => b.length - a.length))
        out = out.split(s).join('***');
    return out;
}

export { addSecret as a, redact as b, redactUrl as r };
