/* ITL Chatbot loader. <script src="https://WIDGET-HOST/widget.js" data-tenant="acme" async></script>
   Options: data-position="bottom-right|bottom-left", data-open="true", data-locale="fr".
   Adds a launcher and the chat iframe inside a shadow root reset with all:initial (host CSS cannot reach in, ours
   cannot leak out), talks to the iframe by postMessage with explicit origins both ways, and
   defines one global: ITLChat.open(), .close(), .identify({id, name, email, expires, signature}). */
(function (w, d) {
  "use strict";
  var s = d.currentScript, t = s && s.getAttribute("data-tenant");
  if (w.ITLChat || !t) return;
  var o = s.dataset, host = new URL(s.src).origin, api = host + "/api/public/widgets/" + encodeURIComponent(t);
  var frame, btn, ready = false, queue = [], isOpen = false, side = o.position === "bottom-left" ? "left" : "right";
  var root = d.createElement("div");
  root.setAttribute("data-itl-chat", "");
  root.style.cssText = "all:initial;position:fixed;bottom:0;z-index:2147483000";
  var sh = root.attachShadow({ mode: "open" });
  var sheet, st = d.createElement("style"), adopt = sh.adoptedStyleSheets && w.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync;
  function style() {
    var c = ":host{all:initial}*{box-sizing:border-box}" +
      "button{all:initial;position:fixed;bottom:20px;" + side + ":20px;width:56px;height:56px;border-radius:50%;" +
      "background:var(--itl-c,#0b5fff);cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center}" +
      "button:focus-visible{outline:3px solid #111;outline-offset:2px}svg{width:28px;height:28px;fill:#fff}" +
      "iframe{all:initial;position:fixed;bottom:88px;" + side + ":20px;width:min(400px,calc(100vw - 40px));" +
      "height:min(640px,calc(100vh - 108px));border:0;border-radius:12px;background:#fff;box-shadow:0 8px 30px rgba(0,0,0,.3)}" +
      "iframe[hidden]{display:none}" +
      "@media (max-width:480px){iframe{inset:0;width:100vw;height:100vh;border-radius:0}}";
    root.style.setProperty(side === "left" ? "left" : "right", "0");
    root.style.setProperty(side === "left" ? "right" : "left", "auto");
    if (adopt) {
      sheet = sheet || new CSSStyleSheet();
      sheet.replaceSync(c);
      sh.adoptedStyleSheets = [sheet];
    } else {
      st.textContent = c;
      sh.appendChild(st);
    }
  }
  style();
  btn = d.createElement("button");
  btn.type = "button";
  btn.setAttribute("aria-label", "Open chat");
  btn.setAttribute("aria-expanded", "false");
  btn.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';
  btn.onclick = function () { isOpen ? close() : open(); };
  sh.appendChild(btn);

  function post(msg) {
    if (ready) frame.contentWindow.postMessage(msg, host); else queue.push(msg);
  }
  function make() {
    if (frame) return;
    frame = d.createElement("iframe");
    frame.title = "Chat";
    frame.hidden = true;
    frame.src = host + "/widget.html?tenant=" + encodeURIComponent(t) + "&origin=" +
      encodeURIComponent(location.origin) + (o.locale ? "&locale=" + encodeURIComponent(o.locale) : "");
    sh.appendChild(frame);
  }
  function open() {
    make();
    isOpen = true;
    frame.hidden = false;
    btn.setAttribute("aria-expanded", "true");
    btn.setAttribute("aria-label", "Close chat");
    post({ itl: 1, type: "open" });
  }
  function close() {
    if (!frame) return;
    isOpen = false;
    frame.hidden = true;
    btn.setAttribute("aria-expanded", "false");
    btn.setAttribute("aria-label", "Open chat");
    btn.focus();
  }
  w.addEventListener("message", function (e) {
    if (e.origin !== host || !frame || e.source !== frame.contentWindow) return;
    var m = e.data || {};
    if (m.itl !== 1) return;
    if (m.type === "ready") {
      ready = true;
      while (queue.length) frame.contentWindow.postMessage(queue.shift(), host);
    } else if (m.type === "close") close();
  });
  w.ITLChat = Object.freeze({
    open: open,
    close: close,
    identify: function (v) { make(); post({ itl: 1, type: "identify", visitor: v }); }
  });
  fetch(api + "/config").then(function (r) { return r.ok ? r.json() : null; }).then(function (c) {
    var col = c && c.theme && c.theme.primary_color;
    if (col && /^#[0-9a-f]{3,6}$/i.test(col)) root.style.setProperty("--itl-c", col);
    if (!o.position && c && c.position === "bottom-left") { side = "left"; style(); }
  }).catch(function () {});
  (d.body || d.documentElement).appendChild(root);
  if (o.open === "true") open();
})(window, document);
