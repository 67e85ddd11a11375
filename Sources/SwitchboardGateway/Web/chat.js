// The customer's chat page: start with the first message, wait, talk to an agent, leave.
// What survives a reload is kept in localStorage (the conversation and the customer token);
// everything else comes from the socket again.
"use strict";

(function () {
  const { el, clear, clock, duration, Socket } = window.SB;

  const STRINGS = {
    en: {
      closed: (when, zone) => "We are closed at the moment. We open " + when + " (" + zone + "). Please come back then.",
      subtitle: (queue) => queue,
      intro: "Hello. Tell us how we can help and an adviser will join you shortly.",
      nameLabel: "Your name (optional)",
      messageLabel: "Your message",
      placeholderFirst: "Type your question…",
      placeholder: "Type a message…",
      send: "Send",
      leave: "Leave",
      leaveConfirm: "Leave the chat? The adviser will see that you left.",
      connecting: "Connecting…",
      reconnecting: "Connection lost. Reconnecting…",
      waiting: (s) => "Waiting for an adviser — about " + s,
      waitingUnknown: "Waiting for an adviser. Thank you for your patience.",
      connected: (name) => "You are chatting with " + name,
      typing: (name) => name + " is typing…",
      you: "You",
      adviser: "Adviser",
      ended: {
        "closed-by-agent": "The adviser has ended this chat. Thank you for contacting Northwind Bank.",
        "customer-left": "You left the chat.",
        "timed-out": "This chat was closed after a period of inactivity.",
        "queue-closed": "We have closed for now, so this chat has ended before an adviser could answer.",
        other: "This chat has ended.",
      },
      newChat: "Start a new chat",
      emptyMessage: "Please write a message first.",
      previousGone: "Your previous chat has ended. You can start a new one below.",
      failed: "We could not send that. Please try again.",
    },
    es: {
      closed: (when, zone) => "Ahora estamos cerrados. Abrimos el " + when + " (" + zone + "). Vuelva entonces, por favor.",
      subtitle: () => "Atención al cliente por chat",
      intro: "Hola. Cuéntenos en qué podemos ayudarle y un asesor le atenderá enseguida.",
      nameLabel: "Su nombre (opcional)",
      messageLabel: "Su mensaje",
      placeholderFirst: "Escriba su consulta…",
      placeholder: "Escriba un mensaje…",
      send: "Enviar",
      leave: "Salir",
      leaveConfirm: "¿Desea salir del chat? El asesor verá que se ha ido.",
      connecting: "Conectando…",
      reconnecting: "Se ha perdido la conexión. Reconectando…",
      waiting: (s) => "Esperando a un asesor: unos " + s,
      waitingUnknown: "Esperando a un asesor. Gracias por su paciencia.",
      connected: (name) => "Está hablando con " + name,
      typing: (name) => name + " está escribiendo…",
      you: "Usted",
      adviser: "Asesor",
      ended: {
        "closed-by-agent": "El asesor ha finalizado este chat. Gracias por contactar con Northwind Bank.",
        "customer-left": "Ha salido del chat.",
        "timed-out": "Este chat se ha cerrado por inactividad.",
        "queue-closed": "Hemos cerrado por ahora, así que este chat ha finalizado antes de que un asesor pudiera responder.",
        other: "Este chat ha finalizado.",
      },
      newChat: "Iniciar un nuevo chat",
      emptyMessage: "Escriba primero un mensaje.",
      previousGone: "Su chat anterior ha finalizado. Puede iniciar uno nuevo a continuación.",
      failed: "No hemos podido enviarlo. Inténtelo de nuevo.",
    },
    fr: {
      closed: (when, zone) => "Nous sommes fermés pour le moment. Nous ouvrons " + when + " (" + zone + "). Revenez à ce moment-là.",
      subtitle: () => "Service client par messagerie instantanée",
      intro: "Bonjour. Dites-nous comment nous pouvons vous aider ; un conseiller vous répondra dans un instant.",
      nameLabel: "Votre nom (facultatif)",
      messageLabel: "Votre message",
      placeholderFirst: "Posez votre question…",
      placeholder: "Écrivez un message…",
      send: "Envoyer",
      leave: "Quitter",
      leaveConfirm: "Quitter la conversation ? Le conseiller verra que vous êtes parti.",
      connecting: "Connexion…",
      reconnecting: "Connexion perdue. Reconnexion en cours…",
      waiting: (s) => "En attente d’un conseiller : environ " + s,
      waitingUnknown: "En attente d’un conseiller. Merci de votre patience.",
      connected: (name) => "Vous échangez avec " + name,
      typing: (name) => name + " est en train d’écrire…",
      you: "Vous",
      adviser: "Conseiller",
      ended: {
        "closed-by-agent": "Le conseiller a mis fin à la conversation. Merci d’avoir contacté Northwind Bank.",
        "customer-left": "Vous avez quitté la conversation.",
        "timed-out": "Cette conversation a été fermée après une période d’inactivité.",
        "queue-closed": "Nous avons fermé pour le moment : cette conversation s'est terminée avant qu'un conseiller ait pu répondre.",
        other: "Cette conversation est terminée.",
      },
      newChat: "Démarrer une nouvelle conversation",
      emptyMessage: "Veuillez d’abord écrire un message.",
      previousGone: "Votre conversation précédente est terminée. Vous pouvez en démarrer une nouvelle ci-dessous.",
      failed: "L’envoi a échoué. Veuillez réessayer.",
    },
    de: {
      closed: (when, zone) => "Wir haben gerade geschlossen. Wir öffnen " + when + " (" + zone + "). Bitte kommen Sie dann wieder.",
      subtitle: () => "Kundenservice im Chat",
      intro: "Guten Tag. Schreiben Sie uns Ihr Anliegen – eine Beraterin oder ein Berater ist gleich für Sie da.",
      nameLabel: "Ihr Name (optional)",
      messageLabel: "Ihre Nachricht",
      placeholderFirst: "Ihre Frage…",
      placeholder: "Nachricht schreiben…",
      send: "Senden",
      leave: "Chat verlassen",
      leaveConfirm: "Chat verlassen? Ihr Gegenüber sieht, dass Sie gegangen sind.",
      connecting: "Verbindung wird hergestellt…",
      reconnecting: "Verbindung unterbrochen. Neuer Versuch…",
      waiting: (s) => "Sie werden gleich verbunden – etwa " + s,
      waitingUnknown: "Sie werden gleich verbunden. Vielen Dank für Ihre Geduld.",
      connected: (name) => "Sie chatten mit " + name,
      typing: (name) => name + " schreibt…",
      you: "Sie",
      adviser: "Beratung",
      ended: {
        "closed-by-agent": "Der Chat wurde beendet. Vielen Dank, dass Sie sich an die Northwind Bank gewandt haben.",
        "customer-left": "Sie haben den Chat verlassen.",
        "timed-out": "Dieser Chat wurde wegen Inaktivität beendet.",
        "queue-closed": "Wir haben jetzt geschlossen, daher wurde dieser Chat beendet, bevor ein Berater antworten konnte.",
        other: "Dieser Chat ist beendet.",
      },
      newChat: "Neuen Chat beginnen",
      emptyMessage: "Bitte schreiben Sie zuerst eine Nachricht.",
      previousGone: "Ihr vorheriger Chat ist beendet. Sie können unten einen neuen beginnen.",
      failed: "Das hat nicht geklappt. Bitte versuchen Sie es erneut.",
    },
  };

  const queueInfo = window.SB.meta("queue") || {};
  const queueId = queueInfo.queue || location.pathname.split("/").pop();
  const lang = STRINGS[queueInfo.language] ? queueInfo.language : (STRINGS[document.documentElement.lang] ? document.documentElement.lang : "en");
  const t = STRINGS[lang];

  // A queue outside its hours: when it opens, in the customer's language and the queue's time zone.
  function closedNotice(error) {
    if (!error || !error.opensAt || !error.timeZone) return null;
    if (error.code !== "queue_closed" && error.endedReason !== "queue-closed") return null;
    try {
      const when = new Intl.DateTimeFormat(lang, {
        weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit", timeZone: error.timeZone,
      }).format(new Date(error.opensAt));
      return t.closed(when, error.timeZone);
    } catch (problem) {
      return t.closed(error.opensAtLocal || error.opensAt, error.timeZone);
    }
  }
  const chatKey = "sb.chat." + queueId;
  const customerKey = "sb.customer." + location.origin;

  const $ = (id) => document.getElementById(id);
  const ui = {
    subtitle: $("chat-subtitle"), status: $("chat-status"), transcript: $("transcript"), typing: $("typing"),
    composer: $("composer"), intro: $("intro"), nameField: $("name-field"), name: $("customer-name"),
    message: $("message"), send: $("send"), error: $("composer-error"), leave: $("leave"),
    ended: $("ended"), endedText: $("ended-text"), newChat: $("new-chat"),
  };

  let conversation = null;   // the latest `conversation` push
  let messages = new Map();  // number -> message
  let socket = null;
  let started = false;       // start or resume answered ok on this socket
  let typingTimer = null;
  let lastTypingSent = 0;

  function stored() {
    try { return JSON.parse(localStorage.getItem(chatKey) || "null"); } catch (e) { return null; }
  }
  function store(value) {
    if (value) localStorage.setItem(chatKey, JSON.stringify(value)); else localStorage.removeItem(chatKey);
  }

  function applyStrings() {
    ui.subtitle.textContent = t.subtitle(queueInfo.name || queueId);
    $("name-label").textContent = t.nameLabel;
    $("message-label").textContent = t.messageLabel;
    ui.send.textContent = t.send;
    ui.leave.textContent = t.leave;
    ui.newChat.textContent = t.newChat;
  }

  function showFirstMessageForm(notice) {
    conversation = null;
    messages = new Map();
    clear(ui.transcript);
    ui.ended.hidden = true;
    ui.composer.hidden = false;
    ui.nameField.hidden = false;
    ui.leave.hidden = true;
    ui.intro.textContent = notice ? notice + " " + t.intro : t.intro;
    ui.message.placeholder = t.placeholderFirst;
    setStatus("", "");
    ui.message.focus();
  }

  function setStatus(text, state) {
    ui.status.textContent = text;
    ui.status.dataset.state = state || "";
  }

  function renderConversation() {
    if (!conversation) return;
    const state = conversation.state;
    if (state === "waiting") {
      const s = conversation.estimatedWaitSeconds;
      setStatus(s === null || s === undefined ? t.waitingUnknown : t.waiting(duration(s)), "waiting");
    } else if (state === "connected") {
      setStatus(t.connected(conversation.agentName || t.adviser), "connected");
    } else if (state === "ended") {
      setStatus("", "ended");
    }
    const ended = state === "ended";
    ui.ended.hidden = !ended;
    ui.composer.hidden = ended;
    ui.leave.hidden = ended;
    ui.nameField.hidden = true;
    ui.intro.textContent = "";
    ui.message.placeholder = t.placeholder;
    if (ended) {
      const text = t.ended[conversation.endedReason] || t.ended.other;
      // A queue that closed on the customer: when to come back, in their language.
      const opening = closedNotice(conversation);
      ui.endedText.textContent = opening ? text + " " + opening : text;
      ui.typing.hidden = true;
    }
  }

  function addMessages(list) {
    let added = false;
    for (const m of list) {
      if (messages.has(m.number)) continue;
      messages.set(m.number, m);
      added = true;
    }
    if (!added) return;
    clear(ui.transcript);
    const sorted = [...messages.values()].sort((a, b) => a.number - b.number);
    for (const m of sorted) {
      const role = ["customer", "agent", "supervisor", "system"].includes(m.role) ? m.role : "system";
      const who = role === "customer" ? t.you : (m.author || t.adviser);
      const item = el("div", { class: "msg " + role, dataset: { number: m.number, role } },
        role === "system" ? null : el("span", { class: "who" }, who, m.at ? " · " + clock(m.at, lang) : ""),
        el("span", { class: "text", text: m.text }));
      ui.transcript.append(item);
    }
    ui.typing.hidden = true;
    ui.transcript.lastElementChild.scrollIntoView({ block: "end" });
  }

  function openSocket(firstMessage) {
    if (socket) socket.close();
    started = false;
    socket = new Socket("/chat/ws", {
      onConnection: (state) => {
        if (state === "connecting" && !conversation) setStatus(t.connecting, "");
        if (state === "offline") setStatus(t.reconnecting, "");
      },
      onOpen: async () => {
        const saved = stored();
        const message = saved && saved.conversationId
          ? { type: "resume", conversationId: saved.conversationId, customerToken: saved.customerToken }
          : firstMessage;
        if (!message) return;
        const reply = await socket.request(message);
        if (reply.ok) {
          started = true;
          const result = reply.result || {};
          if (message.type === "start") {
            const token = result.customerToken || message.customerToken;
            store({ conversationId: result.conversationId, customerToken: token });
            if (token) localStorage.setItem(customerKey, token);
            ui.message.value = "";
            ui.name.value = "";
          }
          if (result.state && !conversation) { conversation = result; renderConversation(); }
          else renderConversation();
          ui.message.focus();
        } else if (message.type === "resume" && reply.error && (reply.error.code === "not_found" || reply.error.code === "forbidden")) {
          store(null);
          socket.close();
          socket = null;
          showFirstMessageForm(t.previousGone);
        } else {
          ui.error.textContent = closedNotice(reply.error) || (reply.error && reply.error.message) || t.failed;
          if (message.type === "start") { socket.close(); socket = null; setStatus("", ""); }
        }
      },
      onMessage: (message) => {
        if (message.type === "conversation") {
          conversation = message;
          renderConversation();
        } else if (message.type === "messages") {
          addMessages(message.messages || []);
        } else if (message.type === "notice") {
          ui.error.textContent = message.text || "";
        } else if (message.type === "status") {
          if (message.bus === "down") setStatus(t.reconnecting, "");
          else renderConversation();
        } else if (message.type === "typing") {
          if (!conversation || conversation.state === "ended") return;
          ui.typing.textContent = t.typing(message.name || t.adviser);
          ui.typing.hidden = false;
          clearTimeout(typingTimer);
          typingTimer = setTimeout(() => { ui.typing.hidden = true; }, 4000);
        }
      },
    });
    socket.connect();
  }

  ui.composer.addEventListener("submit", async (event) => {
    event.preventDefault();
    ui.error.textContent = "";
    const text = ui.message.value.trim();
    if (!text) { ui.error.textContent = t.emptyMessage; ui.message.focus(); return; }
    if (!socket) {
      const start = { type: "start", queue: queueId, text };
      const name = ui.name.value.trim();
      if (name) start.name = name;
      const token = localStorage.getItem(customerKey);
      if (token) start.customerToken = token;
      ui.send.disabled = true;
      openSocket(start);
      setTimeout(() => { ui.send.disabled = false; }, 800);
      return;
    }
    if (!started) { ui.error.textContent = t.reconnecting; return; }
    ui.send.disabled = true;
    const reply = await socket.request({ type: "message", text });
    ui.send.disabled = false;
    if (reply.ok) { ui.message.value = ""; ui.message.focus(); }
    else ui.error.textContent = (reply.error && reply.error.message) || t.failed;
  });

  ui.message.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      ui.composer.requestSubmit();
    }
  });

  ui.message.addEventListener("input", () => {
    const now = Date.now();
    if (socket && started && now - lastTypingSent > 2000) {
      lastTypingSent = now;
      socket.send({ type: "typing" });
    }
  });

  ui.leave.addEventListener("click", async () => {
    if (!socket || !started) return;
    if (!window.confirm(t.leaveConfirm)) return;
    const reply = await socket.request({ type: "leave" });
    if (!reply.ok) ui.error.textContent = (reply.error && reply.error.message) || t.failed;
  });

  ui.newChat.addEventListener("click", () => {
    store(null);
    if (socket) { socket.close(); socket = null; }
    showFirstMessageForm("");
  });

  applyStrings();
  const saved = stored();
  if (saved && saved.conversationId) {
    ui.nameField.hidden = true;
    ui.intro.textContent = "";
    openSocket(null);
  } else {
    showFirstMessageForm("");
  }
})();
