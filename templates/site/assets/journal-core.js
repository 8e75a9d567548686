// The private journal (issue #24): answers to the exercises, kept in this browser's IndexedDB
// on this device only. Nothing here makes a network request: exports are Blob downloads,
// imports read a file the user picks.
//
// Storage: database "alliance-workbook-journal" (version 1), two object stores:
// - "entries" (key "id"): one record per entry. Unlocked, the record is the entry itself
//   (shape below). Locked, it is {id, iv, data}: the entry as JSON, encrypted with AES-GCM
//   (256-bit key, a fresh random 12-byte IV at every write, the record id as additional data);
//   the id is a random string, so nothing of the entry is readable.
// - "meta" (key "key"): with a passphrase, the record "lock": {key: "lock", version: 1,
//   kdf: "PBKDF2", hash: "SHA-256", iterations: 600000, salt (16 random bytes),
//   cipher: "AES-GCM", verifier: {iv, data}} where the verifier is a fixed text encrypted with
//   the key: decrypting it tells a right passphrase from a wrong one. The passphrase and the
//   key are never stored: the key lives in the page's memory until the page is left.
//
// An entry (also the unit of the JSON export, see journal.schema.json):
//   {id, exercise (the exercise's id), title, lang, date (of work, YYYY-MM-DD),
//    created, updated (ISO 8601 instants), answers: [{prompt, answer}]}
// One exercise may have many entries (an exercise repeated months later).
//
// Export file, version 1: {format: "alliance-workbook-journal", version: 1, exported,
//   entries: [...]}; encrypted: {format, version, exported, encrypted: {kdf: "PBKDF2-SHA-256",
//   iterations, salt, cipher: "AES-GCM", iv, data}} (base64), where data decrypts to
//   {"entries": [...]}. Imports merge by entry id: a new id is added, a known one is replaced
//   only by a more recent version (its "updated"), so importing twice changes nothing.
export const FORMAT = "alliance-workbook-journal";
export const VERSION = 1;
export const ITERATIONS = 600000;
export const MIN_PASSPHRASE = 8;
const DB_NAME = "alliance-workbook-journal";
const DB_VERSION = 1;
const ENTRIES = "entries";
const META = "meta";
const LOCK = "lock";
const VERIFIER = "alliance-workbook-journal: right passphrase";
const ID = /^[A-Za-z0-9_-]{1,100}$/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const ENTRY_KEYS = ["id", "exercise", "title", "lang", "date", "created", "updated", "answers"];
const REQUIRED_KEYS = ["id", "exercise", "date", "created", "updated", "answers"];
const LIMITS = { entries: 100000, answers: 200, prompt: 5000, answer: 200000, title: 500 };

export class JournalError extends Error {
  // code: unavailable | storage | locked | wrong-passphrase | changed | no-crypto |
  //       json | foreign | version | entry | duplicate | file-passphrase
  constructor(code, values = {}) {
    super(code);
    this.code = code;
    this.values = values;
  }
}

// --- small helpers -------------------------------------------------------------------------

export function format(text, values = {}) {
  return String(text).replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match));
}

export function translator(ui) {
  return (key, values) => format(ui[key] ?? key, values);
}

export function newId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function validDay(text) {
  const match = DAY.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function formatDay(text, lang) {
  if (!validDay(text)) return text;
  const [year, month, day] = DAY.exec(text).slice(1).map(Number);
  return new Intl.DateTimeFormat(lang, { dateStyle: "long" }).format(new Date(year, month - 1, day));
}

export function formatInstant(text, lang) {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return text;
  return new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "short" }).format(date);
}

export function formatTime(date, lang) {
  return new Intl.DateTimeFormat(lang, { timeStyle: "short" }).format(date);
}

export function hasText(entry) {
  return entry.answers.some((item) => item.answer.trim() !== "");
}

export function answeredCount(entry) {
  return entry.answers.filter((item) => item.answer.trim() !== "").length;
}

