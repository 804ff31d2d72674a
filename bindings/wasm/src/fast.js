
// ---- leadgate's batch fast path (bindings/wasm/src/fast.js, appended to the
// wasm-bindgen glue by build.sh, before guard.js) ----
// scoreMany and scoreManyJson, read per lead and per value across the
// JS/wasm boundary, spend much of their time crossing it. Here the batch is
// read in JS instead and crosses once, as one JSON text the core's JSON
// reader binds; a lead or value JSON cannot carry exactly is handed to the
// per-lead reader, at its turn. The decisions are the per-lead path's, byte
// for byte (tests/fastpath.test.mjs), and the caller's code (getters,
// proxies, iterators) runs the same number of times in the same order:
//
// - options and the array of leads are read by the module (__prepare), as
//   before, then each lead in order, as Agreement::bind reads it:
//   Array.isArray, Reflect.getPrototypeOf, instanceof Date, instanceof Map,
//   then Object.entries, and for each declared key's array value
//   Array.from. Undeclared keys' values are not looked at (nor are they
//   by the per-lead reader).
// - A lead goes as JSON when its prototype is Object.prototype or null and
//   each declared key's value is null, undefined (left out, as missing), a
//   boolean, a well-formed string without U+FFFD, a finite number other
//   than -0 that is not an integer beyond 2^53 - 1 (JSON carries these
//   exactly: serde_json reads floats correctly rounded), or an array of
//   those. The JSON is of a copy holding only those values, so getters and
//   toJSON methods of the lead are not called again.
//   A key that is the name of a field reading another key (`from "..."`)
//   goes into the copy as null, so that the core notes it as it does for the
//   per-lead reader (a console warning; decisions do not change).
// - Any other lead is scored at its turn by __scoreOne, told what the walk
//   has read of it so that nothing is read twice: a plain object is handed
//   over as its Object.entries pairs from the first value JSON cannot
//   carry (NaN, a bigint, a Date, a nested array, a lone surrogate, ...).
//   It gives [decision text, error kind].
// - The kinds of lead errors come back beside the decisions and are set on
//   the decision objects (not enumerable), as the per-lead path does.
// - The environment: the whole batch takes the per-lead path when
//   Object.prototype has an accessor or read-only property named as a
//   declared key (copy[key] = value would call or skip it), or when a
//   declared key contains U+FFFD (the per-lead reader matches keys after
//   replacing lone surrogates with it); the copies are read as JS objects
//   (no JSON text) when Object.prototype or Array.prototype has a toJSON.
//   JSON.stringify, isWellFormed and the like are taken when the module
//   loads.
// - A batch is read and sent in chunks of at most LEADGATE_CHUNK_LEADS
//   leads and, counted as an upper bound of their JSON text in UTF-8 (each
//   UTF-16 unit of a text at most 6 bytes, a number at most 24), about
//   LEADGATE_CHUNK_BYTES; a lead whose own bound is over that is read per
//   lead. The decisions come back in pieces bounded the same way
//   (src/pieces.rs). So no text grows with the batch: a million leads would
//   otherwise make texts over a gigabyte, past what a JS string or a wasm32
//   String can hold.
const LEADGATE_FOUND = { unread: 0, unreadable: 1, date: 2, map: 3, object: 4, walked: 5 };
// `f(self, ...args)` for a method `self.f(...args)`, as node's primordials.
const leadgateUncurry = Function.prototype.bind.bind(Function.prototype.call);
const leadgateObjectPrototype = Object.prototype;
const leadgateArrayPrototype = Array.prototype;
const leadgateStringify = JSON.stringify;
const leadgateParse = JSON.parse;
const leadgateEncoder = new TextEncoder();
const leadgateEncode = leadgateUncurry(TextEncoder.prototype.encode);
const leadgateCreate = Object.create;
const leadgateDefineProperty = Object.defineProperty;
const leadgateIsArray = Array.isArray;
const leadgateGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const leadgateIncludes = leadgateUncurry(String.prototype.includes);
const leadgateSplit = leadgateUncurry(String.prototype.split);
const leadgateIsWellFormed = typeof String.prototype.isWellFormed === 'function'
    ? leadgateUncurry(String.prototype.isWellFormed) : null;
