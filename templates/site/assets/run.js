// Run mode: one session live on the room's screen, step by step, with a countdown per step.
//
// The target is in the query string: ?set=<id>, ?exercise=<id>, or the composer's list
// ?ids=a,b,break:10,c&title=…; &view=facilitator adds the leader's panel (a second window may
// open it). Its data is one JSON file per set or exercise in data/run/, written by
// generator/site/catalogue.py (shape documented there; html values are the pages' safe HTML).
//
// Phases: each step of each exercise, then the exercise's debrief, and each break, in order.
// The debrief is a phase of its own after the last step, with no minutes of its own (the steps'
// minutes already add up to the exercise's): it shows the debrief text, counts the time it
// takes and waits for the leader (→) instead of moving on. A step moves on to the next phase
// when its countdown ends; a break moves on too but waits, paused, for the group to come back.
//
// State: { phase, running, end (epoch ms the countdown ends, while running), left (ms left,
// while paused; below 0 = past the plan), started (epoch ms of the first Start, or null) },
// kept in localStorage ("wb-run:<target>", exact; a second window follows it through the
// storage event) and in the URL hash (#phase=2&left=754&start=…, to the second, restored
// paused when this browser has no stored state). Nothing is sent anywhere.
//
// Facilitator notes and set notes reach the DOM only in the facilitator view. Texts from the
// data go in through textContent; only the build's own safe HTML goes through innerHTML.

import { element, tableHead } from "./catalogue.js";

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MINUTE = 60000;
const TICK_MS = 250;
const CUE_MS = 15000;
const MAX_ITEMS = 200;
const STORE_PREFIX = "wb-run:";
const SOUND_KEY = "wb-run-sound";

// ---- pure helpers (exported for tests and reuse) -------------------------------------------

export function parseTarget(search) {
  const params = new URLSearchParams(search);
  for (const kind of ["set", "exercise"]) {
    const id = params.get(kind);
    if (id !== null) return SLUG.test(id) ? { kind, id } : null;
  }
  const ids = params.get("ids");
  if (ids === null) return null;
  const items = [];
  for (const part of ids.split(",").slice(0, MAX_ITEMS)) {
    const token = part.trim();
    const pause = /^break:(\d{1,3})$/.exec(token);
    if (!token) continue;
    if (pause && Number(pause[1]) >= 1 && Number(pause[1]) <= 240) items.push({ break: Number(pause[1]) });
    else if (SLUG.test(token)) items.push({ exercise: token });
    else return null;
  }
  if (!items.some((item) => item.exercise)) return null;
  return { kind: "list", items, title: (params.get("title") || "").trim().slice(0, 200) };
}

export function targetKey(target) {
  if (target.kind !== "list") return `${target.kind}:${target.id}`;
  return `list:${target.items.map((item) => (item.exercise || `break:${item.break}`)).join(",")}`;
}

// Every phase of a session, with its planned offset (minutes from the start).
export function buildPhases(session) {
  const phases = [];
  session.entries.forEach((entry, part) => {
    if (entry.break !== undefined) {
      phases.push({ kind: "break", minutes: entry.break, part, note: entry.note });
      return;
    }
    const exercise = session.exercises[entry.exercise];
    exercise.steps.forEach((step, index) => phases.push({
      kind: "step", minutes: step.minutes, html: step.html, part, exercise, note: entry.note,
      index, count: exercise.steps.length,
    }));
    phases.push({ kind: "debrief", minutes: 0, html: exercise.debrief, part, exercise, note: entry.note });
  });
  let offset = 0;
  for (const phase of phases) {
    phase.offset = offset;
    offset += phase.minutes;
  }
  return phases;
}

export function initialState(phases) {
  return { phase: 0, running: false, end: null, left: phases[0].minutes * MINUTE, started: null };
}

export function leftOf(state, now) {
  return state.running ? state.end - now : state.left;
}

// A phase that stays when its time is up: a debrief, and the last phase of all.
function holds(phases, index) {
  return phases[index].kind === "debrief" || index === phases.length - 1;
}

