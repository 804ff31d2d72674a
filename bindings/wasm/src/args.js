
// ---- leadgate's argument reader (bindings/wasm/src/args.js, appended to the
// wasm-bindgen glue by build.sh, before fast.js and guard.js) ----
// The module's methods call these (imports of src/js.rs, resolved in the
// glue's scope) to read their JS arguments: the options, the arrays, each
// lead's shape and [key, value] pairs. The caller's code (getters, proxies,
// iterators) runs here, once, in a fixed order; whatever it throws becomes
// the method's clear Error, or a lead's error in place. The module reads
// only what these hand it, and the values of the pairs (src/js.rs).

/** What a JS value is, for error messages. */
function leadgateKind(v) {
    if (v === null) return 'null';
    switch (typeof v) {
        case 'undefined': return 'undefined';
        case 'string': return 'a string';
        case 'boolean': return 'a boolean';
        case 'number': return 'a number';
        case 'bigint': return 'a bigint';
        case 'symbol': return 'a symbol';
        case 'function': return 'a function';
    }
    try {
        if (Array.isArray(v)) return 'an array';
    } catch (_) { /* a revoked proxy */ }
    return 'an object';
}

/** A JS value shown in a message: a text quoted and cut, others by kind. */
function leadgateShow(v) {
    return typeof v === 'string' ? `"${Array.from(v).slice(0, 60).join('')}"` : leadgateKind(v);
}

/** The message of a caught exception. */
function leadgateMessage(e) {
    let error = false;
    try {
        error = e instanceof Error;
    } catch (_) { /* a proxy whose prototype cannot be read */ }
    if (!error) return typeof e === 'string' ? e : `a thrown ${leadgateKind(e)}`;
    let m;
    try {
        m = e.message;
    } catch (_) {
        return 'an Error whose message cannot be read';
    }
    return typeof m === 'string' ? m : `an Error whose message is ${leadgateKind(m)}`;
}

/** `call`'s array argument `value` (`what` it must be), read with Array.from. */
function leadgateArray(value, call, what) {
    let array = false;
    try {
        array = Array.isArray(value);
    } catch (_) { /* not an array */ }
    if (!array) throw new Error(`${call}: expected ${what}, got ${leadgateKind(value)}`);
    try {
        return Array.from(value);
    } catch (e) {
        throw new Error(`${call}: ${leadgateMessage(e)}`);
    }
}

/** compile's argument. */
function leadgateText(value) {
    if (typeof value !== 'string') {
        throw new Error(`compile: expected the agreement text as a string, got ${leadgateKind(value)}`);
    }
    return value;
}

// The options every scoring call takes, and the type of each call's own.
const LEADGATE_OPTIONS = ['asOf', 'onBadValue', 'explain'];
const LEADGATE_OPTION_TYPES = {
    __proto__: null, by: 'text', outcome: 'text', title: 'text', top: 'count',
    changes: 'count', oldName: 'text', newName: 'text', inputName: 'text', allowMissingColumns: 'flag',
    roster: 'roster', asOfColumn: 'text', load: 'load',
};
// The scoring calls' own options (src/lib.rs knows them too): the roster's
// in the builds with rosters (src/roster.rs). LEADGATE_ROSTERS and
// LEADGATE_COMPILES are written before this file by build.sh, per build: a
// `typeof Roster` here would find a page's own global of that name in a
// build without one.
const LEADGATE_SCORE_EXTRA = LEADGATE_ROSTERS ? 'roster,asOfColumn,load' : '';
const LEADGATE_HINTS = {
    __proto__: null, as_of: 'asOf', asof: 'asOf', date: 'asOf', now: 'asOf',
    on_bad_value: 'onBadValue', onbadvalue: 'onBadValue', allow_missing_columns: 'allowMissingColumns',
};

/** `asOf`: a date text (read by the module), a Date, or ms since the epoch. */
function leadgateAsOf(value) {
    const bad = () => new Error(`asOf: cannot read ${leadgateShow(value)} as an instant; use "YYYY-MM-DD", an RFC 3339 text, a Date or milliseconds since the epoch`);
    let ms = value;
    if (typeof value === 'string') {
        ms = __parseInstant(value);
        if (ms === undefined) throw bad();
        return ms;
    }
    if (typeof value !== 'number') {
        let date = false;
        try {
            date = !Array.isArray(value) && (Reflect.getPrototypeOf(value), value instanceof Date);
        } catch (_) { /* not a Date */ }
        if (!date) throw bad();
        try {
            ms = value.getTime();
        } catch (_) {
            throw bad();
        }
    }
    // The range of a JS Date; rounded half away from zero.
    if (typeof ms !== 'number' || !(Math.abs(ms) <= 8.64e15)) throw bad();
    return Math.sign(ms) * Math.round(Math.abs(ms));
}

