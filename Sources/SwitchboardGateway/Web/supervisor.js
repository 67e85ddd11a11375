// The supervisor's dashboard: every monitor item from the socket, and one watched conversation
// with Observe, Whisper, Barge, Stop and Reassign; each agent's presence can be set. The page keeps only what the socket sends again on
// reconnect (the monitor items and the watched transcript).
"use strict";

(function () {
  const { el, clear, clock, duration, Socket, toast } = window.SB;
  const $ = (id) => document.getElementById(id);
  const person = window.SB.meta("person") || {};
  $("person-name").textContent = person.name || person.id || "Supervisor";

  const PRESENCE_NAMES = { available: "Available", away: "Away", dnd: "Do not disturb", offline: "Offline" };
  const items = new Map();          // monitor key -> item
  let watched = null;               // conversation id being watched
  let watchedFacts = {};            // the watched conversation's channel, queue and agent (from the watch reply)
  let queues = [];                  // the contact centre's queues [{id, name, channel}]
  let people = [];                  // its agents and supervisors [{id, name, role, channels}]
  let transcript = new Map();       // number -> message
  let scheduled = false;

  const socket = new Socket("/supervisor/ws", {
    onConnection: (state) => {
      const node = $("connection");
      node.dataset.state = state;
      node.textContent = state === "live" ? "Connected" : state === "connecting" ? "Connecting…" : "Reconnecting…";
    },
    onClose: () => window.SB.checkSession(),
    onOpen: async () => {
      items.clear();
      if (watched) {
        const reply = await socket.request({ type: "watch", conversationId: watched });
        if (!reply.ok) showResult(errorText(reply, "Cannot watch"), "error"); else watchedFacts = reply.result || {};
      }
    },
    onMessage: (message) => {
      switch (message.type) {
        case "monitor":
          if (message.item === null || message.item === undefined) items.delete(message.key); else items.set(message.key, message.item);
          schedule();
          break;
        case "monitorReady": schedule(); break;
        case "queues": queues = message.queues || []; break;
        case "agents": people = message.agents || []; break;
        case "transcript":
          if (message.conversationId === watched) { transcript = new Map(); addMessages(message.messages || []); }
          break;
        case "message":
          if (message.conversationId === watched) addMessages([message.message]);
          break;
        case "status":
          $("bus-status").textContent = message.bus === "live" ? "" : (message.bus === "resyncing" ? "Catching up… " : "The contact centre cannot be reached; figures may be stale. ") + (message.detail || "");
          break;
        case "notice": toast(message.text, message.level); break;
      }
    },
  });
  socket.connect();

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => { scheduled = false; render(); });
  }

  function byPrefix(prefix) {
    const out = [];
    for (const [key, item] of items) if (key.startsWith(prefix)) out.push(item);
    return out;
  }

  function percent(value) { return value === null || value === undefined ? "—" : Math.round(value) + "%"; }

  function render() {
    renderSources();
    renderQueues();
    renderRates();
    renderAlerts();
    renderFlagged();
    renderAgents();
  }

  function renderSources() {
    const box = $("sources");
    clear(box);
    const sources = (items.get("monitor.sources") || {}).sources || [];
    for (const s of sources) {
      const cls = s.status === "live" ? "" : s.status === "resyncing" || s.status === "not-heard" ? " meh" : " bad";
      box.append(el("span", { class: "source" + cls, title: s.detail || null }, s.service + ": " + s.status));
    }
  }

  function renderQueues() {
    const body = $("queues");
    clear(body);
    const order = ["voice", "chat", "messaging", "email", "case"];
    const queues = byPrefix("monitor.queue.").sort((a, b) =>
      (order.indexOf(a.channel) - order.indexOf(b.channel)) || String(a.queue).localeCompare(String(b.queue)));
    for (const q of queues) {
      const sl = q.serviceLevel || {};
      const est = q.estimatedWait || {};
      const slText = [percent(sl.achievedPercent),
        el("span", { class: "target" }, "target " + sl.targetPercent + "% in " + duration(sl.withinSeconds))];
      const hours = q.hours;
      const closed = hours && !hours.open
        ? el("span", { class: "closed" }, " closed" + (hours.opensAt
          ? ", opens " + new Intl.DateTimeFormat("en-GB", {
            weekday: "short", hour: "2-digit", minute: "2-digit", timeZone: hours.timeZone,
          }).format(new Date(hours.opensAt)) + " (" + hours.timeZone + ")"
          : ""))
        : null;
      body.append(el("tr", { dataset: { queue: q.queue, open: hours ? String(hours.open) : "always" } },
        el("th", { scope: "row" }, q.name || q.queue, closed),
        el("td", { class: "num" + (q.waitingOverTarget ? " over" : "") }, String(q.waiting ?? 0)),
        el("td", { class: "num" }, q.waiting ? duration(q.oldestWaitSeconds) : "—"),
        el("td", { class: "num" }, est.seconds === null || est.seconds === undefined ? "unknown" : duration(est.seconds)),
        el("td", { class: "sl " + (sl.met === false ? "sl-missed" : sl.met === true ? "sl-met" : "") }, slText),
        el("td", { class: "num" }, String(q.readyAgents ?? 0))));
    }
  }

  function renderRates() {
    const rates = items.get("monitor.rates");
    $("rate-sticky").textContent = rates && rates.sticky ? percent(rates.sticky.percent) : "—";
    $("rate-skill").textContent = rates && rates.skillMatch ? percent(rates.skillMatch.percent) : "—";
    $("rate-assignments").textContent = rates ? String(rates.assignments ?? 0) : "—";
  }

  function renderAlerts() {
    const list = $("alerts");
    clear(list);
    const alerts = byPrefix("monitor.alert.").sort((a, b) => String(b.raisedAt).localeCompare(String(a.raisedAt)));
    $("no-alerts").hidden = alerts.length > 0;
    for (const a of alerts) {
      list.append(el("li", { class: a.level || "" }, a.sentence || a.kind,
        a.conversationId ? el("button", { type: "button", class: "quiet", onclick: () => watch(a.conversationId) }, "Watch") : null));
    }
  }

  function renderFlagged() {
    const list = $("flagged");
    clear(list);
    const flagged = byPrefix("monitor.conversation.").sort((a, b) =>
      ((b.escalation && b.escalation.level === "intervene") - (a.escalation && a.escalation.level === "intervene")));
    $("no-flagged").hidden = flagged.length > 0;
    for (const c of flagged) {
      const level = c.escalation ? c.escalation.level : "watch";
      list.append(el("li", { class: level, dataset: { conversation: c.conversationId } },
        el("div", { class: "what" },
          el("strong", {}, c.conversationId), " · ", c.queue || "", c.agentId ? " · " + agentName(c.agentId) : "",
          el("div", { class: "small" }, (c.flags || []).map((f) => f.phrase || f.kind).join("; ")),
          c.summary ? el("div", { class: "muted small" }, c.summary) : null),
        el("div", { class: "row-actions" },
          el("button", { type: "button", class: "secondary", onclick: () => watch(c.conversationId),
            "aria-label": "Watch " + c.conversationId }, "Watch"),
          el("button", { type: "button", class: "secondary reassign", onclick: () => openReassign(c),
            "aria-label": "Reassign " + c.conversationId }, "Reassign…"))));
    }
  }

  function agentName(id) {
    const a = items.get("monitor.agent." + id);
    return (a && a.name) || id;
  }

  function renderAgents() {
    const body = $("agents");
    clear(body);
    const filter = $("agent-filter").value;
    const all = byPrefix("monitor.agent.");
    const shown = all.filter((a) => filter === "all" || (a.presence && a.presence !== "offline") || (a.sessions && a.sessions.count > 0))
      .sort((a, b) => String(a.name).localeCompare(String(b.name)));
    $("agents-count").textContent = "(" + shown.length + " of " + all.length + ")";
    for (const a of shown) {
      const load = (a.channels || []).filter((c) => c.capacity > 0).map((c) => c.channel + " " + c.load + "/" + c.capacity).join(", ");
      const presence = a.presence || "offline";
      const sessions = a.sessions;
      body.append(el("tr", { dataset: { agent: a.agentId } },
        el("th", { scope: "row" }, a.name || a.agentId, el("span", { class: "muted small" }, " · " + (a.role || ""))),
        el("td", {}, el("span", { class: "presence " + presence }, PRESENCE_NAMES[presence] || presence),
          a.presenceReason || a.awayReason ? el("span", { class: "muted small" }, " " + (a.presenceReason || a.awayReason)) : null,
          a.routing === "busy" ? el("span", { class: "presence busy" }, "full") : null),
        el("td", { class: "small" }, load || "—",
          el("button", { type: "button", class: "quiet set-presence", onclick: () => openPresence(a),
            "aria-label": "Set " + (a.name || a.agentId) + "'s presence" }, "Set presence…")),
        el("td", { class: "small" }, sessions ? sessions.count + (sessions.unread ? " (" + sessions.unread + " unread)" : "") : "—",
          sessions && sessions.active ? el("button", { type: "button", class: "quiet", onclick: () => watch(sessions.active), "aria-label": "Watch " + (a.name || a.agentId) + "'s active conversation" }, "Watch") : null)));
    }
  }
  $("agent-filter").addEventListener("change", renderAgents);

  // ---- watching and stepping in ----

  function addMessages(list) {
    for (const m of list) if (m) transcript.set(m.number, m);
    const ol = $("watch-transcript");
    clear(ol);
    for (const m of [...transcript.values()].sort((a, b) => a.number - b.number)) {
      const whisper = m.audience === "agent";
      const role = ["customer", "agent", "supervisor", "system"].includes(m.role) ? m.role : "system";
      ol.append(el("div", { class: "msg " + role + (whisper ? " whisper" : ""), dataset: { number: m.number, audience: m.audience || "everyone" } },
        el("span", { class: "who" }, (whisper ? "Whisper (agent only) · " : "") + (m.author || role) + (m.at ? " · " + clock(m.at) : "")),
        el("span", { class: "text", text: m.text })));
    }
    ol.scrollTop = ol.scrollHeight;
  }

  async function watch(id) {
    id = String(id || "").trim();
    if (!id) return;
    if (watched && watched !== id) socket.send({ type: "unwatch", conversationId: watched });
    watched = id;
    transcript = new Map();
    addMessages([]);
    $("watch-empty").hidden = true;
    $("watch-body").hidden = false;
    $("watch-h").textContent = "Conversation " + id;
    const health = items.get("monitor.conversation." + id);
    $("watch-meta").textContent = health ? [health.queue, health.agentId ? "with " + agentName(health.agentId) : null].filter(Boolean).join(" · ") : "";
    showResult("", "info");
    watchedFacts = {};
    const reply = await socket.request({ type: "watch", conversationId: id });
    if (!reply.ok) showResult(errorText(reply, "Cannot watch"), "error"); else watchedFacts = reply.result || {};
    $("watch").scrollIntoView({ block: "nearest" });
    $("do-observe").focus();
  }

  function errorText(reply, prefix) {
    const e = reply.error || {};
    return prefix + ": " + (e.message || e.code || "unknown error");
  }

  function showResult(text, level) {
    const node = $("sup-result");
    node.textContent = text;
    node.className = "notice " + (level || "info");
  }

  const KIND_NAMES = { observe: "observing", listen: "listening", whisper: "whispering", barge: "in the conversation" };

  async function supervise(command, withText) {
    if (!watched) return;
    const data = { conversationId: watched };
    const text = $("sup-text").value.trim();
    if (withText === "required" && !text) { showResult("Write the message to whisper first.", "error"); $("sup-text").focus(); return; }
    if (withText && text) data.text = text;
    const reply = await socket.request({ type: "supervise", command, data });
    const verb = command.replace("supervisor.", "");
    if (!reply.ok) { showResult(errorText(reply, verb.charAt(0).toUpperCase() + verb.slice(1) + " refused"), "error"); return; }
    const r = reply.result || {};
    if (withText) $("sup-text").value = "";
    const state = r.kind ? "You are now " + (KIND_NAMES[r.kind] || r.kind) + "." : "You have stopped.";
    showResult(verb.charAt(0).toUpperCase() + verb.slice(1) + " done. " + state + " Messages sent: " + (r.messagesSent ?? 0) + ".", "ok");
  }

  $("do-observe").addEventListener("click", () => supervise("supervisor.observe", false));
  $("do-whisper").addEventListener("click", () => supervise("supervisor.whisper", "required"));
  $("do-barge").addEventListener("click", () => supervise("supervisor.barge", "optional"));
  $("do-stop").addEventListener("click", () => supervise("supervisor.stop", false));
  $("do-unwatch").addEventListener("click", () => {
    if (watched) socket.send({ type: "unwatch", conversationId: watched });
    watched = null;
    $("watch-body").hidden = true;
    $("watch-empty").hidden = false;
    $("watch-h").textContent = "Conversation";
  });
  // ---- reassigning a conversation ----

  const CHANNEL_NAMES = { voice: "call", chat: "chat", messaging: "message thread", email: "email", case: "case" };
  const reassignDialog = $("reassign-dialog");

  // `c`: {conversationId, channel, queue, agentId} from a flagged row or the watch reply.
  function openReassign(c) {
    if (!c || !c.conversationId) return;
    const select = $("reassign-to");
    clear(select);
    const channel = c.channel;
    const queueGroup = el("optgroup", { label: "Queues" });
    for (const q of queues.filter((q) => (!channel || q.channel === channel) && q.id !== c.queue)) {
      queueGroup.append(el("option", { value: "queue:" + q.id }, q.name + " (" + q.id + ")"));
    }
    const agentGroup = el("optgroup", { label: "Agents" });
    for (const p of people.filter((p) => p.id !== c.agentId && (!channel || (p.channels || []).includes(channel)))) {
      const monitor = items.get("monitor.agent." + p.id) || {};
      const presence = PRESENCE_NAMES[monitor.presence] || "Offline";
      agentGroup.append(el("option", { value: "agent:" + p.id }, p.name + " (" + presence + ")"));
    }
    if (queueGroup.children.length) select.append(queueGroup);
    if (agentGroup.children.length) select.append(agentGroup);
    $("reassign-error").textContent = select.options.length ? "" : "No other queue or agent takes this channel.";
    $("reassign-confirm").disabled = !select.options.length;
    const what = channel ? "the " + (CHANNEL_NAMES[channel] || channel) : "conversation";
    $("reassign-what").textContent = "Moves " + what + " " + c.conversationId
      + (c.agentId ? " away from " + agentName(c.agentId) : "") + "; the next agent sees your note and your name.";
    $("reassign-note").value = "";
    reassignDialog.dataset.conversation = c.conversationId;
    reassignDialog.showModal();
    select.focus();
  }
  $("do-reassign").addEventListener("click", () => {
    if (!watched) return;
    const health = items.get("monitor.conversation." + watched) || {};
    openReassign(Object.assign({ conversationId: watched }, health, watchedFacts));
  });
  $("reassign-cancel").addEventListener("click", () => reassignDialog.close());
  $("reassign-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const conversationId = reassignDialog.dataset.conversation;
    const choice = $("reassign-to").value;
    const [kind, target] = [choice.slice(0, choice.indexOf(":")), choice.slice(choice.indexOf(":") + 1)];
    const data = { conversationId };
    if (kind === "agent") data.toAgentId = target; else data.toQueue = target;
    const note = $("reassign-note").value.trim();
    if (note) data.note = note;
    $("reassign-confirm").disabled = true;
    const reply = await socket.request({ type: "supervise", command: "supervisor.reassign", data });
    $("reassign-confirm").disabled = false;
    if (!reply.ok) { $("reassign-error").textContent = errorText(reply, "Not reassigned"); return; }
    reassignDialog.close();
    const label = $("reassign-to").selectedOptions[0] ? $("reassign-to").selectedOptions[0].textContent : target;
    if (conversationId === watched) showResult("Reassigned " + conversationId + " to " + label + ".", "ok");
    toast("Reassigned " + conversationId + " to " + label + ".", "info");
  });

  // ---- setting an agent's presence ----

  const presenceDialog = $("presence-dialog");
  function openPresence(a) {
    presenceDialog.dataset.agent = a.agentId;
    $("presence-title").textContent = "Set " + (a.name || a.agentId) + "'s presence";
    $("presence-status").value = PRESENCE_NAMES[a.presence] ? a.presence : "away";
    $("presence-reason").value = "";
    $("presence-error").textContent = "";
    presenceDialog.showModal();
    $("presence-status").focus();
  }
  $("presence-cancel").addEventListener("click", () => presenceDialog.close());
  $("presence-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const agentId = presenceDialog.dataset.agent;
    const status = $("presence-status").value;
    const data = { agentId, status };
    const reason = $("presence-reason").value.trim();
    if (reason) data.reason = reason;
    $("presence-confirm").disabled = true;
    const reply = await socket.request({ type: "supervise", command: "supervisor.setPresence", data });
    $("presence-confirm").disabled = false;
    if (!reply.ok) { $("presence-error").textContent = errorText(reply, "Presence not set"); return; }
    presenceDialog.close();
    toast(agentName(agentId) + " is now " + (PRESENCE_NAMES[status] || status) + ".", "info");
  });

  $("open-form").addEventListener("submit", (event) => { event.preventDefault(); watch($("open-id").value); });

  $("sign-out").addEventListener("click", async () => {
    socket.close();
    try { await window.SB.post("/signout"); } catch (e) { /* going to sign-in anyway */ }
    location.href = "/signin";
  });
})();
