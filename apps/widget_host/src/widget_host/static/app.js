/* ITL Chatbot widget UI (runs inside widget.html on the widget host's origin).
   Model output is never parsed as HTML: a tiny markdown subset is built with DOM nodes and
   textContent (bold, italic, code, lists, http(s) links with rel=noopener; no images). */
(function () {
  "use strict";
  var q = new URLSearchParams(location.search);
  var tenant = q.get("tenant") || "";
  var api = "/api/public/widgets/" + encodeURIComponent(tenant);
  var framed = window.parent !== window;
  // The framing page: authoritative where the browser tells it, else what the loader said.
  var anc = location.ancestorOrigins;
  var parentOrigin = framed ? (anc && anc.length ? anc[0] : q.get("origin") || refOrigin()) : null;
  var L = {
    en: { send: "Send", msg: "Your message", close: "Close chat", retry: "Retry", err: "Something went wrong.",
      busy: "Too many messages. Try again in {s} s.", human: "A person will take over this conversation.",
      talk: "Talk to a person", sources: "Sources", off: "Chat is unavailable right now." },
    fr: { send: "Envoyer", msg: "Votre message", close: "Fermer", retry: "Réessayer", err: "Une erreur est survenue.",
      busy: "Trop de messages. Réessayez dans {s} s.", human: "Une personne va reprendre la conversation.",
      talk: "Parler à une personne", sources: "Sources", off: "Le chat est indisponible pour le moment." }
  };
  var lang = (q.get("locale") || navigator.language || "en").slice(0, 2).toLowerCase();
  var T = L[lang] || L.en;
  var $ = function (id) { return document.getElementById(id); };
  var log, input, send, token = null, visitor = null, identity = null, sessionId = null, busy = false, lastText = "";
  var store = {
    get: function (k) { try { return localStorage.getItem("itl:" + tenant + ":" + k); } catch (e) { return null; } },
    set: function (k, v) { try { v == null ? localStorage.removeItem("itl:" + tenant + ":" + k) : localStorage.setItem("itl:" + tenant + ":" + k, v); } catch (e) {} }
  };

  function refOrigin() { try { return new URL(document.referrer).origin; } catch (e) { return null; } }
  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text != null) n.textContent = text;
    return n;
  }
  function toParent(type) { if (framed && parentOrigin) window.parent.postMessage({ itl: 1, type: type }, parentOrigin); }
  function scroll() { log.scrollTop = log.scrollHeight; }

  /* ---- safe markdown subset ---- */
  var INLINE = /(\*\*[^*]+\*\*|`[^`]+`|!?\[[^\]]*\]\([^)\s]+\)|\*[^*\s][^*]*\*|_[^_\s][^_]*_)/;
  function inline(parent, text) {
    text.split(INLINE).forEach(function (part, i) {
      if (!part) return;
      if (i % 2 === 0) return parent.appendChild(document.createTextNode(part));
      var m;
      if (part.slice(0, 2) === "**") parent.appendChild(el("strong", null, part.slice(2, -2)));
      else if (part[0] === "`") parent.appendChild(el("code", null, part.slice(1, -1)));
      else if ((m = /^(!?)\[([^\]]*)\]\(([^)\s]+)\)$/.exec(part))) {
        if (!m[1] && /^https?:\/\//i.test(m[3])) {
          var a = el("a", null, m[2] || m[3]);
          a.href = m[3];
          a.target = "_blank";
          a.rel = "noopener noreferrer nofollow";
          parent.appendChild(a);
        } else parent.appendChild(document.createTextNode(m[2] || m[3])); // images: never loaded
      } else parent.appendChild(el("em", null, part.slice(1, -1)));
    });
  }
  function markdown(target, src) {
    target.textContent = "";
    var list = null, p = null, code = null;
    function flush() {
      var pre = el("pre");
      pre.appendChild(el("code", null, code.join("\n")));
      target.appendChild(pre);
      code = null;
    }
    src.replace(/\r/g, "").split("\n").forEach(function (line) {
      if (/^\s*```/.test(line)) {
        if (code === null) { code = []; list = p = null; } else flush();
        return;
      }
      if (code !== null) return void code.push(line);
      var m = /^\s*(?:([-*])|(\d+)[.)])\s+(.*)$/.exec(line);
      if (m) {
        var kind = m[1] ? "UL" : "OL";
        p = null;
        if (!list || list.tagName !== kind) { list = el(kind); target.appendChild(list); }
        var li = el("li");
        inline(li, m[3]);
        list.appendChild(li);
      } else if (!line.trim()) p = list = null;
      else {
        list = null;
        if (p) p.appendChild(el("br")); else { p = el("p"); target.appendChild(p); }
        inline(p, line);
      }
    });
    if (code !== null) flush();
  }

  /* ---- transcript ---- */
  function bubble(role, text, agent) {
    var b = el("div", "msg " + (role === "user" ? "user" : "bot"));
    var body = el("div", "body");
    if (role === "user") body.textContent = text; else markdown(body, text || "");
    if (agent && role !== "user") b.appendChild(el("span", "agent", agent));
    b.appendChild(body);
    log.appendChild(b);
    scroll();
    return { box: b, body: body };
  }
  function typing() {
    var t = el("div", "typing");
    t.setAttribute("aria-label", "…");
    t.append(el("i"), el("i"), el("i"));
    log.appendChild(t);
    scroll();
    return t;
  }
  function failure(text, retry) {
    var e = el("div", "error");
    e.setAttribute("role", "alert");
    e.appendChild(el("span", null, text));
    if (retry) {
      var r = el("button", null, T.retry);
      r.type = "button";
      r.onclick = function () { e.remove(); retry(); };
      e.appendChild(r);
    }
    log.appendChild(e);
    scroll();
  }
  function handoff() {
    var h = el("div", "handoff");
    h.setAttribute("role", "status");
    h.append(el("strong", null, T.talk + ". "), document.createTextNode(T.human));
    log.appendChild(h);
    scroll();
  }
  function sources(box, cites) {
    if (!cites.length) return;
    var s = el("div", "sources"), ul = el("ul");
    s.appendChild(el("span", null, T.sources + ":"));
    cites.forEach(function (c) { ul.appendChild(el("li", null, "• " + (c.title || c.document_id))); });
    s.appendChild(ul);
    box.appendChild(s);
  }

  /* ---- API ---- */
  function problem(res) {
    return res.json().catch(function () { return {}; }).then(function (p) {
      var err = new Error(p.detail || T.err);
      err.status = res.status;
      err.retryAfter = +res.headers.get("Retry-After") || 0;
      throw err;
    });
  }
  function startSession() {
    var body = { page_origin: parentOrigin };
    if (identity) body.visitor = identity; else if (store.get("anon")) body.anonymous_id = store.get("anon");
    return fetch(api + "/session", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(function (r) { return r.ok ? r.json() : problem(r); })
      .then(function (s) {
        token = s.widget_token;
        if (visitor && visitor !== s.visitor_id) { log.textContent = ""; sessionId = null; }
        visitor = s.visitor_id;
        if (!identity) store.set("anon", visitor);
        sessionId = store.get("s:" + visitor);
        return sessionId ? history() : null;
      });
  }
  function history() {
    return fetch(api + "/sessions/" + encodeURIComponent(sessionId) + "/messages", { headers: { Authorization: "Bearer " + token } })
      .then(function (r) {
        if (!r.ok) { sessionId = null; store.set("s:" + visitor, null); return; }
        return r.json().then(function (page) {
          log.textContent = "";
          welcome();
          page.items.forEach(function (m) { if (m.role !== "system" && m.content) bubble(m.role, m.content, null); });
        });
      });
  }
  function stream(res, on) {
    var reader = res.body.getReader(), dec = new TextDecoder(), buf = "";
    function pump() {
      return reader.read().then(function (r) {
        if (r.done) return;
        buf += dec.decode(r.value, { stream: true }).replace(/\r\n?/g, "\n");
        var i;
        while ((i = buf.indexOf("\n\n")) >= 0) {
          var frame = buf.slice(0, i), name = "message", data = "";
          buf = buf.slice(i + 2);
          frame.split("\n").forEach(function (line) {
            if (line.indexOf("event:") === 0) name = line.slice(6).trim();
            else if (line.indexOf("data:") === 0) data += line.slice(5).trim();
          });
          if (data) on(name, JSON.parse(data));
        }
        return pump();
      });
    }
    return pump();
  }
  function ask(text, retried) {
    if (busy || !text.trim()) return;
    busy = true;
    send.disabled = true;
    lastText = text;
    if (!retried) bubble("user", text);
    $("starters").hidden = true;
    var dots = typing(), answer = null, acc = "", cites = [], ended = false, agent = null;
    function finish() { busy = false; send.disabled = false; if (dots) dots.remove(); dots = null; if (answer) answer.box.removeAttribute("aria-busy"); }
    var ready = token ? Promise.resolve() : startSession();
    ready.then(function () {
      return fetch(api + "/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "text/event-stream", Authorization: "Bearer " + token },
        body: JSON.stringify({ message: text, session_id: sessionId, stream: true })
      });
    }).then(function (res) {
      if (res.status === 401 && !retried) { token = null; finish(); return ask(text, true); }
      if (res.status === 404 && sessionId && !retried) { sessionId = null; store.set("s:" + visitor, null); finish(); return ask(text, true); }
      if (!res.ok) return problem(res);
      return stream(res, function (name, d) {
        if (name === "session") { sessionId = d.session_id; store.set("s:" + visitor, sessionId); }
        else if (name === "routing") agent = d.agent;
        else if (name === "token") {
          if (!answer) { if (dots) dots.remove(); dots = null; answer = bubble("bot", "", agent); answer.box.setAttribute("aria-busy", "true"); }
          acc += d.text;
          markdown(answer.body, acc);
          scroll();
        } else if (name === "citation") cites.push(d);
        else if (name === "done") {
          ended = true;
          if (!answer) answer = bubble("bot", d.response, d.agent);
          else markdown(answer.body, d.response || acc);
          sources(answer.box, cites);
          if (d.metadata && d.metadata.handoff) handoff();
        } else if (name === "error") {
          ended = true;
          finish();
          failure(d.detail || T.err, d.retryable ? function () { ask(lastText, true); } : null);
        }
      }).then(function () {
        finish();
        if (!ended) failure(T.err, function () { ask(lastText, true); });
      });
    }).catch(function (e) {
      finish();
      if (e && e.status === 429) failure(T.busy.replace("{s}", e.retryAfter || 1), function () { ask(lastText, true); });
      else failure((e && e.status && e.message) || T.err, function () { ask(lastText, true); });
    });
  }

  /* ---- look and wiring ---- */
  var config = null;
  function welcome() { if (config && config.welcome_message) bubble("assistant", config.welcome_message, null); }
  function apply(c) {
    config = c;
    document.title = c.title;
    $("title").textContent = c.title;
    var th = c.theme || {}, root = document.documentElement.style;
    if (th.primary_color) root.setProperty("--p", th.primary_color);
    if (th.background_color) root.setProperty("--bg", th.background_color);
    if (th.text_color) root.setProperty("--fg", th.text_color);
    welcome();
    var box = $("starters");
    (c.starter_prompts || []).forEach(function (p) {
      var b = el("button", null, p);
      b.type = "button";
      b.onclick = function () { ask(p); };
      box.appendChild(b);
    });
  }
  function onMessage(e) {
    if (!framed || e.source !== window.parent || e.origin !== parentOrigin) return;
    var m = e.data || {};
    if (m.itl !== 1) return;
    if (m.type === "open") input.focus();
    else if (m.type === "identify" && m.visitor) {
      identity = m.visitor;
      token = null;
      startSession().catch(function (err) { failure((err && err.message) || T.err, null); });
    }
  }
  function init() {
    log = $("log");
    input = $("input");
    send = $("send");
    document.documentElement.lang = L[lang] ? lang : "en";
    $("input-label").textContent = T.msg;
    send.setAttribute("aria-label", T.send);
    $("close").setAttribute("aria-label", T.close);
    $("close").onclick = function () { toParent("close"); };
    $("close").hidden = !framed;
    $("compose").onsubmit = function (e) { e.preventDefault(); var v = input.value; if (busy || !v.trim()) return; input.value = ""; ask(v); };
    input.onkeydown = function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); $("compose").requestSubmit(); }
    };
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") toParent("close"); });
    window.addEventListener("message", onMessage);
    fetch(api + "/config").then(function (r) { return r.ok ? r.json() : problem(r); }).then(function (c) {
      apply(c);
      toParent("ready");
      return startSession();
    }).catch(function (e) {
      toParent("ready");
      var n = $("notice");
      n.hidden = false;
      n.textContent = e && e.status === 403 ? T.off : (e && e.message) || T.off;
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
