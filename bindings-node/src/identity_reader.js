// Compiled once per env at module load (intrinsics.rs); identity_reader.rs
// decodes its result. Reads one identity object in a single call into
// [text, codes, id]: every string joined (each piece after a NUL, so a lone
// surrogate never pairs with its neighbour), a Float64Array of (tag, payload)
// records with its used length in codes[0], and the id value untouched (the
// user-id conversion of user_id.rs reads it).
// Only built-ins captured here are called: nothing patched later runs (a
// typed array's length, too, is tracked here rather than read). Each own
// enumerable property is read exactly once; a key an earlier getter deleted
// is absent, and nothing inherited is read.
(function makeIdentityReader() {
  'use strict';
  const apply = Reflect.apply;
  const ownKeys = Object.keys;
  const hasOwn = Object.hasOwn;
  const prototypeOf = Object.getPrototypeOf;
  const isArray = Array.isArray;
  const isView = ArrayBuffer.isView;
  const Codes = Float64Array;
  const copyCodes = prototypeOf(Float64Array.prototype).set;
  const getTime = Date.prototype.getTime;
  const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size').get;
  const mapEntries = Map.prototype.entries;
  const mapNext = prototypeOf(new Map().entries()).next;

  // Record tags and type codes: the same numbers as in identity_reader.rs.
  const OK = 1, NOT_OBJECT = 2, UNKNOWN_KEY = 3, TOO_LARGE = 4;
  const NONE = 10, TEXT = 11, NUMBER = 12, BIGINT = 13, DATE = 14, BAD = 15, LIST = 16;
  const BOOLEAN = 1, SYMBOL = 2, FUNCTION = 3, ARRAY = 4, TYPED_ARRAY = 5, A_DATE = 6, A_MAP = 7,
    OBJECT = 8, UNDEFINED = 9, STRING = 10, A_NUMBER = 11, A_BIGINT = 12, NULL = 13, OPAQUE = 14,
    BAD_LENGTH = 15;
  // The largest length an array can have.
  const MAX_LENGTH = 4294967295;
  const SCRIPT = 1, LINK = 2;

  // The codes array of the last finished read, reused by the next (a read
  // started from a getter during another read gets its own), and its size.
  const FIRST_SIZE = 256;
  let spare = new Codes(FIRST_SIZE);
  let spareSize = FIRST_SIZE;

  function put(s, tag, payload) {
    if (s.at + 2 > s.size) {
      const bigger = new Codes(s.size * 2);
      apply(copyCodes, bigger, [s.codes]);
      s.codes = bigger;
      s.size *= 2;
    }
    s.codes[s.at] = tag;
    s.codes[s.at + 1] = payload;
    s.at += 2;
  }

  // Thrown when the joined text would pass V8's longest string.
  const tooLarge = {};

  function putText(s, tag, text) {
    try {
      s.text = s.text + '\0' + text;
    } catch {
      // Only the concatenation can throw here: a RangeError for the length.
      throw tooLarge;
    }
    put(s, tag, text.length);
  }

  // Brand checks (the internal slots, whatever the prototype says, any realm):
  // Node's own when it offers them, else a captured method that throws
  // (slowly) for anything else.
  const types = typeof process === 'object' && process !== null && typeof process.getBuiltinModule === 'function'
    ? process.getBuiltinModule('node:util').types
    : undefined;
  const isMap = types !== undefined ? types.isMap : function isMap(value) {
    try {
      apply(mapSize, value, []);
      return true;
    } catch {
      return false;
    }
  };
  const isDate = types !== undefined ? types.isDate : function isDate(value) {
    try {
      apply(getTime, value, []);
      return true;
    } catch {
      return false;
    }
  };

  function typeCode(value) {
    switch (typeof value) {
      case 'boolean': return BOOLEAN;
      case 'symbol': return SYMBOL;
      case 'function': return FUNCTION;
      case 'string': return STRING;
      case 'number': return A_NUMBER;
      case 'bigint': return A_BIGINT;
      case 'undefined': return UNDEFINED;
    }
    if (value === null) return NULL;
    if (isArray(value)) return ARRAY;
    if (isView(value)) return TYPED_ARRAY;
    if (isDate(value)) return A_DATE;
    if (isMap(value)) return A_MAP;
    return OBJECT;
  }

  function value(s, item) {
    switch (typeof item) {
      case 'string': putText(s, TEXT, item); return;
      case 'number': put(s, NUMBER, item); return;
      // ToString of a bigint primitive runs no user code.
      case 'bigint': putText(s, BIGINT, '' + item); return;
      case 'undefined': put(s, NONE, 0); return;
      case 'object':
        if (item === null) {
          put(s, NONE, 0);
          return;
        }
        if (isDate(item)) {
          put(s, DATE, apply(getTime, item, []));
          return;
        }
    }
    put(s, BAD, typeCode(item));
  }

  // The value of an own key listed before any getter ran: absent (undefined)
  // when an earlier getter deleted it, never the prototype's.
  function own(object, key) {
    return hasOwn(object, key) ? object[key] : undefined;
  }

  function plainEntries(s, object) {
    const keys = ownKeys(object);
    put(s, LIST, keys.length);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      putText(s, TEXT, key);
      value(s, own(object, key));
    }
  }

  function mapEntriesOf(s, map) {
    const at = s.at;
    put(s, LIST, 0);
    let count = 0;
    const iterator = apply(mapEntries, map, []);
    for (;;) {
      // Iterator results and entry pairs are fresh built-in objects: own data properties.
      const step = apply(mapNext, iterator, []);
      if (step.done) break;
      const pair = step.value;
      const key = pair[0];
      if (typeof key === 'string') putText(s, TEXT, key);
      else put(s, BAD, typeCode(key));
      value(s, pair[1]);
      count++;
    }
    s.codes[at + 1] = count;
  }

  // A plain object: its prototype is null or a realm's Object.prototype
  // (whose own prototype is null).
  function isPlain(object) {
    const prototype = prototypeOf(object);
    return prototype === null || prototypeOf(prototype) === null;
  }

  // An object whose contents are not its own properties, so reading its
  // entries would find none: a Set, WeakMap, WeakSet, Promise, iterator,
  // boxed primitive, or a Proxy of anything but a plain object (a Proxy of a
  // Map, say). Class instances and Proxies of plain objects are read by their
  // own properties. Without Node's brand checks, Sets and weak collections only.
  const hasIn = (method) => (object) => {
    try {
      apply(method, object, [undefined]);
      return true;
    } catch {
      return false;
    }
  };
  const isOpaque = types !== undefined
    ? ((t) => (object) => t.isSet(object) || t.isWeakMap(object) || t.isWeakSet(object) || t.isPromise(object) ||
      t.isMapIterator(object) || t.isSetIterator(object) || t.isGeneratorObject(object) ||
      t.isBoxedPrimitive(object) || (t.isProxy(object) && !isPlain(object)))({ ...types })
    : ((isSet, isWeakMap, isWeakSet) => (object) => isSet(object) || isWeakMap(object) || isWeakSet(object))(
      hasIn(Set.prototype.has), hasIn(WeakMap.prototype.has), hasIn(WeakSet.prototype.has));

  // Traits or response values: a plain object or a Map.
  function named(s, container) {
    if (container === undefined || container === null) return put(s, NONE, 0);
    if (typeof container !== 'object' || isArray(container) || isView(container) || isDate(container)) {
      return put(s, BAD, typeCode(container));
    }
    if (isMap(container)) return mapEntriesOf(s, container);
    // A plain object (or a Proxy reporting a plain prototype) holds its own contents.
    if (!isPlain(container) && isOpaque(container)) return put(s, BAD, OPAQUE);
    plainEntries(s, container);
  }

  // An array of tags, read up to its first element that is not a string (the
  // one the error names); a hole is undefined, never the prototype's element.
  function tagList(s, tags) {
    if (!isArray(tags)) return value(s, tags);
    const count = tags.length;
    if (typeof count !== 'number' || !(count >= 0 && count <= MAX_LENGTH) || count % 1 !== 0) {
      return put(s, BAD, BAD_LENGTH);
    }
    const at = s.at;
    put(s, LIST, count);
    for (let i = 0; i < count; i++) {
      const tag = hasOwn(tags, i) ? tags[i] : undefined;
      value(s, tag);
      if (typeof tag !== 'string') {
        s.codes[at + 1] = i + 1;
        return;
      }
    }
  }

  function identity(s, object, mode) {
    if (typeof object !== 'object' || object === null || isArray(object)) {
      return put(s, NOT_OBJECT, typeCode(object));
    }
    let id, email, name, traits, nonce, locale, tags, response;
    const keys = ownKeys(object);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key === 'id') id = own(object, key);
      else if (key === 'email') email = own(object, key);
      else if (key === 'name') name = own(object, key);
      else if (key === 'traits') traits = own(object, key);
      else if (key === 'nonce' && mode === SCRIPT) nonce = own(object, key);
      else if (key === 'locale' && mode === LINK) locale = own(object, key);
      else if (key === 'tags' && mode === LINK) tags = own(object, key);
      else if (key === 'response' && mode === LINK) response = own(object, key);
      else return putText(s, UNKNOWN_KEY, key);
    }
    s.id = id;
    put(s, OK, 0);
    value(s, email);
    value(s, name);
    named(s, traits);
    value(s, nonce);
    value(s, locale);
    tagList(s, tags);
    named(s, response);
  }

  return function readIdentity(object, mode) {
    const s = spare === null
      ? { codes: new Codes(FIRST_SIZE), size: FIRST_SIZE, at: 1, text: '', id: undefined }
      : { codes: spare, size: spareSize, at: 1, text: '', id: undefined };
    spare = null;
    try {
      identity(s, object, mode);
    } catch (error) {
      if (error !== tooLarge) throw error;
      s.at = 1;
      s.text = '';
      put(s, TOO_LARGE, 0);
    } finally {
      spare = s.codes;
      spareSize = s.size;
    }
    s.codes[0] = s.at;
    return [s.text, s.codes, s.id];
  };
})()