// Catch up with the clock: every step whose countdown ended gives way to the next phase.
export function settle(state, phases, now) {
  let next = state;
  const events = [];
  while (next.running && next.end <= now && !holds(phases, next.phase)) {
    const ended = phases[next.phase];
    const phase = next.phase + 1;
    const full = phases[phase].minutes * MINUTE;
    events.push("advanced");
    if (ended.kind === "break") {
      next = { ...next, phase, running: false, end: null, left: full };
      events.push("break_over");
    } else {
      next = { ...next, phase, end: next.end + full };
    }
  }
  return { state: next, events };
}

export function act(state, phases, action, now) {
  const left = leftOf(state, now);
  const timed = (value) => (state.running ? { ...state, end: now + value } : { ...state, left: value });
  if (action === "toggle") {
    return state.running ? { ...state, running: false, end: null, left }
      : { ...state, running: true, end: now + left, left: null, started: state.started ?? now };
  }
  if (action === "next" || action === "previous") {
    const phase = Math.min(Math.max(state.phase + (action === "next" ? 1 : -1), 0), phases.length - 1);
    return { ...timed(phases[phase].minutes * MINUTE), phase };
  }
  if (action === "add") return timed(Math.max(left, 0) + MINUTE);
  if (action === "remove") return left <= 0 ? state : timed(Math.max(left - MINUTE, 0));
  if (action === "restart") return initialState(phases);
  return state;
}

function validState(data, phases) {
  const finite = (value) => typeof value === "number" && Number.isFinite(value);
  return Boolean(data) && Number.isInteger(data.phase) && data.phase >= 0 && data.phase < phases.length
    && typeof data.running === "boolean" && (data.running ? finite(data.end) : finite(data.left))
    && (data.started === null || finite(data.started));
}

function storedState(raw, phases) {
  try {
    const data = JSON.parse(raw);
    if (!validState(data, phases)) return null;
    const { phase, running, end, left, started } = data;
    return running ? { phase, running, end, left: null, started }
      : { phase, running, end: null, left, started };
  } catch {
    return null;
  }
}

export function hashOf(state, now) {
  const params = new URLSearchParams({
    phase: String(state.phase), left: String(Math.ceil(leftOf(state, now) / 1000)),
  });
  if (state.started !== null) params.set("start", String(Math.floor(state.started / 1000)));
  return `#${params.toString()}`;
}

export function stateFromHash(hash, phases) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const phase = Number(params.get("phase"));
  const left = Number(params.get("left"));
  const start = params.get("start");
  if (!params.has("phase") || !params.has("left")) return null;
  const state = {
    phase, running: false, end: null, left: left * 1000,
    started: start === null ? null : Number(start) * 1000,
  };
  return validState(state, phases) ? state : null;
}

function pad(value) {
  return String(value).padStart(2, "0");
}

export function formatClock(ms) {
  const total = Math.max(Math.floor(ms / 1000), 0);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  return hours ? `${hours}:${pad(minutes)}:${pad(total % 60)}` : `${minutes}:${pad(total % 60)}`;
}

// The countdown as shown: 4:59 counting down; +1:05 past the plan; 2:10 counting up in an
// untimed phase (a debrief).
export function countdown(phase, left) {
  if (left > 0) return formatClock(Math.ceil(left / 1000) * 1000);
  return `${phase.minutes ? "+" : ""}${formatClock(-left)}`;
}

function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (match, key) => (key in values ? String(values[key]) : match));
}

function html(tag, className, markup) {
  const node = element(tag, className);
  node.innerHTML = markup; // the build's own safe HTML (generator.markup), never user input
  return node;
}

// ---- data ------------------------------------------------------------------------------------

class NotFound extends Error {}

