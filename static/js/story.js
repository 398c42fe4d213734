// The personal-data guard on the phone: before a case story leaves the
// phone, scan it (static/js/guard.js) and, if something looks like personal
// data, show what and why and let the writer edit or post anyway. The server
// checks again. Runs before realtime.js sends the form (scripts load in order).
(function () {
  "use strict";
  var guard = window.PersonalDataGuard;
  if (!guard) return;
  var loading = null;

  function ensureLoaded(form) {
    if (!loading) loading = guard.load(form.dataset.guardData);
    return loading;
  }

  function reason(form, kind) {
    var key = "reason" + kind.split("_").map(function (part) {
      return part.charAt(0).toUpperCase() + part.slice(1);
    }).join("");
    return form.dataset[key] || form.dataset.reasonName || kind;
  }

  function showFindings(form, found) {
    var panel = form.querySelector("[data-guard-panel]");
    var list = form.querySelector("[data-guard-findings]");
    list.textContent = "";
    found.forEach(function (item) {
      var label = document.createElement("p");
      label.className = "guard__field";
      label.textContent = item.label;
      var preview = document.createElement("p");
      preview.className = "guard__preview";
      guard.highlight(preview, item.text, item.findings);
      var reasons = document.createElement("ul");
      reasons.className = "guard__reasons";
      var seen = {};
      item.findings.forEach(function (finding) {
        if (seen[finding.kind]) return;
        seen[finding.kind] = true;
        var li = document.createElement("li");
        li.textContent = reason(form, finding.kind);
        reasons.appendChild(li);
      });
      list.appendChild(label);
      list.appendChild(preview);
      list.appendChild(reasons);
    });
    panel.hidden = false;
    panel.scrollIntoView({ block: "nearest" });
  }

  function scanForm(form) {
    var found = [];
    form.querySelectorAll("textarea").forEach(function (field) {
      var findings = guard.scan(field.value);
      if (findings.length) {
        var label = form.querySelector('label[for="' + field.id + '"]');
        found.push({ label: label ? label.textContent : "", text: field.value, findings: findings });
      }
    });
    return found;
  }

  // Capture phase: runs before realtime.js and htmx send anything.
  document.addEventListener("htmx:confirm", function (evt) {
    var form = evt.detail.elt;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-guard")) return;
    var confirmed = form.querySelector('input[name="confirmed"]');
    // "1": the writer chose to post anyway; "checked": scanned, nothing found.
    if (confirmed && (confirmed.value === "1" || confirmed.value === "checked")) return;
    evt.preventDefault();
    evt.stopImmediatePropagation();
    ensureLoaded(form).then(function () {
      var found = scanForm(form);
      if (found.length) {
        showFindings(form, found);
      } else {
        // Nothing found: send it the usual way (socket, or HTTP). "checked"
        // lets it pass here without telling the server it was confirmed.
        confirmed.value = "checked";
        htmx.trigger(form, "submit");
      }
    }, function () {
      // The guard could not load: the server still checks the story.
      confirmed.value = "checked";
      htmx.trigger(form, "submit");
    });
  }, true);

  document.addEventListener("click", function (evt) {
    var button = evt.target.closest ? evt.target.closest("[data-guard-confirm]") : null;
    if (!button) return;
    var form = button.form;
    evt.preventDefault();
    form.querySelector('input[name="confirmed"]').value = "1";
    htmx.trigger(form, "submit");
  });

  // Editing after a warning: check again on the next send.
  document.addEventListener("input", function (evt) {
    var form = evt.target.form;
    if (!form || !form.hasAttribute("data-guard")) return;
    var confirmed = form.querySelector('input[name="confirmed"]');
    if (confirmed) confirmed.value = "0";
  });
})();
