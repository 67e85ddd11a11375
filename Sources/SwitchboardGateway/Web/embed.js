// Northwind Bank chat on any site: <script src="https://GATEWAY/embed.js" data-queue="chat-en-cards"
// data-label="Chat with us"></script> adds a button that opens the chat in a panel (an iframe to
// the gateway's /chat/<queue>). Styles are set through the CSSOM, so a strict CSP on the host page
// that allows this script allows its styles too.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src, location.href).origin;
  var queue = script.getAttribute("data-queue") || "chat-en-cards";
  var label = script.getAttribute("data-label") || "Chat with us";
  var title = script.getAttribute("data-title") || "Northwind Bank chat";

  function style(node, rules) { for (var key in rules) node.style[key] = rules[key]; }

  var button = document.createElement("button");
  button.type = "button";
  button.textContent = label;
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", "sb-chat-panel");
  style(button, {
    position: "fixed", right: "20px", bottom: "20px", zIndex: "2147483000",
    font: "600 16px system-ui, sans-serif", color: "#fff", background: "#1f3a5f",
    border: "none", borderRadius: "999px", padding: "12px 20px", cursor: "pointer",
    boxShadow: "0 4px 14px rgba(0,0,0,0.25)",
  });

  var panel = document.createElement("div");
  panel.id = "sb-chat-panel";
  panel.hidden = true;
  style(panel, {
    position: "fixed", right: "20px", bottom: "80px", zIndex: "2147483000",
    width: "min(380px, calc(100vw - 40px))", height: "min(600px, calc(100vh - 110px))",
    background: "#fff", borderRadius: "12px", overflow: "hidden",
    boxShadow: "0 8px 30px rgba(0,0,0,0.3)",
  });

  var frame = null;
  button.addEventListener("click", function () {
    var open = panel.hidden;
    if (open && !frame) {
      frame = document.createElement("iframe");
      frame.src = origin + "/chat/" + encodeURIComponent(queue);
      frame.title = title;
      style(frame, { width: "100%", height: "100%", border: "0" });
      panel.appendChild(frame);
    }
    panel.hidden = !open;
    panel.style.display = open ? "block" : "none";
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
  panel.style.display = "none";

  function mount() { document.body.appendChild(panel); document.body.appendChild(button); }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
