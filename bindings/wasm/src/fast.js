
// ---- leadgate's batch fast path (bindings/wasm/src/fast.js, appended to the
// wasm-bindgen glue by build.sh, before guard.js, in every build) ----
// scoreMany and scoreManyJson, read per lead and per value across the
// JS/wasm boundary, spend much of their time crossing it. Here the batch is
// read in JS instead and its values cross once a chunk, as three typed
// arrays the module reads (src/batch.rs, `Stream`); a lead or value they do
// not carry is handed to the per-lead reader, at its turn. The decisions
// are the per-lead path's, byte for byte (tests/fastpath.test.mjs), and the
// caller's code (getters, proxies, iterators) runs the same number of
// times in the same order:
//
// - options and the array of leads are read as the per-lead path reads
//   them (src/args.js), then each lead in order, as the per-lead reader of
//   src/args.js reads it (leadgateShape, then Object.entries), and for each
//   declared key's array value Array.from. Undeclared keys' values are not
//   looked at (nor are they by the per-lead reader).
// - A lead is sent when its prototype is Object.prototype or null, it has
//   no key that is the name of a field reading another key (such a lead is
//   read per lead, which notes it and warns at its turn), and
//   each declared key's value is null, undefined (read as null, as the
//   per-lead reader reads it), a boolean, a number (any: the module gets
//   its 64 bits), a well-formed string without U+FFFD, or an array of
//   those. Each value goes as its key's place in the module's list of keys
//   (__keys: the fields' input keys) with a tag; a number goes into a Float64Array, a string into one text (sent
//   in UTF-8) with its length in UTF-16 units.
// - Any other lead is scored at its turn by __scoreOne, given what the walk
//   has read of it so that nothing is read twice: a plain object is handed
//   over as its Object.entries pairs from the first value the arrays cannot
//   carry (a bigint, a Date, a nested array, a lone surrogate, ...), with
//   what it had written of the lead taken back (a list it copied is marked,
//   so that the per-lead reader does not iterate it again). It gives
//   [decision text, error kind].
// - The kinds of lead errors are set on the decision objects (not
//   enumerable) by leadgateAppend, as on the per-lead path.
// - The whole batch takes the per-lead path when a declared key contains
//   U+FFFD (the per-lead reader matches keys after replacing lone
//   surrogates with it). The functions the walk calls (isWellFormed,
//   TextEncoder's encode, Array.prototype.join, the typed arrays' set) are
//   taken when the module loads; the walk keeps its state per call, so a
//   getter that scores another batch does not disturb it. The arrays it
//   writes by index have no prototype and its objects own every property
//   it reads, so an accessor put on Array.prototype or Object.prototype
//   is never called. The walk tracks its typed arrays' sizes itself; the
//   glue copies them into the module's memory by their `length`: when a
//   typed array's prototype has been changed (`length`, `byteLength`,
//   `set`), even by a getter during the walk, a chunk's arrays go as
//   plain arrays instead, so that a `length` that lies cannot make the
//   copy overrun what the glue allocated.
// - A free() of the agreement by the caller's code during the walk takes
//   effect when the call ends (src/guard.js), as during a call of the
//   module; a roster (node build) takes the per-lead path from the options
//   as read (__scoreManyRead), so they are read once.
// - A batch is read and sent in chunks of at most LEADGATE_CHUNK_LEADS
//   leads and, counted as an upper bound of their bytes (3 a UTF-16 unit of
//   a string, 8 a number, 4 a tag or length), about LEADGATE_CHUNK_BYTES; a
//   lead whose own bound is over that is read per lead. The decisions come
//   back in pieces bounded the same way (src/batch.rs, `DecisionPieces`).
//   So no text grows with the batch: a million leads would otherwise make
//   texts over a gigabyte, past what a JS string or a wasm32 String can
//   hold.
// `f(self, ...args)` for a method `self.f(...args)`, as node's primordials.
const leadgateUncurry = Function.prototype.bind.bind(Function.prototype.call);
const leadgateEncoder = new TextEncoder();
const leadgateEncode = leadgateUncurry(TextEncoder.prototype.encode);
const leadgateCreate = Object.create;
const leadgateSetPrototype = Object.setPrototypeOf;
const leadgateHasOwn = Object.hasOwn;
const leadgateDescriptor = Object.getOwnPropertyDescriptor;
const leadgateGetPrototype = Object.getPrototypeOf;
const leadgateJoin = leadgateUncurry(Array.prototype.join);
const leadgateTypedSet = leadgateUncurry(Object.getPrototypeOf(Uint32Array.prototype).set);
const leadgateSubarray = leadgateUncurry(Object.getPrototypeOf(Uint32Array.prototype).subarray);
const leadgateIncludes = leadgateUncurry(String.prototype.includes);
const leadgateIsWellFormed = typeof String.prototype.isWellFormed === 'function'
    ? leadgateUncurry(String.prototype.isWellFormed) : null;