export function newEntry({ exercise, title, lang, prompts, date }) {
  const now = new Date().toISOString();
  return {
    id: newId(), exercise, title, lang, date: date || today(), created: now, updated: now,
    answers: prompts.map((prompt) => ({ prompt, answer: "" })),
  };
}

// Newest first: by date of work, then by last change.
export function newestFirst(a, b) {
  return b.date.localeCompare(a.date) || b.updated.localeCompare(a.updated) || a.id.localeCompare(b.id);
}

function clone(entry) {
  return {
    id: entry.id, exercise: entry.exercise, title: entry.title ?? "", lang: entry.lang ?? "",
    date: entry.date, created: entry.created, updated: entry.updated,
    answers: entry.answers.map((item) => ({ prompt: item.prompt, answer: item.answer })),
  };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function toBase64(bytes) {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
}

function fromBase64(text) {
  const raw = atob(text);
  return Uint8Array.from(raw, (char) => char.charCodeAt(0));
}

function sameBytes(a, b) {
  if (!a || !b || a.length !== b.length) return false;
  return a.every((byte, index) => byte === b[index]);
}

// --- crypto ----------------------------------------------------------------------------------

export function cryptoAvailable() {
  return Boolean(globalThis.crypto && globalThis.crypto.subtle);
}

async function deriveKey(passphrase, salt, iterations) {
  if (!cryptoAvailable()) throw new JournalError("no-crypto");
  const material = await crypto.subtle.importKey(
    "raw", encoder.encode(passphrase), "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    material, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
}

async function encryptText(key, text, context) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(context) }, key, encoder.encode(text));
  return { iv, data: new Uint8Array(data) };
}

async function decryptText(key, sealed, context) {
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: sealed.iv, additionalData: encoder.encode(context) }, key, sealed.data);
  return decoder.decode(plain);
}

function isSealed(record) {
  return record && record.data instanceof Uint8Array && record.iv instanceof Uint8Array;
}

// --- IndexedDB -------------------------------------------------------------------------------

let opening = null;

function openDb() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      let request;
      try {
        request = indexedDB.open(DB_NAME, DB_VERSION);
      } catch (error) {
        reject(new JournalError("unavailable", { detail: String(error) }));
        return;
      }
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(ENTRIES)) db.createObjectStore(ENTRIES, { keyPath: "id" });
        if (!db.objectStoreNames.contains(META)) db.createObjectStore(META, { keyPath: "key" });
      };
      request.onsuccess = () => {
        const db = request.result;
        db.onversionchange = () => { db.close(); opening = null; };
        db.onclose = () => { opening = null; };
        resolve(db);
      };
      request.onerror = () => reject(new JournalError("unavailable", { detail: String(request.error) }));
      request.onblocked = () => reject(new JournalError("unavailable", { detail: "blocked" }));
    });
    opening.catch(() => { opening = null; });
  }
  return opening;
}

// One transaction over both stores. `work(stores, fail)` runs at once and returns a function
// giving the result once the transaction has committed; `fail(error)` aborts it.
async function transaction(mode, work) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    let tx;
    try {
      tx = db.transaction([ENTRIES, META], mode);
    } catch (error) {
      opening = null;
      reject(new JournalError("storage", { detail: String(error) }));
      return;
    }
    let failure = null;
    const fail = (error) => {
      failure = error;
      try { tx.abort(); } catch (ignored) { /* already finished */ }
    };
    let result = () => undefined;
    try {
      result = work({ entries: tx.objectStore(ENTRIES), meta: tx.objectStore(META) }, fail) || result;
    } catch (error) {
      fail(error);
    }
    tx.oncomplete = () => resolve(result());
    tx.onabort = () => reject(failure || new JournalError("storage", { detail: String(tx.error) }));
  });
}

function sameLock(a, b) {
  if (!a || !b) return !a && !b;
  return sameBytes(a.salt, b.salt);
}

export class Journal {
  constructor() {
    this.lock = null;  // the "lock" meta record, or null
    this.key = null;  // the AES key while the journal is open
  }

  static async open() {
    const journal = new Journal();
    await journal.refresh();
    return journal;
  }

  get isLocked() { return Boolean(this.lock); }

