// Compiled once per env at module load (intrinsics.rs); identity_reader.rs
// decodes its result. Reads one identity object in a single call into
// [text, codes, id]: every string joined (each piece after a NUL, so a lone
// surrogate never pairs with its neighbour), a Float64Array of (tag, payload)
// records with its used length in codes[0], and the id value untouched (the
// user-id conversion of user_id.rs reads it).
// Only built-ins captured here are called: nothing patched later runs. Each
// own enumerable property is read exactly once; nothing inherited is read.
(function makeIdentityReader() {
  'use strict';
  const apply = Reflect.apply;
  const ownKeys = Object.keys;
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
  const OK = 1, NOT_OBJECT = 2, UNKNOWN_KEY = 3;
  const NONE = 10, TEXT = 11, NUMBER = 12, BIGINT = 13, DATE = 14, BAD = 15, LIST = 16;
  const BOOLEAN = 1, SYMBOL = 2, FUNCTION = 3, ARRAY = 4, TYPED_ARRAY = 5, A_DATE = 6, A_MAP = 7,
    OBJECT = 8, UNDEFINED = 9, STRING = 10, A_NUMBER = 11, A_BIGINT = 12, NULL = 13;
  const SCRIPT = 1, LINK = 2;

  // The codes array of the last finished read, reused by the next (a read
  // started from a getter during another read gets its own).
  let spare = new Codes(256);

  function put(s, tag, payload) {
    if (s.at + 2 > s.codes.length) {
      const bigger = new Codes(s.codes.length * 2);
      apply(copyCodes, bigger, [s.codes]);
      s.codes = bigger;
    }
    s.codes[s.at] = tag;
    s.codes[s.at + 1] = payload;
    s.at += 2;
  }

  function putText(s, tag, text) {
    s.text = s.text + '\0' + text;
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

  function plainEntries(s, object, keys) {
    put(s, LIST, keys.length);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      putText(s, TEXT, key);
      value(s, object[key]);
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

  // Traits or response values: a plain object or a Map.
  function named(s, container) {
    if (container === undefined || container === null) return put(s, NONE, 0);
    if (typeof container !== 'object' || isArray(container) || isView(container) || isDate(container)) {
      return put(s, BAD, typeCode(container));
    }
    if (isMap(container)) return mapEntriesOf(s, container);
    plainEntries(s, container, ownKeys(container));
  }

  function tagList(s, tags) {
    if (!isArray(tags)) return value(s, tags);
    const count = tags.length;
    put(s, LIST, count);
    for (let i = 0; i < count; i++) value(s, tags[i]);
  }

  function identity(s, object, mode) {
    if (typeof object !== 'object' || object === null || isArray(object)) {
      return put(s, NOT_OBJECT, typeCode(object));
    }
    let id, email, name, traits, nonce, locale, tags, response;
    const keys = ownKeys(object);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key === 'id') id = object[key];
      else if (key === 'email') email = object[key];
      else if (key === 'name') name = object[key];
      else if (key === 'traits') traits = object[key];
      else if (key === 'nonce' && mode === SCRIPT) nonce = object[key];
      else if (key === 'locale' && mode === LINK) locale = object[key];
      else if (key === 'tags' && mode === LINK) tags = object[key];
      else if (key === 'response' && mode === LINK) response = object[key];
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
    const s = { codes: spare === null ? new Codes(256) : spare, at: 1, text: '', id: undefined };
    spare = null;
    try {
      identity(s, object, mode);
    } finally {
      spare = s.codes;
    }
    s.codes[0] = s.at;
    return [s.text, s.codes, s.id];
  };
})()
