// The observer's offline phone app. Every report (a count of voters, a checklist, an incident
// with photos, the certified copy with its photo and figures) goes into IndexedDB on the phone
// with a uuid made here, then is sent: first the report, then each photo. The server stores a
// uuid once and a photo once per report, so a report re-sent after a lost answer is harmless.
// Photos are hashed here (SHA-256, SubtleCrypto) when they are taken into the queue; the
// server hashes what arrives and refuses a photo whose hash differs.
(function () {
  "use strict";
  var boot = JSON.parse(document.getElementById("boot").textContent);
  var statusEl = document.getElementById("status");
  var queueEl = document.getElementById("queue");
  // One store per observer: a phone passed on never sends one observer's reports as another's.
  var DB = "sailau-observer-" + boot.owner, STORE = "queue";
  var OLD_KEY = "sailau.observation.queue";  // the queue of earlier versions (localStorage)

  // ------------------------------------------------------------------ the queue (IndexedDB)
  var dbp = null;
  function db() {
    if (!dbp) {
      dbp = new Promise(function (resolve, reject) {
        var req = indexedDB.open(DB, 1);
        req.onupgradeneeded = function () { req.result.createObjectStore(STORE, {keyPath: "uuid"}); };
        req.onsuccess = function () { resolve(req.result); };
        req.onerror = function () { reject(req.error); };
      });
    }
    return dbp;
  }
  function tx(mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(STORE, mode), out;
        out = work(t.objectStore(STORE));
        t.oncomplete = function () { resolve(out && "result" in out ? out.result : undefined); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    });
  }
  function all() {
    return tx("readonly", function (s) { return s.getAll(); }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.seq - b.seq; });
    });
  }
  function put(item) { return tx("readwrite", function (s) { return s.put(item); }); }
  function drop(uuid) { return tx("readwrite", function (s) { return s.delete(uuid); }); }

  // ------------------------------------------------------------------ small helpers
  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function cookie(name) {
    var m = document.cookie.match(new RegExp("(^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[2]) : "";
  }
  function iso(v) { return new Date(v).toISOString(); }
  function nowLocal() {
    var d = new Date(Date.now() + (boot.clockOffsetMs || 0));
    d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
    return d.toISOString().slice(0, 16);
  }
  function option(sel, value, text) {
    var o = document.createElement("option"); o.value = value; o.textContent = text; sel.appendChild(o);
  }
  function say(text) { statusEl.textContent = text; }
  function station(id) { return boot.stations.find(function (s) { return s.id === id; }); }
  function selected(sel) { return sel.selectedIndex >= 0 ? sel.options[sel.selectedIndex].text : ""; }
  function hex(buf) {
    return Array.prototype.map.call(new Uint8Array(buf), function (x) { return (x + 256).toString(16).slice(1); }).join("");
  }

  // A photo as queued: the file itself (a Blob keeps in IndexedDB), its SHA-256 taken here,
  // and when it was taken (the file's time: a camera capture's is the moment of the shot).
  function photos(files) {
    var list = Array.prototype.slice.call(files || []);
    if (!list.length) return Promise.resolve([]);
    var subtle = window.crypto && crypto.subtle;
    if (!subtle) say(boot.texts.nohash); else say(boot.texts.hashing);
    return Promise.all(list.map(function (f) {
      var blob = f.slice(0, f.size, f.type);
      var taken = f.lastModified ? new Date(f.lastModified).toISOString() : null;
      var digest = subtle ? f.arrayBuffer().then(function (b) { return subtle.digest("SHA-256", b); }).then(hex)
                          : Promise.resolve(null);
      return digest.then(function (h) {
        return {blob: blob, name: f.name || "photo", sha256: h, captured_at: taken};
      });
    }));
  }

  // ------------------------------------------------------------------ what waits, shown
  function render() {
    return all().then(function (items) {
      queueEl.textContent = "";
      var waiting = items.filter(function (r) { return !r.error; }).length;
      queueEl.setAttribute("data-count", String(waiting));
      if (!items.length) {
        var li = document.createElement("li"); li.textContent = boot.texts.none; queueEl.appendChild(li);
      }
      items.forEach(function (r) {
        var li = document.createElement("li");
        var text = r.label;
        if (r.photos.length) text += " · " + r.photos.length + " " + boot.texts.photos;
        if (r.error) { text += " — " + boot.texts.failed + ": " + r.error; li.className = "refused"; }
        li.textContent = text;
        queueEl.appendChild(li);
      });
    });
  }

  // ------------------------------------------------------------------ sending, once
  function answer(resp) {
    return resp.json().catch(function () { return {}; }).then(function (data) {
      if (resp.status === 200 || resp.status === 201) return {ok: true};
      // A refusal (the server said why) is kept to show and not re-sent; anything else
      // (no network, a server error, too many requests) is tried again later.
      if (resp.status >= 400 && resp.status < 500 && resp.status !== 408 && resp.status !== 429) {
        return {ok: false, error: data.message || String(resp.status)};
      }
      throw new Error("server " + resp.status);
    });
  }
  function post(url, body, isForm) {
    var headers = {"X-CSRFToken": cookie("csrftoken")};
    if (!isForm) headers["Content-Type"] = "application/json";
    return fetch(url, {method: "POST", credentials: "same-origin", headers: headers,
                       body: isForm ? body : JSON.stringify(body)}).then(answer);
  }
  function refuse(item, error) {
    item.error = error; say(boot.texts.failed + ": " + error);
    return put(item);
  }
  function sendPhotos(item) {
    if (!item.photos.length) return drop(item.uuid).then(function () { say(boot.texts.synced + ": " + item.label); });
    var p = item.photos[0], fd = new FormData();
    fd.append("photo", p.blob, p.name);
    if (p.sha256) fd.append("sha256", p.sha256);
    if (p.captured_at) fd.append("captured_at", p.captured_at);
    return post(item.photoUrl, fd, true).then(function (a) {
      if (!a.ok) return refuse(item, a.error);
      item.photos.shift();
      return put(item).then(function () { return sendPhotos(item); });
    });
  }
  function sendOne(item) {
    if (item.sent) return sendPhotos(item);
    return post(item.url, item.body, false).then(function (a) {
      if (!a.ok) return refuse(item, a.error);
      item.sent = true;
      return put(item).then(function () { return sendPhotos(item); });
    });
  }
  var syncing = null;
  function sync() {
    if (syncing) return syncing;
    function next() {
      return all().then(function (items) {
        var item = items.find(function (r) { return !r.error; });
        if (!item) return;
        return sendOne(item).then(render).then(next);
      });
    }
    syncing = next().catch(function () { say(boot.texts.offline); })
      .then(render).then(function () { syncing = null; });
    return syncing;
  }
  var seq = Date.now();
  function enqueue(kind, body, label, queued, photoUrl) {
    var item = {uuid: body.uuid, seq: seq++, url: boot.api[kind], body: body,
                label: boot.texts[kind] + " · " + label, photos: queued || [],
                photoUrl: photoUrl ? photoUrl.replace("UUID", body.uuid) : null, sent: false};
    return put(item).then(function () { say(boot.texts.queued); return render(); }).then(sync);
  }

  // ------------------------------------------------------------------ the forms
  var count = document.getElementById("count"), cl = document.getElementById("checklist"),
      inc = document.getElementById("incident"), cp = document.getElementById("copy");
  [count.station, cl.station, inc.station, cp.station].forEach(function (sel) {
    boot.stations.forEach(function (s) { option(sel, s.id, "№" + s.number + " " + s.address); });
  });
  boot.moments.forEach(function (k) { option(count.moment, k[0], k[1]); });
  boot.stages.forEach(function (s) { option(cl.stage, s.key, s.label); });
  boot.incidentKinds.forEach(function (k) { option(inc.kind, k[0], k[1]); });
  function times() { count.at.value = cl.observed_at.value = inc.occurred_at.value = nowLocal(); }
  times();

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
    // The tabulation stage is observed at the commission that tabulates the station's paper.
    var tab = cl.querySelector(".tabulation"), sel = cl.commission;
    tab.hidden = cl.stage.value !== "tabulation"; sel.required = !tab.hidden; sel.textContent = "";
    var st = station(cl.station.value);
    (st ? st.commissions : []).forEach(function (c) { option(sel, c[0], c[1]); });
  }
  cl.stage.addEventListener("change", drawItems); cl.station.addEventListener("change", drawItems);
  drawItems();

  function drawContests() {
    cp.contest.textContent = "";
    var st = station(cp.station.value);
    (st ? st.contests : []).forEach(function (c) { option(cp.contest, c.id, c.name); });
    drawLines();
  }
  function drawLines() {
    var box = document.getElementById("lines"); box.textContent = "";
    var st = station(cp.station.value);
    var contest = st && st.contests.find(function (c) { return c.id === cp.contest.value; });
    if (!contest) return;
    function field(prefix, entry, required) {
      var lab = document.createElement("label"); var span = document.createElement("span");
      span.textContent = entry.label; lab.appendChild(span);
      var inp = document.createElement("input");
      inp.type = "number"; inp.min = "0"; inp.step = "1"; inp.inputMode = "numeric";
      inp.name = prefix + entry.key; inp.required = required;
      lab.appendChild(inp); box.appendChild(lab);
    }
    contest.lines.forEach(function (ln) { field("line:", ln, ln.required); });
    contest.choices.forEach(function (ch) { field("choice:", ch, true); });
  }
  cp.station.addEventListener("change", drawContests); cp.contest.addEventListener("change", drawLines);
  drawContests();

  count.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var label = selected(count.station) + " · " + selected(count.moment) + " · " + count.voters.value;
    enqueue("count", {uuid: uuid4(), station: count.station.value, moment: count.moment.value,
                      at: iso(count.at.value), voters: parseInt(count.voters.value, 10)}, label);
    count.voters.value = ""; times();
  });
  cl.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var answers = {};
    new FormData(cl).forEach(function (v, k) { if (k.indexOf("item:") === 0) answers[k.slice(5)] = v; });
    var body = {uuid: uuid4(), station: cl.station.value, stage: cl.stage.value, answers: answers,
                observed_at: iso(cl.observed_at.value), form_version: boot.version};
    if (cl.stage.value === "tabulation") body.commission = cl.commission.value;
    enqueue("checklist", body, selected(cl.station) + " · " + selected(cl.stage));
    var stage = cl.stage.value, st = cl.station.value;
    cl.reset(); cl.stage.value = stage; cl.station.value = st; times(); drawItems();
  });
  inc.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var body = {uuid: uuid4(), station: inc.station.value, kind: inc.kind.value,
                occurred_at: iso(inc.occurred_at.value), description: inc.description.value};
    var label = selected(inc.station) + " · " + selected(inc.kind);
    photos(inc.photos.files).then(function (queued) {
      inc.reset(); times();
      return enqueue("incident", body, label, queued, boot.api.incidentPhoto);
    });
  });
  cp.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var figures = {}, choices = {};
    new FormData(cp).forEach(function (v, k) {
      if (v === "" || typeof v !== "string") return;
      if (k.indexOf("line:") === 0) figures[k.slice(5)] = parseInt(v, 10);
      if (k.indexOf("choice:") === 0) choices[k.slice(7)] = parseInt(v, 10);
    });
    var body = {uuid: uuid4(), station: cp.station.value, contest: cp.contest.value,
                figures: figures, choices: choices};
    var label = selected(cp.station) + " · " + selected(cp.contest);
    photos(cp.photo.files).then(function (queued) {
      var st = cp.station.value, contest = cp.contest.value;
      cp.reset(); cp.station.value = st; drawContests(); cp.contest.value = contest; drawLines();
      return enqueue("copy", body, label, queued, boot.api.copyPhoto);
    });
  });
  document.getElementById("sync").addEventListener("click", sync);
  window.addEventListener("online", sync);
  setInterval(sync, 30000);

  // Reports queued by the earlier form (localStorage) move into this queue once.
  function adopt() {
    var old;
    try { old = JSON.parse(localStorage.getItem(OLD_KEY)) || []; } catch (e) { old = []; }
    if (!old.length) return Promise.resolve();
    return Promise.all(old.map(function (r) {
      var kind = r.url.indexOf("incidents") >= 0 ? "incident" : "checklist";
      return put({uuid: r.body.uuid, seq: seq++, url: r.url, body: r.body,
                  label: boot.texts[kind] + " · " + r.label, photos: [], photoUrl: null,
                  sent: false, error: r.error});
    })).then(function () { localStorage.removeItem(OLD_KEY); });
  }
  adopt().then(render).then(sync);
  // Installable and reloadable offline: the worker keeps this page and its assets (offline.py).
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(boot.worker, {scope: boot.scope}).catch(function () {});
  }
})();