  get isOpen() { return !this.lock || Boolean(this.key); }

  async refresh() {
    const lock = await transaction("readonly", ({ meta }) => {
      const request = meta.get(LOCK);
      return () => request.result || null;
    });
    if (!sameLock(lock, this.lock)) this.key = null;
    this.lock = lock;
  }

  async unlock(passphrase) {
    await this.refresh();
    if (!this.lock) return;
    const key = await deriveKey(passphrase, this.lock.salt, this.lock.iterations);
    try {
      const text = await decryptText(key, this.lock.verifier, "verifier");
      if (text !== VERIFIER) throw new Error("verifier");
    } catch (error) {
      throw new JournalError("wrong-passphrase");
    }
    this.key = key;
  }

  close() {
    this.key = null;
  }

  async count() {
    return transaction("readonly", ({ entries }) => {
      const request = entries.count();
      return () => request.result;
    });
  }

  async records() {
    return transaction("readonly", ({ entries }) => {
      const request = entries.getAll();
      return () => request.result;
    });
  }

  async openRecord(record) {
    if (!isSealed(record)) return clone(record);
    if (!this.key) throw new JournalError("locked");
    return JSON.parse(await decryptText(this.key, record, record.id));
  }

  // Every entry, decrypted (throws "locked" when the journal is locked and not open).
  async entries() {
    const records = await this.records();
    if (records.some(isSealed) && !this.key) throw new JournalError("locked");
    return Promise.all(records.map((record) => this.openRecord(record)));
  }

  async seal(entry) {
    const plain = clone(entry);
    if (!this.lock) return plain;
    if (!this.key) throw new JournalError("locked");
    const sealed = await encryptText(this.key, JSON.stringify(plain), plain.id);
    return { id: plain.id, iv: sealed.iv, data: sealed.data };
  }

  // Write records and delete ids in one transaction, provided the lock is still the one this
  // page knows (another tab may have set or removed it); `lock` replaces the lock record
  // (null deletes it); `check(records)` may refuse the current content of the store.
  async write(records, removals = [], { lock, check } = {}) {
    const expected = this.lock;
    await transaction("readwrite", ({ entries, meta }, fail) => {
      const current = meta.get(LOCK);
      current.onsuccess = () => {
        if (!sameLock(current.result || null, expected)) {
          fail(new JournalError("changed"));
          return;
        }
        const go = () => {
          for (const record of records) entries.put(record);
          for (const id of removals) entries.delete(id);
          if (lock === null) meta.delete(LOCK);
          else if (lock) meta.put(lock);
        };
        if (!check) { go(); return; }
        const all = entries.getAll();
        all.onsuccess = () => {
          if (check(all.result)) go();
          else fail(new JournalError("changed"));
        };
      };
    });
  }

  async save(entry) {
    await this.write([await this.seal(entry)]);
  }

  async remove(id) {
    await this.write([], [id]);
  }

  // Erase everything: both stores emptied, then the database itself deleted.
  async eraseAll() {
    await transaction("readwrite", ({ entries, meta }) => {
      entries.clear();
      meta.clear();
    });
    this.lock = null;
    this.key = null;
    try {
      const db = await openDb();
      db.close();
    } catch (error) { /* nothing open */ }
    opening = null;
    await new Promise((resolve) => {
      const request = indexedDB.deleteDatabase(DB_NAME);
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    });
  }

  async setPassphrase(passphrase) {
    await this.refresh();
    if (this.lock) throw new JournalError("changed");
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const key = await deriveKey(passphrase, salt, ITERATIONS);
    const verifier = await encryptText(key, VERIFIER, "verifier");
    const lock = {
      key: LOCK, version: 1, kdf: "PBKDF2", hash: "SHA-256", iterations: ITERATIONS, salt,
      cipher: "AES-GCM", verifier,
    };
    for (let attempt = 0; ; attempt += 1) {
      const entries = await this.entries();
      const versions = new Map(entries.map((entry) => [entry.id, entry.updated]));
      const records = [];
      for (const entry of entries) {
        const sealed = await encryptText(key, JSON.stringify(clone(entry)), entry.id);
        records.push({ id: entry.id, iv: sealed.iv, data: sealed.data });
      }
      // refuse if another tab wrote an entry in between (it would stay in plain text)
      const check = (stored) => stored.length === versions.size && stored.every(
        (record) => !isSealed(record) && versions.get(record.id) === record.updated);
      try {
        await this.write(records, [], { lock, check });
        this.lock = lock;
        this.key = key;
        return entries.length;
      } catch (error) {
        if (!(error instanceof JournalError && error.code === "changed") || attempt >= 2) throw error;
      }
    }
  }

