// The observer's offline form. Reports go into localStorage with a uuid made here, then are
// POSTed; the server stores a uuid once, so a report re-sent after a lost answer is harmless.
(function () {
  "use strict";
  var boot = JSON.parse(document.getElementById("boot").textContent);
  var KEY = "sailau.observation.queue";
  var statusEl = document.getElementById("status");

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function load() { try { return JSON.parse(localStorage.getItem(KEY)) || []; } catch (e) { return []; } }
  function save(q) { localStorage.setItem(KEY, JSON.stringify(q)); render(); }
  function cookie(name) {
    var m = document.cookie.match(new RegExp("(^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[2]) : "";
  }
  function isoLocal(v) { return new Date(v).toISOString(); }
  function nowLocal() {
    var d = new Date(); d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
    return d.toISOString().slice(0, 16);
  }
  function option(sel, value, text) {
    var o = document.createElement("option"); o.value = value; o.textContent = text; sel.appendChild(o);
  }
  function say(text) { statusEl.textContent = text; }

  function render() {
    var ul = document.getElementById("queue"); ul.textContent = "";
    var q = load();
    if (!q.length) { var li = document.createElement("li"); li.textContent = boot.texts.none; ul.appendChild(li); }
    q.forEach(function (r) {
      var li = document.createElement("li");
      li.textContent = r.label + (r.error ? " — " + boot.texts.failed + ": " + r.error : "");
      ul.appendChild(li);
    });
  }

  var syncing = false;
  function sync() {
    if (syncing) return;
    var q = load().filter(function (r) { return !r.error; });
    if (!q.length) { render(); return; }
    syncing = true;
    var r = q[0];
    fetch(r.url, {method: "POST", credentials: "same-origin",
                  headers: {"Content-Type": "application/json", "X-CSRFToken": cookie("csrftoken")},
                  body: JSON.stringify(r.body)})
      .then(function (resp) {
        return resp.json().catch(function () { return {}; }).then(function (data) {
          var all = load();
          var i = all.findIndex(function (x) { return x.body.uuid === r.body.uuid; });
          if (resp.status === 200 || resp.status === 201) {
            if (i >= 0) all.splice(i, 1);
            say(boot.texts.synced + ": " + r.label);
          } else if (resp.status >= 400 && resp.status < 500 && resp.status !== 408 && resp.status !== 429) {
            if (i >= 0) all[i].error = data.message || resp.statusText;  // kept to show, not re-sent
            say(boot.texts.failed + ": " + (data.message || resp.status));
          } else { throw new Error("server " + resp.status); }
          save(all);
          syncing = false;
          sync();
        });
      })
      .catch(function () { syncing = false; say(boot.texts.offline); });
  }

  function enqueue(url, body, label) {
    var q = load(); q.push({url: url, body: body, label: label}); save(q);
    say(boot.texts.queued); sync();
  }

  var cl = document.getElementById("checklist"), inc = document.getElementById("incident");
  [cl.station, inc.station].forEach(function (sel) {
    boot.stations.forEach(function (s) { option(sel, s.id, "№" + s.number + " " + s.address); });
  });
  boot.stages.forEach(function (s) { option(cl.stage, s.key, s.label); });
  boot.incidentKinds.forEach(function (k) { option(inc.kind, k[0], k[1]); });
  cl.observed_at.value = inc.occurred_at.value = nowLocal();

  function drawItems() {
    var box = document.getElementById("items"); box.textContent = "";
    var stage = boot.stages.find(function (s) { return s.key === cl.stage.value; });
    stage.items.forEach(function (item) {
      var fs = document.createElement("fieldset"); var lg = document.createElement("legend");
      lg.textContent = item.label; fs.appendChild(lg);
      var values = item.type === "assessment" ? ["very_good", "good", "bad", "very_bad"] : ["yes", "no", "na"];
      values.forEach(function (v) {
        var lab = document.createElement("label"); var inp = document.createElement("input");
        inp.type = "radio"; inp.name = "item:" + item.key; inp.value = v;
        if (item.type === "assessment") inp.required = true;
        lab.appendChild(inp); lab.appendChild(document.createTextNode(" " + boot.answers[v] + " "));
        fs.appendChild(lab);
      });
      box.appendChild(fs);
    });
  }
  cl.stage.addEventListener("change", drawItems); drawItems();

  cl.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var answers = {};
    new FormData(cl).forEach(function (v, k) { if (k.indexOf("item:") === 0) answers[k.slice(5)] = v; });
    var st = cl.station.options[cl.station.selectedIndex].text;
    enqueue(boot.endpoint, {uuid: uuid4(), station: cl.station.value, stage: cl.stage.value,
                            answers: answers, observed_at: isoLocal(cl.observed_at.value),
                            form_version: boot.version},
            st + " · " + cl.stage.options[cl.stage.selectedIndex].text);
    cl.reset(); cl.observed_at.value = nowLocal(); drawItems();
  });
  inc.addEventListener("submit", function (ev) {
    ev.preventDefault();
    enqueue(boot.incidentEndpoint, {uuid: uuid4(), station: inc.station.value, kind: inc.kind.value,
                                    occurred_at: isoLocal(inc.occurred_at.value),
                                    description: inc.description.value},
            inc.station.options[inc.station.selectedIndex].text + " · " + inc.kind.options[inc.kind.selectedIndex].text);
    inc.reset(); inc.occurred_at.value = nowLocal();
  });
  document.getElementById("sync").addEventListener("click", sync);
  window.addEventListener("online", sync);
  setInterval(sync, 30000);
  render(); sync();
  // Installable and reloadable offline: the worker keeps this page and its assets (offline.py).
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(boot.worker, {scope: boot.scope}).catch(function () {});
  }
})();