const leadgateRegExpTest = leadgateUncurry(RegExp.prototype.test);
const leadgateSurrogate = /[\uD800-\uDFFF]/;
const leadgateApply = Reflect.apply;
const LEADGATE_CHUNK_LEADS = 8192;
const LEADGATE_CHUNK_BYTES = 16 * 1024 * 1024;
// The tags of src/batch.rs.
const LEADGATE_NULL = 0, LEADGATE_FALSE = 1, LEADGATE_TRUE = 2, LEADGATE_NUMBER = 3, LEADGATE_TEXT = 4,
    LEADGATE_LIST = 5, LEADGATE_END = 7;
// Per agreement: its keys (__keys) as a prototype-less object (a lookup
// that runs no code) giving each key's place, or null for "per-lead path".
const leadgateKeys = new WeakMap();
const leadgateWeakGet = leadgateUncurry(WeakMap.prototype.get);
const leadgateWeakSet = leadgateUncurry(WeakMap.prototype.set);
// The agreements in a walk, with its depth (a getter may score again):
// src/guard.js defers their free() to the walk's end.
const leadgateWalking = new Map();
const leadgateMapGet = leadgateUncurry(Map.prototype.get);
const leadgateMapSet = leadgateUncurry(Map.prototype.set);
const leadgateMapDelete = leadgateUncurry(Map.prototype.delete);
const leadgateWalks = leadgateUncurry(Map.prototype.has);
// What the glue's copy of a typed array into the module's memory uses,
// as the package found it.
const leadgateTyped = Object.getPrototypeOf(Uint32Array.prototype);
const leadgateTypedOwn = [leadgateDescriptor(leadgateTyped, 'length').get,
    leadgateDescriptor(leadgateTyped, 'byteLength').get, leadgateTyped.set];

const leadgateByteLength = leadgateUncurry(leadgateTypedOwn[1]);

/** The `n` items of typed array `a`, as a plain array (read by index: no prototype is consulted). */
function leadgatePlain(a, n) {
    const out = leadgateSetPrototype([], null);
    for (let i = 0; i < n; i++) out[i] = a[i];
    return out;
}

/** Whether the typed arrays' prototypes are as the package found them. */
function leadgateTypedPristine() {
    const protos = [Uint8Array.prototype, Uint32Array.prototype, Float64Array.prototype];
    for (let i = 0; i < 3; i++) {
        const p = protos[i];
        if (leadgateHasOwn(p, 'length') || leadgateHasOwn(p, 'byteLength') || leadgateHasOwn(p, 'set')
            || leadgateGetPrototype(p) !== leadgateTyped) return false;
    }
    const length = leadgateDescriptor(leadgateTyped, 'length');
    const bytes = leadgateDescriptor(leadgateTyped, 'byteLength');
    const set = leadgateDescriptor(leadgateTyped, 'set');
    return length !== undefined && length.get === leadgateTypedOwn[0] && bytes !== undefined
        && bytes.get === leadgateTypedOwn[1] && set !== undefined && set.value === leadgateTypedOwn[2];
}

/** A string the per-lead reader takes as it is, that UTF-8 carries exactly. */
function leadgateGoodText(s) {
    if (leadgateIncludes(s, '\uFFFD')) return false;
    return leadgateIsWellFormed !== null
        ? leadgateIsWellFormed(s)
        : !leadgateRegExpTest(leadgateSurrogate, s);
}

/**
 * The agreement's keys and their places (-1: the name of a field that reads
 * another key), or null when the batch takes the per-lead path.
 */