  async removePassphrase() {
    const entries = await this.entries();
    if (!this.lock) return entries.length;
    const ids = new Set(entries.map((entry) => entry.id));
    const check = (stored) => stored.length === ids.size && stored.every((record) => ids.has(record.id));
    await this.write(entries.map(clone), [], { lock: null, check });
    this.lock = null;
    this.key = null;
    return entries.length;
  }

  // Merge imported entries: {added, updated, same}.
  async merge(imported) {
    const current = new Map((await this.entries()).map((entry) => [entry.id, entry]));
    const counts = { added: 0, updated: 0, same: 0 };
    const records = [];
    for (const entry of imported) {
      const known = current.get(entry.id);
      if (!known) counts.added += 1;
      else if (Date.parse(entry.updated) > Date.parse(known.updated)) counts.updated += 1;
      else { counts.same += 1; continue; }
      records.push(await this.seal(entry));
    }
    if (records.length) await this.write(records);
    return counts;
  }

  // The JSON export of `entries`: encrypted with the journal's key when it is locked, unless
  // `plain` is asked for.
  async exportJson(entries, { plain = false } = {}) {
    const list = [...entries].sort(newestFirst).map(clone);
    const head = { format: FORMAT, version: VERSION, exported: new Date().toISOString() };
    if (!this.lock || plain) return { ...head, entries: list };
    if (!this.key) throw new JournalError("locked");
    const sealed = await encryptText(this.key, JSON.stringify({ entries: list }), FORMAT);
    return {
      ...head,
      encrypted: {
        kdf: "PBKDF2-SHA-256", iterations: this.lock.iterations, salt: toBase64(this.lock.salt),
        cipher: "AES-GCM", iv: toBase64(sealed.iv), data: toBase64(sealed.data),
      },
    };
  }

  // The entries of an export file (parsed by parseFile), decrypted with the journal's key
  // when the file was made with it, else with `passphrase`.
  async fileEntries(parsed, passphrase = "") {
    if (parsed.entries) return parsed.entries;
    const sealed = parsed.encrypted;
    let key = null;
    if (this.key && this.lock && sameBytes(this.lock.salt, sealed.salt)
        && this.lock.iterations === sealed.iterations) {
      key = this.key;
    } else if (passphrase) {
      key = await deriveKey(passphrase, sealed.salt, sealed.iterations);
    } else {
      throw new JournalError("file-passphrase");
    }
    let text;
    try {
      text = await decryptText(key, sealed, FORMAT);
    } catch (error) {
      throw new JournalError("file-passphrase");
    }
    let inner;
    try {
      inner = JSON.parse(text);
    } catch (error) {
      throw new JournalError("json");
    }
    if (!inner || typeof inner !== "object" || Array.isArray(inner)) throw new JournalError("foreign");
    return validEntries(inner.entries);
  }
}

// --- file format -----------------------------------------------------------------------------

function fieldError(index, field) {
  return new JournalError("entry", { n: index + 1, field });
}

