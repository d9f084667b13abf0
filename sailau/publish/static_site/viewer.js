// The static viewer of a Sailau snapshot: reads manifest.json and the shards of its list of
// files it needs, fetches content-addressed objects, checks each one's SHA-256 against the manifest, and draws the drill-down.
// Routes carry the language so every view has a stable address: #/<lang>/, #/<lang>/c/<id>,
// #/<lang>/s/<number>. Text is escaped before it is put in the page. The languages, their
// names and words come from site/i18n.json, written by each publication (sailau.publish.files.sitebake).
(function () {
  "use strict";
  var LANGS = [];  // the codes of site/i18n.json, in the order of the language switch
  var manifest = null, i18n = null, cache = {}, verified = 0, bad = [];
  // What the witnesses cosigned (log/log.json's witnesses, log/checkpoint.witnessed's size):
  // a figure on a leaf at or beyond that size is signed by the log alone (docs/pages.md).
  var seen = {witnesses: 0, size: 0};
  var main = document.getElementById("main");

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }
  function num(v) {
    // Thousands apart by a narrow no-break space, as the server's pages (a figure never
    // breaks across two lines).
    if (v == null) return "—";
    return String(v).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
  }
  var F = window.SailauFigures;  // figures.js: the law's figures (sailau/law/figures.py)
  // A percentage with the page language's decimal separator (i18n.json's "decimal", as the
  // site's pages write it: 40,00% in Kazakh and Russian); a style's width keeps the point.
  function pct(v, lang) {
    var sep = (lang && i18n && i18n[lang] && i18n[lang].decimal) || ".";
    return v == null ? "—" : F.fixed(v, 2).replace(".", sep) + "%";
  }
  // The numbers of runs [[first, last], ...] (a district's stations and those reported:
  // docs/published-files.md, "Runs of numbers"), at most `budget.left` of them: a file's
  // lists share one budget, so that a forged [[1, 1e12]], or a thousand forged contests, draw
  // a long list at worst, never hang the tab. What is not a run is skipped.
  function numbers(runs, budget) {
    var out = [];
    (Array.isArray(runs) ? runs : []).forEach(function (r) {
      if (!Array.isArray(r) || r.length !== 2 || !Number.isInteger(r[0]) || !Number.isInteger(r[1])) return;
      for (var n = r[0]; n <= r[1] && budget.left > 0; n++, budget.left--) out.push(n);
    });
    return out;
  }
  function hex(buf) {
    return Array.prototype.map.call(new Uint8Array(buf), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function opened(buf) {
    // Objects are stored gzip'd and served with Content-Encoding: gzip, which the browser
    // undoes; a static server that does not send the header hands over the gzip itself
    // (docs/snapshot-format.md). Its magic cannot begin a JSON file.
    var b = new Uint8Array(buf, 0, Math.min(3, buf.byteLength));
    if (b.length < 3 || b[0] !== 0x1f || b[1] !== 0x8b || b[2] !== 0x08) return buf;
    if (typeof DecompressionStream === "undefined") throw new Error("gzip: this browser cannot open it");
    return new Response(new Blob([buf]).stream().pipeThrough(new DecompressionStream("gzip")))
      .arrayBuffer();
  }

  function getObject(sha, ext) {
    // objects/<sha256><ext>, checked against its hash where the browser can (crypto.subtle
    // needs a secure context: https or localhost).
    return fetch("objects/" + sha + ext).then(function (r) {
      if (!r.ok) throw new Error(r.status + " objects/" + sha + ext);
      return r.arrayBuffer();
    }).then(opened).then(function (buf) {
      var check = (window.crypto && crypto.subtle) ? crypto.subtle.digest("SHA-256", buf)
        .then(function (d) { return hex(d) === sha; }) : Promise.resolve(null);
      return check.then(function (ok) { return {ok: ok, json: JSON.parse(new TextDecoder().decode(buf))}; });
    });
  }

  var shards = {};
  function shard(ref) {
    if (!shards[ref.sha256]) shards[ref.sha256] = getObject(ref.sha256, ".json").then(function (o) {
      if (o.ok === false) { bad.push("shard " + ref.sha256); throw new Error("shard " + ref.sha256); }
      return o.json;
    });
    return shards[ref.sha256];
  }

  function descend(node, name, key) {
    // A shard of the manifest's tree (docs/snapshot-format.md): its files, or the shard one
    // more hex digit of the name's key down.
    if (!node.shards) return (node.files || {})[name] || null;
    var ref = node.shards[key.slice(0, node.prefix.length + 1)];
    return ref ? shard(ref).then(function (child) { return descend(child, name, key); }) : null;
  }

  function entryOf(name) {
    // The manifest's entry for a name: a manifest of the first format lists it; the tree is
    // walked by the SHA-256 of the name, or, without crypto.subtle, every shard is read.
    if (manifest.files) return Promise.resolve(manifest.files[name] || null);
    if (window.crypto && crypto.subtle) {
      return crypto.subtle.digest("SHA-256", new TextEncoder().encode(name)).then(function (d) {
        // The root's keys: one hex digit (sailau-snapshot/3), two in the format before it.
        var digits = manifest.format === "sailau-snapshot/2" ? 2 : 1;
        var key = hex(d), ref = manifest.shards[key.slice(0, digits)];
        return ref ? shard(ref).then(function (node) { return descend(node, name, key); }) : null;
      });
    }
    // Every shard, at any depth (a national tree has three levels below the root).
    function search(node) {
      if (!node.shards) return (node.files || {})[name] || null;
      return Promise.all(Object.keys(node.shards).map(function (p) {
        return shard(node.shards[p]).then(search);
      })).then(function (found) { return found.filter(Boolean)[0] || null; });
    }
    return Promise.resolve(search({shards: manifest.shards}));
  }

  function fetchName(name) {
    // A logical name of the manifest → its object, checked against its hash.
    if (cache[name]) return cache[name];
    cache[name] = entryOf(name).then(function (entry) {
      if (!entry) throw new Error("404 " + name);
      return getObject(entry.sha256, name.slice(name.lastIndexOf(".")));
    }).then(function (o) {
      if (o.ok === true) verified += 1; else if (o.ok === false) bad.push(name);
      return o.json;
    });
    return cache[name];
  }

  function browserLang() {
    // No language in the address: the first of the browser's that the copy has ("ru-RU" → ru,
    // "kk-Latn" → kk-latn), as the site's own "/" does; the switch's first otherwise.
    var asked = navigator.languages || [navigator.language || ""];
    for (var i = 0; i < asked.length; i++) {
      var tag = String(asked[i]).toLowerCase();
      if (LANGS.indexOf(tag) >= 0) return tag;
      var base = tag.split("-")[0];
      if (LANGS.indexOf(base) >= 0) return base;
    }
    return LANGS[0];
  }

  function when(iso, lang) {
    // The manifest's UTC time as the reader's clock and language write it, not raw ISO.
    var d = new Date(iso);
    if (isNaN(d.getTime())) return iso;
    var locale = {"kk-latn": "kk", "en": "en-GB"}[lang] || lang;
    try {
      return d.toLocaleString(locale, {dateStyle: "medium", timeStyle: "short"});
    } catch (e) { return iso; }
  }

  function route() {
    var parts = location.hash.replace(/^#\/?/, "").split("/");
    var lang = LANGS.indexOf(parts[0]) >= 0 ? parts[0] : browserLang();
    return {lang: lang, kind: parts[1] || "", arg: decodeURIComponent(parts[2] || "")};
  }

  function t(lang, s) { return (i18n[lang] && i18n[lang].words[s]) || s; }
  function script(lang, text) {
    // A text of the language's written one (kk for kk-latn) in the language's script.
    var table = i18n[lang] && i18n[lang].latin;
    return table ? window.sailauLatin(text, table) : text;
  }
  function nm(obj, lang) {
    // A name published by language ({kk, ru, en}): the page's, or its written language's in
    // the page's script, or the Kazakh.
    var src = (i18n[lang] && i18n[lang].names_in) || lang;
    return obj[lang] || script(lang, obj[src] || obj.kk || "");
  }
  function address(a, lang) {
    // A station's address is written in Kazakh and Russian: the Russian for a page in Russian
    // or English, the Kazakh (in the page's script) otherwise.
    return (i18n[lang] && i18n[lang].names_in) === "kk" || !a.ru ? script(lang, a.kk) : a.ru;
  }

  function chrome(r) {
    document.documentElement.lang = r.lang;
    var rest = location.hash.replace(/^#\/?[^/]*\/?/, "");
    // Each language by its own name, in its own language (the switch is read by one who may
    // not read the page's).
    document.getElementById("langs").innerHTML = LANGS.map(function (code) {
      return "<a href=\"#/" + esc(code) + "/" + esc(rest) + "\" lang=\"" + esc(code) + "\" hreflang=\"" + esc(code) + "\"" +
        (code === r.lang ? " aria-current=\"true\"" : "") + ">" + esc(i18n[code].name) + "</a>";
    }).join("\n");
    document.getElementById("langs").setAttribute("aria-label", t(r.lang, "Language"));
    document.getElementById("brand").href = "#/" + r.lang + "/";
    Array.prototype.forEach.call(document.querySelectorAll("[data-t]"), function (el) {
      el.textContent = t(r.lang, el.getAttribute("data-t"));
    });
    document.getElementById("published").textContent = t(r.lang, "Static copy of the published snapshot") +
      " · " + t(r.lang, "Published") + " " + when(manifest.published_at, r.lang) + " · #" + manifest.sequence;
  }

  function footer(lang) {
    var el = document.getElementById("integrity");
    var unchecked = !(window.crypto && crypto.subtle);  // not a secure context: nothing checked
    el.className = bad.length || unchecked ? "badge warn" : "badge ok";
    el.textContent = bad.length ? t(lang, "A file does not match its SHA-256 in the manifest.") + " " + bad.join(", ")
      : unchecked ? t(lang, "This browser checks SHA-256 only over https or on this computer: the files shown were not checked.")
      : t(lang, "Every file shown was checked against its SHA-256 in the manifest.");
  }

  function choiceNames(election, contestId, lang) {
    var c = election.contests.filter(function (x) { return x.id === contestId; })[0];
    var out = {};
    (c ? c.choices : []).forEach(function (ch) { out[ch.key] = nm(ch.name, lang); });
    return out;
  }
  function contestName(election, id, lang) {
    var c = election.contests.filter(function (x) { return x.id === id; })[0];
    return c ? nm(c.name, lang) : id;
  }

  function votesTable(lang, names, choices, figures) {
    // The ballots a share is of, as the server's pages count them (sailau.law.figures.counted):
    // the choices, the invalid ballots and a referendum's ballots marked both ways.
    var found = F.counted(figures, choices);
    var rows = Object.keys(choices).sort(function (a, b) {
      return (a === "against_all") - (b === "against_all") || choices[b] - choices[a];
    }).map(function (k) {
      var share = F.share(choices[k], found);
      return "<tr><th scope=\"row\">" + esc(names[k] || k) + "</th><td class=\"n\">" + num(choices[k]) +
        "</td><td class=\"n\">" + pct(share, lang) + "</td><td class=\"bar\" aria-hidden=\"true\"><span style=\"width:" +
        share.toFixed(2) + "%\"></span></td></tr>";
    }).join("");
    return "<table class=\"results\"><caption>" + esc(t(lang, "Votes")) + "</caption><thead><tr><th scope=\"col\">" +
      esc(t(lang, "Choice")) + "</th><th scope=\"col\" class=\"n\">" + esc(t(lang, "Votes")) +
      "</th><th scope=\"col\" class=\"n\">%</th><th scope=\"col\" class=\"bar\">" + esc(t(lang, "Share")) + "</th></tr></thead><tbody>" +
      rows + "</tbody></table>";
  }

  function said(lang, words, value) {
    return esc(t(lang, words).replace(/%\((n|size)\)s/, num(value)));
  }
  function logLine(lang) {
    // How much of what these files show the witnesses cosigned; never silent.
    if (!seen.witnesses) return "<p class=\"witnessed\"><strong class=\"badge warn\">" + esc(t(lang,
      "Not witnessed: this log has no witnesses, so every figure here rests on the log's own signature alone.")) + "</strong></p>";
    var alone = Math.max(0, (manifest.log_size || 0) - seen.size);
    return "<p class=\"witnessed\">" + (alone ? "<strong class=\"badge warn\">" +
      said(lang, "Leaves of the log signed by the log alone, not yet by the witnesses: %(n)s.", alone) + "</strong>"
      : "<span class=\"badge ok\">" + esc(t(lang, "No protocol counted here rests on a leaf the witnesses have not cosigned.")) + "</span>") +
      " " + said(lang, "Size of the log the witnesses cosigned: %(size)s.", seen.size) + "</p>";
  }
  function leafLine(lang, part) {
    // A protocol's own leaf: in a checkpoint the witnesses cosigned, or not yet.
    var index = part.log && Number.isInteger(part.log.index) ? part.log.index : null;
    if (index !== null && seen.witnesses && index < seen.size)
      return "<p><span class=\"badge ok\">" + esc(t(lang, "In a checkpoint the witnesses cosigned")) + "</span></p>";
    return "<p><strong class=\"badge warn\">" + esc(t(lang, seen.witnesses ? "Signed by the log, not yet by the witnesses"
      : "Signed by the log alone: the log has no witnesses")) + "</strong></p>";
  }

  function crumbs(lang, election, ids) {
    return Promise.all(ids.map(function (id) { return fetchName("commissions/" + id + ".json"); }))
      .then(function (docs) {
        var items = ["<li><a href=\"#/" + lang + "/\">" + esc(nm(election.name, lang)) + "</a></li>"];
        docs.forEach(function (d) {
          if (d.level !== "cec") items.push("<li><a href=\"#/" + lang + "/c/" + encodeURIComponent(d.id) + "\">" +
            esc(nm(d.name, lang)) + "</a></li>");
        });
        return "<nav class=\"crumbs\" aria-label=\"" + esc(t(lang, "Breadcrumbs")) + "\"><ol>" + items.join("") + "</ol></nav>" +
          "<form class=\"search\" role=\"search\" id=\"find\"><label for=\"q\">" + esc(t(lang, "Station number")) +
          "</label> <input id=\"q\" name=\"q\" inputmode=\"numeric\" pattern=\"[0-9]+\" maxlength=\"8\"> <button type=\"submit\">" +
          esc(t(lang, "Search")) + "</button></form>";
      });
  }

  function commissionView(lang, election, id) {
    return fetchName("commissions/" + id + ".json").then(function (doc) {
      return crumbs(lang, election, doc.ancestors).then(function (top) {
        var html = top + "<h1>" + esc(nm(doc.name, lang)) + "</h1>" + logLine(lang);
        doc.contests.forEach(function (c) {
          html += "<section><h2>" + esc(contestName(election, c.contest, lang)) + "</h2><p>" +
            esc(t(lang, "Stations reported")) + ": <strong>" + num(c.stations_reported) + " / " + num(c.stations_expected) +
            "</strong> · " + esc(t(lang, "Turnout")) + ": <strong>" + pct(c.turnout, lang) + "</strong></p>" +
            votesTable(lang, choiceNames(election, c.contest, lang), c.choices, c.figures) + "</section>";
        });
        if (doc.children.length) {
          // Territories (and their districts) first, single-member districts after them.
          var kids = doc.children.slice().sort(function (a, b) {
            return (a.level === "smd") - (b.level === "smd") || a.number - b.number;
          });
          html += "<ul class=\"cards\">" + kids.map(function (ch) {
            var c = ch.contests[0];
            return "<li data-level=\"" + esc(ch.level) + "\"><a href=\"#/" + lang + "/c/" + encodeURIComponent(ch.id) + "\">" + esc(nm(ch.name, lang)) + "</a>" +
              (c ? "<span class=\"muted\">" + esc(t(lang, "Stations reported")) + " " + num(c.stations_reported) + " / " +
                num(c.stations_expected) + " · " + esc(t(lang, "Turnout")) + " " + pct(c.turnout, lang) + "</span>" : "") + "</li>";
          }).join("") + "</ul>";
        }
        if (doc.station_runs) {
          var reported = {}, budget = {left: 100000}, listed = numbers(doc.station_runs, budget);
          Object.keys(doc.reported_runs || {}).forEach(function (contest) {
            numbers(doc.reported_runs[contest], budget).forEach(function (n) { reported[n] = true; });
          });
          html += "<h2>" + esc(t(lang, "Polling stations")) + "</h2><ul class=\"stations\">" + listed.map(function (n) {
            return "<li><a href=\"#/" + lang + "/s/" + n + "\">№" + n + "</a>" +
              (reported[n] ? "" : " <span class=\"badge warn\">" + esc(t(lang, "Not reported yet")) + "</span>") + "</li>";
          }).join("") + "</ul>";
        }
        return {title: nm(doc.name, lang), html: html};
      });
    });
  }

  function stationView(lang, election, number) {
    return fetchName("stations/" + number + ".json").then(function (doc) {
      return crumbs(lang, election, [doc.territory, doc.district]).then(function (top) {
        var title = t(lang, "Polling station") + " №" + doc.number;
        var html = top + "<h1>" + esc(title) + "</h1><p>" + esc(address(doc.address, lang)) +
          " · " + esc(t(lang, "Registered voters")) + ": <strong>" + num(doc.registered) + "</strong></p>" +
          logLine(lang);
        doc.contests.forEach(function (part) {
          var p = part.protocol;
          html += "<section><h2>" + esc(contestName(election, part.contest, lang)) + "</h2>";
          if (!p) {
            html += "<p><strong class=\"badge warn\">" + esc(t(lang, "Not reported yet")) + "</strong></p></section>";
            return;
          }
          // The valid line is the sum of the choices when the form does not store it, as the
          // server's page shows it (sailau.publish.pages.page_models).
          var valid = 0;
          Object.keys(p.choices).forEach(function (k) { valid += p.choices[k]; });
          var lines = (i18n[lang].lines[part.contest] || []).map(function (ln) {
            var value = p.figures[ln.key] != null ? p.figures[ln.key] : ln.key === "valid" ? valid : null;
            return "<tr><td class=\"n\">" + esc(ln.number) + "</td><th scope=\"row\">" + esc(ln.label) +
              "</th><td class=\"n\">" + num(value) + "</td></tr>";
          }).join("");
          html += "<p><strong class=\"badge ok\">" + esc(t(lang, "Definitive protocol")) + "</strong> " +
            esc(t(lang, "Version")) + " " + p.version + "</p>" + leafLine(lang, part) +
            "<table class=\"results\"><caption>" + esc(t(lang, "Protocol lines")) + "</caption><thead><tr><th scope=\"col\" class=\"n\">№</th><th scope=\"col\">" +
            esc(t(lang, "Line")) + "</th><th scope=\"col\" class=\"n\">" + esc(t(lang, "Value")) + "</th></tr></thead><tbody>" + lines + "</tbody></table>" +
            votesTable(lang, choiceNames(election, part.contest, lang), p.choices, p.figures) +
            "<h3>" + esc(t(lang, "Control relations")) + "</h3>" + (part.checks.length ? part.checks.map(function (f) {
              return "<p class=\"badge warn\"><code>" + esc(f.code) + "</code> " + esc(nm(f.message, lang)) + "</p>";
            }).join("") : "<p><span class=\"badge ok\">" + esc(t(lang, "All control relations hold")) + "</span></p>") +
            "<h3>" + esc(t(lang, "Versions")) + "</h3><ol>" + part.versions.map(function (v) {
              var ch = Object.keys(v.changes).map(function (k) {
                return "<li><code>" + esc(k) + "</code>: " + num(v.changes[k][0]) + " → " + num(v.changes[k][1]) + "</li>";
              }).join("");
              return "<li>" + esc(t(lang, "Version")) + " " + v.version + " (" + esc(i18n[lang].sources[v.source] || v.source) + ", " + esc((v.created_at || "").slice(0, 16)) + ")" +
                (v.current ? " <strong>" + esc(t(lang, "current")) + "</strong>" : "") +
                (v.amendment ? "<br>" + esc(t(lang, "Commission decision")) + " №" + esc(v.amendment.decision_number) + ", " +
                  esc(v.amendment.decision_date) + ": <span translate=\"no\">" + esc(v.amendment.reason) + "</span>" : "") +
                (ch ? "<ul>" + ch + "</ul>" : "") + "</li>";
            }).join("") + "</ol><h3>" + esc(t(lang, "Scan of the signed protocol")) + "</h3>" +
            (part.scans.length ? part.scans.map(function (s) {
              return "<p><span class=\"badge " + (s.status === "match" ? "ok" : "warn") + "\">" + esc(t(lang, s.status === "match" ? "The scan matches the protocol"
                : "The scan differs from the protocol")) + "</span> " +
                esc(s.content_type) + ", " + num(s.size) + " B<br>SHA-256: <code class=\"hash\">" + esc(s.sha256) + "</code></p>";
            }).join("") : "<p class=\"muted\">" + esc(t(lang, "No scan uploaded yet")) + "</p>") + "</section>";
        });
        return {title: title, html: html};
      });
    });
  }

  function notFound(lang) {
    return {title: t(lang, "Page not found"), html: "<h1>" + esc(t(lang, "Page not found")) + "</h1><p><a href=\"#/" + lang + "/\">Sailau</a></p>"};
  }

  function render() {
    var r = route();
    chrome(r);
    main.innerHTML = "<p>" + esc(t(r.lang, "Loading…")) + "</p>";
    fetchName("election.json").then(function (election) {
      // A district (of a body elected in many) is never the headline; a snapshot from before
      // contests said so is read as before, by the single-member kind's name.
      var top = election.contests.filter(function (c) {
        return c.district === undefined ? c.kind !== "single_member" : !c.district;
      })[0] || election.contests[0];
      if (r.kind === "") return commissionView(r.lang, election, top.commission).then(function (v) {
        v.html = v.html.replace(/<h1>.*?<\/h1>/, "<h1>" + esc(nm(election.name, r.lang)) + "</h1>");
        v.title = nm(election.name, r.lang);
        return v;
      });
      var name = r.kind === "c" ? "commissions/" + r.arg + ".json"
        : r.kind === "s" && /^[0-9]+$/.test(r.arg) ? "stations/" + r.arg + ".json" : null;
      if (!name) return notFound(r.lang);
      return entryOf(name).then(function (entry) {
        if (!entry) return notFound(r.lang);
        return r.kind === "c" ? commissionView(r.lang, election, r.arg) : stationView(r.lang, election, r.arg);
      });
    }).then(function (v) {
      main.innerHTML = v.html;
      document.title = v.title + " · Sailau";
      var form = document.getElementById("find");
      if (form) form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        location.hash = "#/" + r.lang + "/s/" + encodeURIComponent(document.getElementById("q").value.trim());
      });
      footer(r.lang);
    }).catch(function (err) {
      main.innerHTML = "<p class=\"badge warn\">" + esc(err.message) + "</p>";
    });
  }

  function witnessed() {
    // The log beside the snapshot: its witnesses and the size all of them cosigned (none
    // yet: 0). Not found, nothing is witnessed, and the page says so.
    function text(name) {
      return fetch(name, {cache: "no-cache"}).then(function (r) { return r.ok ? r.text() : ""; })
        .catch(function () { return ""; });
    }
    return Promise.all([text("log/log.json"), text("log/checkpoint.witnessed")]).then(function (x) {
      try { seen.witnesses = (JSON.parse(x[0]).witnesses || []).length; } catch (e) { seen.witnesses = 0; }
      var size = x[1].split("\n")[1];
      seen.size = /^[0-9]{1,15}$/.test(size || "") ? Number(size) : 0;
    });
  }

  Promise.all([fetch("manifest.json", {cache: "no-cache"}).then(function (r) { return r.json(); }),
               witnessed()]).then(function (x) {
    manifest = x[0];
    return fetchName("site/i18n.json");
  }).then(function (t9n) {
    i18n = t9n;
    LANGS = Object.keys(i18n).sort(function (a, b) { return i18n[a].order - i18n[b].order; });
    window.addEventListener("hashchange", function () { render(); main.focus(); });
    render();
  });
})();
