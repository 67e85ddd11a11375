// Switchboard pages: helpers every page shares (DOM building, meta tags, the reconnecting socket).
// No framework and no build step: plain browser JavaScript, loaded before the page's own script.
"use strict";

(function () {
  /** Reads a JSON meta tag the server rendered, or null when absent or unreadable. */
  function meta(name) {
    const tag = document.querySelector('meta[name="' + name + '"]');
    if (!tag) return null;
    const raw = tag.getAttribute("content");
    try { return JSON.parse(raw); } catch (e) { return raw; }
  }

  /** Builds an element; text always goes in as text, never as HTML. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
      else if (key === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  /** A time value from the server (ms or s since 1970, or ISO text) as a Date. */
  function toDate(value) {
    if (value === null || value === undefined) return null;
    if (typeof value === "number") return new Date(value < 1e11 ? value * 1000 : value > 1e14 ? value / 1000 : value);
    const parsed = Date.parse(value);
    return isNaN(parsed) ? null : new Date(parsed);
  }

  function clock(value, lang) {
    const date = toDate(value);
    if (!date) return "";
    return date.toLocaleTimeString(lang || document.documentElement.lang || "en", { hour: "2-digit", minute: "2-digit" });
  }

  /** "42 s", "3 min", "2 h 5 min": a duration a person reads at a glance. */
  function duration(seconds) {
    if (seconds === null || seconds === undefined || isNaN(seconds)) return "—";
    const s = Math.max(0, Math.round(seconds));
    if (s < 90) return s + " s";
    const m = Math.round(s / 60);
    if (m < 90) return m + " min";
    return Math.floor(m / 60) + " h" + (m % 60 ? " " + (m % 60) + " min" : "");
  }

  /**
   * A WebSocket that reconnects with backoff (1 s doubling to 10 s), answers requests by id and
   * reports its state. `onOpen` runs on every (re)connect: the server sends the whole state again.
   */
  class Socket {
    constructor(path, handlers) {
      this.path = path;
      this.handlers = handlers || {};
      this.pending = new Map();
      this.nextId = 1;
      this.delay = 1000;
      this.closedByPage = false;
      this.ws = null;
    }

    get url() {
      return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + this.path;
    }

    get isOpen() { return this.ws !== null && this.ws.readyState === WebSocket.OPEN; }

    connect() {
      this.closedByPage = false;
      this.report("connecting");
      let ws;
      try { ws = new WebSocket(this.url); } catch (e) { this.retry(); return; }
      this.ws = ws;
      ws.addEventListener("open", () => {
        this.delay = 1000;
        this.report("live");
        if (this.handlers.onOpen) this.handlers.onOpen();
      });
      ws.addEventListener("message", (event) => {
        let message;
        try { message = JSON.parse(event.data); } catch (e) { return; }
        if (message.type === "reply" && message.id && this.pending.has(message.id)) {
          const waiter = this.pending.get(message.id);
          this.pending.delete(message.id);
          clearTimeout(waiter.timer);
          waiter.resolve(message);
          return;
        }
        if (message.type === "status" && this.handlers.onStatus) this.handlers.onStatus(message);
        if (this.handlers.onMessage) this.handlers.onMessage(message);
      });
      ws.addEventListener("close", (event) => {
        if (this.ws !== ws) return;
        this.ws = null;
        for (const [, waiter] of this.pending) {
          clearTimeout(waiter.timer);
          waiter.resolve({ ok: false, error: { code: "unavailable", message: "The connection dropped before the answer came; try again." } });
        }
        this.pending.clear();
        if (this.handlers.onClose) this.handlers.onClose(event);
        if (!this.closedByPage) this.retry();
      });
    }

    retry() {
      this.report("offline");
      const wait = this.delay;
      this.delay = Math.min(this.delay * 2, 10000);
      setTimeout(() => { if (!this.closedByPage) this.connect(); }, wait);
    }

    report(state) { if (this.handlers.onConnection) this.handlers.onConnection(state); }

    /** Sends a message that expects no answer; false when the socket is not open. */
    send(message) {
      if (!this.isOpen) return false;
      this.ws.send(JSON.stringify(message));
      return true;
    }

    /** Sends a message with a fresh id and resolves with the server's reply (bounded: 20 s). */
    request(message) {
      const id = "p" + Date.now().toString(36) + "-" + (this.nextId++);
      return new Promise((resolve) => {
        if (!this.isOpen) {
          resolve({ ok: false, error: { code: "unavailable", message: "Not connected; reconnecting. Try again in a moment." } });
          return;
        }
        const timer = setTimeout(() => {
          this.pending.delete(id);
          resolve({ ok: false, error: { code: "unavailable", message: "No answer within 20 seconds; try again." } });
        }, 20000);
        this.pending.set(id, { resolve, timer });
        this.ws.send(JSON.stringify(Object.assign({}, message, { id })));
      });
    }

    close() {
      this.closedByPage = true;
      if (this.ws) this.ws.close();
    }
  }

  /** Shows a short message in the page's toast area (role=status there), gone after 6 s. */
  function toast(text, level) {
    let area = document.getElementById("toasts");
    if (!area) {
      area = el("div", { id: "toasts", class: "toasts", role: "status", "aria-live": "polite" });
      document.body.append(area);
    }
    const item = el("div", { class: "toast " + (level || "info"), text });
    area.append(item);
    setTimeout(() => item.remove(), 6000);
  }

  /** A short two-tone chime made in the browser (no sound file to fetch). */
  function chime() {
    try {
      const AudioContext = window.AudioContext || window.webkitAudioContext;
      const context = new AudioContext();
      [660, 880].forEach((frequency, index) => {
        const osc = context.createOscillator();
        const gain = context.createGain();
        osc.frequency.value = frequency;
        gain.gain.value = 0.06;
        osc.connect(gain).connect(context.destination);
        osc.start(context.currentTime + index * 0.15);
        osc.stop(context.currentTime + index * 0.15 + 0.12);
      });
    } catch (e) { /* no audio: the toast still shows */ }
  }

  /** Posts to a same-site path with the session's CSRF token. */
  function post(path, body) {
    const csrf = meta("csrf-token") || "";
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf, "Content-Type": "application/json" },
      body: JSON.stringify(body || {}),
    });
  }

  /**
   * After a signed-in page's socket closed: if the session itself has ended (signed out, expired,
   * password changed), go to sign-in and come back here afterwards, instead of retrying for ever.
   */
  async function checkSession() {
    try {
      const answer = await fetch("/api/session", { credentials: "same-origin", cache: "no-store" });
      if (answer.status === 401) {
        location.href = "/signin?next=" + encodeURIComponent(location.pathname) + "&expired=1";
      }
    } catch (e) { /* the gateway is away: the socket's retries go on */ }
  }

  window.SB = { meta, el, clear, toDate, clock, duration, Socket, toast, chime, post, checkSession };
})();