function validEntry(value, index) {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw fieldError(index, "{}");
  for (const key of Object.keys(value)) {
    if (!ENTRY_KEYS.includes(key)) throw fieldError(index, key);
  }
  for (const key of REQUIRED_KEYS) {
    if (!(key in value)) throw fieldError(index, key);
  }
  const text = (key, limit) => {
    if (typeof value[key] !== "string" || value[key].length > limit) throw fieldError(index, key);
  };
  if (typeof value.id !== "string" || !ID.test(value.id)) throw fieldError(index, "id");
  if (typeof value.exercise !== "string" || !SLUG.test(value.exercise) || value.exercise.length > 100) {
    throw fieldError(index, "exercise");
  }
  if ("title" in value) text("title", LIMITS.title);
  if ("lang" in value && (typeof value.lang !== "string" || !/^(?:[a-z]{2,8})?$/.test(value.lang))) {
    throw fieldError(index, "lang");
  }
  if (typeof value.date !== "string" || !validDay(value.date)) throw fieldError(index, "date");
  for (const key of ["created", "updated"]) {
    if (typeof value[key] !== "string" || !INSTANT.test(value[key]) || Number.isNaN(Date.parse(value[key]))) {
      throw fieldError(index, key);
    }
  }
  if (!Array.isArray(value.answers) || value.answers.length > LIMITS.answers) throw fieldError(index, "answers");
  value.answers.forEach((item) => {
    if (!item || typeof item !== "object" || Array.isArray(item)) throw fieldError(index, "answers");
    const keys = Object.keys(item);
    if (keys.length !== 2 || typeof item.prompt !== "string" || typeof item.answer !== "string"
        || item.prompt.length > LIMITS.prompt || item.answer.length > LIMITS.answer) {
      throw fieldError(index, "answers");
    }
  });
  return clone(value);
}

function validEntries(list) {
  if (!Array.isArray(list) || list.length > LIMITS.entries) throw new JournalError("foreign");
  const entries = list.map(validEntry);
  const seen = new Set();
  entries.forEach((entry, index) => {
    if (seen.has(entry.id)) throw new JournalError("duplicate", { n: index + 1 });
    seen.add(entry.id);
  });
  return entries;
}

// Check an export file's text; return {entries} or {encrypted} (bytes decoded), or throw a
// JournalError naming what is wrong. Nothing is written here.
export function parseFile(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new JournalError("json");
  }
  if (!data || typeof data !== "object" || Array.isArray(data) || data.format !== FORMAT) {
    throw new JournalError("foreign");
  }
  if (!Number.isInteger(data.version) || data.version < 1) throw new JournalError("foreign");
  if (data.version > VERSION) throw new JournalError("version", { version: data.version });
  const hasEntries = "entries" in data;
  const hasSealed = "encrypted" in data;
  if (hasEntries === hasSealed) throw new JournalError("foreign");
  if (hasEntries) return { entries: validEntries(data.entries) };
  const sealed = data.encrypted;
  try {
    if (sealed.kdf !== "PBKDF2-SHA-256" || sealed.cipher !== "AES-GCM"
        || !Number.isInteger(sealed.iterations) || sealed.iterations < 100000
        || sealed.iterations > 10000000) {
      throw new Error("settings");
    }
    const parsed = {
      iterations: sealed.iterations, salt: fromBase64(sealed.salt), iv: fromBase64(sealed.iv),
      data: fromBase64(sealed.data),
    };
    if (parsed.salt.length < 16 || parsed.iv.length !== 12 || parsed.data.length < 16) throw new Error("sizes");
    return { encrypted: parsed };
  } catch (error) {
    throw new JournalError("foreign");
  }
}

// --- Markdown --------------------------------------------------------------------------------

