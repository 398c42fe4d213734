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

  // Keep a list marked data-sorted in order after items came or went: hidden
  // last, most votes first, then oldest first (ids grow with time). With
  // data-limit only that many show (the newest always among them); the
  // others stay in the page for when they climb. The placeholder shows when
  // the list is empty.
  function votesOf(li) {
    var count = li.querySelector("[data-votes]");
    var votes = Number(count ? count.dataset.votes : li.dataset.votes) || 0;
    li.dataset.votes = String(votes);
    return votes;
  }
  function idOf(li) { return Number(li.id.replace(/\D+/g, "")) || 0; }
  function sortList(list) {
    var items = Array.prototype.filter.call(list.children, function (li) {
      return li.classList.contains("question") && li.id;
    });
    var keyed = items.map(function (li) {
      return { li: li, hidden: li.classList.contains("is-hidden") ? 1 : 0, votes: votesOf(li), id: idOf(li) };
    });
    keyed.sort(function (a, b) { return a.hidden - b.hidden || b.votes - a.votes || a.id - b.id; });
    var limit = Number(list.dataset.limit) || 0;
    var shown = keyed;
    if (limit && keyed.length > limit) {
      shown = keyed.slice(0, limit);
      var newest = keyed.reduce(function (a, b) { return b.id > a.id ? b : a; });
      if (shown.indexOf(newest) < 0) shown = shown.slice(0, limit - 1).concat([newest]);
    }
    // Move only what is out of place: a swap-free reorder keeps focus.
    var anchor = list.firstElementChild;
    keyed.forEach(function (k) {
      k.li.hidden = shown.indexOf(k) < 0;
      if (k.li !== anchor) list.insertBefore(k.li, anchor);
      else anchor = anchor.nextElementSibling;
    });
    var empty = list.querySelector(".questions__empty");
    if (empty) empty.hidden = keyed.length > 0;
  }
  function sortAll(lists) {
    lists.forEach(function (list) { if (list.isConnected) sortList(list); });
  }

  function applySwaps(pieces) {
    var touched = [];
    (Array.isArray(pieces) ? pieces : [pieces]).forEach(function (piece) {
      if (!piece || !piece.target) return;
      var target = document.querySelector(piece.target);
      var style = piece.swap || "outerHTML";
      var list = null;
      if (style === "delete") {
        list = target && target.closest("[data-sorted]");
        if (target) target.remove();
      } else {
        if (target) {
          htmx.swap(target, piece.html, { swapStyle: style });
        } else if (piece.into) {
          // A new item: appended to its list, then put in its place.
          var into = document.querySelector(piece.into);
          if (into) htmx.swap(into, piece.html, { swapStyle: "beforeend" });
        }
        var now = document.querySelector(piece.target);
        list = now && now.closest("[data-sorted]");
      }
      if (list && touched.indexOf(list) < 0) touched.push(list);
    });
    // htmx settles swapped content on the next tick; sort after it did.
    sortAll(touched);
    setTimeout(function () { sortAll(touched); }, 30);
    loadGuardWhenNeeded();
  }

  // Room versions (docs/protocol.md): every push counts one up for this
  // page's audience. A push older than what the page holds is dropped; a gap
  // (a push was missed) or a reconnect asks for the whole state again.
  var version = null;   // null: not yet synced since this connect
  var seenWhileSyncing = 0;
  var syncing = false;
  var resyncWanted = false;

  function resync() {
    if (syncing) { resyncWanted = true; return; }
    syncing = true;
    resyncWanted = false;
    version = null;
    seenWhileSyncing = 0;
    socket.timeout(ACK_TIMEOUT_MS).emitWithAck("live:sync", {}).then(function (ack) {
      syncing = false;
      if (ack && ack.ok) {
        applySwaps(ack.pieces);
        version = Math.max(Number(ack.v) || 0, seenWhileSyncing);
      }
      if (resyncWanted && socket.connected) resync();
    }, function () {
      // No answer (a reconnect in between, a busy server): ask again.
      syncing = false;
      if (socket.connected) setTimeout(resync, resyncWanted ? 0 : 1000);
    });
  }
  window.facilitationResync = resync;

  function onPush(payload) {
    // Older servers sent a bare list of pieces.
    if (Array.isArray(payload)) { applySwaps(payload); return; }
    if (!payload) return;
    var v = Number(payload.v) || 0;
    if (version === null) {
      // A push racing the resync: newer than the page, maybe older than the resync.
      applySwaps(payload.pieces);
      seenWhileSyncing = Math.max(seenWhileSyncing, v);
      return;
    }
    if (v && v <= version) return;
    applySwaps(payload.pieces);
    if (v > version + 1) {
      resync();
    } else {
      version = v;
    }
  }

  socket.on("connect", function () {
    setStatus("online");
    // Catch up with whatever changed before this (re)connect.
    resync();
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
  socket.on("ui:swap", onPush);

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