async function getJson(url) {
  const response = await fetch(url);
  if (response.status === 404) throw new NotFound(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

export async function loadSession(target, dataUrl, ui) {
  const url = (path) => new URL(path, dataUrl).href;
  if (target.kind === "set") {
    const data = await getJson(url(`sets/${target.id}.json`));
    return { title: data.set.title, planned: data.set.minutes, back: data.set.url,
      entries: data.set.entries, exercises: data.exercises };
  }
  const ids = target.kind === "exercise" ? [target.id]
    : [...new Set(target.items.filter((item) => item.exercise).map((item) => item.exercise))];
  const loaded = await Promise.all(ids.map((id) => getJson(url(`exercises/${id}.json`))));
  const exercises = Object.fromEntries(loaded.map((data) => [data.exercise.id, data.exercise]));
  if (target.kind === "exercise") {
    const exercise = exercises[target.id];
    return { title: exercise.title, planned: exercise.minutes, back: exercise.url,
      entries: [{ exercise: exercise.id, note: null }], exercises };
  }
  const entries = target.items.map((item) => (item.exercise ? { exercise: item.exercise, note: null }
    : { break: item.break, note: null }));
  const planned = entries.reduce((sum, entry) => sum + (entry.break || exercises[entry.exercise].minutes), 0);
  return { title: target.title || ui.session_default, planned, back: null, entries, exercises };
}

// ---- the page ----------------------------------------------------------------------------------

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function button(text, className, keys, label) {
  const node = element("button", `wb-run__button ${className}`, text);
  node.type = "button";
  if (keys) node.setAttribute("aria-keyshortcuts", keys);
  node.setAttribute("aria-label", label || text);
  return node;
}

export async function mountRun(root) {
  const ui = JSON.parse(root.dataset.ui);
  const target = parseTarget(window.location.search);
  if (!target) return null; // no target: the list of sets stays
  const message = element("p", "wb-run__message", ui.loading);
  message.setAttribute("role", "status");
  root.prepend(message);
  let session;
  try {
    session = await loadSession(target, new URL(root.dataset.data, window.location.href), ui);
  } catch (error) {
    message.textContent = error instanceof NotFound ? ui.not_found : ui.load_failed;
    return null;
  }
  return new Run(root, ui, target, session);
}

class Run {
  constructor(root, ui, target, session) {
    this.root = root;
    this.ui = ui;
    this.target = target;
    this.session = session;
    this.phases = buildPhases(session);
    this.key = STORE_PREFIX + targetKey(target);
    this.store = storage();
    this.facilitator = new URLSearchParams(window.location.search).get("view") === "facilitator";
    this.sound = this.store?.getItem(SOUND_KEY) === "1";
    this.audio = null;
    this.wakeLock = null;
    this.cueTimer = null;
    this.rendered = { phase: -1, table: "" };
    const base = new URL(root.dataset.root, window.location.href);
    const composer = new URL(root.dataset.composer, window.location.href);
    if (target.kind === "list") {
      composer.search = new URLSearchParams({
        ids: target.items.filter((item) => item.exercise).map((item) => item.exercise).join(","),
        ...(target.title ? { title: target.title } : {}),
      }).toString();
    }
    this.back = session.back === null ? composer.href : new URL(session.back, base).href;
    this.build();
    const stored = storedState(this.store?.getItem(this.key) ?? "null", this.phases);
    const restored = stored || stateFromHash(window.location.hash, this.phases);
    this.state = restored || initialState(this.phases);
    const { state } = settle(this.state, this.phases, Date.now());
    this.state = state;
    this.lastLeft = leftOf(this.state, Date.now());
    if (restored && !this.state.running && (this.state.phase > 0 || this.state.started !== null)) {
      this.say(ui.resumed);
    }
    this.save();
    this.render();
    this.renderCard();
    this.listen();
    this.interval = window.setInterval(() => this.tick(), TICK_MS);
    if (this.state.running) this.keepAwake(true);
  }

  // -- building --------------------------------------------------------------------------------

  build() {
    const { ui } = this;
    document.body.classList.add("wb-run-on");
    const stage = element("section", "wb-run__stage");
    stage.setAttribute("aria-labelledby", "wb-run-title");
    const top = element("div", "wb-run__top");
    // one exercise: its title is the large heading below, so this one is for screen readers
    const solo = this.target.kind === "exercise";
    const title = element("h1", solo ? "wb-sr" : "wb-run__title", this.session.title);
    title.id = "wb-run-title";
    this.clock = element("p", "wb-run__clock");
    this.clock.dataset.planned = String(this.session.planned);
    top.append(title, this.clock);

    const current = element("div", "wb-run__current");
    const head = element("div", "wb-run__head");
    this.part = element("p", "wb-run__part");
    this.heading = element("h2", "wb-run__exercise");
    this.label = element("p", "wb-run__phase");
    head.append(this.part, this.heading, this.label);
    const side = element("div", "wb-run__side");
    this.timer = element("p", "wb-run__timer");
    this.timer.setAttribute("role", "timer");
    const bar = element("div", "wb-run__bar");
    bar.setAttribute("aria-hidden", "true");
    bar.append(element("div", "wb-run__fill"));
    this.bar = bar;
    this.next = element("p", "wb-run__next");
    this.body = element("div", "wb-run__body");
    this.text = element("div", "wb-run__text");
    this.body.append(this.text);
    this.safety = element("aside", "wb-run__safety");
    this.safety.setAttribute("aria-labelledby", "wb-run-safety");
    current.append(head, side, this.body, this.safety);
    side.append(this.timer, bar, this.next);

    this.status = element("p", "wb-run__status");
    this.status.setAttribute("role", "status");

    const controls = element("div", "wb-run__controls");
    controls.setAttribute("role", "group");
    controls.setAttribute("aria-label", ui.controls);
    this.buttons = {
      previous: button(`← ${ui.previous_step}`, "wb-run__previous", "ArrowLeft", ui.previous_step),
      toggle: button(ui.start, "wb-run__toggle", "Space"),
      next: button(`${ui.next_step} →`, "wb-run__next-step", "ArrowRight", ui.next_step),
      remove: button(ui.remove_minute, "wb-run__remove", "-", ui.remove_minute_label),
      add: button(ui.add_minute, "wb-run__add", "Plus", ui.add_minute_label),
      fullscreen: button(ui.fullscreen, "wb-run__fullscreen", "F"),
      sound: button(ui.sound, "wb-run__sound"),
      view: button(ui.facilitator_view, "wb-run__view"),
    };
    this.buttons.fullscreen.setAttribute("aria-pressed", "false");
    this.buttons.sound.setAttribute("aria-pressed", String(this.sound));
    this.buttons.view.setAttribute("aria-pressed", String(this.facilitator));
    const second = element("a", "wb-run__button wb-run__second", ui.second_window);
    second.target = "_blank";
    second.rel = "noopener";
    this.second = second;
    const leave = element("a", "wb-run__button wb-run__leave", ui.leave);
    leave.href = this.back;
    leave.setAttribute("aria-keyshortcuts", "Escape");
    controls.append(...Object.values(this.buttons), second, leave);
    const keys = element("p", "wb-run__keys", ui.keys);

    this.panel = element("section", "wb-run__facilitator");
    this.panel.setAttribute("aria-labelledby", "wb-run-notes");
    this.card = element("section", "wb-run__card");
    this.card.setAttribute("aria-labelledby", "wb-run-card");
    stage.append(top, current, this.status, controls, keys);
    this.stage = stage;
    this.root.replaceChildren(stage, this.panel, this.card);
    this.buildPanel();
  }

  buildPanel() {
    const { ui } = this;
    this.panel.replaceChildren();
    this.panel.hidden = !this.facilitator;
    this.root.classList.toggle("wb-run--facilitator", this.facilitator);
    this.rendered.phase = -1;
    this.rendered.table = "";
    if (!this.facilitator) return; // the projected view holds no facilitator text at all
    const notesTitle = element("h2", "", ui.notes);
    notesTitle.id = "wb-run-notes";
    this.notes = element("div", "wb-run__notes");
    const comingTitle = element("h2", "", ui.coming);
    this.coming = element("div", "wb-run__coming");
    const timingsTitle = element("h2", "", ui.timings);
    this.table = element("div", "wb-run__timings");
    const form = element("div", "wb-run__cardform");
    const startLabel = element("label", "", ui.card_start);
    startLabel.htmlFor = "wb-run-start";
    this.startInput = element("input");
    Object.assign(this.startInput, { id: "wb-run-start", type: "time" });
    const print = button(ui.card_print, "wb-run__print");
    form.append(startLabel, this.startInput, print);
    const restart = button(ui.restart, "wb-run__restart");
    this.startInput.addEventListener("change", () => this.renderCard());
    print.addEventListener("click", () => {
      this.renderCard();
      window.print();
    });
    restart.addEventListener("click", () => this.apply("restart"));
    this.panel.append(notesTitle, this.notes, comingTitle, this.coming, timingsTitle, this.table, form,
      restart);
  }

  // -- state -----------------------------------------------------------------------------------

  save() {
    const { phase, running, end, left, started } = this.state;
    try {
      this.store?.setItem(this.key, JSON.stringify({ phase, running, end, left, started }));
    } catch {
      // storage full or refused: the hash still keeps the place
    }
    this.writeUrl();
  }

  writeUrl() {
    const params = new URLSearchParams(window.location.search);
    if (this.facilitator) params.set("view", "facilitator");
    else params.delete("view");
    const query = `?${params.toString()}`;
    const hash = hashOf(this.state, Date.now());
    if (query !== window.location.search || hash !== window.location.hash) {
      window.history.replaceState(null, "", `${window.location.pathname}${query}${hash}`);
    }
    const second = new URLSearchParams(window.location.search);
    second.set("view", "facilitator");
    this.second.href = `${window.location.pathname}?${second.toString()}`;
  }

  apply(action) {
    const now = Date.now();
    const was = this.state.running;
    this.state = act(this.state, this.phases, action, now);
    if (this.sound) this.wakeAudio(); // a key or a click: from now on the tone may play
    this.clearCue();
    this.say("");
    if (action === "restart") this.rendered.phase = -1;
    this.lastLeft = leftOf(this.state, now);
    this.save();
    this.render();
    if (was !== this.state.running) this.keepAwake(this.state.running);
  }

  tick() {
    const now = Date.now();
    const { state, events } = settle(this.state, this.phases, now);
    const left = leftOf(state, now);
    if (events.length) {
      this.state = state;
      this.save();
      this.cue(events.includes("break_over") ? this.ui.break_over : this.ui.cue);
      if (!state.running) this.keepAwake(false);
    } else if (state.running && this.lastLeft > 0 && left <= 0) {
      this.cue(this.ui.cue_end); // a debrief given extra minutes, or the last step, is over
    }
    this.lastLeft = left;
    this.render();
  }

  adopt(raw) {
    const state = storedState(raw, this.phases);
    if (!state) return;
    const was = this.state.running;
    this.state = state;
    this.lastLeft = leftOf(state, Date.now());
    this.writeUrl();
    this.render();
    if (was !== state.running) this.keepAwake(state.running);
  }

  // -- cue, sound, screen ------------------------------------------------------------------------

  say(text) {
    this.status.textContent = text;
  }

  cue(text) {
    this.stage.classList.add("wb-run--cue");
    this.say(text);
    if (this.sound) this.beep();
    window.clearTimeout(this.cueTimer);
    this.cueTimer = window.setTimeout(() => this.clearCue(), CUE_MS);
  }

  clearCue() {
    window.clearTimeout(this.cueTimer);
    this.stage.classList.remove("wb-run--cue");
  }

  // Browsers let sound play once the page had a click or a key: create or resume it then.
  wakeAudio() {
    try {
      this.audio = this.audio || new AudioContext();
      if (this.audio.state === "suspended") this.audio.resume().catch(() => {});
    } catch {
      // no WebAudio: the visual cue stays
    }
  }

  beep() {
    try {
      this.audio = this.audio || new AudioContext();
      const start = this.audio.currentTime;
      const tone = this.audio.createOscillator();
      const gain = this.audio.createGain();
      tone.type = "sine";
      tone.frequency.value = 528;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.08, start + 0.08);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 1.2);
      tone.connect(gain).connect(this.audio.destination);
      tone.start(start);
      tone.stop(start + 1.25);
    } catch {
      // no sound here: the visual cue stays
    }
  }

  keepAwake(on) {
    if (!on) {
      this.wakeLock?.release().catch(() => {});
      this.wakeLock = null;
      return;
    }
    if (this.wakeLock || !navigator.wakeLock || document.visibilityState !== "visible") return;
    navigator.wakeLock.request("screen").then((lock) => {
      this.wakeLock = lock;
      lock.addEventListener("release", () => { if (this.wakeLock === lock) this.wakeLock = null; });
    }).catch(() => {});
  }

  toggleFullscreen() {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else this.root.requestFullscreen?.().catch(() => {});
  }

  // -- events ------------------------------------------------------------------------------------

  listen() {
    const { buttons } = this;
    for (const action of ["previous", "toggle", "next", "remove", "add"]) {
      buttons[action].addEventListener("click", () => this.apply(action));
    }
    // After a click or a tap, the keys act on the session again (Space is start/pause, not
    // "press the last button clicked"); a button reached with Tab keeps its focus.
    this.stage.addEventListener("click", (event) => {
      const pressed = event.target.closest && event.target.closest("button");
      if (pressed && event.detail > 0) pressed.blur();
    });
    buttons.fullscreen.addEventListener("click", () => this.toggleFullscreen());
    buttons.sound.addEventListener("click", () => {
      this.sound = !this.sound;
      buttons.sound.setAttribute("aria-pressed", String(this.sound));
      try {
        this.store?.setItem(SOUND_KEY, this.sound ? "1" : "0");
      } catch { /* a preference only */ }
      if (this.sound) this.wakeAudio();
    });
    buttons.view.addEventListener("click", () => {
      this.facilitator = !this.facilitator;
      buttons.view.setAttribute("aria-pressed", String(this.facilitator));
      this.buildPanel();
      this.writeUrl();
      this.render();
    });
    document.addEventListener("fullscreenchange", () => {
      buttons.fullscreen.setAttribute("aria-pressed", String(document.fullscreenElement === this.root));
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && this.state.running) this.keepAwake(true);
    });
    window.addEventListener("storage", (event) => {
      if (event.key === this.key && event.newValue) this.adopt(event.newValue);
    });
    window.addEventListener("beforeprint", () => this.renderCard());
    document.addEventListener("keydown", (event) => this.onKey(event));
  }

  onKey(event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    const activates = target.closest && target.closest("button, a, summary");
    const actions = {
      " ": "toggle", ArrowRight: "next", ArrowLeft: "previous", "+": "add", "-": "remove", "−": "remove",
    };
    if (event.key in actions) {
      if (event.key === " " && activates) return; // Space on a focused button presses it
      event.preventDefault();
      this.apply(actions[event.key]);
    } else if (event.key === "f" || event.key === "F") {
      event.preventDefault();
      this.toggleFullscreen();
    } else if (event.key === "Escape" && !document.fullscreenElement) {
      window.location.href = this.back;
    }
  }

  // -- rendering ---------------------------------------------------------------------------------

  phaseLabel(phase) {
    if (phase.kind === "step") return format(this.ui.step_of, { n: phase.index + 1, total: phase.count });
    if (phase.kind === "debrief") return this.ui.debrief;
    return format(this.ui.minutes, { n: phase.minutes });
  }

  partTitle(phase) {
    return phase.kind === "break" ? this.ui.break : phase.exercise.title;
  }

  nextText(index) {
    const { ui } = this;
    const phase = this.phases[index];
    const next = this.phases[index + 1];
    if (!next) return `${ui.next}${ui.colon}${ui.end}`;
    let text;
    if (next.part === phase.part) {
      text = this.phaseLabel(next);
      if (next.minutes) text += ` — ${format(ui.minutes, { n: next.minutes })}`;
    } else {
      const minutes = next.kind === "break" ? next.minutes : next.exercise.minutes;
      text = `${this.partTitle(next)} — ${format(ui.minutes, { n: minutes })}`;
    }
    return `${ui.next}${ui.colon}${text}`;
  }

  timeOfDay(epoch) {
    return new Intl.DateTimeFormat(this.ui.lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .format(new Date(epoch));
  }

  render() {
    const now = Date.now();
    const { ui, state, phases } = this;
    const phase = phases[state.phase];
    const left = leftOf(state, now);
    if (this.rendered.phase !== state.phase) this.renderPhase();
    this.timer.textContent = countdown(phase, left);
    const name = left > 0 ? ui.time_left : phase.minutes ? ui.over_time : ui.open_time;
    this.timer.setAttribute("aria-label", name);
    this.timer.classList.toggle("wb-run__timer--over", left <= 0 && phase.minutes > 0);
    const full = phase.minutes * MINUTE;
    const done = full && left > 0 ? Math.min(Math.max(1 - left / full, 0), 1) : 1;
    this.bar.style.setProperty("--wb-run-done", String(done));
    this.buttons.toggle.textContent = state.running ? ui.pause
      : state.started === null ? ui.start : ui.resume;
    this.buttons.toggle.setAttribute("aria-label", this.buttons.toggle.textContent);
    this.buttons.toggle.classList.toggle("wb-run__toggle--running", state.running);
    this.buttons.previous.disabled = state.phase === 0 && left === full;
    this.buttons.next.disabled = state.phase === phases.length - 1;
    this.stage.classList.toggle("wb-run--running", state.running);
    // the session clock against the planned end
    const base = state.started ?? now;
    const plannedEnd = base + this.session.planned * MINUTE;
    const rest = phases.slice(state.phase + 1).reduce((sum, item) => sum + item.minutes, 0) * MINUTE;
    const projected = now + Math.max(left, 0) + rest;
    const spare = Math.round((plannedEnd - projected) / MINUTE);
    const drift = spare >= 1 ? format(ui.spare, { n: spare })
      : spare <= -1 ? format(ui.late, { n: -spare }) : ui.on_time;
    this.clock.textContent = `${ui.session_clock} ${format(ui.clock_of, {
      elapsed: formatClock(state.started === null ? 0 : now - state.started),
      planned: format(ui.minutes, { n: this.session.planned }),
    })} · ${format(ui.planned_end, { time: this.timeOfDay(plannedEnd) })} · ${drift}`;
    if (this.facilitator) this.renderTimings(base);
    if (window.location.hash !== hashOf(state, now)) this.writeUrl();
  }

  renderPhase() {
    const { ui, state, phases } = this;
    const phase = phases[state.phase];
    this.rendered.phase = state.phase;
    const parts = this.session.entries.length;
    this.part.textContent = parts > 1 ? format(ui.item_of, { n: phase.part + 1, total: parts }) : "";
    this.part.hidden = parts <= 1;
    this.heading.textContent = this.partTitle(phase);
    this.label.textContent = this.phaseLabel(phase);
    this.stage.dataset.kind = phase.kind;
    if (phase.kind === "break") {
      const text = `${ui.break} — ${format(ui.minutes, { n: phase.minutes })}`;
      this.text.replaceChildren(element("p", "", text));
    } else {
      this.text.replaceChildren(html("div", "", phase.html));
      if (phase.kind === "debrief") this.text.append(element("p", "wb-run__hint", ui.open_time));
    }
    // the right to pass and the safety note when an exercise starts
    const starts = phase.kind === "step" && phase.index === 0;
    this.safety.hidden = !starts;
    this.safety.replaceChildren();
    if (starts) {
      const title = element("h3", "", ui.safety);
      title.id = "wb-run-safety";
      this.safety.append(title, element("p", "wb-run__pass", ui.right_to_pass),
        html("div", "", phase.exercise.safety));
    }
    this.next.textContent = this.nextText(state.phase);
    if (this.facilitator) this.renderNotes();
  }

  renderNotes() {
    const { ui, state, phases } = this;
    const phase = phases[state.phase];
    const notes = [];
    if (phase.note) notes.push(element("h3", "", ui.set_note), html("div", "", phase.note));
    if (phase.exercise) {
      notes.push(element("h3", "", phase.exercise.title), html("div", "", phase.exercise.facilitator_notes));
    }
    this.notes.replaceChildren(...notes);
    const next = phases[state.phase + 1];
    const coming = [element("p", "wb-run__coming-label", this.nextText(state.phase))];
    if (next && next.kind !== "break") coming.push(html("div", "", next.html));
    this.coming.replaceChildren(...coming);
  }

  rows(base) {
    return this.phases.map((phase) => ({
      phase,
      time: this.timeOfDay(base + phase.offset * MINUTE),
      item: phase.kind === "break" ? this.ui.break : `${phase.exercise.title} — ${this.phaseLabel(phase)}`,
    }));
  }

  renderTimings(base) {
    const key = `${this.state.phase}|${this.timeOfDay(base)}`;
    if (this.rendered.table === key) return;
    this.rendered.table = key;
    const { ui } = this;
    const table = element("table", "wb-run__table");
    const thead = tableHead([ui.col_time, ui.col_item, ui.col_minutes]);
    const tbody = element("tbody");
    this.rows(base).forEach((row, index) => {
      const line = element("tr", index === this.state.phase ? "wb-run__row--current" : "");
      if (index === this.state.phase) line.setAttribute("aria-current", "step");
      line.append(element("td", "", row.time), element("td", "", row.item),
        element("td", "", row.phase.minutes ? String(row.phase.minutes) : "—"));
      tbody.append(line);
    });
    table.append(thead, tbody);
    this.table.replaceChildren(table);
  }

  // The timing card: one printed page with the plan and its clock times.
  renderCard() {
    const { ui, session } = this;
    let base = this.state.started ?? Date.now();
    const chosen = /^(\d{2}):(\d{2})$/.exec(this.startInput?.value || "");
    if (chosen) {
      const day = new Date();
      day.setHours(Number(chosen[1]), Number(chosen[2]), 0, 0);
      base = day.getTime();
    }
    const title = element("h2", "wb-run__card-title", `${ui.card} — ${session.title}`);
    title.id = "wb-run-card";
    const total = element("p", "", format(ui.card_total, {
      start: this.timeOfDay(base), end: this.timeOfDay(base + session.planned * MINUTE), n: session.planned,
    }));
    const table = element("table", "wb-run__table");
    const head = element("tr");
    for (const text of [ui.col_time, ui.col_item, ui.col_minutes]) head.append(element("th", "", text));
    const thead = element("thead");
    thead.append(head);
    const tbody = element("tbody");
    const rows = this.rows(base);
    session.entries.forEach((entry, part) => {
      const own = rows.filter((row) => row.phase.part === part);
      const first = own[0].phase;
      const line = element("tr");
      const item = element("td");
      item.append(element("strong", "", this.partTitle(first)));
      if (first.kind !== "break") {
        item.append(element("span", "wb-run__card-steps",
          own.map((row) => `${row.time} ${this.phaseLabel(row.phase)}`).join(" · ")));
      }
      const minutes = first.kind === "break" ? first.minutes : first.exercise.minutes;
      line.append(element("td", "", own[0].time), item, element("td", "", String(minutes)));
      tbody.append(line);
    });
    table.append(thead, tbody);
    this.card.replaceChildren(title, total, table);
  }
}

const root = document.querySelector("[data-wb-run]");
if (root) {
  mountRun(root).catch((error) => {
    root.prepend(element("p", "wb-run__message", String(error)));
  });
}