function markdownText(text) {
  // keep the writer's lines; only what would turn a line into a heading, list or quote is
  // escaped, so the file reads the same as typed.
  return text.replace(/\r\n?/g, "\n").split("\n")
    .map((line) => line.replace(/^(\s*)([#>*+-]|\d+[.)])(?=\s|$)/, "$1\\$2"))
    .join("  \n");
}

export function entryMarkdown(entry, t, lang, title) {
  const lines = [`## ${title || entry.title || entry.exercise}`, ""];
  lines.push(`*${t("journal.print_date", { date: formatDay(entry.date, lang) })} · `
    + `${t("journal.changed", { date: formatInstant(entry.updated, lang) })}*`, "");
  entry.answers.forEach((item, index) => {
    lines.push(`### ${index + 1}. ${item.prompt}`, "");
    lines.push(item.answer.trim() ? markdownText(item.answer.trim()) : `*${t("journal.no_answer")}*`, "");
  });
  return lines.join("\n");
}

export function journalMarkdown(entries, t, lang, { site, titles = new Map() } = {}) {
  const sorted = [...entries].sort(newestFirst);
  const head = [`# ${t("journal.nav")}${site ? ` — ${site}` : ""}`, "",
    t("journal.md_exported", { date: formatInstant(new Date().toISOString(), lang), n: sorted.length }), ""];
  const body = sorted.map((entry) => entryMarkdown(entry, t, lang, titles.get(entry.exercise)));
  return head.concat(body.flatMap((text) => ["---", "", text])).join("\n").trimEnd() + "\n";
}

// --- page helpers ----------------------------------------------------------------------------

// Download text as a file, from a Blob URL (nothing leaves the browser).
export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

export function fileStem(text) {
  return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "journal";
}

// A modal confirmation (a <dialog>): resolves true when the user confirms. Escape, the
// "keep" button or closing the dialog cancel; the keep button has the focus first.
export function confirmAction({ title, message, confirm, cancel }) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const dialog = document.createElement("dialog");
    dialog.className = "wb-dialog";
    const id = `wb-dialog-${newId().slice(0, 8)}`;
    dialog.setAttribute("aria-labelledby", `${id}-title`);
    dialog.setAttribute("aria-describedby", `${id}-text`);
    const heading = document.createElement("h2");
    heading.id = `${id}-title`;
    heading.textContent = title;
    const text = document.createElement("p");
    text.id = `${id}-text`;
    text.textContent = message;
    const buttons = document.createElement("div");
    buttons.className = "wb-dialog__buttons";
    const keep = document.createElement("button");
    keep.type = "button";
    keep.className = "md-button";
    keep.textContent = cancel;
    keep.autofocus = true;
    const erase = document.createElement("button");
    erase.type = "button";
    erase.className = "md-button wb-dialog__danger";
    erase.textContent = confirm;
    buttons.append(keep, erase);
    dialog.append(heading, text, buttons);
    keep.addEventListener("click", () => dialog.close("keep"));
    erase.addEventListener("click", () => dialog.close("confirm"));
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (opener && opener.isConnected && typeof opener.focus === "function") opener.focus();
      resolve(dialog.returnValue === "confirm");
    }, { once: true });
    document.body.append(dialog);
    dialog.showModal();
    keep.focus();
  });
}

// The passphrase form of a locked journal (the journal page and the answer fields): on submit,
// unlock(passphrase) opens the journal, then onUnlocked() runs (reload, announce, focus); a
// failure of either is shown in `error` and the passphrase is selected for another try.
export function bindUnlock(form, error, { t, unlock, onUnlocked }) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = form.querySelector("input");
    const submit = form.querySelector("button");
    submit.disabled = true;
    error.textContent = t("journal.opening");
    try {
      await unlock(input.value);
      input.value = "";
      error.textContent = "";
      await onUnlocked();
    } catch (failure) {
      error.textContent = errorMessage(failure, t);
      input.select();
    } finally {
      submit.disabled = false;
    }
  });
}

// The message for a JournalError, in the page's language.
export function errorMessage(error, t) {
  if (!(error instanceof JournalError)) return t("journal.not_saved", { error: String(error && error.message || error) });
  const reasons = {
    json: "journal.reason_json", foreign: "journal.reason_foreign", version: "journal.reason_version",
    entry: "journal.reason_entry", duplicate: "journal.reason_duplicate",
    "file-passphrase": "journal.reason_passphrase", locked: "journal.reason_locked",
  };
  if (error.code in reasons) return t("journal.import_failed", { reason: t(reasons[error.code], error.values) });
  if (error.code === "wrong-passphrase") return t("journal.wrong_passphrase");
  if (error.code === "no-crypto") return t("journal.no_crypto");
  if (error.code === "unavailable") return t("journal.unavailable");
  if (error.code === "changed") return t("journal.changed_elsewhere");
  return t("journal.not_saved", { error: error.values.detail || error.code });
}