function leadgateDeclared(agreement) {
    let keys = leadgateWeakGet(leadgateKeys, agreement);
    if (keys === undefined) {
        const both = agreement.__keys();
        keys = leadgateCreate(null);
        for (let b = 0; b < 2 && keys !== null; b++) {
            const list = both[b];
            for (let i = 0; i < list.length && keys !== null; i++) {
                const key = list[i];
                if (typeof key !== 'string' || leadgateIncludes(key, '\uFFFD')) keys = null;
                else if (keys[key] === undefined) keys[key] = b === 0 ? i : -1;
            }
        }
        leadgateWeakSet(leadgateKeys, agreement, keys);
    }
    return keys;
}

/**
 * A chunk's values, as they are read: src/batch.rs's `Stream`, sized for
 * `leads` leads of a dozen values (it grows when they have more).
 */
function leadgateChunk(leads) {
    return {
        ints: new Uint32Array(32 * leads + 16), intsSize: 32 * leads + 16, n: 0,
        nums: new Float64Array(8 * leads + 16), numsSize: 8 * leads + 16, k: 0,
        texts: leadgateSetPrototype([], null), t: 0, bytes: 0,
    };
}

/** `a` (a typed array of type `Type`, of `size` items) in one twice its size. */
function leadgateGrow(a, size, Type) {
    const more = new Type(2 * size);
    leadgateTypedSet(more, a);
    return more;
}

function leadgateInt(c, x) {
    if (c.n === c.intsSize) {
        c.ints = leadgateGrow(c.ints, c.intsSize, Uint32Array);
        c.intsSize *= 2;
    }
    c.ints[c.n++] = x;
}

function leadgateNumber(c, x) {
    if (c.k === c.numsSize) {
        c.nums = leadgateGrow(c.nums, c.numsSize, Float64Array);
        c.numsSize *= 2;
    }
    c.nums[c.k++] = x;
}

/**
 * Writes `v` with head `head` (its key's place times 8; 0 for an item of a
 * list) and returns the bound of its bytes, or -1 for a value the arrays
 * do not carry.
 */
function leadgateScalar(c, v, head) {
    switch (typeof v) {
        case 'string':
            if (!leadgateGoodText(v)) return -1;
            leadgateInt(c, head + LEADGATE_TEXT);
            leadgateInt(c, v.length);
            c.texts[c.t++] = v;
            return 8 + 3 * v.length;
        case 'number':
            leadgateInt(c, head + LEADGATE_NUMBER);
            leadgateNumber(c, v);
            return 12;
        case 'boolean':
            leadgateInt(c, head + (v ? LEADGATE_TRUE : LEADGATE_FALSE));
            return 4;
        case 'undefined':
            leadgateInt(c, head + LEADGATE_NULL);
            return 4;
        case 'object':
            if (v !== null) return -1;
            leadgateInt(c, head + LEADGATE_NULL);
            return 4;
        default:
            return -1;
    }
}

/**
 * Takes back what was written of lead `index` into chunk `c` (it had `n`
 * ints, `k` numbers and `t` texts before) and scores it from `pairs` by
 * the per-lead reader.
 */
function leadgateBack(agreement, c, n, k, t, pairs, index, opts) {
    c.n = n;
    c.k = k;
    c.t = t;
    return agreement.__scoreOne(pairs, index, opts);
}

/**
 * Reads lead `index` into chunk `c`: returns 0 when its values are written
 * there, or, for a lead they cannot carry, what __scoreOne gives for it
 * ([text, kind]), with whatever was written of it taken back.
 */
