// The "What if" page: replays a window of the router's journal (unchanged, or against a changed
// contact centre) through POST /api/whatif/replay and shows recorded against replayed: a table per
// queue, two charts by hour (inline SVG drawn here), agents' occupancy and the models assumed.
"use strict";

(function () {
  const { el, clear, meta, post } = window.SB;
  const $ = (id) => document.getElementById(id);
  const SVG = "http://www.w3.org/2000/svg";

  const person = meta("person") || {};
  $("person-name").textContent = person.name || person.id || "Supervisor";

  let setting = null;        // GET /api/whatif: {centre: {file, text}, journal: {first, last}, available, problem}
  let report = null;         // the last replay's report
  let percentScale = false;  // whether the report's shares are 0-100 (else 0-1)

  // ---- the window ----

  /** A Date as the value of an <input type="datetime-local"> (local time, whole seconds). */
  function toLocalInput(date) {
    const pad = (n) => String(n).padStart(2, "0");
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) + "T" +
      pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds());
  }

  function fromLocalInput(value) {
    if (!value) return null;
    const date = new Date(value);
    return isNaN(date.getTime()) ? null : date;
  }

  /** Where a replay can start: the router's oldest kept checkpoint (else its first input, which the replay refuses clearly). */
  function replayStart() {
    const journal = setting && setting.journal;
    if (!journal) return NaN;
    return Date.parse(journal.replayableFrom || journal.firstInput);
  }

  /**
   * The window a preset stands for, as the request sends it: the last hour starts an hour ago (or
   * where the journal can be replayed from, when that is later) and runs to the journal's end; the
   * whole journal starts where it can be replayed from. The end is left to the replay (the last input).
   */
  function presetWindow(preset) {
    const start = replayStart();
    if (preset === "journal") return isNaN(start) ? {} : { since: new Date(start) };
    const hourAgo = Date.now() - 3600 * 1000;
    return { since: new Date(isNaN(start) ? hourAgo : Math.max(hourAgo, start)) };
  }

  /** Shows a preset's window in the two fields (the end as the journal's last input, when known). */
  function applyPreset() {
    const preset = $("window-preset").value;
    if (preset === "custom") return;
    const journal = setting && setting.journal;
    const since = presetWindow(preset).since;
    const until = journal ? new Date(Date.parse(journal.lastInput)) : new Date();
    if (since) $("since").value = toLocalInput(since);
    $("until").value = toLocalInput(until);
  }

  function showJournalSpan() {
    const journal = setting && setting.journal;
    $("journal-span").textContent = !journal
      ? "The router's journal is empty or not readable yet."
      : "The retained journal runs from " + when(journal.firstInput) + " to " + when(journal.lastInput) + "; " +
        (journal.replayableFrom
          ? "a replay can start from " + when(journal.replayableFrom) + " (the router's oldest kept checkpoint)."
          : "a replay starts from a checkpoint, and the router has not kept one yet (it does within a minute of work).");
  }

  function when(value) {
    const date = value instanceof Date ? value : new Date(Date.parse(value));
    if (isNaN(date.getTime())) return "—";
    return date.toLocaleString(document.documentElement.lang || "en",
      { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  function hourLabel(date) {
    return date.toLocaleTimeString(document.documentElement.lang || "en", { hour: "2-digit", minute: "2-digit" });
  }

  // ---- figures ----

  function share(value) {
    if (value === null || value === undefined || isNaN(value)) return "—";
    const percent = percentScale ? value : value * 100;
    return percent.toFixed(percent >= 99.95 || percent === 0 ? 0 : 1) + "%";
  }

  function seconds(value) {
    if (value === null || value === undefined || isNaN(value)) return "—";
    return value < 90 ? value.toFixed(value < 10 && value % 1 !== 0 ? 1 : 0) + " s" : window.SB.duration(value);
  }

  function count(value) {
    return value === null || value === undefined || isNaN(value) ? "—" : String(Math.round(value));
  }

  // For each queue figure: how it reads, and which way is better (1: higher, -1: lower, 0: neither).
  const QUEUE_FIGURES = [
    { key: "arrivals", format: count, better: 0, unit: "count" },
    { key: "serviceLevel", format: share, better: 1, unit: "share" },
    { key: "averageWaitSeconds", format: seconds, better: -1, unit: "seconds" },
    { key: "p90WaitSeconds", format: seconds, better: -1, unit: "seconds" },
    { key: "abandoned", format: count, better: -1, unit: "count" },
    { key: "stickyShare", format: share, better: 1, unit: "share" },
    { key: "skillMatch", format: share, better: 1, unit: "share" },
  ];

  function difference(figure, delta) {
    if (delta === null || delta === undefined || isNaN(delta)) return { text: "", cls: "" };
    const tiny = figure.unit === "share" ? (percentScale ? 0.05 : 0.0005) : 0.5;
    if (Math.abs(delta) < tiny) return { text: "no change", cls: "" };
    const sign = delta > 0 ? "+" : "−";
    let text;
    if (figure.unit === "share") text = sign + Math.abs(percentScale ? delta : delta * 100).toFixed(1) + " pts";
    else if (figure.unit === "seconds") text = sign + seconds(Math.abs(delta));
    else text = sign + Math.round(Math.abs(delta));
    const cls = figure.better === 0 ? "" : (delta * figure.better > 0 ? "better" : "worse");
    return { text, cls };
  }

  // ---- running a replay ----

  async function load() {
    $("status").textContent = "Loading the centre in force…";
    try {
      const answer = await fetch("/api/whatif", { credentials: "same-origin", cache: "no-store" });
      if (answer.status === 401) { location.href = "/signin?next=/whatif&expired=1"; return; }
      setting = await answer.json();
      if (!answer.ok) throw new Error((setting.error && setting.error.message) || "status " + answer.status);
    } catch (error) {
      $("status").textContent = "";
      $("error").textContent = "The page could not load its setting: " + error.message;
      return;
    }
    const centre = setting.centre;
    $("centre").value = centre && centre.text ? centre.text : "";
    $("centre-file").textContent = centre && centre.file ? " (" + centre.file + ")" : "";
    showJournalSpan();
    applyPreset();
    if (!setting.available) {
      $("run").disabled = true;
      $("status").textContent = "";
      $("error").textContent = setting.problem || "Replays cannot run on this gateway.";
    } else {
      $("status").textContent = "Ready: choose a window, change the centre if you like, and run the replay.";
    }
  }

  async function run(event) {
    event.preventDefault();
    $("error").textContent = "";
    const preset = $("window-preset").value;
    let since, until;
    if (preset === "custom") {
      since = fromLocalInput($("since").value);
      until = fromLocalInput($("until").value);
      if (!since || !until) {
        $("error").textContent = "Choose both ends of the window.";
        (since ? $("until") : $("since")).focus();
        return;
      }
    } else {
      ({ since, until } = presetWindow(preset));
    }
    const body = {};
    if (since) body.since = since.toISOString();
    if (until) body.until = until.toISOString();
    const original = setting && setting.centre ? setting.centre.text || "" : "";
    const changed = $("centre").value !== original;
    if (changed) body.centre = $("centre").value;
    $("run").disabled = true;
    $("results").setAttribute("aria-busy", "true");
    $("status").textContent = "Replaying " + (since ? when(since) : "the journal's start") + " to " +
      (until ? when(until) : "its end") +
      (changed ? " with the changed centre" : " with the centre in force") + "…";
    let answer, value;
    try {
      answer = await post("/api/whatif/replay", body);
      value = await answer.json();
    } catch (error) {
      value = { error: { message: "No answer from the gateway: " + error.message } };
      answer = { ok: false, status: 0 };
    } finally {
      $("run").disabled = false;
      $("results").removeAttribute("aria-busy");
    }
    if (answer.status === 401) { location.href = "/signin?next=/whatif&expired=1"; return; }
    if (!answer.ok) {
      const message = (value && value.error && value.error.message) || "The replay failed (status " + answer.status + ").";
      $("status").textContent = answer.status === 422 && value.error.code === "replay_failed"
        ? "The replay refused the request; see the message below." : "The replay did not run.";
      $("error").textContent = message;
      $("results").hidden = true;  // the last results were for another request: not to be read as this one's
      selectLineOf(message);
      return;
    }
    report = value;
    render();
    $("status").textContent = "Replayed " + count(report.conversations) + " conversations in " +
      (report.replaySeconds || 0).toFixed(2) + " s" + (changed ? " with the changed centre." : ".");
    $("results-h").focus();
  }

  /** A message naming a line of the centre ("FILE.yaml:N:…" or "line N"): select it, so the fix is one step away. */
  function selectLineOf(message) {
    const match = /\.ya?ml:(\d+)/.exec(message) || /\bline (\d+)/.exec(message);
    if (!match) return;
    const line = Number(match[1]);
    const lines = $("centre").value.split("\n");
    if (line < 1 || line > lines.length) return;
    let start = 0;
    for (let i = 0; i < line - 1; i++) start += lines[i].length + 1;
    const box = $("centre");
    box.setSelectionRange(start, start + lines[line - 1].length);
    box.scrollTop = Math.max(0, (line - 3) * (box.scrollHeight / lines.length));
  }

  // ---- the results ----

  function render() {
    $("results").hidden = false;
    const shares = [];
    for (const q of report.queues || []) for (const side of ["recorded", "replayed"]) {
      const m = q[side] || {};
      shares.push(m.serviceLevel, m.stickyShare, m.skillMatch);
    }
    percentScale = shares.some((v) => typeof v === "number" && v > 1);
    renderReproduction();
    renderQueues();
    renderChartChoices();
    renderCharts();
    renderAgents();
    renderModels();
  }

  function decision(d) {
    if (!d) return "no decision";
    let text = d.agent ? "to " + d.agent : "to nobody";
    if (d.at) text += " at " + when(d.at);
    if (d.rule) text += " (rule " + d.rule + (d.reason ? ": " + d.reason : "") + ")";
    return text;
  }

  function renderReproduction() {
    const r = report.reproduction || {};
    const changedCentre = report.centre && report.centre.changed;
    const line = $("reproduction");
    const counted = count(r.equal) + " of " + count(r.decisions) + " decisions";
    if (!r.firstDivergence) {
      line.className = "reproduction";
      line.textContent = changedCentre
        ? "Every decision came out as recorded, even with the changed centre (" + counted + ")."
        : "Every decision reproduced: " + counted + " as recorded.";
    } else {
      const f = r.firstDivergence;
      line.className = "reproduction diverged";
      line.textContent = (changedCentre ? "With the changed centre, " : "Not every decision reproduced: ") +
        counted + " as recorded. First divergence, conversation " + f.conversation + ": recorded " +
        decision(f.recorded) + "; replayed " + decision(f.replayed) + ".";
    }
    const w = report.window || {};
    $("summary").textContent = "";
    $("summary").append(
      count(report.conversations) + " conversations (" + count(report.inputs) + " inputs) from " + when(w.since) +
        " to " + when(w.until) + ", replayed at " + Math.round(report.conversationsPerSecond || 0) +
        " conversations per second. ",
      el("strong", { id: "changed", text: count(report.changedConversations) }),
      " conversation" + (report.changedConversations === 1 ? "" : "s") + " would have gone differently.");
  }

  function renderQueues() {
    const body = $("queues");
    clear(body);
    for (const q of report.queues || []) {
      const recorded = q.recorded || {}, replayed = q.replayed || {}, diff = q.difference || {};
      const cells = QUEUE_FIGURES.map((figure) => {
        const a = recorded[figure.key], b = replayed[figure.key];
        const delta = typeof diff[figure.key] === "number" ? diff[figure.key]
          : (typeof a === "number" && typeof b === "number" ? b - a : null);
        const d = difference(figure, delta);
        return el("td", { class: "num", dataset: { figure: figure.key } },
          el("span", { class: "cell" }, figure.format(a) + " → " + figure.format(b)),
          d.text ? el("span", { class: "diff " + d.cls, text: d.text }) : null);
      });
      body.append(el("tr", { dataset: { queue: q.queue } }, el("th", { scope: "row", text: q.queue }), cells));
    }
    if (!body.firstChild) {
      body.append(el("tr", {}, el("td", { colspan: "8", class: "muted", text: "No queue had work in this window." })));
    }
  }

  function renderChartChoices() {
    const select = $("chart-queue");
    const chosen = select.value;
    clear(select);
    select.append(el("option", { value: "", text: "All queues (weighted by arrivals)" }));
    const names = [...new Set((report.hourly || []).map((h) => h.queue))].sort();
    for (const name of names) select.append(el("option", { value: name, text: name }));
    if (names.includes(chosen)) select.value = chosen;
  }

  /** Points per hour for one side ("recorded"/"replayed"): one queue's, or all queues' weighted by arrivals. */
  function hourly(side, key, queue) {
    const byHour = new Map();
    for (const h of report.hourly || []) {
      if (queue && h.queue !== queue) continue;
      const m = h[side] || {};
      if (typeof m[key] !== "number") continue;
      const weight = queue ? 1 : Math.max(0, m.arrivals || 0);
      const entry = byHour.get(h.hour) || { sum: 0, weight: 0 };
      entry.sum += m[key] * weight;
      entry.weight += weight;
      byHour.set(h.hour, entry);
    }
    return [...byHour.entries()]
      .filter(([, e]) => e.weight > 0)
      .map(([hour, e]) => ({ x: new Date(Date.parse(hour)), y: e.sum / e.weight }))
      .sort((a, b) => a.x - b.x);
  }

  function renderCharts() {
    const queue = $("chart-queue").value;
    const scale = percentScale ? 1 : 100;
    const toPercent = (points) => points.map((p) => ({ x: p.x, y: p.y * scale }));
    drawChart($("chart-service-level"), {
      id: "sl", title: "Service level by hour" + (queue ? ", " + queue : ""),
      yMax: 100, yFormat: (v) => Math.round(v) + "%",
      series: [
        { name: "Recorded", cls: "recorded", points: toPercent(hourly("recorded", "serviceLevel", queue)) },
        { name: "Replayed", cls: "replayed", points: toPercent(hourly("replayed", "serviceLevel", queue)) },
      ],
    });
    drawChart($("chart-wait"), {
      id: "wait", title: "Average wait by hour" + (queue ? ", " + queue : ""),
      yMax: null, yFormat: (v) => seconds(v),
      series: [
        { name: "Recorded", cls: "recorded", points: hourly("recorded", "averageWaitSeconds", queue) },
        { name: "Replayed", cls: "replayed", points: hourly("replayed", "averageWaitSeconds", queue) },
      ],
    });
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** A line chart of recorded against replayed: axes with ticks, a line and dots per series, a legend. */
  function drawChart(figure, spec) {
    clear(figure);
    const width = 560, height = 240;
    const margin = { left: 56, right: 34, top: 34, bottom: 34 };
    const plotW = width - margin.left - margin.right, plotH = height - margin.top - margin.bottom;
    const titleId = "chart-" + spec.id + "-title", descId = "chart-" + spec.id + "-desc";
    figure.append(el("figcaption", { id: titleId, text: spec.title }));
    const root = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", "aria-labelledby": titleId + " " + descId });
    const all = spec.series.flatMap((s) => s.points);
    const description = spec.series.map((s) => s.name + ": " +
      (s.points.length ? s.points.map((p) => hourLabel(p.x) + " " + spec.yFormat(p.y)).join(", ") : "no data")).join(". ");
    root.append(svg("desc", { id: descId }, description));
    if (!all.length) {
      root.append(svg("text", { x: width / 2, y: height / 2, "text-anchor": "middle", class: "empty" }, "No hour in this window had arrivals."));
      figure.append(root);
      return;
    }
    const xs = all.map((p) => p.x.getTime());
    let xMin = Math.min(...xs), xMax = Math.max(...xs);
    if (xMax === xMin) { xMin -= 1800 * 1000; xMax += 1800 * 1000; }
    const top = spec.yMax !== null ? spec.yMax : niceMax(Math.max(...all.map((p) => p.y)));
    const x = (t) => margin.left + ((t - xMin) / (xMax - xMin)) * plotW;
    const y = (v) => margin.top + plotH - (Math.max(0, v) / top) * plotH;

    const grid = svg("g", { class: "axis y-axis" });
    for (let i = 0; i <= 4; i++) {
      const value = (top * i) / 4;
      grid.append(svg("line", { class: "grid", x1: margin.left, x2: margin.left + plotW, y1: y(value), y2: y(value) }));
      grid.append(svg("text", { x: margin.left - 6, y: y(value) + 4, "text-anchor": "end" }, spec.yFormat(value)));
    }
    root.append(grid);
    const axis = svg("g", { class: "axis x-axis" });
    axis.append(svg("line", { x1: margin.left, x2: margin.left + plotW, y1: margin.top + plotH, y2: margin.top + plotH }));
    axis.append(svg("line", { x1: margin.left, x2: margin.left, y1: margin.top, y2: margin.top + plotH }));
    const hours = [...new Set(xs)].sort((a, b) => a - b);
    const step = Math.max(1, Math.ceil(hours.length / 8));
    hours.forEach((t, i) => {
      if (i % step) return;
      axis.append(svg("line", { x1: x(t), x2: x(t), y1: margin.top + plotH, y2: margin.top + plotH + 4 }));
      axis.append(svg("text", { x: x(t), y: margin.top + plotH + 18, "text-anchor": "middle" }, hourLabel(new Date(t))));
    });
    root.append(axis);

    for (const series of spec.series) {
      const group = svg("g", { class: "series " + series.cls });
      if (series.points.length > 1) {
        const d = series.points.map((p, i) => (i ? "L" : "M") + x(p.x.getTime()).toFixed(1) + " " + y(p.y).toFixed(1)).join(" ");
        group.append(svg("path", { class: "line " + series.cls, d }));
      }
      for (const p of series.points) {
        const dot = svg("circle", { class: "dot " + series.cls, cx: x(p.x.getTime()), cy: y(p.y), r: 3.5 });
        dot.append(svg("title", {}, series.name + ", " + hourLabel(p.x) + ": " + spec.yFormat(p.y)));
        group.append(dot);
      }
      root.append(group);
    }

    // The legend: line style as well as colour, so it reads without colour too.
    const legend = svg("g", { class: "legend" });
    spec.series.forEach((series, i) => {
      const left = margin.left + i * 130;
      legend.append(svg("line", { class: "line " + series.cls, x1: left, x2: left + 26, y1: 14, y2: 14 }));
      legend.append(svg("text", { x: left + 32, y: 18 }, series.name));
    });
    root.append(legend);
    figure.append(root);
  }

  function niceMax(value) {
    if (!(value > 0)) return 1;
    const magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    for (const f of [1, 2, 4, 6, 8, 10]) if (f * magnitude >= value) return f * magnitude;
    return 10 * magnitude;
  }

  function renderAgents() {
    const body = $("agents");
    clear(body);
    for (const a of report.agents || []) {
      const r = a.recorded || {}, p = a.replayed || {};
      const occupancy = (v) => typeof v === "number" ? (v > 1 ? v.toFixed(0) : (v * 100).toFixed(0)) + "%" : "—";
      body.append(el("tr", { dataset: { agent: a.agent } },
        el("th", { scope: "row", text: a.agent }),
        el("td", { class: "num", text: occupancy(r.occupancy) }),
        el("td", { class: "num", text: occupancy(p.occupancy) }),
        el("td", { class: "num", text: count(r.handled) }),
        el("td", { class: "num", text: count(p.handled) })));
    }
    if (!body.firstChild) {
      body.append(el("tr", {}, el("td", { colspan: "5", class: "muted", text: "No agent worked in this window." })));
    }
  }

  const MODEL_TITLES = {
    patience: "Customers' patience, per queue (how long they wait before giving up)",
    handling: "Handling time, per channel",
    acceptDelay: "How soon agents accept an offer",
    wrapUp: "Wrap-up after a conversation",
  };

  function words(key) {
    return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase()).replace(/ ([A-Z])/g, (m) => m.toLowerCase());
  }

  function figureText(value) {
    if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(2);
    if (value === null || value === undefined) return "—";
    if (typeof value === "object") return JSON.stringify(value);
    return String(value);
  }

  function renderModels() {
    const area = $("models");
    clear(area);
    const models = report.models || {};
    for (const [name, rows] of Object.entries(models)) {
      if (!Array.isArray(rows)) continue;
      // What the row is about (a queue, a channel) first, then its figures.
      const keys = [...new Set(rows.flatMap((row) => Object.keys(row || {})))];
      const isName = (key) => rows.some((row) => row && typeof row[key] === "string");
      const columns = keys.filter(isName).concat(keys.filter((key) => !isName(key)));
      const table = el("table", { class: "models-table", dataset: { model: name } },
        el("caption", { text: MODEL_TITLES[name] || words(name) }),
        el("thead", {}, el("tr", {}, columns.map((c, i) => el("th", { scope: "col", class: i ? "num" : null, text: words(c) })))),
        el("tbody", {}, rows.length ? rows.map((row) => el("tr", {}, columns.map((c, i) => i === 0
          ? el("th", { scope: "row", text: figureText(row[c]) })
          : el("td", { class: "num", text: figureText(row[c]) }))))
          : el("tr", {}, el("td", { colspan: String(Math.max(1, columns.length)), class: "muted", text: "Nothing fitted: no samples in the journal." }))));
      area.append(el("div", { class: "table-wrap" }, table));
    }
    if (!area.firstChild) area.append(el("p", { class: "muted", text: "The replay reported no models." }));
  }

  // ---- wiring ----

  $("window-preset").addEventListener("change", applyPreset);
  for (const id of ["since", "until"]) $(id).addEventListener("input", () => { $("window-preset").value = "custom"; });
  $("replay-form").addEventListener("submit", run);
  $("restore-centre").addEventListener("click", () => {
    $("centre").value = setting && setting.centre ? setting.centre.text || "" : "";
    $("error").textContent = "";
    $("status").textContent = "The centre in force is back in the text.";
  });
  $("chart-queue").addEventListener("change", () => { if (report) renderCharts(); });
  $("sign-out").addEventListener("click", async () => {
    try { await post("/signout"); } catch (e) { /* going to sign-in anyway */ }
    location.href = "/signin";
  });
  load();
})();
