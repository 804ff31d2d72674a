
// ---- leadgate's panic boundary (bindings/wasm/src/guard.js, appended to the
// wasm-bindgen glue by build.sh) ----
// On wasm32 a Rust panic cannot unwind: the module's panic hook throws an
// Error "internal error in leadgate: …" out of the module instead of the
// trap it would end in. Any other trap (a RuntimeError) or a stack overflow
// inside the module becomes such an Error here. Either way the instance's
// state is unknown afterwards, so the module is marked stopped: every later
// call throws, and free() does nothing. Load the module again to go on.
// Agreements: a method of one that was freed (or of an object that only
// inherits from Agreement.prototype) throws a clear Error before the module
// sees a null or forged pointer; free() is idempotent and, during a call
// of the agreement (from a getter of a lead), takes effect when it ends.
const LEADGATE_INTERNAL = 'internal error in leadgate: ';
let leadgateStopped = null;
// Agreements compile() made and free() did not end: weakly, so the
// garbage collector and wasm-bindgen's finalizer still reclaim them.
const leadgateLive = new WeakSet();
const leadgateFreed = new WeakSet();

function leadgateFailure(e) {
    if (e instanceof WebAssembly.RuntimeError) {
        return new Error(`${LEADGATE_INTERNAL}the WebAssembly module trapped (${e.message}) (this is a bug in leadgate; please report it)`);
    }
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
        return new Error(`${LEADGATE_INTERNAL}the stack overflowed (${e.message})`);
    }
    if (e instanceof Error && typeof e.message === 'string' && e.message.startsWith(LEADGATE_INTERNAL)) {
        return e;
    }
    return null;
}

function leadgateNotLive(self) {
    return new Error(leadgateFreed.has(self)
        ? 'this agreement was freed: free() ends it for good; compile the agreement again'
        : 'not an agreement: call this on an Agreement that compile() returned');
}

function leadgateFree() {
    // 1: if the agreement is in a call, it is dropped when that ends.
    wasm.__wbg_agreement_free(this.__destroy_into_raw(), 1);
}

// kind: 'free', 'method' (of an agreement), or 'function'. `takesAgreement`:
// the first argument must be a live agreement too (diff's and symbolicDiff's proposed one).
// `walk` 'walk': a method src/fast.js calls during its walk, which an agreement
// the caller's code freed during that walk still takes, as the module does.
function leadgateGuard(f, kind, takesAgreement, walk) {
    return function (...args) {
        if (leadgateStopped !== null) {
            if (kind === 'free') return undefined;
            throw new Error(`the leadgate module stopped after an internal error; load it again (${leadgateStopped.message})`);
        }
        let call = f;
        if (kind === 'free') {
            if (!leadgateLive.has(this)) return undefined;
            leadgateLive.delete(this);
            leadgateFreed.add(this);
            // In a walk of src/fast.js: when it ends (it frees it then).
            if (leadgateWalks(leadgateWalking, this)) return undefined;
            call = leadgateFree;
        } else if (kind === 'method' && !leadgateLive.has(this)
            && !(walk === 'walk' && leadgateWalks(leadgateWalking, this))) {
            throw leadgateNotLive(this);
        }
        if (takesAgreement && !leadgateLive.has(args[0])) {
            throw new Error(`${leadgateNotLive(args[0]).message} (the agreement to compare with)`);
        }
        try {
            return call.apply(this, args);
        } catch (e) {
            const failure = leadgateFailure(e);
            if (failure === null) throw e;
            leadgateStopped = failure;
            throw failure;
        }
    };
}

for (const key of Reflect.ownKeys(Agreement.prototype)) {
    if (key === 'constructor' || key === '__destroy_into_raw') continue;
    const d = Object.getOwnPropertyDescriptor(Agreement.prototype, key);
    const kind = key === 'free' || key === Symbol.dispose ? 'free' : 'method';
    const walk = key === '__scoreOne' || key === '__scoreBatch' || key === '__scoreManyRead' ? 'walk' : '';
    if (typeof d.value === 'function') d.value = leadgateGuard(d.value, kind, key === 'diff' || key === 'symbolicDiff', walk);
    if (typeof d.get === 'function') d.get = leadgateGuard(d.get, 'method');
    Object.defineProperty(Agreement.prototype, key, d);
}
// compile() of a text a live agreement has shares that agreement's compiled
// agreement (__share) instead of compiling a second copy. The wasm memory an
// agreement holds is invisible to the garbage collector and only reclaimed by
// wasm-bindgen's FinalizationRegistry, whose callbacks run once the event
// loop turns: a synchronous loop that compiles the same agreement again and
// again (per request, per render) without free() would otherwise take a new
// copy each time (about 180 KB for the b2b example, 4.7 MB for 10,000
// rules) until the instance's 4 GiB ran out. Weakly, by text: the last
// agreement of a compiled agreement, freed or finalized, drops it as before.
const leadgateByText = new Map();
// (The runtime build has no compile(): it loads compiled agreements only.
// build.sh says which build this is: `typeof compile` would find a page's
// own global `compile` there, and assigning it would throw or replace it.)
const leadgateCompile = LEADGATE_COMPILES ? compile : null;
if (leadgateCompile !== null) compile = leadgateGuard(function (text) {
    leadgateText(text);
    let shared;
    for (const [t, ref] of leadgateByText) {
        const a = ref.deref();
        if (a === undefined || !leadgateLive.has(a)) leadgateByText.delete(t);
        else if (t === text) shared = a;
    }
    const agreement = shared === undefined ? leadgateCompile(text) : shared.__share();
    leadgateByText.set(text, new WeakRef(agreement));
    leadgateLive.add(agreement);
    return agreement;
}, 'function');
// loadCompiled(): an agreement from compiled bytes (a .lgc file), live as
// compile()'s are; an ArrayBuffer (what fetch's arrayBuffer() gives) is read
// through a Uint8Array.
const leadgateLoadCompiled = loadCompiled;
loadCompiled = leadgateGuard(function (bytes) {
    let view = bytes;
    try {
        if (bytes instanceof ArrayBuffer) view = new Uint8Array(bytes);
        else if (!(bytes instanceof Uint8Array)) view = null;
    } catch (_) {
        view = null;
    }
    if (view === null) {
        throw new Error(`loadCompiled: expected the compiled agreement as a Uint8Array or an ArrayBuffer, got ${leadgateKind(bytes)}`);
    }
    const agreement = leadgateLoadCompiled(view);
    leadgateLive.add(agreement);
    return agreement;
}, 'function');
__panicForTest = leadgateGuard(__panicForTest, 'function');
// Rosters (the builds with them, src/roster.rs): behind the panic boundary too.
if (LEADGATE_ROSTERS) {
    const leadgateParseRoster = Roster.parse;
    Roster.parse = leadgateGuard(function (text) {
        if (typeof text !== 'string') {
            throw new Error(`Roster.parse: expected the roster (YAML) as a string, got ${leadgateKind(text)}`);
        }
        return leadgateParseRoster(text);
    }, 'function');
    Roster.prototype.queues = leadgateGuard(Roster.prototype.queues, 'function');
    const d = Object.getOwnPropertyDescriptor(Roster.prototype, 'timezone');
    d.get = leadgateGuard(d.get, 'function');
    Object.defineProperty(Roster.prototype, 'timezone', d);
}