function leadgateRead(agreement, keys, c, lead, index, opts) {
    const shape = leadgateShape(lead);
    if (shape !== LEADGATE_PLAIN) return agreement.__scoreOne(leadgateLead(lead, shape), index, opts);
    const pairs = leadgateLead(lead, shape);
    if (typeof pairs === 'string') return agreement.__scoreOne(pairs, index, opts);
    const n = c.n, k = c.k, t = c.t;
    let bytes = 4;
    for (let j = 0; j < pairs.length; j++) {
        const key = pairs[j][0];
        const at = keys[key];
        if (at === undefined) continue;
        if (at < 0) return leadgateBack(agreement, c, n, k, t, pairs, index, opts);
        const head = at * 8;
        const value = pairs[j][1];
        const b = leadgateScalar(c, value, head);
        if (b >= 0) {
            bytes += b;
            continue;
        }
        if (typeof value !== 'object') return leadgateBack(agreement, c, n, k, t, pairs, index, opts);
        let array;
        try {
            array = Array.isArray(value);
        } catch (_) {
            return leadgateBack(agreement, c, n, k, t, pairs, index, opts);
        }
        if (!array) return leadgateBack(agreement, c, n, k, t, pairs, index, opts);
        let items;
        try {
            items = Array.from(value);
        } catch (_) {
            pairs[j] = [key, LEADGATE_UNREADABLE_ARRAY];
            return leadgateBack(agreement, c, n, k, t, pairs, index, opts);
        }
        pairs[j] = [key, items];
        leadgateCopied(items);
        leadgateInt(c, head + LEADGATE_LIST);
        leadgateInt(c, items.length);
        bytes += 8;
        for (let i = 0; i < items.length; i++) {
            const b = leadgateScalar(c, items[i], 0);
            if (b < 0) return leadgateBack(agreement, c, n, k, t, pairs, index, opts);
            bytes += b;
        }
    }
    // Too large for a chunk of its own: read per lead, from the pairs.
    if (bytes > LEADGATE_CHUNK_BYTES) return leadgateBack(agreement, c, n, k, t, pairs, index, opts);
    leadgateInt(c, LEADGATE_END);
    c.bytes += bytes;
    return 0;
}

/** The walk of `leads` (options read as `opts`) for agreement `self`. */
function leadgateWalk(self, keys, leads, opts, lines) {
    const items = leadgateArray(leads, 'scoreMany', 'an array of leads');
    const n = items.length;
    let out = [];
    for (let start = 0; start < n;) {
        const slots = leadgateSetPrototype([], null);
        const c = leadgateChunk(n - start < LEADGATE_CHUNK_LEADS ? n - start : LEADGATE_CHUNK_LEADS);
        // Held in JS until the chunk is scored: the values' bound, and
        // the texts of decisions already made (3 bytes a unit). At least
        // one lead a chunk.
        let k = 0;
        while (start + k < n && (k === 0 || (k < LEADGATE_CHUNK_LEADS && c.bytes < LEADGATE_CHUNK_BYTES))) {
            const read = leadgateRead(self, keys, c, items[start + k], start + k, opts);
            slots[k] = read;
            if (read !== 0) c.bytes += 3 * read[0].length;
            k++;
        }
        c.texts.length = c.t;
        let text = leadgateEncode(leadgateEncoder, leadgateJoin(c.texts, ''));
        let ints = leadgateSubarray(c.ints, 0, c.n), nums = leadgateSubarray(c.nums, 0, c.k);
        if (!leadgateTypedPristine()) {
            ints = leadgatePlain(ints, c.n);
            nums = leadgatePlain(nums, c.k);
            text = leadgatePlain(text, leadgateByteLength(text));
        }
        out = self.__scoreBatch(ints, nums, text, slots, opts, lines, start, out);
        start += k;
    }
    return out;
}

function leadgateBatch(perLead, lines) {
    return function (leads, options) {
        const keys = leadgateDeclared(this);
        if (keys === null) return leadgateApply(perLead, this, [leads, options]);
        const depth = leadgateMapGet(leadgateWalking, this);
        leadgateMapSet(leadgateWalking, this, depth === undefined ? 1 : depth + 1);
        try {
            // The options, read once ([asOf, missing, explain]), then the leads,
            // as the per-lead path reads them.
            const opts = leadgateOptions(options, LEADGATE_SCORE_EXTRA);
            // A roster assigns in order, after scoring: the per-lead path.
            if (LEADGATE_SCORE_EXTRA !== '' && (opts[3] !== undefined || opts[4] !== undefined)) {
                return this.__scoreManyRead(leads, opts, lines);
            }
            return leadgateWalk(this, keys, leads, opts, lines);
        } finally {
            if (depth !== undefined) leadgateMapSet(leadgateWalking, this, depth);
            else {
                leadgateMapDelete(leadgateWalking, this);
                // Freed by the caller's code during the walk: now.
                if (leadgateFreed.has(this)) leadgateApply(leadgateFree, this, []);
            }
        }
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
