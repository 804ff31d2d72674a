
// ---- leadgate's panic boundary (bindings/wasm/src/guard.js, appended to the
// wasm-bindgen glue by build.sh) ----
// On wasm32 a Rust panic cannot unwind: the module's panic hook throws an
// Error "internal error in leadgate: …" out of the module instead of the
// trap it would end in. Any other trap (a RuntimeError) or a stack overflow
// inside the module becomes such an Error here. Either way the instance's
// state is unknown afterwards, so the module is marked stopped: every later
// call throws, and free() does nothing. Load the module again to go on.
const LEADGATE_INTERNAL = 'internal error in leadgate: ';
let leadgateStopped = null;

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

function leadgateGuard(f, isFree) {
    return function (...args) {
        if (leadgateStopped !== null) {
            if (isFree) return undefined;
            throw new Error(`the leadgate module stopped after an internal error; load it again (${leadgateStopped.message})`);
        }
        try {
            return f.apply(this, args);
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
    const isFree = key === 'free' || key === Symbol.dispose;
    if (typeof d.value === 'function') d.value = leadgateGuard(d.value, isFree);
    if (typeof d.get === 'function') d.get = leadgateGuard(d.get, false);
    Object.defineProperty(Agreement.prototype, key, d);
}
compile = leadgateGuard(compile, false);
__panicForTest = leadgateGuard(__panicForTest, false);