/** A call's own option of type `type`, checked. */
function leadgateOption(name, type, value) {
    if (type === 'roster') return leadgateRosterId(value);
    if (type === 'load') return leadgateLoad(value);
    const ok = type === 'text' ? typeof value === 'string'
        : type === 'flag' ? typeof value === 'boolean'
            : typeof value === 'number' && value >= 0 && value % 1 === 0 && value <= 4294967295;
    if (ok) return value;
    const what = type === 'text' ? 'a text' : type === 'flag' ? 'true or false' : 'a whole number from 0';
    throw new Error(`${name}: expected ${what}, got ${leadgateShow(value)}`);
}

/** A `roster` option: a live Roster's id. */
function leadgateRosterId(value) {
    let id;
    try {
        if (value instanceof Roster) id = value.__id;
    } catch (_) {
        throw new Error('roster: this Roster was freed');
    }
    if (typeof id !== 'number') throw new Error(`roster: expected a Roster (Roster.parse), got ${leadgateKind(value)}`);
    return id;
}

/** A `load` option: [{person, date, count}, …] as [person, date, count, …]. */
function leadgateLoad(value) {
    const items = leadgateArray(value, 'load', 'an array of {person, date, count}');
    const out = [];
    for (let i = 0; i < items.length; i++) {
        let person, date, count;
        try {
            ({ person, date, count } = items[i]);
        } catch (e) {
            throw new Error(`load[${i}]: ${leadgateMessage(e)}`);
        }
        if (typeof person !== 'string' || typeof date !== 'string') {
            throw new Error(`load[${i}]: expected {person: "…", date: "YYYY-MM-DD", count: N}`);
        }
        out.push(person, date, leadgateOption(`load[${i}].count`, 'count', count));
    }
    return out;
}

/**
 * Reads `options` (`extra`: the call's own option names, joined by commas): returns
 * [asOf ms since the epoch, read bad values as missing, explain, ...the
 * values of `extra`, undefined when not given, whether asOf was given].
 */
function leadgateOptions(options, names) {
    const extra = names === '' ? [] : names.split(',');
    const out = [Date.now(), false, true];
    for (let i = 0; i < extra.length; i++) out[3 + i] = undefined;
    out[3 + extra.length] = false;
    if (options === undefined || options === null) return out;
    let array = true;
    try {
        array = Array.isArray(options);
    } catch (_) { /* a revoked proxy */ }
    if (typeof options !== 'object' || array) {
        throw new Error(`options: expected an object like {asOf: "2026-11-23"}, got ${leadgateKind(options)}`);
    }
    let entries;
    try {
        entries = Object.entries(options);
    } catch (e) {
        throw new Error(`options: ${leadgateMessage(e)}`);
    }
    for (let i = 0; i < entries.length; i++) {
        const [key, value] = entries[i];
        if (value === undefined) continue;
        if (key === 'asOf') {
            out[0] = leadgateAsOf(value);
            out[3 + extra.length] = true;
        }
        else if (key === 'onBadValue') {
            if (value !== 'error' && value !== 'missing') {
                throw new Error(`onBadValue: expected "error" or "missing", got ${leadgateShow(value)}`);
            }
            out[1] = value === 'missing';
        } else if (key === 'explain') out[2] = leadgateOption('explain', 'flag', value);
        else {
            const at = extra.indexOf(key);
            if (at < 0) {
                const hint = LEADGATE_HINTS[key] === undefined ? '' : ` (did you mean \`${LEADGATE_HINTS[key]}\`?)`;
                const all = LEADGATE_OPTIONS.concat(extra);
                throw new Error(`options: unknown option \`${key}\`${hint}; the options are ${all.slice(0, -1).join(', ')} and ${all[all.length - 1]}`);
            }
            out[3 + at] = leadgateOption(key, LEADGATE_OPTION_TYPES[key], value);
        }
    }
    return out;
}

// How a lead was found to be, by leadgateShape.
const LEADGATE_NOT_OBJECT = 0, LEADGATE_UNREADABLE = 1, LEADGATE_ARRAY = 2, LEADGATE_DATE = 3,
    LEADGATE_MAP = 4, LEADGATE_PLAIN = 5, LEADGATE_OTHER = 6;
// The exception leadgateShape caught, for LEADGATE_UNREADABLE.
let leadgateThrown;

/**
 * What a lead is: Array.isArray, Reflect.getPrototypeOf, instanceof Date,
 * instanceof Map, in that order (a throw of instanceof reads as false).
 * LEADGATE_PLAIN: a prototype of Object.prototype or null.
 */
function leadgateShape(lead) {
    if (lead === null || (typeof lead !== 'object')) return LEADGATE_NOT_OBJECT;
    let proto;
    try {
        if (Array.isArray(lead)) return LEADGATE_ARRAY;
        proto = Reflect.getPrototypeOf(lead);
    } catch (e) {
        leadgateThrown = e;
        return LEADGATE_UNREADABLE;
    }
    try {
        if (lead instanceof Date) return LEADGATE_DATE;
    } catch (_) { /* false */ }
    try {
        if (lead instanceof Map) return LEADGATE_MAP;
    } catch (_) { /* false */ }
    return proto === Object.prototype || proto === null ? LEADGATE_PLAIN : LEADGATE_OTHER;
}

