// Ticks the countdowns rendered by agenda/_timer.html. The server says when
// the timer ends (data-ends-at) and what its clock read then
// (data-server-now), so a phone with a wrong clock still counts right.
// Paused timers (data-remaining) stand still. Only text and classes change.
(function () {
  "use strict";
  var offsets = new WeakMap();

  function format(seconds) {
    var shown = Math.abs(seconds);
    var minutes = Math.floor(shown / 60);
    var rest = shown % 60;
    return (seconds < 0 ? "-" : "") + minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function tick() {
    document.querySelectorAll("[data-timer][data-ends-at]").forEach(function (el) {
      if (!offsets.has(el)) {
        // How far this device's clock is from the server's, measured once.
        offsets.set(el, Date.parse(el.dataset.serverNow) - Date.now());
      }
      var now = Date.now() + offsets.get(el);
      var left = Math.round((Date.parse(el.dataset.endsAt) - now) / 1000);
      var planned = Number(el.dataset.planned) || 0;
      el.textContent = format(left);
      el.classList.toggle("timer--over", left <= 0);
      el.classList.toggle("timer--warn", left > 0 && (left <= 60 || left <= planned * 0.2));
    });
  }

  tick();
  setInterval(tick, 1000);
})();
