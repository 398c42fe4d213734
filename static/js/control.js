// Keyboard shortcuts on the control page: arrow keys move through the agenda,
// space pauses or continues. They press the run panel's buttons, so the same
// code path (socket, or HTTP when it is down) does the work.
(function () {
  "use strict";
  document.addEventListener("keydown", function (evt) {
    if (evt.altKey || evt.ctrlKey || evt.metaKey) return;
    var tag = (evt.target && evt.target.tagName) || "";
    var key = evt.key === "Spacebar" ? " " : evt.key;
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(tag) || evt.target.isContentEditable) return;
    if (key === " " && tag === "BUTTON") return; // space presses the focused button itself
    var button = document.querySelector('#agenda-run [data-key="' + key + '"]');
    if (!button) return;
    evt.preventDefault();
    button.click();
  });
})();