/**
 * Reads a lead of shape `shape`: its [key, value] pairs (a Map's entries,
 * or an object's own enumerable string keys, as JSON.stringify would write
 * them), or, for a value that is no lead, the text "KIND\nMESSAGE" (KIND
 * the lead error's kind).
 */
function leadgateLead(lead, shape) {
    switch (shape) {
        case LEADGATE_NOT_OBJECT:
            return `not_an_object\nexpected an object, got ${leadgateKind(lead)}`;
        case LEADGATE_UNREADABLE:
            return `unreadable\ncannot read the lead: ${leadgateMessage(leadgateThrown)}`;
        case LEADGATE_ARRAY:
            return 'not_an_object\nexpected an object, got an array';
        case LEADGATE_DATE:
            return 'not_an_object\nexpected an object, got a Date';
    }
    try {
        return shape === LEADGATE_MAP ? Array.from(lead) : Object.entries(lead);
    } catch (e) {
        return `unreadable\ncannot read the lead: ${leadgateMessage(e)}`;
    }
}

/** The value of the last pair of `read` (what leadgateLead gave) keyed `key`. */
function leadgateFind(read, key) {
    let value;
    for (let i = 0; typeof read !== 'string' && i < read.length; i++) {
        try {
            const pair = read[i];
            if (typeof pair === 'object' && pair !== null && pair[0] === key) value = pair[1];
        } catch (_) { /* a pair that cannot be read */ }
    }
    return value;
}

/**
 * A value in place of one whose Array.from threw, for a lead read twice
 * (src/fast.js): the module reads it, in turn, as "an unreadable array".
 */
const LEADGATE_UNREADABLE_ARRAY = new Proxy([], { get() { throw new Error('unreadable'); } });
// The copies of lists src/fast.js made (Array.from) before it handed a lead
// to the per-lead reader: read as they are, not iterated again.
const leadgateCopies = new WeakSet();
const leadgateCopiesHas = Function.prototype.call.bind(WeakSet.prototype.has);
const leadgateCopiesAdd = Function.prototype.call.bind(WeakSet.prototype.add);
function leadgateCopied(items) {
    leadgateCopiesAdd(leadgateCopies, items);
}

/**
 * A lead's value that is an object (`nested`: an item of a list), for the
 * module: an array's items (Array.from), a Date's time, or what it is.
 */
function leadgateObject(v, nested) {
    let array;
    try {
        array = Array.isArray(v);
    } catch (_) {
        return 'an unreadable object';
    }
    if (array) {
        if (nested) return 'an array';
        if (leadgateCopiesHas(leadgateCopies, v)) return v;
        try {
            return Array.from(v);
        } catch (_) {
            return 'an unreadable array';
        }
    }
    let date = false;
    try {
        Reflect.getPrototypeOf(v);
    } catch (_) {
        return 'an unreadable object';
    }
    try {
        date = v instanceof Date;
    } catch (_) { /* false */ }
    if (!date) return 'an object';
    let ms;
    try {
        ms = v.getTime();
    } catch (_) {
        return 'an unreadable Date';
    }
    return typeof ms === 'number' && Number.isFinite(ms) ? ms : 'an invalid Date';
}

/** Reads one lead (for the module's per-lead reader). */
function leadgateReadLead(lead) {
    return leadgateLead(lead, leadgateShape(lead));
}

/** A row of scoreRows: its cells, or "KIND\nMESSAGE" for a value that is no row. */
function leadgateRow(row) {
    try {
        if (!Array.isArray(row)) return `not_an_object\nexpected a row (an array of cells), got ${leadgateKind(row)}`;
        return Array.from(row);
    } catch (e) {
        return `unreadable\ncannot read the row: ${leadgateMessage(e)}`;
    }
}

/** An Error named `name`, with the property `key` set to `value`. */
function leadgateNamedError(message, name, key, value) {
    const e = new Error(message);
    e.name = name;
    e[key] = value;
    return e;
}

/**
 * Sets a rejected decision's `error.kind`, not enumerable: the object keeps
 * the canonical shape (for JSON.stringify and deep equality).
 */
function leadgateMarkKind(decision, kind) {
    leadgateDefineKind(decision.error, 'kind', { __proto__: null, value: kind });
}
const leadgateDefineKind = Object.defineProperty;
const leadgateJsonParse = JSON.parse;
const leadgateLines = Function.prototype.call.bind(String.prototype.split);

/**
 * Appends the decisions of `text` (a JSON array, or with `lines` one
 * decision a line) to `out`, and returns it (`text`'s own array when `out`
 * is empty); `kinds`: [position in out, error kind, ...] of its rejected
 * decisions.
 */
function leadgateAppend(out, text, kinds, lines) {
    const part = lines ? leadgateLines(text, '\n') : leadgateJsonParse(text);
    if (out.length === 0) out = part;
    else for (let d = 0; d < part.length; d++) out[out.length] = part[d];
    for (let r = 0; r < kinds.length; r += 2) leadgateMarkKind(out[kinds[r]], kinds[r + 1]);
    return out;
}
