// Bridges Socket.IO to htmx. The server pushes rendered partials
// (event "ui:swap", see docs/protocol.md); htmx.swap() puts them in place.
// Forms marked data-socket-event are sent over the socket while it is up and
// fall back to htmx over HTTP otherwise. No markup is built here.
(function () {
  "use strict";
  // The personal-data guard and the story form's script, fetched only when a
  // story form is on the page (most steps have none): guard.js first, then
  // story.js, which needs it. story.js listens in the capture phase, so it
  // still checks a story before the socket handler below sends it.
  var guardRequested = false;
  function loadGuardWhenNeeded() {
    if (guardRequested || !document.querySelector("form[data-guard]")) return;
    guardRequested = true;
    var sources = ["facilitation-guard-js", "facilitation-story-js"].map(function (name) {
      var meta = document.querySelector('meta[name="' + name + '"]');
      return meta && meta.content;
    });
    (function next(i) {
      if (i >= sources.length || !sources[i]) return;
      var script = document.createElement("script");
      script.src = sources[i];
      script.onload = function () { next(i + 1); };
      document.head.appendChild(script);
    })(0);
  }
  loadGuardWhenNeeded();
  document.addEventListener("htmx:afterSettle", loadGuardWhenNeeded);
  window.facilitationLoadGuard = loadGuardWhenNeeded;

  var body = document.body;
  var code = body.dataset.liveCode;
  var audience = body.dataset.liveAudience;
  if (!code || typeof io === "undefined" || typeof htmx === "undefined") return;

  var fullscreen = document.querySelector("[data-fullscreen]");
  if (fullscreen && document.documentElement.requestFullscreen) {
    fullscreen.hidden = false;
    fullscreen.addEventListener("click", function () {
      document.documentElement.requestFullscreen().catch(function () {});
    });
  }

  var ACK_TIMEOUT_MS = 6000;
  var RETRIES = 2;
  var statusEl = document.getElementById("connection-status");
  var socket = io({ auth: { code: code, audience: audience } });
  window.facilitationSocket = socket;

  function setStatus(state) {
    if (!statusEl) return;
    statusEl.dataset.state = state;
    var key = "text" + state.charAt(0).toUpperCase() + state.slice(1);
    statusEl.textContent = statusEl.dataset[key] || "";
  }

  function showError(message) {
    var el = document.getElementById("live-error");
    if (el) el.textContent = message || "";
  }

  function applySwaps(pieces) {
    (Array.isArray(pieces) ? pieces : [pieces]).forEach(function (piece) {
      var target = document.querySelector(piece.target);
      if (target) htmx.swap(target, piece.html, { swapStyle: piece.swap || "outerHTML" });
    });
    loadGuardWhenNeeded();
  }

  socket.on("connect", function () {
    setStatus("online");
    // Catch up with whatever changed before this (re)connect.
    socket.timeout(ACK_TIMEOUT_MS).emitWithAck("live:sync", {}).then(function (ack) {
      if (ack && ack.ok) applySwaps(ack.pieces);
    }, function () { /* the next push brings the page up to date */ });
  });
  // The server ended this page's access (session closed, account removed
  // from the training, signed out): load the page again, which says why
  // (the end screen, the sign-in page, not found). Once: a page that still
  // loads but whose socket is refused must not reload in a loop.
  function reloadOnce() {
    var key = "facilitation-reloaded:" + window.location.pathname;
    var last = Number(window.sessionStorage.getItem(key) || 0);
    if (Date.now() - last < 30000) { setStatus("ended"); return; }
    window.sessionStorage.setItem(key, String(Date.now()));
    window.location.reload();
  }

  socket.on("disconnect", function (reason) {
    if (reason !== "io server disconnect") { setStatus("offline"); return; }
    // The "session has ended" screen came before the disconnect: keep it.
    if (document.querySelector("#live-main.closed")) { setStatus("ended"); return; }
    reloadOnce();
  });
  socket.on("connect_error", function (err) {
    setStatus("offline");
    var reason = err && err.message;
    if (reason === "unknown_session" || reason === "forbidden") reloadOnce();
  });
  socket.on("ui:swap", applySwaps);

  function emitWithRetry(event, data, retries) {
    return socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, data).catch(function (err) {
      if (retries > 0 && socket.connected) return emitWithRetry(event, data, retries - 1);
      throw err;
    });
  }

  function randomId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  document.addEventListener("htmx:confirm", function (evt) {
    var form = evt.detail.elt;
    var event = form && form.dataset ? form.dataset.socketEvent : null;
    // A form rendered for a whole room has no client id yet: this phone makes
    // one, kept in the form so that a retry of the same post is stored once.
    var clientId = form && form.querySelector ? form.querySelector('input[name="client_id"]') : null;
    if (clientId && !clientId.value) clientId.value = randomId();
    if (!event || !socket.connected) return; // htmx posts it over HTTP
    evt.preventDefault();
    // Only idempotent forms (a client_id, or an explicit target state) are
    // sent again: a toggle sent twice would undo itself.
    var retry = form.hasAttribute("data-socket-retry");
    var data = {};
    new FormData(form).forEach(function (value, key) {
      if (key === "csrf_token") return;
      // A repeated field (several ticked boxes) becomes a list.
      if (Object.prototype.hasOwnProperty.call(data, key)) {
        data[key] = [].concat(data[key], value);
      } else {
        data[key] = value;
      }
    });
    if (data.question_id) data.question_id = Number(data.question_id);
    form.setAttribute("aria-busy", "true");
    emitWithRetry(event, data, retry ? RETRIES : 0).then(function (ack) {
      form.removeAttribute("aria-busy");
      showError(ack && !ack.ok && !ack.html ? ack.message : "");
      if (ack && ack.pieces) applySwaps(ack.pieces);
      if (ack && ack.html) {
        var selector = form.dataset.socketTarget;
        var target = selector ? document.querySelector(selector) : form;
        if (target) htmx.swap(target, ack.html, { swapStyle: "outerHTML" });
      }
    }, function () {
      form.removeAttribute("aria-busy");
      if (retry) {
        // No answer over the socket: send the same form over HTTP.
        evt.detail.issueRequest(true);
      } else {
        showError(statusEl ? statusEl.dataset.textTimeout : "");
      }
    });
  });
})();
