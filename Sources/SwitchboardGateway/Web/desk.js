// The agent's desk. Everything shown comes from the desk socket (the desk item, transcripts,
// assistance, presence); the page keeps only what the next push would bring again, so a reload
// or a reconnect loses nothing. Drafts are saved as the agent types, at most once a second.
"use strict";

(function () {
  const { el, clear, clock, duration, Socket, toast, chime, toDate } = window.SB;
  const $ = (id) => document.getElementById(id);

  const person = window.SB.meta("person") || {};
  const STYLES = [["off", "Off"], ["badge", "Badge only"], ["toast", "Pop-up"], ["toast-and-sound", "Pop-up and sound"]];
  const CHANNEL_NAMES = { chat: "Chat", messaging: "Messaging", email: "Email", "case": "Case", voice: "Call" };
  const PENDING_NAMES = {
    "new-work": "New", "awaiting-reply": "Awaiting reply", "read-summary": "Read summary",
    "review-case-summary": "Review case summary", "wrap-up": "Wrap-up",
  };
  const DRAFT_CHANNELS = new Set(["email", "case"]);

  let desk = null;                  // the desk item
  let presence = { status: "offline", reason: null };
  const transcripts = new Map();    // conversationId -> Map(number -> message)
  const assists = new Map();        // conversationId -> assist item
  const editors = new Map();        // conversationId -> {body, subject, revision, timer, lastSave, saving, suggestion}
  const dismissed = new Map();      // conversationId -> Set of suggestion ids the agent set aside
  const helpful = new Map();        // conversationId -> Set of article ids the agent marked helpful
  const typingTimers = new Map();
  const seenOffers = new Set();
  let viewed = null;                // the session on screen
  let firstDesk = true;
  let lastTypingSent = 0;

  $("agent-name").textContent = person.name || person.id || "Agent";
  document.title = "Desk · " + (person.name || "Switchboard");

  for (const select of document.querySelectorAll("#prefs-form select")) {
    for (const [value, label] of STYLES) select.append(el("option", { value, text: label }));
  }

  const socket = new Socket("/desk/ws", {
    onConnection: (state) => {
      const node = $("connection");
      node.dataset.state = state;
      node.textContent = state === "live" ? "Connected" : state === "connecting" ? "Connecting…" : "Reconnecting…";
    },
    onOpen: () => { firstDesk = true; },
    onClose: () => window.SB.checkSession(),
    onMessage: handle,
  });
  socket.connect();

  function handle(message) {
    switch (message.type) {
      case "desk": onDesk(message.item); break;
      case "presence": onPresence(message); break;
      case "transcript": onTranscript(message.conversationId, message.messages || [], true); break;
      case "message": onTranscript(message.conversationId, [message.message], false); break;
      case "assist": assists.set(message.conversationId, message.item); if (message.conversationId === viewed) renderPane(); break;
      case "typing": onTyping(message.conversationId); break;
      case "notice": toast(message.text, message.level === "warning" ? "warning" : "info"); break;
      case "status": onBusStatus(message); break;
      case "queues": queues = message.queues || []; break;
      case "agents": people = message.agents || []; break;
    }
  }

  // The contact centre's queues and people, for transfers (sent by the gateway when the socket opens).
  let queues = [];
  let people = [];

  function onBusStatus(message) {
    const node = $("bus-status");
    node.textContent = message.bus === "live" ? "" : message.bus === "resyncing"
      ? "Catching up with the contact centre… " + (message.detail || "")
      : "The contact centre cannot be reached right now; your work is kept. " + (message.detail || "");
  }

  // ---- desk item ----

  function sessions() { return (desk && desk.summary && desk.summary.sessions) || []; }
  function offers() { return (desk && desk.offers) || []; }
  function session(id) { return sessions().find((s) => s.conversationId === id) || null; }

  function preference(kind) {
    const ws = (desk && desk.workspace) || {};
    const resolved = (desk && desk.preferences) || ws.preferences;
    if (resolved && resolved.notifications && resolved.notifications[kind]) return resolved.notifications[kind];
    const own = ws.agentOverrides && ws.agentOverrides.notifications && ws.agentOverrides.notifications[kind];
    const role = ws.roleDefaults && ws.roleDefaults.notifications && ws.roleDefaults.notifications[kind];
    return own || role || "badge";
  }

  function notify(kind, text) {
    const style = preference(kind);
    if (style === "off") return;
    updateTitle();  // every style but off keeps the count in the tab title (the badge)
    if (style === "toast" || style === "toast-and-sound") toast(text, "info");
    if (style === "toast-and-sound") chime();
  }

  function updateTitle() {
    const waiting = offers().length + sessions().reduce((n, s) => n + (s.unread || 0), 0);
    document.title = (waiting > 0 ? "(" + waiting + ") " : "") + "Desk · " + (person.name || "Switchboard");
  }

  function onDesk(item) {
    if (!item) return;
    const before = new Set(offers().map((o) => o.conversationId));
    const unreadBefore = new Map(sessions().map((s) => [s.conversationId, s.unread || 0]));
    desk = item;
    for (const offer of offers()) {
      if (!before.has(offer.conversationId) && !seenOffers.has(offer.conversationId) && !firstDesk) {
        notify("newSession", "New " + (CHANNEL_NAMES[offer.channel] || offer.channel).toLowerCase() + " offer from " + (offer.queue || "a queue"));
      }
      seenOffers.add(offer.conversationId);
    }
    for (const s of sessions()) {
      if (!firstDesk && s.conversationId !== viewed && (s.unread || 0) > (unreadBefore.get(s.conversationId) || 0)) {
        notify("idleSessionMessage", "New message in " + sessionName(s));
      }
    }
    // Drafts restore into editors the page has not opened yet; what the agent types is never overwritten.
    for (const draft of (item.workspace && item.workspace.drafts) || []) {
      const id = typeof draft.conversation === "string" ? draft.conversation : (draft.conversation && draft.conversation.rawValue);
      if (!editors.has(id)) {
        editors.set(id, { body: draft.body || "", subject: draft.subject || "", revision: draft.revision, timer: null, lastSave: 0, saved: draft.body || "" });
      }
    }
    const ids = new Set(sessions().map((s) => s.conversationId));
    if (viewed && !ids.has(viewed)) viewed = null;
    if (!viewed) {
      const summary = item.summary || {};
      viewed = summary.viewedSession || summary.activeSession || (sessions()[0] && sessions()[0].conversationId) || null;
      if (viewed && !ids.has(viewed)) viewed = sessions()[0] ? sessions()[0].conversationId : null;
    }
    firstDesk = false;
    render();
  }

  function onPresence(message) {
    presence = { status: message.status, reason: message.reason || null };
    const select = $("presence-status");
    select.value = message.status;
    select.dataset.confirmed = message.status;  // what the presence tracker holds, not just what was picked
    const reason = $("presence-reason");
    $("reason-wrap").hidden = message.status !== "away";
    if (message.reason) {
      if (![...reason.options].some((o) => o.value === message.reason)) reason.append(el("option", { value: message.reason, text: message.reason }));
      reason.value = message.reason;
    }
  }

  function onTranscript(id, list, whole) {
    if (!id) return;
    let map = transcripts.get(id);
    if (!map || whole) { map = new Map(); transcripts.set(id, map); }
    for (const m of list) {
      if (!m) continue;
      const isNew = !map.has(m.number);
      map.set(m.number, m);
      if (!whole && isNew && m.audience === "agent" && m.role === "supervisor") {
        notify("supervisorMessage", "Whisper from " + (m.author || "a supervisor") + ": " + m.text);
      }
    }
    if (!whole && list.some((m) => m && m.role === "customer")) hideTyping(id);
    if (id === viewed) { renderTranscript(); const s = session(id); if (s) $("session-title").textContent = sessionName(s); }
    renderSessions();
  }

  function onTyping(id) {
    if (id !== viewed) return;
    $("typing").hidden = false;
    clearTimeout(typingTimers.get(id));
    typingTimers.set(id, setTimeout(() => hideTyping(id), 4000));
  }
  function hideTyping(id) { if (id === viewed) $("typing").hidden = true; }

  // ---- rendering ----

  function render() {
    renderOffers();
    renderSessions();
    renderSession();
    renderPane();
    renderPrefs();
    updateTitle();
  }

  function customerName(id) {
    const map = transcripts.get(id);
    if (map) for (const m of map.values()) if (m.role === "customer" && m.author) return m.author;
    return null;
  }
  function sessionName(s) { return customerName(s.conversationId) || s.customerId || s.conversationId; }

  function timeLeft(offer) {
    const end = toDate(offer.expiresAt);
    if (!end) return null;
    return Math.max(0, Math.round((end.getTime() - Date.now()) / 1000));
  }

  function renderOffers() {
    const list = $("offers");
    clear(list);
    const all = offers();
    $("offer-count").textContent = String(all.length);
    $("no-offers").hidden = all.length > 0;
    all.forEach((offer, index) => {
      const left = timeLeft(offer);
      const channel = CHANNEL_NAMES[offer.channel] || offer.channel;
      list.append(el("li", { class: "offer", dataset: { conversation: offer.conversationId, rule: offer.rule || "" } },
        el("p", { class: "offer-title" }, channel + " · " + (offer.queue || "")),
        offer.topic ? el("p", { class: "muted small" }, "Topic: " + offer.topic) : null,
        offer.reason ? el("p", { class: "small" }, offer.reason) : null,
        el("p", { class: "small" }, "Time left: ",
          el("span", { class: "time-left" + (left !== null && left <= 5 ? " urgent" : ""), dataset: { expires: String(offer.expiresAt) } }, left === null ? "—" : duration(left))),
        el("div", { class: "offer-actions" },
          el("button", { type: "button", class: "accept", onclick: () => answerOffer(offer.conversationId, "desk.accept"),
            "aria-keyshortcuts": index === 0 ? "Alt+A" : null }, "Accept"),
          el("button", { type: "button", class: "secondary decline", onclick: () => answerOffer(offer.conversationId, "desk.decline"),
            "aria-keyshortcuts": index === 0 ? "Alt+D" : null }, "Decline"))));
    });
  }

  setInterval(() => {
    for (const span of document.querySelectorAll(".offer .time-left")) {
      const end = toDate(isNaN(Number(span.dataset.expires)) ? span.dataset.expires : Number(span.dataset.expires));
      if (!end) continue;
      const left = Math.max(0, Math.round((end.getTime() - Date.now()) / 1000));
      span.textContent = duration(left);
      span.classList.toggle("urgent", left <= 5);
    }
  }, 1000);

  function renderSessions() {
    const box = $("sessions");
    const active = document.activeElement;
    const focusedId = active && active.classList && active.classList.contains("session-tab") ? active.dataset.conversation : null;
    clear(box);
    const all = sessions();
    $("no-sessions").hidden = all.length > 0;
    // A tablist must hold tabs: the role is there only while there are sessions.
    for (const [name, value] of [["role", "tablist"], ["aria-orientation", "vertical"], ["aria-labelledby", "sessions-heading"]]) {
      if (all.length) box.setAttribute(name, value); else box.removeAttribute(name);
    }
    all.forEach((s, index) => {
      const selected = s.conversationId === viewed;
      const pending = (s.pendingActions || []).filter((a) => a !== "new-work" || !selected);
      const tab = el("button", {
        type: "button", role: "tab", class: "session-tab", id: "tab-" + s.conversationId,
        "aria-selected": selected ? "true" : "false", "aria-controls": "session-view",
        "aria-keyshortcuts": index < 9 ? "Alt+" + (index + 1) : null,
        dataset: { conversation: s.conversationId },
        onclick: () => view(s.conversationId),
      },
        el("span", { class: "line1" },
          el("span", { class: "channel-chip" }, CHANNEL_NAMES[s.channel] || s.channel),
          el("span", { class: "name" }, sessionName(s)),
          s.unread ? el("span", { class: "badge unread", "aria-label": s.unread + " unread" }, String(s.unread)) : null,
          index < 9 ? el("span", { class: "key", "aria-hidden": "true" }, "Alt+" + (index + 1)) : null),
        el("span", { class: "line2" },
          el("span", {}, s.queue || ""),
          s.active ? el("span", {}, "· focus") : null,
          s.liveCall ? el("span", {}, "· live call") : null,
          s.hasDraft ? el("span", {}, "· draft") : null,
          pending.map((a) => el("span", { class: "badge soft pending" }, PENDING_NAMES[a] || a))));
      box.append(tab);
    });
    if (focusedId) {
      const again = box.querySelector('[data-conversation="' + CSS.escape(focusedId) + '"]');
      if (again) again.focus();
    }
  }

  function renderSession() {
    const s = viewed ? session(viewed) : null;
    $("empty-work").hidden = !!s;
    $("session-view").hidden = !s;
    if (!s) { renderPane(); return; }
    $("session-title").textContent = sessionName(s);
    $("session-meta").textContent = [CHANNEL_NAMES[s.channel] || s.channel, s.queue, s.topic ? "topic " + s.topic : null,
      s.openedAt ? "opened " + clock(s.openedAt) : null, s.conversationId].filter(Boolean).join(" · ");
    $("close-session").textContent = "Close…";
    const isDraftChannel = DRAFT_CHANNELS.has(s.channel);
    $("subject-field").hidden = !isDraftChannel;
    $("reply-label").textContent = isDraftChannel ? "Email (draft, saved as you type)" : "Reply";
    $("send-reply").textContent = isDraftChannel ? "Send email" : "Send";
    bindEditor(s.conversationId);
    renderTranscript();
  }

  function renderTranscript() {
    const list = $("transcript");
    clear(list);
    const map = transcripts.get(viewed);
    if (!map) return;
    const sorted = [...map.values()].sort((a, b) => a.number - b.number);
    for (const m of sorted) {
      const whisper = m.audience === "agent";
      const role = ["customer", "agent", "supervisor", "system"].includes(m.role) ? m.role : "system";
      const who = whisper ? "Whisper from " + (m.author || "supervisor") + " · only you can see this" : (m.author || role);
      list.append(el("div", { class: "msg " + role + (whisper ? " whisper" : ""), dataset: { number: m.number, role, audience: m.audience || "everyone" } },
        role === "system" && !whisper ? null : el("span", { class: "who" }, who + (m.at ? " · " + clock(m.at) : "")),
        el("span", { class: "text", text: m.text })));
    }
    list.scrollTop = list.scrollHeight;
  }

  function renderPane() {
    const item = viewed ? assists.get(viewed) : null;
    const ws = (desk && desk.workspace) || {};
    const tools = (ws.agentOverrides && ws.agentOverrides.paneTools) || (ws.roleDefaults && ws.roleDefaults.paneTools) || ["summary", "suggested-replies", "knowledge", "case-summary"];
    const show = (tool) => tools.includes(tool);
    $("pane-empty").hidden = !!item;
    const summary = item && item.summary;
    $("pane-summary").hidden = !(item && show("summary") && (summary || item.intent));
    $("summary-text").textContent = summary ? (typeof summary === "string" ? summary : summary.sentence || "") : "";
    $("intent-text").textContent = item && item.intent ? "Intent: " + item.intent.intent + (item.intent.confidence !== undefined ? " (" + Math.round(item.intent.confidence * 100) + "%)" : "") : "";
    const hidden = dismissed.get(viewed) || new Set();
    const suggestions = ((item && item.suggestions) || []).filter((s) => !hidden.has(s.id));
    $("pane-suggestions").hidden = !(show("suggested-replies") && suggestions.length);
    const sl = $("suggestions");
    clear(sl);
    for (const s of suggestions) {
      const textId = "suggestion-text-" + CSS.escape(s.id).replace(/[^A-Za-z0-9_-]/g, "_");
      sl.append(el("li", { class: "suggestion-item", dataset: { suggestion: s.id } },
        el("p", { class: "suggestion-text", id: textId, title: s.reason || null }, s.text),
        el("div", { class: "suggestion-actions" },
          el("button", { type: "button", class: "use-suggestion", "aria-describedby": textId,
            onclick: () => useSuggestion(viewed, s) }, "Use"),
          el("button", { type: "button", class: "secondary dismiss-suggestion", "aria-describedby": textId,
            onclick: () => dismissSuggestion(viewed, s) }, "Dismiss"))));
    }
    const articles = (item && item.knowledge) || [];
    $("pane-knowledge").hidden = !(show("knowledge") && viewed && session(viewed));
    const kl = $("knowledge");
    clear(kl);
    for (const a of articles) kl.append(articleItem(a.id, a.title, a.why));
    const edited = editedCaseSummary(viewed);
    const cs = item && item.caseSummary;
    $("pane-case").hidden = !((cs || edited) && show("case-summary"));
    const dl = $("case-summary");
    clear(dl);
    $("case-edited").hidden = !edited;
    if (edited) {
      for (const [label, value] of [["Issue", edited.issue], ["Steps taken", (edited.actionsTaken || []).join("; ")], ["Next", edited.nextStep]]) {
        if (value) dl.append(el("dt", {}, label), el("dd", {}, String(value)));
      }
      $("case-edited").textContent = "Edited by " + personName(edited.editedBy) + (edited.editedAt ? " at " + clock(edited.editedAt) : "");
    } else if (cs) {
      for (const [label, value] of [["Customer", cs.customer], ["Issue", cs.issue], ["Steps taken", (cs.stepsTaken || []).join("; ")], ["Status", cs.status], ["Next", cs.nextAction]]) {
        if (value) dl.append(el("dt", {}, label), el("dd", {}, String(value)));
      }
    }
  }

  let articleSeq = 0;
  // An article in the knowledge tool, surfaced or found, with a button to say it helped.
  function articleItem(id, title, why) {
    const helped = (helpful.get(viewed) || new Set()).has(id);
    const titleId = "article-title-" + (articleSeq++);
    return el("li", { dataset: { article: id } },
      el("strong", { id: titleId }, title),
      why ? el("span", { class: "why" }, why) : null,
      el("button", { type: "button", class: "secondary small helpful", "aria-pressed": helped ? "true" : "false",
        "aria-describedby": titleId, disabled: helped ? true : null, onclick: () => markHelpful(viewed, id) },
        helped ? "Marked helpful" : "Helpful"));
  }

  // The case summary an agent corrected (the desk's copy in the session's pane), if any.
  function editedCaseSummary(id) {
    const ws = (desk && desk.workspace) || {};
    const s = (ws.sessions || []).find((x) => x.item && x.item.conversation === id);
    const cs = s && s.assistance && s.assistance.caseSummary;
    return cs && cs.editedBy ? cs : null;
  }

  function personName(id) {
    const p = people.find((x) => x.id === id);
    return (p && p.name) || id || "an agent";
  }

  function renderPrefs() {
    for (const select of document.querySelectorAll("#prefs-form select")) {
      if (document.activeElement === select) continue;
      select.value = preference(select.dataset.pref);
    }
  }

  // ---- actions ----

  async function command(name, data) {
    return socket.request({ type: "desk", command: name, data });
  }

  async function answerOffer(id, name) {
    const reply = await command(name, { conversationId: id });
    if (!reply.ok) { toast(errorText(reply, name === "desk.accept" ? "Could not accept" : "Could not decline"), "warning"); return; }
    if (name === "desk.accept") {
      viewed = id;
      render();
      $("reply-text").focus();
    }
  }

  async function view(id) {
    if (!session(id)) return;
    saveNow(viewed);
    viewed = id;
    render();
    renderSearchResults();
    let reply = await command("desk.focus", { conversationId: id });
    if (!reply.ok && reply.error && reply.error.code === "conflict") reply = await command("desk.browse", { conversationId: id });
    if (!reply.ok) toast(errorText(reply, "Could not switch"), "warning");
  }

  function errorText(reply, prefix) {
    const e = reply.error || {};
    return prefix + ": " + (e.message || e.code || "unknown error");
  }

  // Editors: one per session, kept in memory and saved to the desk as drafts.
  function editor(id) {
    if (!editors.has(id)) editors.set(id, { body: "", subject: "", revision: null, timer: null, lastSave: 0, saved: "" });
    return editors.get(id);
  }

  function bindEditor(id) {
    const ed = editor(id);
    const text = $("reply-text");
    if (text.dataset.conversation !== id) {
      text.dataset.conversation = id;
      text.value = ed.body;
      $("draft-subject").value = ed.subject || "";
      $("reply-error").textContent = "";
    }
    showDraftState(ed);
  }

  function showDraftState(ed, state) {
    const node = $("draft-status");
    if (state === "error") { node.dataset.state = "error"; return; }
    if (ed.saving) { node.textContent = "Saving…"; node.dataset.state = "saving"; }
    else if (ed.revision) { node.textContent = "Saved · revision " + ed.revision; node.dataset.state = "saved"; }
    else { node.textContent = ""; node.dataset.state = ""; }
  }

  function scheduleSave(id) {
    const ed = editor(id);
    if (ed.timer) return;
    const wait = Math.max(0, ed.lastSave + 1000 - Date.now());
    ed.timer = setTimeout(() => { ed.timer = null; saveNow(id); }, wait);
  }

  async function saveNow(id) {
    if (!id || !session(id)) return;
    const ed = editor(id);
    if (ed.timer) { clearTimeout(ed.timer); ed.timer = null; }
    const body = ed.body;
    const subject = ed.subject;
    if (body === ed.saved && subject === (ed.savedSubject || ed.subject)) return;
    if (body === "" && !ed.revision) return;
    ed.lastSave = Date.now();
    ed.saving = true;
    if (id === viewed) showDraftState(ed);
    const data = { conversationId: id, body };
    if (DRAFT_CHANNELS.has((session(id) || {}).channel)) data.subject = subject;
    const reply = await command("desk.saveDraft", data);
    ed.saving = false;
    if (reply.ok) {
      ed.saved = body;
      ed.savedSubject = subject;
      ed.revision = (reply.result && reply.result.revision) || ed.revision;
      if (id === viewed) showDraftState(ed);
    } else if (id === viewed) {
      $("draft-status").textContent = errorText(reply, "Not saved");
      showDraftState(ed, "error");
    }
    if (ed.body !== ed.saved) scheduleSave(id);
  }

  $("reply-text").addEventListener("input", () => {
    if (!viewed) return;
    const ed = editor(viewed);
    ed.body = $("reply-text").value;
    scheduleSave(viewed);
    const now = Date.now();
    if (now - lastTypingSent > 2000) { lastTypingSent = now; socket.send({ type: "typing", conversationId: viewed }); }
  });
  $("draft-subject").addEventListener("input", () => {
    if (!viewed) return;
    editor(viewed).subject = $("draft-subject").value;
    scheduleSave(viewed);
  });
  $("reply-text").addEventListener("blur", () => saveNow(viewed));
  $("draft-subject").addEventListener("blur", () => saveNow(viewed));

  // Use: the suggestion goes into the reply box; sending it tells the desk, with whether it was changed.
  function useSuggestion(id, s) {
    if (!id) return;
    editor(id).suggestion = { id: s.id, text: s.text };
    insertSuggestion(s.text);
  }

  async function dismissSuggestion(id, s) {
    if (!id) return;
    const reply = await command("desk.dismissSuggestion", { conversationId: id, suggestionId: s.id });
    if (!reply.ok) { toast(errorText(reply, "Not dismissed"), "warning"); return; }
    if (!dismissed.has(id)) dismissed.set(id, new Set());
    dismissed.get(id).add(s.id);
    renderPane();
    const next = document.querySelector("#suggestions .use-suggestion") || $("reply-text");
    next.focus();
  }

  async function markHelpful(id, articleId) {
    if (!id) return;
    const reply = await command("desk.markArticleHelpful", { conversationId: id, articleId });
    if (!reply.ok) { toast(errorText(reply, "Not marked"), "warning"); return; }
    if (!helpful.has(id)) helpful.set(id, new Set());
    helpful.get(id).add(articleId);
    renderPane();
    renderSearchResults();
    toast("Marked helpful. Thank you.", "info");
  }

  // Knowledge search: the gateway answers from the knowledge base (BM25).
  let searchResults = null;  // {conversationId, query, articles}
  $("knowledge-search").addEventListener("submit", async (event) => {
    event.preventDefault();
    const query = $("knowledge-query").value.trim();
    $("knowledge-search-status").textContent = "";
    if (!query) { $("knowledge-search-status").textContent = "Type some words to search for."; $("knowledge-query").focus(); return; }
    const reply = await socket.request({ type: "knowledge.search", query });
    if (!reply.ok) { $("knowledge-search-status").textContent = errorText(reply, "Search failed"); return; }
    searchResults = { conversationId: viewed, query, articles: (reply.result && reply.result.articles) || [] };
    renderSearchResults();
  });

  function renderSearchResults() {
    const list = $("knowledge-results");
    clear(list);
    if (!searchResults || searchResults.conversationId !== viewed) { $("knowledge-search-status").textContent = ""; return; }
    const found = searchResults.articles;
    $("knowledge-search-status").textContent = found.length
      ? found.length + (found.length === 1 ? " article" : " articles") + " for “" + searchResults.query + "”"
      : "No article matches “" + searchResults.query + "”.";
    for (const a of found) list.append(articleItem(a.id, a.title, a.snippet));
  }

  function insertSuggestion(text) {
    const area = $("reply-text");
    const start = area.selectionStart ?? area.value.length;
    const end = area.selectionEnd ?? area.value.length;
    const before = area.value.slice(0, start);
    const joiner = before && !/\s$/.test(before) ? " " : "";
    area.value = before + joiner + text + area.value.slice(end);
    area.dispatchEvent(new Event("input"));
    area.focus();
    const caret = (before + joiner + text).length;
    area.setSelectionRange(caret, caret);
  }

  $("reply-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    await sendReply();
  });

  async function sendReply() {
    const id = viewed;
    if (!id) return;
    const ed = editor(id);
    const text = $("reply-text").value;
    $("reply-error").textContent = "";
    if (!text.trim()) { $("reply-error").textContent = "Write a reply first."; $("reply-text").focus(); return; }
    if (ed.timer) { clearTimeout(ed.timer); ed.timer = null; }
    $("send-reply").disabled = true;
    const reply = await command("desk.reply", { conversationId: id, text });
    $("send-reply").disabled = false;
    if (reply.ok) {
      const used = ed.suggestion;
      ed.suggestion = null;
      if (used) {
        const edited = text.trim() !== used.text.trim();
        const told = await command("desk.useSuggestion", { conversationId: id, suggestionId: used.id, edited });
        if (!told.ok) toast(errorText(told, "The desk did not record the suggestion"), "warning");
      }
      ed.body = ""; ed.saved = ""; ed.subject = ""; ed.revision = null;
      if (viewed === id) { $("reply-text").value = ""; $("draft-subject").value = ""; showDraftState(ed); $("reply-text").focus(); }
    } else {
      const e = reply.error || {};
      $("reply-error").textContent = "Not sent: " + (e.message || e.code || "the desk refused the reply") + ". Your text is kept.";
    }
  }

  $("reply-text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); sendReply(); }
  });

  // Transfer to a queue of the same channel or to an agent who serves it, with a note for the next agent.
  const transferDialog = $("transfer-dialog");
  $("transfer-session").addEventListener("click", openTransfer);
  function openTransfer() {
    const s = viewed ? session(viewed) : null;
    if (!s) return;
    const select = $("transfer-to");
    clear(select);
    const queueGroup = el("optgroup", { label: "Queues" });
    for (const q of queues.filter((q) => q.channel === s.channel && q.id !== s.queue)) {
      queueGroup.append(el("option", { value: "queue:" + q.id }, q.name + " (" + q.id + ")"));
    }
    const agentGroup = el("optgroup", { label: "Agents" });
    for (const p of people.filter((p) => p.id !== person.id && (p.channels || []).includes(s.channel))) {
      agentGroup.append(el("option", { value: "agent:" + p.id }, p.name));
    }
    if (queueGroup.children.length) select.append(queueGroup);
    if (agentGroup.children.length) select.append(agentGroup);
    $("transfer-error").textContent = select.options.length ? "" : "No other queue or agent takes this channel.";
    $("transfer-confirm").disabled = !select.options.length;
    $("transfer-what").textContent = "Hands the " + (CHANNEL_NAMES[s.channel] || s.channel).toLowerCase()
      + " with " + sessionName(s) + " to another queue or agent (who must be Available); it leaves your desk.";
    $("transfer-note").value = "";
    const draft = caseDraft(s.conversationId);
    $("case-issue").value = draft.issue;
    $("case-actions").value = draft.actions.join("\n");
    $("case-next").value = draft.next;
    transferDialog.dataset.caseDraft = JSON.stringify(readCaseEditor());
    transferDialog.dataset.conversation = s.conversationId;
    transferDialog.showModal();
    select.focus();
  }
  $("transfer-cancel").addEventListener("click", () => transferDialog.close());

  // The case summary editor's fields as they would be sent.
  function readCaseEditor() {
    return {
      issue: $("case-issue").value.trim(), next: $("case-next").value.trim(),
      actions: $("case-actions").value.split("\n").map((line) => line.trim()).filter(Boolean),
    };
  }

  // What the case summary editor starts from: a correction already made, else the summariser's draft,
  // else what the summary sentence says.
  function caseDraft(id) {
    const edited = editedCaseSummary(id);
    if (edited) return { issue: edited.issue || "", actions: edited.actionsTaken || [], next: edited.nextStep || "" };
    const item = assists.get(id) || {};
    const cs = item.caseSummary;
    if (cs) return { issue: cs.issue || "", actions: cs.stepsTaken || [], next: cs.nextAction || "" };
    const sentence = typeof item.summary === "string" ? item.summary : "";
    return { issue: sentence, actions: [], next: "" };
  }
  $("transfer-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const id = transferDialog.dataset.conversation;
    const choice = $("transfer-to").value;
    const target = choice.slice(choice.indexOf(":") + 1);
    const data = { conversationId: id };
    if (choice.startsWith("agent:")) data.toAgentId = target; else data.toQueue = target;
    const note = $("transfer-note").value.trim();
    if (note) data.note = note;
    $("transfer-confirm").disabled = true;
    // The agent's correction of the case summary goes to the desk first, so the next agent opens it.
    const summary = readCaseEditor();
    const changed = JSON.stringify(summary) !== transferDialog.dataset.caseDraft;
    if (changed) {
      if (!summary.issue || !summary.next) {
        $("transfer-confirm").disabled = false;
        $("transfer-error").textContent = "Give the case summary an issue and a next step, or leave it as drafted.";
        (summary.issue ? $("case-next") : $("case-issue")).focus();
        return;
      }
      const saved = await command("desk.editCaseSummary", {
        conversationId: id, issue: summary.issue, nextStep: summary.next, actionsTaken: summary.actions,
      });
      if (!saved.ok) {
        $("transfer-confirm").disabled = false;
        $("transfer-error").textContent = errorText(saved, "Case summary not saved; not transferred");
        return;
      }
    }
    const done = await command("desk.transfer", data);
    $("transfer-confirm").disabled = false;
    if (!done.ok) {
      $("transfer-error").textContent = errorText(done, "Not transferred");
      return;
    }
    transferDialog.close();
    toast("Transferred to " + $("transfer-to").selectedOptions[0].textContent + ".", "info");
  });

  // The agent who holds the conversation corrects its case summary from the pane.
  const caseDialog = $("case-dialog");
  $("edit-case-summary").addEventListener("click", () => {
    if (!viewed || !session(viewed)) return;
    const draft = caseDraft(viewed);
    $("case-edit-issue").value = draft.issue;
    $("case-edit-actions").value = draft.actions.join("\n");
    $("case-edit-next").value = draft.next;
    $("case-error").textContent = "";
    caseDialog.dataset.conversation = viewed;
    caseDialog.showModal();
    $("case-edit-issue").focus();
  });
  $("case-cancel").addEventListener("click", () => caseDialog.close());
  $("case-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const id = caseDialog.dataset.conversation;
    const issue = $("case-edit-issue").value.trim();
    const nextStep = $("case-edit-next").value.trim();
    const actionsTaken = $("case-edit-actions").value.split("\n").map((line) => line.trim()).filter(Boolean);
    if (!issue || !nextStep) {
      $("case-error").textContent = "Give an issue and a next step.";
      (issue ? $("case-edit-next") : $("case-edit-issue")).focus();
      return;
    }
    $("case-save").disabled = true;
    const saved = await command("desk.editCaseSummary", { conversationId: id, issue, nextStep, actionsTaken });
    $("case-save").disabled = false;
    if (!saved.ok) { $("case-error").textContent = errorText(saved, "Not saved"); return; }
    caseDialog.close();
    toast("Case summary corrected.", "info");
    $("edit-case-summary").focus();
  });

  // Close and wrap up.
  const dialog = $("close-dialog");
  $("close-session").addEventListener("click", openClose);
  function openClose() {
    const s = viewed ? session(viewed) : null;
    if (!s) return;
    $("close-error").textContent = "";
    $("close-what").textContent = "Ends the " + (CHANNEL_NAMES[s.channel] || s.channel).toLowerCase() + " with " + sessionName(s) + ".";
    dialog.dataset.conversation = s.conversationId;
    dialog.showModal();
    $("disposition").focus();
  }
  $("close-cancel").addEventListener("click", () => dialog.close());
  $("close-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const id = dialog.dataset.conversation;
    const disposition = $("disposition").value;
    $("close-confirm").disabled = true;
    const closed = await command("desk.close", { conversationId: id });
    if (!closed.ok) {
      $("close-confirm").disabled = false;
      $("close-error").textContent = errorText(closed, "Not closed");
      return;
    }
    const wrapped = await command("desk.endWrapUp", { conversationId: id, disposition });
    $("close-confirm").disabled = false;
    if (!wrapped.ok) {
      $("close-error").textContent = errorText(wrapped, "Closed, but the wrap-up was not recorded");
      return;
    }
    dialog.close();
    toast("Closed and wrapped up: " + $("disposition").selectedOptions[0].textContent + ".", "info");
    const tabs = [...document.querySelectorAll(".session-tab")].filter((t) => t.dataset.conversation !== id);
    if (tabs[0]) tabs[0].focus(); else $("workarea").focus();
  });

  // Presence.
  $("presence-status").addEventListener("change", () => {
    const status = $("presence-status").value;
    $("reason-wrap").hidden = status !== "away";
    setPresence();
  });
  $("presence-reason").addEventListener("change", setPresence);
  async function setPresence() {
    const status = $("presence-status").value;
    const message = { type: "presence.set", status };
    if (status === "away") message.reason = $("presence-reason").value;
    const reply = await socket.request(message);
    if (!reply.ok) {
      toast(errorText(reply, "Presence not changed"), "warning");
      $("presence-status").value = presence.status;
    } else toast(status === "available" ? "You are Available." : status === "away" ? "You are Away (" + message.reason + ")." : "Do not disturb: no new offers.", "info");
  }

  // Preferences.
  $("prefs-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const notifications = {};
    for (const select of document.querySelectorAll("#prefs-form select")) notifications[select.dataset.pref] = select.value;
    const reply = await command("desk.setPreferences", { notifications });
    $("prefs-result").textContent = reply.ok ? "Preferences saved." : errorText(reply, "Not saved");
  });

  // Sign out: the desk socket first (the agent leaves the desk), then the browser session.
  $("sign-out").addEventListener("click", async () => {
    for (const id of editors.keys()) saveNow(id);
    await socket.request({ type: "signOut" });
    socket.close();
    try { await window.SB.post("/signout"); } catch (e) { /* going to sign-in anyway */ }
    location.href = "/signin";
  });

  // Keyboard shortcuts (documented on the page).
  document.addEventListener("keydown", (event) => {
    if (dialog.open || caseDialog.open) return;
    if (event.altKey && !event.ctrlKey && !event.metaKey) {
      const code = event.code || "";
      if (code === "KeyA") { event.preventDefault(); const o = offers()[0]; if (o) answerOffer(o.conversationId, "desk.accept"); }
      else if (code === "KeyD") { event.preventDefault(); const o = offers()[0]; if (o) answerOffer(o.conversationId, "desk.decline"); }
      else if (code === "KeyC") { event.preventDefault(); openClose(); }
      else if (code === "KeyR") { event.preventDefault(); if (viewed) $("reply-text").focus(); }
      else if (/^Digit[1-9]$/.test(code)) {
        event.preventDefault();
        const s = sessions()[Number(code.slice(5)) - 1];
        if (s) {
          view(s.conversationId);  // draws the list at once; the desk's answer comes later
          const tab = $("tab-" + s.conversationId);
          if (tab) tab.focus();
        }
      }
    }
  });

  // Arrow keys move between session tabs.
  $("sessions").addEventListener("keydown", (event) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const tabs = [...document.querySelectorAll(".session-tab")];
    const index = tabs.indexOf(document.activeElement);
    if (index < 0) return;
    event.preventDefault();
    const next = tabs[(index + (event.key === "ArrowDown" ? 1 : tabs.length - 1)) % tabs.length];
    next.focus();
  });

  window.addEventListener("beforeunload", () => { for (const id of editors.keys()) saveNow(id); });
})();