const leadgateRegExpTest = leadgateUncurry(RegExp.prototype.test);
const leadgateSurrogate = /[\uD800-\uDFFF]/;
const leadgateApply = Reflect.apply;
const LEADGATE_CHUNK_LEADS = 8192;
const LEADGATE_CHUNK_BYTES = 16 * 1024 * 1024;
// The bound of the JSON text of the copy leadgateRead last returned.
let leadgateCopyBytes = 0;
// Per agreement: its input keys (and the names of fields that read another
// key) as an array, and as a prototype-less object (a lookup that runs no
// code) giving the bytes of each key in the JSON text (`"key":` and a
// comma; negative for such a name, sent as null), or null for "per-lead
// path".
const leadgateKeys = new WeakMap();
const leadgateWeakGet = leadgateUncurry(WeakMap.prototype.get);
const leadgateWeakSet = leadgateUncurry(WeakMap.prototype.set);

/** A string JSON carries exactly, that the per-lead reader takes as it is. */
function leadgateGoodText(s) {
    if (leadgateIncludes(s, '\uFFFD')) return false;
    return leadgateIsWellFormed !== null
        ? leadgateIsWellFormed(s)
        : !leadgateRegExpTest(leadgateSurrogate, s);
}

/** An upper bound of the bytes of `v` (a value JSON carries) in the JSON text. */
function leadgateJsonBytes(v) {
    return typeof v === 'string' ? 6 * v.length + 2 : 24;
}

/** A value JSON carries exactly; `undefined` is left out, read as missing. */
function leadgateJsonValue(v) {
    switch (typeof v) {
        case 'string':
            return leadgateGoodText(v);
        case 'number':
            // Finite, not -0, and an integer only up to 2^53 - 1.
            return v - v === 0 && (v !== 0 || 1 / v > 0) &&
                (v % 1 !== 0 || (v <= 9007199254740991 && v >= -9007199254740991));
        case 'boolean':
        case 'undefined':
            return true;
        case 'object':
            return v === null;
        default:
            return false;
    }
}

/** The agreement's input keys, or null when the batch takes the per-lead path. */
function leadgateDeclared(agreement) {
    let keys = leadgateWeakGet(leadgateKeys, agreement);
    if (keys === undefined) {
        const fields = agreement.fields();
        keys = { list: [], has: leadgateCreate(null) };
        const bytes = (k) => leadgateEncode(leadgateEncoder, leadgateStringify(k)).length + 2;
        for (let i = 0; i < fields.length && keys !== null; i++) {
            const k = fields[i].key;
            if (leadgateIncludes(k, '\uFFFD')) keys = null;
            else keys.has[(keys.list[keys.list.length] = k)] = bytes(k);
        }
        for (let i = 0; i < fields.length && keys !== null; i++) {
            const name = fields[i].name;
            if (leadgateIncludes(name, '\uFFFD')) keys = null;
            else if (keys.has[name] === undefined) keys.has[(keys.list[keys.list.length] = name)] = -bytes(name);
        }
        leadgateWeakSet(leadgateKeys, agreement, keys);
    }
    if (keys === null) return null;
    for (let i = 0; i < keys.list.length; i++) {
        const d = leadgateGetOwnPropertyDescriptor(leadgateObjectPrototype, keys.list[i]);
        if (d !== undefined && !(d.writable === true && 'value' in d)) return null;
    }
    return keys.has;
}

/**
 * Reads lead `index`: returns its copy for the JSON text, or, for a lead
 * JSON cannot carry, what __scoreOne gives for it ([text, kind]).
 */
