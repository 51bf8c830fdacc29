#!/usr/bin/env node
var re = {
    exports: {}
};

var constants;

var hasRequiredConstants;

function requireConstants() {
    if (hasRequiredConstants) return constants;
    hasRequiredConstants = 1;
    const SEMVER_SPEC_VERSION = "2.0.0";
    const MAX_LENGTH = 256;
    const MAX_SAFE_INTEGER = Number.MAX_SAFE_INTEGER || 9007199254740991;
    const MAX_SAFE_COMPONENT_LENGTH = 16;
    const MAX_SAFE_BUILD_LENGTH = MAX_LENGTH - 6;
    const WHITESPACE_CHARACTERS = [ "\t", "\n", "\v", "\f", "\r", " ", "\xa0", "\u1680", "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005", "\u2006", "\u2007", "\u2008", "\u2009", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff" ];
    const RELEASE_TYPES = [ "major", "premajor", "minor", "preminor", "patch", "prepatch", "prerelease" ];
    constants = {
        MAX_LENGTH: MAX_LENGTH,
        MAX_SAFE_COMPONENT_LENGTH: MAX_SAFE_COMPONENT_LENGTH,
        MAX_SAFE_BUILD_LENGTH: MAX_SAFE_BUILD_LENGTH,
        MAX_SAFE_INTEGER: MAX_SAFE_INTEGER,
        WHITESPACE_CHARACTERS: WHITESPACE_CHARACTERS,
        RELEASE_TYPES: RELEASE_TYPES,
        SEMVER_SPEC_VERSION: SEMVER_SPEC_VERSION,
        FLAG_INCLUDE_PRERELEASE: 1,
        FLAG_LOOSE: 2
    };
    return constants;
}

var debug_1;

var hasRequiredDebug;

function requireDebug() {
    if (hasRequiredDebug) return debug_1;
    hasRequiredDebug = 1;
    const debug = typeof process === "object" && process.env && process.env.NODE_DEBUG && /\bsemver\b/i.test(process.env.NODE_DEBUG) ? (...args) => console.error("SEMVER", ...args) : () => {};
    debug_1 = debug;
    return debug_1;
}

var hasRequiredRe;

function requireRe() {
    if (hasRequiredRe) return re.exports;
    hasRequiredRe = 1;
    (function(module, exports) {
        const {MAX_SAFE_COMPONENT_LENGTH: MAX_SAFE_COMPONENT_LENGTH, MAX_SAFE_BUILD_LENGTH: MAX_SAFE_BUILD_LENGTH, MAX_LENGTH: MAX_LENGTH} = requireConstants();
        const debug = requireDebug();
        exports = module.exports = {};
        const re = exports.re = [];
        const safeRe = exports.safeRe = [];
        const src = exports.src = [];
        const safeSrc = exports.safeSrc = [];
        const t = exports.t = {};
        let R = 0;
        const LETTERDASHNUMBER = "[a-zA-Z0-9-]";
        const safeRegexReplacements = [ [ "\\s", 1 ], [ "\\d", MAX_LENGTH ], [ LETTERDASHNUMBER, MAX_SAFE_BUILD_LENGTH ] ];
        const makeSafeRegex = value => {
            for (const [token, max] of safeRegexReplacements) {
                value = value.split(`${token}*`).join(`${token}{0,${max}}`).split(`${token}+`).join(`${token}{1,${max}}`);
            }
            return value;
        };
        const createToken = (name, value, isGlobal) => {
            const safe = makeSafeRegex(value);
            const index = R++;
            debug(name, index, value);
            t[name] = index;
            src[index] = value;
            safeSrc[index] = safe;
            re[index] = new RegExp(value, isGlobal ? "g" : undefined);
            safeRe[index] = new RegExp(safe, isGlobal ? "g" : undefined);
        };
        createToken("NUMERICIDENTIFIER", "0|[1-9]\\d*");
        createToken("NUMERICIDENTIFIERLOOSE", "\\d+");
        createToken("NONNUMERICIDENTIFIER", `\\d*[a-zA-Z-]${LETTERDASHNUMBER}*`);
        createToken("MAINVERSION", `(${src[t.NUMERICIDENTIFIER]})\\.` + `(${src[t.NUMERICIDENTIFIER]})\\.` + `(${src[t.NUMERICIDENTIFIER]})`);
        createToken("MAINVERSIONLOOSE", `(${src[t.NUMERICIDENTIFIERLOOSE]})\\.` + `(${src[t.NUMERICIDENTIFIERLOOSE]})\\.` + `(${src[t.NUMERICIDENTIFIERLOOSE]})`);
        createToken("PRERELEASEIDENTIFIER", `(?:${src[t.NONNUMERICIDENTIFIER]}|${src[t.NUMERICIDENTIFIER]})`);
        createToken("PRERELEASEIDENTIFIERLOOSE", `(?:${src[t.NONNUMERICIDENTIFIER]}|${src[t.NUMERICIDENTIFIERLOOSE]})`);
        createToken("PRERELEASE", `(?:-(${src[t.PRERELEASEIDENTIFIER]}(?:\\.${src[t.PRERELEASEIDENTIFIER]})*))`);
        createToken("PRERELEASELOOSE", `(?:-?(${src[t.PRERELEASEIDENTIFIERLOOSE]}(?:\\.${src[t.PRERELEASEIDENTIFIERLOOSE]})*))`);
        createToken("BUILDIDENTIFIER", `${LETTERDASHNUMBER}+`);
        createToken("BUILD", `(?:\\+(${src[t.BUILDIDENTIFIER]}(?:\\.${src[t.BUILDIDENTIFIER]})*))`);
        createToken("FULLPLAIN", `v?${src[t.MAINVERSION]}${src[t.PRERELEASE]}?${src[t.BUILD]}?`);
        createToken("FULL", `^${src[t.FULLPLAIN]}$`);
        createToken("LOOSEPLAIN", `[v=\\s]*${src[t.MAINVERSIONLOOSE]}${src[t.PRERELEASELOOSE]}?${src[t.BUILD]}?`);
        createToken("LOOSE", `^${src[t.LOOSEPLAIN]}$`);
        createToken("GTLT", "((?:<|>)?=?)");
        createToken("XRANGEIDENTIFIERLOOSE", `${src[t.NUMERICIDENTIFIERLOOSE]}|x|X|\\*`);
        createToken("XRANGEIDENTIFIER", `${src[t.NUMERICIDENTIFIER]}|x|X|\\*`);
        createToken("XRANGEPLAIN", `[v=\\s]*(${src[t.XRANGEIDENTIFIER]})` + `(?:\\.(${src[t.XRANGEIDENTIFIER]})` + `(?:\\.(${src[t.XRANGEIDENTIFIER]})` + `(?:${src[t.PRERELEASE]})?${src[t.BUILD]}?` + `)?)?`);
        createToken("XRANGEPLAINLOOSE", `[v=\\s]*(${src[t.XRANGEIDENTIFIERLOOSE]})` + `(?:\\.(${src[t.XRANGEIDENTIFIERLOOSE]})` + `(?:\\.(${src[t.XRANGEIDENTIFIERLOOSE]})` + `(?:${src[t.PRERELEASELOOSE]})?${src[t.BUILD]}?` + `)?)?`);
        createToken("XRANGE", `^${src[t.GTLT]}\\s*${src[t.XRANGEPLAIN]}$`);
        createToken("XRANGELOOSE", `^${src[t.GTLT]}\\s*${src[t.XRANGEPLAINLOOSE]}$`);
        createToken("COERCEPLAIN", `${"(^|[^\\d])" + "(\\d{1,"}${MAX_SAFE_COMPONENT_LENGTH}})` + `(?:\\.(\\d{1,${MAX_SAFE_COMPONENT_LENGTH}}))?` + `(?:\\.(\\d{1,${MAX_SAFE_COMPONENT_LENGTH}}))?`);
        createToken("COERCE", `${src[t.COERCEPLAIN]}(?:$|[^\\d])`);
        createToken("COERCEFULL", src[t.COERCEPLAIN] + `(?:${src[t.PRERELEASE]})?` + `(?:${src[t.BUILD]})?` + `(?:$|[^\\d])`);
        createToken("COERCERTL", src[t.COERCE], true);
        createToken("COERCERTLFULL", src[t.COERCEFULL], true);
        createToken("LONETILDE", "(?:~>?)");
        createToken("TILDETRIM", `(\\s*)${src[t.LONETILDE]}\\s+`, true);
        exports.tildeTrimReplace = "$1~";
        createToken("TILDE", `^${src[t.LONETILDE]}${src[t.XRANGEPLAIN]}$`);
        createToken("TILDELOOSE", `^${src[t.LONETILDE]}${src[t.XRANGEPLAINLOOSE]}$`);
        createToken("LONECARET", "(?:\\^)");
        createToken("CARETTRIM", `(\\s*)${src[t.LONECARET]}\\s+`, true);
        exports.caretTrimReplace = "$1^";
        createToken("CARET", `^${src[t.LONECARET]}${src[t.XRANGEPLAIN]}$`);
        createToken("CARETLOOSE", `^${src[t.LONECARET]}${src[t.XRANGEPLAINLOOSE]}$`);
        createToken("COMPARATORLOOSE", `^${src[t.GTLT]}\\s*(${src[t.LOOSEPLAIN]})$|^$`);
        createToken("COMPARATOR", `^${src[t.GTLT]}\\s*(${src[t.FULLPLAIN]})$|^$`);
        createToken("COMPARATORTRIM", `(\\s*)${src[t.GTLT]}\\s*(${src[t.LOOSEPLAIN]}|${src[t.XRANGEPLAIN]})`, true);
        exports.comparatorTrimReplace = "$1$2$3";
        createToken("HYPHENRANGE", `^\\s*(${src[t.XRANGEPLAIN]})` + `\\s+-\\s+` + `(${src[t.XRANGEPLAIN]})` + `\\s*$`);
        createToken("HYPHENRANGELOOSE", `^\\s*(${src[t.XRANGEPLAINLOOSE]})` + `\\s+-\\s+` + `(${src[t.XRANGEPLAINLOOSE]})` + `\\s*$`);
        createToken("STAR", "(<|>)?=?\\s*\\*");
        createToken("GTE0", "^\\s*>=\\s*0\\.0\\.0\\s*$");
        createToken("GTE0PRE", "^\\s*>=\\s*0\\.0\\.0-0\\s*$");
    })(re, re.exports);
    return re.exports;
}

var parseOptions_1;

var hasRequiredParseOptions;

function requireParseOptions() {
    if (hasRequiredParseOptions) return parseOptions_1;
    hasRequiredParseOptions = 1;
    const looseOption = Object.freeze({
        loose: true
    });
    const emptyOpts = Object.freeze({});
    const parseOptions = options => {
        if (!options) {
            return emptyOpts;
        }
        if (typeof options !== "object") {
            return looseOption;
        }
        return options;
    };
    parseOptions_1 = parseOptions;
    return parseOptions_1;
}

var identifiers;

var hasRequiredIdentifiers;

function requireIdentifiers() {
    if (hasRequiredIdentifiers) return identifiers;
    hasRequiredIdentifiers = 1;
    const numeric = /^[0-9]+$/;
    const compareIdentifiers = (a, b) => {
        if (typeof a === "number" && typeof b === "number") {
            return a === b ? 0 : a < b ? -1 : 1;
        }
        const anum = numeric.test(a);
        const bnum = numeric.test(b);
        if (anum && bnum) {
            a = +a;
            b = +b;
        }
        return a === b ? 0 : anum && !bnum ? -1 : bnum && !anum ? 1 : a < b ? -1 : 1;
    };
    const rcompareIdentifiers = (a, b) => compareIdentifiers(b, a);
    identifiers = {
        compareIdentifiers: compareIdentifiers,
        rcompareIdentifiers: rcompareIdentifiers
    };
    return identifiers;
}

var semver$1;

var hasRequiredSemver$1;

function requireSemver$1() {
    if (hasRequiredSemver$1) return semver$1;
    hasRequiredSemver$1 = 1;
    const debug = requireDebug();
    const {MAX_LENGTH: MAX_LENGTH, MAX_SAFE_INTEGER: MAX_SAFE_INTEGER} = requireConstants();
    const {safeRe: re, t: t} = requireRe();
    const parseOptions = requireParseOptions();
    const {compareIdentifiers: compareIdentifiers} = requireIdentifiers();
    const isPrereleaseIdentifier = (prerelease, identifier) => {
        const identifiers = identifier.split(".");
        if (identifiers.length > prerelease.length) {
            return false;
        }
        for (let i = 0; i < identifiers.length; i++) {
            if (compareIdentifiers(prerelease[i], identifiers[i]) !== 0) {
                return false;
            }
        }
        return true;
    };
    class SemVer {
        constructor(version, options) {
            options = parseOptions(options);
            if (version instanceof SemVer) {
                if (version.loose === !!options.loose && version.includePrerelease === !!options.includePrerelease) {
                    return version;
                } else {
                    version = version.version;
                }
            } else if (typeof version !== "string") {
                throw new TypeError(`Invalid version. Must be a string. Got type "${typeof version}".`);
            }
            if (version.length > MAX_LENGTH) {
                throw new TypeError(`version is longer than ${MAX_LENGTH} characters`);
            }
            debug("SemVer", version, options);
            this.options = options;
            this.loose = !!options.loose;
            this.includePrerelease = !!options.includePrerelease;
            const m = version.trim().match(options.loose ? re[t.LOOSE] : re[t.FULL]);
            if (!m) {
                throw new TypeError(`Invalid Version: ${version}`);
            }
            this.raw = version;
            this.major = +m[1];
            this.minor = +m[2];
            this.patch = +m[3];
            if (this.major > MAX_SAFE_INTEGER || this.major < 0) {
                throw new TypeError("Invalid major version");
            }
            if (this.minor > MAX_SAFE_INTEGER || this.minor < 0) {
                throw new TypeError("Invalid minor version");
            }
            if (this.patch > MAX_SAFE_INTEGER || this.patch < 0) {
                throw new TypeError("Invalid patch version");
            }
            if (!m[4]) {
                this.prerelease = [];
            } else {
                this.prerelease = m[4].split(".").map(id => {
                    if (/^[0-9]+$/.test(id)) {
                        const num = +id;
                        if (num >= 0 && num < MAX_SAFE_INTEGER) {
                            return num;
                        }
                    }
                    return id;
                });
            }
            this.build = m[5] ? m[5].split(".") : [];
            this.format();
        }
        format() {
            this.version = `${this.major}.${this.minor}.${this.patch}`;
            if (this.prerelease.length) {
                this.version += `-${this.prerelease.join(".")}`;
            }
            return this.version;
        }
        toString() {
            return this.version;
        }
        compare(other) {
            debug("SemVer.compare", this.version, this.options, other);
            if (!(other instanceof SemVer)) {
                if (typeof other === "string" && other === this.version) {
                    return 0;
                }
                other = new SemVer(other, this.options);
            }
            if (other.version === this.version) {
                return 0;
            }
            return this.compareMain(other) || this.comparePre(other);
        }
        compareMain(other) {
            if (!(other instanceof SemVer)) {
                other = new SemVer(other, this.options);
            }
            if (this.major < other.major) {
                return -1;
            }
            if (this.major > other.major) {
                return 1;
            }
            if (this.minor < other.minor) {
                return -1;
            }
            if (this.minor > other.minor) {
                return 1;
            }
            if (this.patch < other.patch) {
                return -1;
            }
            if (this.patch > other.patch) {
                return 1;
            }
            return 0;
        }
        comparePre(other) {
            if (!(other instanceof SemVer)) {
                other = new SemVer(other, this.options);
            }
            if (this.prerelease.length && !other.prerelease.length) {
                return -1;
            } else if (!this.prerelease.length && other.prerelease.length) {
                return 1;
            } else if (!this.prerelease.length && !other.prerelease.length) {
                return 0;
            }
            let i = 0;
            do {
                const a = this.prerelease[i];
                const b = other.prerelease[i];
                debug("prerelease compare", i, a, b);
                if (a === undefined && b === undefined) {
                    return 0;
                } else if (b === undefined) {
                    return 1;
                } else if (a === undefined) {
                    return -1;
                } else if (a === b) {
                    continue;
                } else {
                    return compareIdentifiers(a, b);
                }
            } while (++i);
        }
        compareBuild(other) {
            if (!(other instanceof SemVer)) {
                other = new SemVer(other, this.options);
            }
            let i = 0;
            do {
                const a = this.build[i];
                const b = other.build[i];
                debug("build compare", i, a, b);
                if (a === undefined && b === undefined) {
                    return 0;
                } else if (b === undefined) {
                    return 1;
                } else if (a === undefined) {
                    return -1;
                } else if (a === b) {
                    continue;
                } else {
                    return compareIdentifiers(a, b);
                }
            } while (++i);
        }
        inc(release, identifier, identifierBase) {
            if (release.startsWith("pre")) {
                if (!identifier && identifierBase === false) {
                    throw new Error("invalid increment argument: identifier is empty");
                }
                if (identifier) {
                    const match = `-${identifier}`.match(this.options.loose ? re[t.PRERELEASELOOSE] : re[t.PRERELEASE]);
                    if (!match || match[1] !== identifier) {
                        throw new Error(`invalid identifier: ${identifier}`);
                    }
                }
            }
            switch (release) {
              case "premajor":
                this.prerelease.length = 0;
                this.patch = 0;
                this.minor = 0;
                this.major++;
                this.inc("pre", identifier, identifierBase);
                break;

              case "preminor":
                this.prerelease.length = 0;
                this.patch = 0;
                this.minor++;
                this.inc("pre", identifier, identifierBase);
                break;

              case "prepatch":
                this.prerelease.length = 0;
                this.inc("patch", identifier, identifierBase);
                this.inc("pre", identifier, identifierBase);
                break;

              case "prerelease":
                if (this.prerelease.length === 0) {
                    this.inc("patch", identifier, identifierBase);
                }
                this.inc("pre", identifier, identifierBase);
                break;

              case "release":
                if (this.prerelease.length === 0) {
                    throw new Error(`version ${this.raw} is not a prerelease`);
                }
                this.prerelease.length = 0;
                break;

              case "major":
                if (this.minor !== 0 || this.patch !== 0 || this.prerelease.length === 0) {
                    this.major++;
                }
                this.minor = 0;
                this.patch = 0;
                this.prerelease = [];
                break;

              case "minor":
                if (this.patch !== 0 || this.prerelease.length === 0) {
                    this.minor++;
                }
                this.patch = 0;
                this.prerelease = [];
                break;

              case "patch":
                if (this.prerelease.length === 0) {
                    this.patch++;
                }
                this.prerelease = [];
                break;

              case "pre":
                {
                    const base = Number(identifierBase) ? 1 : 0;
                    if (this.prerelease.length === 0) {
                        this.prerelease = [ base ];
                    } else {
                        let i = this.prerelease.length;
                        while (--i >= 0) {
                            if (typeof this.prerelease[i] === "number") {
                                this.prerelease[i]++;
                                i = -2;
                            }
                        }
                        if (i === -1) {
                            if (identifier === this.prerelease.join(".") && identifierBase === false) {
                                throw new Error("invalid increment argument: identifier already exists");
                            }
                            this.prerelease.push(base);
                        }
                    }
                    if (identifier) {
                        let prerelease = [ identifier, base ];
                        if (identifierBase === false) {
                            prerelease = [ identifier ];
                        }
                        if (isPrereleaseIdentifier(this.prerelease, identifier)) {
                            const prereleaseBase = this.prerelease[identifier.split(".").length];
                            if (isNaN(prereleaseBase)) {
                                this.prerelease = prerelease;
                            }
                        } else {
                            this.prerelease = prerelease;
                        }
                    }
                    break;
                }

              default:
                throw new Error(`invalid increment argument: ${release}`);
            }
            this.raw = this.format();
            if (this.build.length) {
                this.raw += `+${this.build.join(".")}`;
            }
            return this;
        }
    }
    semver$1 = SemVer;
    return semver$1;
}

var parse_1;

var hasRequiredParse;

function requireParse() {
    if (hasRequiredParse) return parse_1;
    hasRequiredParse = 1;
    const SemVer = requireSemver$1();
    const parse = (version, options, throwErrors = false) => {
        if (version instanceof SemVer) {
            return version;
        }
        try {
            return new SemVer(version, options);
        } catch (er) {
            if (!throwErrors) {
                return null;
            }
            throw er;
        }
    };
    parse_1 = parse;
    return parse_1;
}

var valid_1;

var hasRequiredValid$1;

function requireValid$1() {
    if (hasRequiredValid$1) return valid_1;
    hasRequiredValid$1 = 1;
    const parse = requireParse();
    const valid = (version, options) => {
        const v = parse(version, options);
        return v ? v.version : null;
    };
    valid_1 = valid;
    return valid_1;
}

var clean_1;

var hasRequiredClean;

function requireClean() {
    if (hasRequiredClean) return clean_1;
    hasRequiredClean = 1;
    const parse = requireParse();
    const clean = (version, options) => {
        const s = parse(version.trim().replace(/^[=v]+/, ""), options);
        return s ? s.version : null;
    };
    clean_1 = clean;
    return clean_1;
}

var inc_1;

var hasRequiredInc;

function requireInc() {
    if (hasRequiredInc) return inc_1;
    hasRequiredInc = 1;
    const SemVer = requireSemver$1();
    const inc = (version, release, options, identifier, identifierBase) => {
        if (typeof options === "string") {
            identifierBase = identifier;
            identifier = options;
            options = undefined;
        }
        try {
            return new SemVer(version instanceof SemVer ? version.version : version, options).inc(release, identifier, identifierBase).version;
        } catch (er) {
            return null;
        }
    };
    inc_1 = inc;
    return inc_1;
}

var diff_1;

var hasRequiredDiff;

function requireDiff() {
    if (hasRequiredDiff) return diff_1;
    hasRequiredDiff = 1;
    const parse = requireParse();
    const diff = (version1, version2) => {
        const v1 = parse(version1, null, true);
        const v2 = parse(version2, null, true);
        const comparison = v1.compare(v2);
        if (comparison === 0) {
            return null;
        }
        const v1Higher = comparison > 0;
        const highVersion = v1Higher ? v1 : v2;
        const lowVersion = v1Higher ? v2 : v1;
        const highHasPre = !!highVersion.prerelease.length;
        const lowHasPre = !!lowVersion.prerelease.length;
        if (lowHasPre && !highHasPre) {
            if (!lowVersion.patch && !lowVersion.minor) {
                return "major";
            }
            if (lowVersion.compareMain(highVersion) === 0) {
                if (lowVersion.minor && !lowVersion.patch) {
                    return "minor";
                }
                return "patch";
            }
        }
        const prefix = highHasPre ? "pre" : "";
        if (v1.major !== v2.major) {
            return prefix + "major";
        }
        if (v1.minor !== v2.minor) {
            return prefix + "minor";
        }
        if (v1.patch !== v2.patch) {
            return prefix + "patch";
        }
        return "prerelease";
    };
    diff_1 = diff;
    return diff_1;
}

var major_1;

var hasRequiredMajor;

function requireMajor() {
    if (hasRequiredMajor) return major_1;
    hasRequiredMajor = 1;
    const SemVer = requireSemver$1();
    const major = (a, loose) => new SemVer(a, loose).major;
    major_1 = major;
    return major_1;
}

var minor_1;

var hasRequiredMinor;

function requireMinor() {
    if (hasRequiredMinor) return minor_1;
    hasRequiredMinor = 1;
    const SemVer = requireSemver$1();
    const minor = (a, loose) => new SemVer(a, loose).minor;
    minor_1 = minor;
    return minor_1;
}

var patch_1;

var hasRequiredPatch;

function requirePatch() {
    if (hasRequiredPatch) return patch_1;
    hasRequiredPatch = 1;
    const SemVer = requireSemver$1();
    const patch = (a, loose) => new SemVer(a, loose).patch;
    patch_1 = patch;
    return patch_1;
}

var prerelease_1;

var hasRequiredPrerelease;

function requirePrerelease() {
    if (hasRequiredPrerelease) return prerelease_1;
    hasRequiredPrerelease = 1;
    const parse = requireParse();
    const prerelease = (version, options) => {
        const parsed = parse(version, options);
        return parsed && parsed.prerelease.length ? parsed.prerelease : null;
    };
    prerelease_1 = prerelease;
    return prerelease_1;
}

var compare_1;

var hasRequiredCompare;

function requireCompare() {
    if (hasRequiredCompare) return compare_1;
    hasRequiredCompare = 1;
    const SemVer = requireSemver$1();
    const compare = (a, b, loose) => new SemVer(a, loose).compare(new SemVer(b, loose));
    compare_1 = compare;
    return compare_1;
}

var rcompare_1;

var hasRequiredRcompare;

function requireRcompare() {
    if (hasRequiredRcompare) return rcompare_1;
    hasRequiredRcompare = 1;
    const compare = requireCompare();
    const rcompare = (a, b, loose) => compare(b, a, loose);
    rcompare_1 = rcompare;
    return rcompare_1;
}

var compareLoose_1;

var hasRequiredCompareLoose;

function requireCompareLoose() {
    if (hasRequiredCompareLoose) return compareLoose_1;
    hasRequiredCompareLoose = 1;
    const compare = requireCompare();
    const compareLoose = (a, b) => compare(a, b, true);
    compareLoose_1 = compareLoose;
    return compareLoose_1;
}

var compareBuild_1;

var hasRequiredCompareBuild;

function requireCompareBuild() {
    if (hasRequiredCompareBuild) return compareBuild_1;
    hasRequiredCompareBuild = 1;
    const SemVer = requireSemver$1();
    const compareBuild = (a, b, loose) => {
        const versionA = new SemVer(a, loose);
        const versionB = new SemVer(b, loose);
        return versionA.compare(versionB) || versionA.compareBuild(versionB);
    };
    compareBuild_1 = compareBuild;
    return compareBuild_1;
}

var sort_1;

var hasRequiredSort;

function requireSort() {
    if (hasRequiredSort) return sort_1;
    hasRequiredSort = 1;
    const compareBuild = requireCompareBuild();
    const sort = (list, loose) => list.sort((a, b) => compareBuild(a, b, loose));
    sort_1 = sort;
    return sort_1;
}

var rsort_1;

var hasRequiredRsort;

function requireRsort() {
    if (hasRequiredRsort) return rsort_1;
    hasRequiredRsort = 1;
    const compareBuild = requireCompareBuild();
    const rsort = (list, loose) => list.sort((a, b) => compareBuild(b, a, loose));
    rsort_1 = rsort;
    return rsort_1;
}

var gt_1;

var hasRequiredGt;

function requireGt() {
    if (hasRequiredGt) return gt_1;
    hasRequiredGt = 1;
    const compare = requireCompare();
    const gt = (a, b, loose) => compare(a, b, loose) > 0;
    gt_1 = gt;
    return gt_1;
}

var lt_1;

var hasRequiredLt;

function requireLt() {
    if (hasRequiredLt) return lt_1;
    hasRequiredLt = 1;
    const compare = requireCompare();
    const lt = (a, b, loose) => compare(a, b, loose) < 0;
    lt_1 = lt;
    return lt_1;
}

var eq_1;

var hasRequiredEq;

function requireEq() {
    if (hasRequiredEq) return eq_1;
    hasRequiredEq = 1;
    const compare = requireCompare();
    const eq = (a, b, loose) => compare(a, b, loose) === 0;
    eq_1 = eq;
    return eq_1;
}

var neq_1;

var hasRequiredNeq;

function requireNeq() {
    if (hasRequiredNeq) return neq_1;
    hasRequiredNeq = 1;
    const compare = requireCompare();
    const neq = (a, b, loose) => compare(a, b, loose) !== 0;
    neq_1 = neq;
    return neq_1;
}

var gte_1;

var hasRequiredGte;

function requireGte() {
    if (hasRequiredGte) return gte_1;
    hasRequiredGte = 1;
    const compare = requireCompare();
    const gte = (a, b, loose) => compare(a, b, loose) >= 0;
    gte_1 = gte;
    return gte_1;
}

var lte_1;

var hasRequiredLte;

function requireLte() {
    if (hasRequiredLte) return lte_1;
    hasRequiredLte = 1;
    const compare = requireCompare();
    const lte = (a, b, loose) => compare(a, b, loose) <= 0;
    lte_1 = lte;
    return lte_1;
}

var cmp_1;

var hasRequiredCmp;

function requireCmp() {
    if (hasRequiredCmp) return cmp_1;
    hasRequiredCmp = 1;
    const eq = requireEq();
    const neq = requireNeq();
    const gt = requireGt();
    const gte = requireGte();
    const lt = requireLt();
    const lte = requireLte();
    const cmp = (a, op, b, loose) => {
        switch (op) {
          case "===":
            if (typeof a === "object") {
                a = a.version;
            }
            if (typeof b === "object") {
                b = b.version;
            }
            return a === b;

          case "!==":
            if (typeof a === "object") {
                a = a.version;
            }
            if (typeof b === "object") {
                b = b.version;
            }
            return a !== b;

          case "":
          case "=":
          case "==":
            return eq(a, b, loose);

          case "!=":
            return neq(a, b, loose);

          case ">":
            return gt(a, b, loose);

          case ">=":
            return gte(a, b, loose);

          case "<":
            return lt(a, b, loose);

          case "<=":
            return lte(a, b, loose);

          default:
            throw new TypeError(`Invalid operator: ${op}`);
        }
    };
    cmp_1 = cmp;
    return cmp_1;
}

var coerce_1;

var hasRequiredCoerce;

function requireCoerce() {
    if (hasRequiredCoerce) return coerce_1;
    hasRequiredCoerce = 1;
    const SemVer = requireSemver$1();
    const parse = requireParse();
    const {safeRe: re, t: t} = requireRe();
    const coerce = (version, options) => {
        if (version instanceof SemVer) {
            return version;
        }
        if (typeof version === "number") {
            version = String(version);
        }
        if (typeof version !== "string") {
            return null;
        }
        options = options || {};
        let match = null;
        if (!options.rtl) {
            match = version.match(options.includePrerelease ? re[t.COERCEFULL] : re[t.COERCE]);
        } else {
            const coerceRtlRegex = options.includePrerelease ? re[t.COERCERTLFULL] : re[t.COERCERTL];
            let next;
            while ((next = coerceRtlRegex.exec(version)) && (!match || match.index + match[0].length !== version.length)) {
                if (!match || next.index + next[0].length !== match.index + match[0].length) {
                    match = next;
                }
                coerceRtlRegex.lastIndex = next.index + next[1].length + next[2].length;
            }
            coerceRtlRegex.lastIndex = -1;
        }
        if (match === null) {
            return null;
        }
        const major = match[2];
        const minor = match[3] || "0";
        const patch = match[4] || "0";
        const prerelease = options.includePrerelease && match[5] ? `-${match[5]}` : "";
        const build = options.includePrerelease && match[6] ? `+${match[6]}` : "";
        return parse(`${major}.${minor}.${patch}${prerelease}${build}`, options);
    };
    coerce_1 = coerce;
    return coerce_1;
}

var truncate_1;

var hasRequiredTruncate;

function requireTruncate() {
    if (hasRequiredTruncate) return truncate_1;
    hasRequiredTruncate = 1;
    const parse = requireParse();
    const constants = requireConstants();
    const SemVer = requireSemver$1();
    const truncate = (version, truncation, options) => {
        if (!constants.RELEASE_TYPES.includes(truncation)) {
            return null;
        }
        const clonedVersion = cloneInputVersion(version, options);
        return clonedVersion && doTruncation(clonedVersion, truncation);
    };
    const cloneInputVersion = (version, options) => {
        const versionStringToParse = version instanceof SemVer ? version.version : version;
        return parse(versionStringToParse, options);
    };
    const doTruncation = (version, truncation) => {
        if (isPrerelease(truncation)) {
            return version.version;
        }
        version.prerelease = [];
        switch (truncation) {
          case "major":
            version.minor = 0;
            version.patch = 0;
            break;

          case "minor":
            version.patch = 0;
            break;
        }
        return version.format();
    };
    const isPrerelease = type => type.startsWith("pre");
    truncate_1 = truncate;
    return truncate_1;
}

var lrucache;

var hasRequiredLrucache;

function requireLrucache() {
    if (hasRequiredLrucache) return lrucache;
    hasRequiredLrucache = 1;
    class LRUCache {
        constructor() {
            this.max = 1e3;
            this.map = new Map;
        }
        get(key) {
            const value = this.map.get(key);
            if (value === undefined) {
                return undefined;
            } else {
                this.map.delete(key);
                this.map.set(key, value);
                return value;
            }
        }
        delete(key) {
            return this.map.delete(key);
        }
        set(key, value) {
            const deleted = this.delete(key);
            if (!deleted && value !== undefined) {
                if (this.map.size >= this.max) {
                    const firstKey = this.map.keys().next().value;
                    this.delete(firstKey);
                }
                this.map.set(key, value);
            }
            return this;
        }
    }
    lrucache = LRUCache;
    return lrucache;
}

var trimComparatorWhitespace_1;

var hasRequiredTrimComparatorWhitespace;

function requireTrimComparatorWhitespace() {
    if (hasRequiredTrimComparatorWhitespace) return trimComparatorWhitespace_1;
    hasRequiredTrimComparatorWhitespace = 1;
    const {MAX_LENGTH: MAX_LENGTH, MAX_SAFE_BUILD_LENGTH: MAX_SAFE_BUILD_LENGTH, WHITESPACE_CHARACTERS: WHITESPACE_CHARACTERS} = requireConstants();
    const whitespace = new Uint8Array(65536);
    for (const char of WHITESPACE_CHARACTERS) {
        whitespace[char.charCodeAt(0)] = 1;
    }
    const isWhitespace = char => char !== undefined && whitespace[char.charCodeAt(0)] === 1;
    const isVersionPrefix = char => char === "v" || char === "=" || isWhitespace(char);
    const isDigit = char => char !== undefined && char >= "0" && char <= "9";
    const isLetter = char => char !== undefined && (char >= "a" && char <= "z" || char >= "A" && char <= "Z");
    const isIdentifierCharacter = char => isDigit(char) || isLetter(char) || char === "-";
    const isVersionStart = char => isDigit(char) || char === "x" || char === "X" || char === "*";
    const findDigitsEndIndex = (range, start, limit, digitRuns) => {
        if (!isDigit(range[start])) {
            return start;
        }
        if (start >= digitRuns.start && start < digitRuns.end) {
            return Math.min(start + limit, digitRuns.end);
        }
        if (start >= digitRuns.previousStart && start < digitRuns.previousEnd) {
            return Math.min(start + limit, digitRuns.previousEnd);
        }
        let end = start + 1;
        while (isDigit(range[end])) {
            end++;
        }
        digitRuns.previousStart = digitRuns.start;
        digitRuns.previousEnd = digitRuns.end;
        digitRuns.start = start;
        digitRuns.end = end;
        return Math.min(start + limit, end);
    };
    const findVersionNumberEndIndex = (range, start, loose, digitRuns) => {
        if (!loose && range[start] === "0") {
            return start + 1;
        }
        return findDigitsEndIndex(range, start, loose ? MAX_LENGTH : MAX_LENGTH + 1, digitRuns);
    };
    const findPrereleaseIdentifierEndIndex = (range, start, loose, digitRuns) => {
        const digitsEnd = findDigitsEndIndex(range, start, MAX_LENGTH, digitRuns);
        if (isLetter(range[digitsEnd]) || range[digitsEnd] === "-") {
            let end = digitsEnd + 1;
            const limit = end + MAX_SAFE_BUILD_LENGTH;
            while (end < limit && isIdentifierCharacter(range[end])) {
                end++;
            }
            return end;
        }
        return findVersionNumberEndIndex(range, start, loose, digitRuns);
    };
    const findPrereleaseEndIndex = (range, start, loose, digitRuns) => {
        const hyphen = range[start] === "-";
        if (!loose && !hyphen) {
            return start;
        }
        const identifierStart = start + (hyphen ? 1 : 0);
        let end = findPrereleaseIdentifierEndIndex(range, identifierStart, loose, digitRuns);
        if (end === identifierStart) {
            if (!loose || !hyphen) {
                return start;
            }
            end = findPrereleaseIdentifierEndIndex(range, start, loose, digitRuns);
        }
        while (range[end] === ".") {
            const next = findPrereleaseIdentifierEndIndex(range, end + 1, loose, digitRuns);
            if (next === end + 1) {
                break;
            }
            end = next;
        }
        return end;
    };
    const findBuildIdentifierEndIndex = (range, start) => {
        let end = start;
        while (end - start < MAX_SAFE_BUILD_LENGTH && isIdentifierCharacter(range[end])) {
            end++;
        }
        return end;
    };
    const findBuildEndIndex = (range, start) => {
        if (range[start] !== "+") {
            return start;
        }
        let end = findBuildIdentifierEndIndex(range, start + 1);
        if (end === start + 1) {
            return start;
        }
        while (range[end] === ".") {
            const next = findBuildIdentifierEndIndex(range, end + 1);
            if (next === end + 1) {
                break;
            }
            end = next;
        }
        return end;
    };
    const findLooseFullVersionEndIndex = (range, start, digitRuns) => {
        let end = start;
        for (let component = 0; component < 3; component++) {
            const next = findVersionNumberEndIndex(range, end, true, digitRuns);
            if (next === end) {
                return start;
            }
            end = next;
            if (component < 2) {
                if (range[end] !== ".") {
                    return start;
                }
                end++;
            }
        }
        const prereleaseEnd = findPrereleaseEndIndex(range, end, true, digitRuns);
        return findBuildEndIndex(range, prereleaseEnd);
    };
    const findPartialVersionComponentEndIndex = (range, start, digitRuns) => {
        if (isDigit(range[start])) {
            return findVersionNumberEndIndex(range, start, false, digitRuns);
        }
        return isVersionStart(range[start]) ? start + 1 : start;
    };
    const findPartialVersionEndIndex = (range, start, digitRuns) => {
        let end = findPartialVersionComponentEndIndex(range, start, digitRuns);
        for (let component = 0; component < 2; component++) {
            if (range[end] !== ".") {
                return end;
            }
            const next = findPartialVersionComponentEndIndex(range, end + 1, digitRuns);
            if (next === end + 1) {
                return end;
            }
            end = next;
        }
        const prereleaseEnd = findPrereleaseEndIndex(range, end, false, digitRuns);
        return findBuildEndIndex(range, prereleaseEnd);
    };
    const findVersionEndIndex = (range, start, digitRuns) => {
        const fullVersionEnd = findLooseFullVersionEndIndex(range, start, digitRuns);
        return fullVersionEnd !== start ? fullVersionEnd : findPartialVersionEndIndex(range, start, digitRuns);
    };
    const findRemovableWhitespaceIndex = (range, matchStart) => {
        let position = matchStart;
        if (isWhitespace(range[position])) {
            position++;
        }
        if (range[position] === "<" || range[position] === ">") {
            position++;
        }
        if (range[position] === "=") {
            position++;
        }
        return isWhitespace(range[position]) ? position : -1;
    };
    const trimComparatorWhitespace = range => {
        let result = "";
        let copyFrom = 0;
        let cursor = 0;
        const digitRuns = {
            start: -1,
            end: -1,
            previousStart: -1,
            previousEnd: -1
        };
        while (cursor < range.length) {
            const matchStart = cursor;
            if (range[cursor] === "<" || range[cursor] === ">") {
                cursor++;
            } else if (!isVersionPrefix(range[cursor]) && !isVersionStart(range[cursor])) {
                cursor++;
                continue;
            }
            while (cursor < range.length && isVersionPrefix(range[cursor])) {
                cursor++;
            }
            if (!isVersionStart(range[cursor])) {
                continue;
            }
            const whitespacePosition = findRemovableWhitespaceIndex(range, matchStart);
            if (whitespacePosition !== -1) {
                result += range.slice(copyFrom, whitespacePosition);
                copyFrom = whitespacePosition + 1;
            }
            cursor = findVersionEndIndex(range, cursor, digitRuns);
        }
        return result + range.slice(copyFrom);
    };
    trimComparatorWhitespace_1 = trimComparatorWhitespace;
    return trimComparatorWhitespace_1;
}

var range;

var hasRequiredRange;

function requireRange() {
    if (hasRequiredRange) return range;
    hasRequiredRange = 1;
    const SPACE_CHARACTERS = /\s+/g;
    class Range {
        constructor(range, options) {
            options = parseOptions(options);
            if (range instanceof Range) {
                if (range.loose === !!options.loose && range.includePrerelease === !!options.includePrerelease) {
                    return range;
                } else {
                    return new Range(range.raw, options);
                }
            }
            if (range instanceof Comparator) {
                this.raw = range.value;
                this.set = [ [ range ] ];
                this.formatted = undefined;
                return this;
            }
            this.options = options;
            this.loose = !!options.loose;
            this.includePrerelease = !!options.includePrerelease;
            this.raw = range.trim().replace(SPACE_CHARACTERS, " ");
            this.set = this.raw.split("||").map(r => this.parseRange(r.trim())).filter(c => c.length);
            if (!this.set.length) {
                throw new TypeError(`Invalid SemVer Range: ${this.raw}`);
            }
            if (this.set.length > 1) {
                const first = this.set[0];
                this.set = this.set.filter(c => !isNullSet(c[0]));
                if (this.set.length === 0) {
                    this.set = [ first ];
                } else if (this.set.length > 1) {
                    for (const c of this.set) {
                        if (c.length === 1 && isAny(c[0])) {
                            this.set = [ c ];
                            break;
                        }
                    }
                }
            }
            this.formatted = undefined;
        }
        get range() {
            if (this.formatted === undefined) {
                this.formatted = "";
                for (let i = 0; i < this.set.length; i++) {
                    if (i > 0) {
                        this.formatted += "||";
                    }
                    const comps = this.set[i];
                    for (let k = 0; k < comps.length; k++) {
                        if (k > 0) {
                            this.formatted += " ";
                        }
                        this.formatted += comps[k].toString().trim();
                    }
                }
            }
            return this.formatted;
        }
        format() {
            return this.range;
        }
        toString() {
            return this.range;
        }
        parseRange(range) {
            range = range.replace(BUILDSTRIPRE, "");
            const memoOpts = (this.options.includePrerelease && FLAG_INCLUDE_PRERELEASE) | (this.options.loose && FLAG_LOOSE);
            const memoKey = memoOpts + ":" + range;
            const cached = cache.get(memoKey);
            if (cached) {
                return cached;
            }
            const loose = this.options.loose;
            const hr = loose ? re[t.HYPHENRANGELOOSE] : re[t.HYPHENRANGE];
            range = range.replace(hr, hyphenReplace(this.options.includePrerelease));
            debug("hyphen replace", range);
            range = trimComparatorWhitespace(range);
            debug("comparator trim", range);
            range = range.replace(re[t.TILDETRIM], tildeTrimReplace);
            debug("tilde trim", range);
            range = range.replace(re[t.CARETTRIM], caretTrimReplace);
            debug("caret trim", range);
            let rangeList = range.split(" ").map(comp => parseComparator(comp, this.options)).join(" ").split(/\s+/).map(comp => replaceGTE0(comp, this.options));
            if (loose) {
                rangeList = rangeList.filter(comp => {
                    debug("loose invalid filter", comp, this.options);
                    return !!comp.match(re[t.COMPARATORLOOSE]);
                });
            }
            debug("range list", rangeList);
            const rangeMap = new Map;
            const comparators = rangeList.map(comp => new Comparator(comp, this.options));
            for (const comp of comparators) {
                if (isNullSet(comp)) {
                    return [ comp ];
                }
                rangeMap.set(comp.value, comp);
            }
            if (rangeMap.size > 1 && rangeMap.has("")) {
                rangeMap.delete("");
            }
            const result = [ ...rangeMap.values() ];
            cache.set(memoKey, result);
            return result;
        }
        intersects(range, options) {
            if (!(range instanceof Range)) {
                throw new TypeError("a Range is required");
            }
            return this.set.some(thisComparators => isSatisfiable(thisComparators, options) && range.set.some(rangeComparators => isSatisfiable(rangeComparators, options) && thisComparators.every(thisComparator => rangeComparators.every(rangeComparator => thisComparator.intersects(rangeComparator, options)))));
        }
        test(version) {
            if (!version) {
                return false;
            }
            if (typeof version === "string") {
                try {
                    version = new SemVer(version, this.options);
                } catch (er) {
                    return false;
                }
            }
            for (let i = 0; i < this.set.length; i++) {
                if (testSet(this.set[i], version, this.options)) {
                    return true;
                }
            }
            return false;
        }
    }
    range = Range;
    const LRU = requireLrucache();
    const cache = new LRU;
    const parseOptions = requireParseOptions();
    const Comparator = requireComparator();
    const debug = requireDebug();
    const SemVer = requireSemver$1();
    const trimComparatorWhitespace = requireTrimComparatorWhitespace();
    const {safeRe: re, src: src, t: t, tildeTrimReplace: tildeTrimReplace, caretTrimReplace: caretTrimReplace} = requireRe();
    const {FLAG_INCLUDE_PRERELEASE: FLAG_INCLUDE_PRERELEASE, FLAG_LOOSE: FLAG_LOOSE} = requireConstants();
    const BUILDSTRIPRE = new RegExp(src[t.BUILD], "g");
    const isNullSet = c => c.value === "<0.0.0-0";
    const isAny = c => c.value === "";
    const isSatisfiable = (comparators, options) => {
        let result = true;
        const remainingComparators = comparators.slice();
        let testComparator = remainingComparators.pop();
        while (result && remainingComparators.length) {
            result = remainingComparators.every(otherComparator => testComparator.intersects(otherComparator, options));
            testComparator = remainingComparators.pop();
        }
        return result;
    };
    const parseComparator = (comp, options) => {
        comp = comp.replace(re[t.BUILD], "");
        debug("comp", comp, options);
        comp = replaceCarets(comp, options);
        debug("caret", comp);
        comp = replaceTildes(comp, options);
        debug("tildes", comp);
        comp = replaceXRanges(comp, options);
        debug("xrange", comp);
        comp = replaceStars(comp, options);
        debug("stars", comp);
        return comp;
    };
    const isX = id => !id || id.toLowerCase() === "x" || id === "*";
    const invalidXRangeOrder = (M, m, p) => isX(M) && !isX(m) || isX(m) && p && !isX(p);
    const replaceTildes = (comp, options) => comp.trim().split(/\s+/).map(c => replaceTilde(c, options)).join(" ");
    const replaceTilde = (comp, options) => {
        const r = options.loose ? re[t.TILDELOOSE] : re[t.TILDE];
        const z = options.includePrerelease ? "-0" : "";
        return comp.replace(r, (_, M, m, p, pr) => {
            debug("tilde", comp, _, M, m, p, pr);
            let ret;
            if (isX(M)) {
                ret = "";
            } else if (isX(m)) {
                ret = `>=${M}.0.0${z} <${+M + 1}.0.0-0`;
            } else if (isX(p)) {
                ret = `>=${M}.${m}.0${z} <${M}.${+m + 1}.0-0`;
            } else if (pr) {
                debug("replaceTilde pr", pr);
                ret = `>=${M}.${m}.${p}-${pr} <${M}.${+m + 1}.0-0`;
            } else {
                ret = `>=${M}.${m}.${p} <${M}.${+m + 1}.0-0`;
            }
            debug("tilde return", ret);
            return ret;
        });
    };
    const replaceCarets = (comp, options) => comp.trim().split(/\s+/).map(c => replaceCaret(c, options)).join(" ");
    const replaceCaret = (comp, options) => {
        debug("caret", comp, options);
        const r = options.loose ? re[t.CARETLOOSE] : re[t.CARET];
        const z = options.includePrerelease ? "-0" : "";
        return comp.replace(r, (_, M, m, p, pr) => {
            debug("caret", comp, _, M, m, p, pr);
            let ret;
            if (isX(M)) {
                ret = "";
            } else if (isX(m)) {
                ret = `>=${M}.0.0${z} <${+M + 1}.0.0-0`;
            } else if (isX(p)) {
                if (M === "0") {
                    ret = `>=${M}.${m}.0${z} <${M}.${+m + 1}.0-0`;
                } else {
                    ret = `>=${M}.${m}.0${z} <${+M + 1}.0.0-0`;
                }
            } else if (pr) {
                debug("replaceCaret pr", pr);
                if (M === "0") {
                    if (m === "0") {
                        ret = `>=${M}.${m}.${p}-${pr} <${M}.${m}.${+p + 1}-0`;
                    } else {
                        ret = `>=${M}.${m}.${p}-${pr} <${M}.${+m + 1}.0-0`;
                    }
                } else {
                    ret = `>=${M}.${m}.${p}-${pr} <${+M + 1}.0.0-0`;
                }
            } else {
                debug("no pr");
                if (M === "0") {
                    if (m === "0") {
                        ret = `>=${M}.${m}.${p} <${M}.${m}.${+p + 1}-0`;
                    } else {
                        ret = `>=${M}.${m}.${p} <${M}.${+m + 1}.0-0`;
                    }
                } else {
                    ret = `>=${M}.${m}.${p} <${+M + 1}.0.0-0`;
                }
            }
            debug("caret return", ret);
            return ret;
        });
    };
    const replaceXRanges = (comp, options) => {
        debug("replaceXRanges", comp, options);
        return comp.split(/\s+/).map(c => replaceXRange(c, options)).join(" ");
    };
    const replaceXRange = (comp, options) => {
        comp = comp.trim();
        const r = options.loose ? re[t.XRANGELOOSE] : re[t.XRANGE];
        return comp.replace(r, (ret, gtlt, M, m, p, pr) => {
            debug("xRange", comp, ret, gtlt, M, m, p, pr);
            if (invalidXRangeOrder(M, m, p)) {
                return comp;
            }
            const xM = isX(M);
            const xm = xM || isX(m);
            const xp = xm || isX(p);
            const anyX = xp;
            if (gtlt === "=" && anyX) {
                gtlt = "";
            }
            pr = options.includePrerelease ? "-0" : "";
            if (xM) {
                if (gtlt === ">" || gtlt === "<") {
                    ret = "<0.0.0-0";
                } else {
                    ret = "*";
                }
            } else if (gtlt && anyX) {
                if (xm) {
                    m = 0;
                }
                p = 0;
                if (gtlt === ">") {
                    gtlt = ">=";
                    if (xm) {
                        M = +M + 1;
                        m = 0;
                        p = 0;
                    } else {
                        m = +m + 1;
                        p = 0;
                    }
                } else if (gtlt === "<=") {
                    gtlt = "<";
                    if (xm) {
                        M = +M + 1;
                    } else {
                        m = +m + 1;
                    }
                }
                if (gtlt === "<") {
                    pr = "-0";
                }
                ret = `${gtlt + M}.${m}.${p}${pr}`;
            } else if (xm) {
                ret = `>=${M}.0.0${pr} <${+M + 1}.0.0-0`;
            } else if (xp) {
                ret = `>=${M}.${m}.0${pr} <${M}.${+m + 1}.0-0`;
            }
            debug("xRange return", ret);
            return ret;
        });
    };
    const replaceStars = (comp, options) => {
        debug("replaceStars", comp, options);
        return comp.trim().replace(re[t.STAR], "");
    };
    const replaceGTE0 = (comp, options) => {
        debug("replaceGTE0", comp, options);
        return comp.trim().replace(re[options.includePrerelease ? t.GTE0PRE : t.GTE0], "");
    };
    const hyphenReplace = incPr => ($0, from, fM, fm, fp, fpr, fb, to, tM, tm, tp, tpr) => {
        if (isX(fM)) {
            from = "";
        } else if (isX(fm)) {
            from = `>=${fM}.0.0${incPr ? "-0" : ""}`;
        } else if (isX(fp)) {
            from = `>=${fM}.${fm}.0${incPr ? "-0" : ""}`;
        } else if (fpr) {
            from = `>=${from}`;
        } else {
            from = `>=${from}${incPr ? "-0" : ""}`;
        }
        if (isX(tM)) {
            to = "";
        } else if (isX(tm)) {
            to = `<${+tM + 1}.0.0-0`;
        } else if (isX(tp)) {
            to = `<${tM}.${+tm + 1}.0-0`;
        } else if (tpr) {
            to = `<=${tM}.${tm}.${tp}-${tpr}`;
        } else if (incPr) {
            to = `<${tM}.${tm}.${+tp + 1}-0`;
        } else {
            to = `<=${to}`;
        }
        return `${from} ${to}`.trim();
    };
    const testSet = (set, version, options) => {
        for (let i = 0; i < set.length; i++) {
            if (!set[i].test(version)) {
                return false;
            }
        }
        if (version.prerelease.length && !options.includePrerelease) {
            for (let i = 0; i < set.length; i++) {
                debug(set[i].semver);
                if (set[i].semver === Comparator.ANY) {
                    continue;
                }
                if (set[i].semver.prerelease.length > 0) {
                    const allowed = set[i].semver;
                    if (allowed.major === version.major && allowed.minor === version.minor && allowed.patch === version.patch) {
                        return true;
                    }
                }
            }
            return false;
        }
        return true;
    };
    return range;
}

var comparator;

var hasRequiredComparator;

function requireComparator() {
    if (hasRequiredComparator) return comparator;
    hasRequiredComparator = 1;
    const ANY = Symbol("SemVer ANY");
    class Comparator {
        static get ANY() {
            return ANY;
        }
        constructor(comp, options) {
            options = parseOptions(options);
            if (comp instanceof Comparator) {
                if (comp.loose === !!options.loose) {
                    return comp;
                } else {
                    comp = comp.value;
                }
            }
            comp = comp.trim().split(/\s+/).join(" ");
            debug("comparator", comp, options);
            this.options = options;
            this.loose = !!options.loose;
            this.parse(comp);
            if (this.semver === ANY) {
                this.value = "";
            } else {
                this.value = this.operator + this.semver.version;
            }
            debug("comp", this);
        }
        parse(comp) {
            const r = this.options.loose ? re[t.COMPARATORLOOSE] : re[t.COMPARATOR];
            const m = comp.match(r);
            if (!m) {
                throw new TypeError(`Invalid comparator: ${comp}`);
            }
            this.operator = m[1] !== undefined ? m[1] : "";
            if (this.operator === "=") {
                this.operator = "";
            }
            if (!m[2]) {
                this.semver = ANY;
            } else {
                this.semver = new SemVer(m[2], this.options.loose);
            }
        }
        toString() {
            return this.value;
        }
        test(version) {
            debug("Comparator.test", version, this.options.loose);
            if (this.semver === ANY || version === ANY) {
                return true;
            }
            if (typeof version === "string") {
                try {
                    version = new SemVer(version, this.options);
                } catch (er) {
                    return false;
                }
            }
            return cmp(version, this.operator, this.semver, this.options);
        }
        intersects(comp, options) {
            if (!(comp instanceof Comparator)) {
                throw new TypeError("a Comparator is required");
            }
            if (this.operator === "") {
                if (this.value === "") {
                    return true;
                }
                return new Range(comp.value, options).test(this.value);
            } else if (comp.operator === "") {
                if (comp.value === "") {
                    return true;
                }
                return new Range(this.value, options).test(comp.semver);
            }
            options = parseOptions(options);
            if (options.includePrerelease && (this.value === "<0.0.0-0" || comp.value === "<0.0.0-0")) {
                return false;
            }
            if (!options.includePrerelease && (this.value.startsWith("<0.0.0") || comp.value.startsWith("<0.0.0"))) {
                return false;
            }
            if (this.operator.startsWith(">") && comp.operator.startsWith(">")) {
                return true;
            }
            if (this.operator.startsWith("<") && comp.operator.startsWith("<")) {
                return true;
            }
            if (this.semver.version === comp.semver.version && this.operator.includes("=") && comp.operator.includes("=")) {
                return true;
            }
            if (cmp(this.semver, "<", comp.semver, options) && this.operator.startsWith(">") && comp.operator.startsWith("<")) {
                return true;
            }
            if (cmp(this.semver, ">", comp.semver, options) && this.operator.startsWith("<") && comp.operator.startsWith(">")) {
                return true;
            }
            return false;
        }
    }
    comparator = Comparator;
    const parseOptions = requireParseOptions();
    const {safeRe: re, t: t} = requireRe();
    const cmp = requireCmp();
    const debug = requireDebug();
    const SemVer = requireSemver$1();
    const Range = requireRange();
    return comparator;
}

var satisfies_1;

var hasRequiredSatisfies;

function requireSatisfies() {
    if (hasRequiredSatisfies) return satisfies_1;
    hasRequiredSatisfies = 1;
    const Range = requireRange();
    const satisfies = (version, range, options) => {
        try {
            range = new Range(range, options);
        } catch (er) {
            return false;
        }
        return range.test(version);
    };
    satisfies_1 = satisfies;
    return satisfies_1;
}

var toComparators_1;

var hasRequiredToComparators;

function requireToComparators() {
    if (hasRequiredToComparators) return toComparators_1;
    hasRequiredToComparators = 1;
    const Range = requireRange();
    const toComparators = (range, options) => new Range(range, options).set.map(comp => comp.map(c => c.value).join(" ").trim().split(" "));
    toComparators_1 = toComparators;
    return toComparators_1;
}

var maxSatisfying_1;

var hasRequiredMaxSatisfying;

function requireMaxSatisfying() {
    if (hasRequiredMaxSatisfying) return maxSatisfying_1;
    hasRequiredMaxSatisfying = 1;
    const SemVer = requireSemver$1();
    const Range = requireRange();
    const maxSatisfying = (versions, range, options) => {
        let max = null;
        let maxSV = null;
        let rangeObj = null;
        try {
            rangeObj = new Range(range, options);
        } catch (er) {
            return null;
        }
        versions.forEach(v => {
            if (rangeObj.test(v)) {
                if (!max || maxSV.compare(v) === -1) {
                    max = v;
                    maxSV = new SemVer(max, options);
                }
            }
        });
        return max;
    };
    maxSatisfying_1 = maxSatisfying;
    return maxSatisfying_1;
}

var minSatisfying_1;

var hasRequiredMinSatisfying;

function requireMinSatisfying() {
    if (hasRequiredMinSatisfying) return minSatisfying_1;
    hasRequiredMinSatisfying = 1;
    const SemVer = requireSemver$1();
    const Range = requireRange();
    const minSatisfying = (versions, range, options) => {
        let min = null;
        let minSV = null;
        let rangeObj = null;
        try {
            rangeObj = new Range(range, options);
        } catch (er) {
            return null;
        }
        versions.forEach(v => {
            if (rangeObj.test(v)) {
                if (!min || minSV.compare(v) === 1) {
                    min = v;
                    minSV = new SemVer(min, options);
                }
            }
        });
        return min;
    };
    minSatisfying_1 = minSatisfying;
    return minSatisfying_1;
}

var minVersion_1;

var hasRequiredMinVersion;

function requireMinVersion() {
    if (hasRequiredMinVersion) return minVersion_1;
    hasRequiredMinVersion = 1;
    const SemVer = requireSemver$1();
    const Range = requireRange();
    const gt = requireGt();
    const minVersion = (range, loose) => {
        range = new Range(range, loose);
        let minver = new SemVer("0.0.0");
        if (range.test(minver)) {
            return minver;
        }
        minver = new SemVer("0.0.0-0");
        if (range.test(minver)) {
            return minver;
        }
        minver = null;
        for (let i = 0; i < range.set.length; ++i) {
            const comparators = range.set[i];
            let setMin = null;
            comparators.forEach(comparator => {
                const compver = new SemVer(comparator.semver.version);
                switch (comparator.operator) {
                  case ">":
                    if (compver.prerelease.length === 0) {
                        compver.patch++;
                    } else {
                        compver.prerelease.push(0);
                    }
                    compver.raw = compver.format();

                  case "":
                  case ">=":
                    if (!setMin || gt(compver, setMin)) {
                        setMin = compver;
                    }
                    break;

                  case "<":
                  case "<=":
                    break;

                  default:
                    throw new Error(`Unexpected operation: ${comparator.operator}`);
                }
            });
            if (setMin && (!minver || gt(minver, setMin))) {
                minver = setMin;
            }
        }
        if (minver && range.test(minver)) {
            return minver;
        }
        return null;
    };
    minVersion_1 = minVersion;
    return minVersion_1;
}

var valid;

var hasRequiredValid;

function requireValid() {
    if (hasRequiredValid) return valid;
    hasRequiredValid = 1;
    const Range = requireRange();
    const validRange = (range, options) => {
        try {
            return new Range(range, options).range || "*";
        } catch (er) {
            return null;
        }
    };
    valid = validRange;
    return valid;
}

var outside_1;

var hasRequiredOutside;

function requireOutside() {
    if (hasRequiredOutside) return outside_1;
    hasRequiredOutside = 1;
    const SemVer = requireSemver$1();
    const Comparator = requireComparator();
    const {ANY: ANY} = Comparator;
    const Range = requireRange();
    const satisfies = requireSatisfies();
    const gt = requireGt();
    const lt = requireLt();
    const lte = requireLte();
    const gte = requireGte();
    const outside = (version, range, hilo, options) => {
        version = new SemVer(version, options);
        range = new Range(range, options);
        let gtfn, ltefn, ltfn, comp, ecomp;
        switch (hilo) {
          case ">":
            gtfn = gt;
            ltefn = lte;
            ltfn = lt;
            comp = ">";
            ecomp = ">=";
            break;

          case "<":
            gtfn = lt;
            ltefn = gte;
            ltfn = gt;
            comp = "<";
            ecomp = "<=";
            break;

          default:
            throw new TypeError('Must provide a hilo val of "<" or ">"');
        }
        if (satisfies(version, range, options)) {
            return false;
        }
        for (let i = 0; i < range.set.length; ++i) {
            const comparators = range.set[i];
            let high = null;
            let low = null;
            comparators.forEach(comparator => {
                if (comparator.semver === ANY) {
                    comparator = new Comparator(">=0.0.0");
                }
                high = high || comparator;
                low = low || comparator;
                if (gtfn(comparator.semver, high.semver, options)) {
                    high = comparator;
                } else if (ltfn(comparator.semver, low.semver, options)) {
                    low = comparator;
                }
            });
            if (high.operator === comp || high.operator === ecomp) {
                return false;
            }
            if ((!low.operator || low.operator === comp) && ltefn(version, low.semver)) {
                return false;
            } else if (low.operator === ecomp && ltfn(version, low.semver)) {
                return false;
            }
        }
        return true;
    };
    outside_1 = outside;
    return outside_1;
}

var gtr_1;

var hasRequiredGtr;

function requireGtr() {
    if (hasRequiredGtr) return gtr_1;
    hasRequiredGtr = 1;
    const outside = requireOutside();
    const gtr = (version, range, options) => outside(version, range, ">", options);
    gtr_1 = gtr;
    return gtr_1;
}

var ltr_1;

var hasRequiredLtr;

function requireLtr() {
    if (hasRequiredLtr) return ltr_1;
    hasRequiredLtr = 1;
    const outside = requireOutside();
    const ltr = (version, range, options) => outside(version, range, "<", options);
    ltr_1 = ltr;
    return ltr_1;
}

var intersects_1;

var hasRequiredIntersects;

function requireIntersects() {
    if (hasRequiredIntersects) return intersects_1;
    hasRequiredIntersects = 1;
    const Range = requireRange();
    const intersects = (r1, r2, options) => {
        r1 = new Range(r1, options);
        r2 = new Range(r2, options);
        return r1.intersects(r2, options);
    };
    intersects_1 = intersects;
    return intersects_1;
}

var simplify;

var hasRequiredSimplify;

function requireSimplify() {
    if (hasRequiredSimplify) return simplify;
    hasRequiredSimplify = 1;
    const satisfies = requireSatisfies();
    const compare = requireCompare();
    simplify = (versions, range, options) => {
        const set = [];
        let first = null;
        let prev = null;
        const v = versions.sort((a, b) => compare(a, b, options));
        for (const version of v) {
            const included = satisfies(version, range, options);
            if (included) {
                prev = version;
                if (!first) {
                    first = version;
                }
            } else {
                if (prev) {
                    set.push([ first, prev ]);
                }
                prev = null;
                first = null;
            }
        }
        if (first) {
            set.push([ first, null ]);
        }
        const ranges = [];
        for (const [min, max] of set) {
            if (min === max) {
                ranges.push(min);
            } else if (!max && min === v[0]) {
                ranges.push("*");
            } else if (!max) {
                ranges.push(`>=${min}`);
            } else if (min === v[0]) {
                ranges.push(`<=${max}`);
            } else {
                ranges.push(`${min} - ${max}`);
            }
        }
        const simplified = ranges.join(" || ");
        const original = typeof range.raw === "string" ? range.raw : String(range);
        return simplified.length < original.length ? simplified : range;
    };
    return simplify;
}

var subset_1;

var hasRequiredSubset;

function requireSubset() {
    if (hasRequiredSubset) return subset_1;
    hasRequiredSubset = 1;
    const Range = requireRange();
    const Comparator = requireComparator();
    const {ANY: ANY} = Comparator;
    const satisfies = requireSatisfies();
    const compare = requireCompare();
    const subset = (sub, dom, options = {}) => {
        if (sub === dom) {
            return true;
        }
        sub = new Range(sub, options);
        dom = new Range(dom, options);
        let sawNonNull = false;
        OUTER: for (const simpleSub of sub.set) {
            for (const simpleDom of dom.set) {
                const isSub = simpleSubset(simpleSub, simpleDom, options);
                sawNonNull = sawNonNull || isSub !== null;
                if (isSub) {
                    continue OUTER;
                }
            }
            if (sawNonNull) {
                return false;
            }
        }
        return true;
    };
    const minimumVersionWithPreRelease = [ new Comparator(">=0.0.0-0") ];
    const minimumVersion = [ new Comparator(">=0.0.0") ];
    const simpleSubset = (sub, dom, options) => {
        if (sub === dom) {
            return true;
        }
        if (sub.length === 1 && sub[0].semver === ANY) {
            if (dom.length === 1 && dom[0].semver === ANY) {
                return true;
            } else if (options.includePrerelease) {
                sub = minimumVersionWithPreRelease;
            } else {
                sub = minimumVersion;
            }
        }
        if (dom.length === 1 && dom[0].semver === ANY) {
            if (options.includePrerelease) {
                return true;
            } else {
                dom = minimumVersion;
            }
        }
        const eqSet = new Set;
        let gt, lt;
        for (const c of sub) {
            if (c.operator === ">" || c.operator === ">=") {
                gt = higherGT(gt, c, options);
            } else if (c.operator === "<" || c.operator === "<=") {
                lt = lowerLT(lt, c, options);
            } else {
                eqSet.add(c.semver);
            }
        }
        if (eqSet.size > 1) {
            return null;
        }
        let gtltComp;
        if (gt && lt) {
            gtltComp = compare(gt.semver, lt.semver, options);
            if (gtltComp > 0) {
                return null;
            } else if (gtltComp === 0 && (gt.operator !== ">=" || lt.operator !== "<=")) {
                return null;
            }
        }
        for (const eq of eqSet) {
            if (gt && !satisfies(eq, String(gt), options)) {
                return null;
            }
            if (lt && !satisfies(eq, String(lt), options)) {
                return null;
            }
            for (const c of dom) {
                if (!satisfies(eq, String(c), options)) {
                    return false;
                }
            }
            return true;
        }
        let higher, lower;
        let hasDomLT, hasDomGT;
        let needDomLTPre = lt && !options.includePrerelease && lt.semver.prerelease.length ? lt.semver : false;
        let needDomGTPre = gt && !options.includePrerelease && gt.semver.prerelease.length ? gt.semver : false;
        if (needDomLTPre && needDomLTPre.prerelease.length === 1 && lt.operator === "<" && needDomLTPre.prerelease[0] === 0) {
            needDomLTPre = false;
        }
        for (const c of dom) {
            hasDomGT = hasDomGT || c.operator === ">" || c.operator === ">=";
            hasDomLT = hasDomLT || c.operator === "<" || c.operator === "<=";
            if (gt) {
                if (needDomGTPre) {
                    if (c.semver.prerelease && c.semver.prerelease.length && c.semver.major === needDomGTPre.major && c.semver.minor === needDomGTPre.minor && c.semver.patch === needDomGTPre.patch) {
                        needDomGTPre = false;
                    }
                }
                if (c.operator === ">" || c.operator === ">=") {
                    higher = higherGT(gt, c, options);
                    if (higher === c && higher !== gt) {
                        return false;
                    }
                } else if (gt.operator === ">=" && !c.test(gt.semver)) {
                    return false;
                }
            }
            if (lt) {
                if (needDomLTPre) {
                    if (c.semver.prerelease && c.semver.prerelease.length && c.semver.major === needDomLTPre.major && c.semver.minor === needDomLTPre.minor && c.semver.patch === needDomLTPre.patch) {
                        needDomLTPre = false;
                    }
                }
                if (c.operator === "<" || c.operator === "<=") {
                    lower = lowerLT(lt, c, options);
                    if (lower === c && lower !== lt) {
                        return false;
                    }
                } else if (lt.operator === "<=" && !c.test(lt.semver)) {
                    return false;
                }
            }
            if (!c.operator && (lt || gt) && gtltComp !== 0) {
                return false;
            }
        }
        if (gt && hasDomLT && !lt && gtltComp !== 0) {
            return false;
        }
        if (lt && hasDomGT && !gt && gtltComp !== 0) {
            return false;
        }
        if (needDomGTPre || needDomLTPre) {
            return false;
        }
        return true;
    };
    const higherGT = (a, b, options) => {
        if (!a) {
            return b;
        }
        const comp = compare(a.semver, b.semver, options);
        return comp > 0 ? a : comp < 0 ? b : b.operator === ">" && a.operator === ">=" ? b : a;
    };
    const lowerLT = (a, b, options) => {
        if (!a) {
            return b;
        }
        const comp = compare(a.semver, b.semver, options);
        return comp < 0 ? a : comp > 0 ? b : b.operator === "<" && a.operator === "<=" ? b : a;
    };
    subset_1 = subset;
    return subset_1;
}

var semver;

var hasRequiredSemver;

function requireSemver() {
    if (hasRequiredSemver) return semver;
    hasRequiredSemver = 1;
    const internalRe = requireRe();
    const constants = requireConstants();
    const SemVer = requireSemver$1();
    const identifiers = requireIdentifiers();
    const parse = requireParse();
    const valid = requireValid$1();
    const clean = requireClean();
    const inc = requireInc();
    const diff = requireDiff();
    const major = requireMajor();
    const minor = requireMinor();
    const patch = requirePatch();
    const prerelease = requirePrerelease();
    const compare = requireCompare();
    const rcompare = requireRcompare();
    const compareLoose = requireCompareLoose();
    const compareBuild = requireCompareBuild();
    const sort = requireSort();
    const rsort = requireRsort();
    const gt = requireGt();
    const lt = requireLt();
    const eq = requireEq();
    const neq = requireNeq();
    const gte = requireGte();
    const lte = requireLte();
    const cmp = requireCmp();
    const coerce = requireCoerce();
    const truncate = requireTruncate();
    const Comparator = requireComparator();
    const Range = requireRange();
    const satisfies = requireSatisfies();
    const toComparators = requireToComparators();
    const maxSatisfying = requireMaxSatisfying();
    const minSatisfying = requireMinSatisfying();
    const minVersion = requireMinVersion();
    const validRange = requireValid();
    const outside = requireOutside();
    const gtr = requireGtr();
    const ltr = requireLtr();
    const intersects = requireIntersects();
    const simplifyRange = requireSimplify();
    const subset = requireSubset();
    semver = {
        parse: parse,
        valid: valid,
        clean: clean,
        inc: inc,
        diff: diff,
        major: major,
        minor: minor,
        patch: patch,
        prerelease: prerelease,
        compare: compare,
        rcompare: rcompare,
        compareLoose: compareLoose,
        compareBuild: compareBuild,
        sort: sort,
        rsort: rsort,
        gt: gt,
        lt: lt,
        eq: eq,
        neq: neq,
        gte: gte,
        lte: lte,
        cmp: cmp,
        coerce: coerce,
        truncate: truncate,
        Comparator: Comparator,
        Range: Range,
        satisfies: satisfies,
        toComparators: toComparators,
        maxSatisfying: maxSatisfying,
        minSatisfying: minSatisfying,
        minVersion: minVersion,
        validRange: validRange,
        outside: outside,
        gtr: gtr,
        ltr: ltr,
        intersects: intersects,
        simplifyRange: simplifyRange,
        subset: subset,
        SemVer: SemVer,
        re: internalRe.re,
        src: internalRe.src,
        tokens: internalRe.t,
        SEMVER_SPEC_VERSION: constants.SEMVER_SPEC_VERSION,
        RELEASE_TYPES: constants.RELEASE_TYPES,
        compareIdentifiers: identifiers.compareIdentifiers,
        rcompareIdentifiers: identifiers.rcompareIdentifiers
    };
    return semver;
}

var semverExports = requireSemver();

export { semverExports as s };
