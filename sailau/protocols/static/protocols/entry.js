// The entry form: Enter moves to the next count, drafts are saved as they are typed (a closed
// tab loses nothing), and the control relations' findings appear next to their lines.
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form) return;
  var url = form.dataset.draftUrl;
  var status = document.getElementById("draft-status");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input.count"));
  var explain = JSON.parse(document.getElementById("explanations").textContent);
  var lights = JSON.parse(document.getElementById("lights").textContent);
  var lang = document.documentElement.lang || "kk";
  var timer = null, sending = false, again = false, finished = false;

  inputs.forEach(function (el, i) {
    el.addEventListener("keydown", function (ev) {
      if (ev.key !== "Enter") return;
      ev.preventDefault();
      if (i + 1 < inputs.length) { inputs[i + 1].focus(); inputs[i + 1].select(); }
      else document.getElementById("finalise").focus();
    });
    el.addEventListener("input", function () {
      el.value = el.value.replace(/[^0-9]/g, "");  // counts only: no signs, spaces or dots
      clearTimeout(timer);
      timer = setTimeout(save, 400);
    });
  });
  form.addEventListener("submit", function () { finished = true; clearTimeout(timer); });
  // Until here Enter in a count submits the form, as without a script: say the keys are ready.
  form.dataset.ready = "1";

  function body() {
    var out = {figures: {}, choices: {}};
    inputs.forEach(function (el) {
      var parts = el.name.split(".");
      if (el.value !== "") out[parts[0]][parts[1]] = el.value;
    });
    return out;
  }

  function save() {
    if (finished) return;
    if (sending) { again = true; return; }
    sending = true;
    status.textContent = form.dataset.saving;
    fetch(url, {method: "PUT", credentials: "same-origin",
                headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
                body: JSON.stringify(body())})
      .then(function (r) { return r.json().then(function (j) { return [r.ok, j]; }); })
      .then(function (res) {
        if (res[0]) { status.textContent = form.dataset.saved; show(res[1].findings || []); }
        else status.textContent = res[1].message || form.dataset.failed;
      })
      .catch(function () { status.textContent = form.dataset.failed; })
      .then(function () { sending = false; if (again) { again = false; save(); } });
  }

  // Which lines a finding lights and where its message goes: as protocols/highlight.py does.
  // When several errors fail together, the lines they share are the likely slip.
  var lineKeys = Array.prototype.map.call(form.querySelectorAll(".line[data-line]:not([data-choice])"),
                                          function (n) { return n.dataset.line; });
  function related(f) {
    var lines = lights[f.code] || f.lines || [];
    var out = lineKeys.filter(function (k) { return lines.indexOf(k) >= 0; });
    if (lines.indexOf("choices") >= 0 || !out.length) out.push("choices");
    return out;
  }
  function place(findings) {
    var errors = findings.filter(function (f) { return f.severity === "error"; });
    var shared = null;
    if (errors.length > 1) {
      shared = related(errors[0]);
      errors.slice(1).forEach(function (f) {
        var r = related(f);
        shared = shared.filter(function (k) { return r.indexOf(k) >= 0; });
      });
      if (!shared.length) shared = null;
    }
    return findings.map(function (f) {
      var mine = related(f);
      if (shared && f.severity === "error") mine = mine.filter(function (k) { return shared.indexOf(k) >= 0; });
      return {finding: f, lit: mine, at: mine[mine.length - 1]};
    });
  }

  function show(findings) {
    var live = {};
    findings.forEach(function (f) { live[f.code] = true; });
    form.querySelectorAll(".why .finding.live").forEach(function (n) { n.remove(); });
    // Findings the server showed that no longer apply are struck out, not hidden: the
    // operator sees that the correction worked. Those still failing are written again below.
    form.querySelectorAll(".why .finding:not(.live)[data-code]").forEach(function (n) {
      if (live[n.dataset.code]) n.remove();
      else { n.classList.add("resolved"); n.removeAttribute("id"); }
    });
    form.querySelectorAll(".line.flagged").forEach(function (n) { n.classList.remove("flagged"); });
    place(findings).forEach(function (p) {
      var f = p.finding;
      p.lit.forEach(function (k) {
        var sel = k === "choices" ? ".line[data-choice]" : '.line[data-line="' + k + '"]:not([data-choice])';
        form.querySelectorAll(sel).forEach(function (n) { n.classList.add("flagged"); });
      });
      var t = document.getElementById("why-" + p.at) || document.getElementById("why-choices");
      var d = document.createElement("div");
      d.className = "finding live " + f.severity;
      d.dataset.code = f.code;
      d.id = "finding-" + f.code;
      var b = document.createElement("strong");
      b.textContent = f.code;
      d.appendChild(b);
      d.appendChild(document.createTextNode(" " + (f.message[lang] || f.message.en)));
      if (explain[f.code]) {
        var s = document.createElement("span");
        s.className = "muted";
        s.textContent = explain[f.code];
        d.appendChild(document.createElement("br"));
        d.appendChild(s);
      }
      t.appendChild(d);
    });
  }
})();