function leadgateRead(agreement, keys, lead, index, opts) {
    if (lead === null || typeof lead !== 'object') return agreement.__scoreOne(lead, LEADGATE_FOUND.unread, undefined, index, opts);
    try {
        if (Array.isArray(lead)) return agreement.__scoreOne(lead, LEADGATE_FOUND.unread, undefined, index, opts);
    } catch (_) {
        return agreement.__scoreOne(lead, LEADGATE_FOUND.unread, undefined, index, opts);
    }
    let proto;
    try {
        proto = Reflect.getPrototypeOf(lead);
    } catch (e) {
        return agreement.__scoreOne(lead, LEADGATE_FOUND.unreadable, e, index, opts);
    }
    // As wasm-bindgen's `instanceof` checks: a throw reads as false.
    let date = false;
    try {
        date = lead instanceof Date;
    } catch (_) { /* false */ }
    if (date) return agreement.__scoreOne(lead, LEADGATE_FOUND.date, undefined, index, opts);
    let map = false;
    try {
        map = lead instanceof Map;
    } catch (_) { /* false */ }
    if (map) return agreement.__scoreOne(lead, LEADGATE_FOUND.map, undefined, index, opts);
    if (proto !== leadgateObjectPrototype && proto !== null) return agreement.__scoreOne(lead, LEADGATE_FOUND.object, undefined, index, opts);
    let pairs;
    try {
        pairs = Object.entries(lead);
    } catch (e) {
        return agreement.__scoreOne(lead, LEADGATE_FOUND.unreadable, e, index, opts);
    }
    const copy = {};
    let bytes = 2;
    for (let j = 0; j < pairs.length; j++) {
        const key = pairs[j][0];
        const keyBytes = keys[key];
        if (keyBytes === undefined) continue;
        if (keyBytes < 0) {
            copy[key] = null;
            bytes += 4 - keyBytes;
            continue;
        }
        const value = pairs[j][1];
        if (leadgateJsonValue(value)) {
            if (value !== undefined) copy[key] = value;
            bytes += keyBytes + leadgateJsonBytes(value);
            continue;
        }
        if (typeof value === 'object') {
            let array;
            try {
                array = Array.isArray(value);
            } catch (_) {
                return agreement.__scoreOne(pairs, LEADGATE_FOUND.walked, undefined, index, opts);
            }
            if (array) {
                let items;
                try {
                    items = Array.from(value);
                } catch (_) {
                    pairs[j] = [key, undefined, 'u'];
                    return agreement.__scoreOne(pairs, LEADGATE_FOUND.walked, undefined, index, opts);
                }
                pairs[j] = [key, items, 'a'];
                bytes += keyBytes + 2;
                for (let t = 0; t < items.length; t++) {
                    if (!leadgateJsonValue(items[t])) return agreement.__scoreOne(pairs, LEADGATE_FOUND.walked, undefined, index, opts);
                    bytes += leadgateJsonBytes(items[t]) + 1;
                }
                copy[key] = items;
                continue;
            }
        }
        return agreement.__scoreOne(pairs, LEADGATE_FOUND.walked, undefined, index, opts);
    }
    // Too large for a chunk of its own: read per lead, from the pairs.
    if (bytes > LEADGATE_CHUNK_BYTES) return agreement.__scoreOne(pairs, LEADGATE_FOUND.walked, undefined, index, opts);
    leadgateCopyBytes = bytes;
    return copy;
}

function leadgateBatch(perLead, lines) {
    return function (leads, options) {
        const keys = leadgateDeclared(this);
        if (keys === null) return leadgateApply(perLead, this, [leads, options]);
        const prepared = this.__prepare(leads, options);
        // The options, read once, as an object of the module's making.
        const opts = prepared[0];
        const items = prepared[1];
        const n = items.length;
        let out = [];
        for (let start = 0; start < n;) {
            const slots = [];
            const json = [];
            let k = 0;
            // Held in JS until the chunk is scored: the copies' JSON text,
            // and the texts of decisions already made (3 bytes a unit).
            let bytes = 0;
            while (start + k < n && k < LEADGATE_CHUNK_LEADS && bytes < LEADGATE_CHUNK_BYTES) {
                const read = leadgateRead(this, keys, items[start + k], start + k, opts);
                slots[k] = read;
                if (leadgateIsArray(read)) {
                    json[k] = 0;
                    bytes += 3 * read[0].length;
                } else {
                    json[k] = read;
                    bytes += leadgateCopyBytes;
                }
                k++;
            }
            // A toJSON the copies would inherit: read them as JS objects instead.
            const text = 'toJSON' in leadgateObjectPrototype || 'toJSON' in leadgateArrayPrototype
                ? '' : leadgateStringify(json);
            const scored = this.__scoreBatch(leadgateEncode(leadgateEncoder, text), slots, opts, lines, start);
            const pieces = scored[0];
            for (let p = 0; p < pieces.length; p++) {
                const part = lines ? leadgateSplit(pieces[p], '\n') : leadgateParse(pieces[p]);
                if (out.length === 0) {
                    out = part;
                } else {
                    for (let d = 0; d < part.length; d++) out[out.length] = part[d];
                }
            }
            const kinds = scored[1];
            for (let r = 0; r < kinds.length; r += 2) {
                leadgateDefineProperty(out[start + kinds[r]].error, 'kind', { __proto__: null, value: kinds[r + 1] });
            }
            start += k;
        }
        return out;
    };
}

{
    const proto = Agreement.prototype;
    // The per-lead path, kept for the tests (tests/fastpath.test.mjs).
    proto.__scoreManyPerLead = proto.scoreMany;
    proto.__scoreManyJsonPerLead = proto.scoreManyJson;
    proto.scoreMany = leadgateBatch(proto.scoreMany, false);
    proto.scoreManyJson = leadgateBatch(proto.scoreManyJson, true);
}
