/* The commission's own Ed25519 key in the browser (sailau/protocols/key_views.py).
 *
 * The private key is made by WebCrypto as non-extractable and kept in IndexedDB (a CryptoKey
 * is stored as an object, never as bytes): no script, this one included, can read it out; it
 * can only sign on this computer. The public half is registered through the API.
 *
 * Signing rebuilds the bytes from the fields the server gives beside them, exactly as
 * sailau/verify/signatures.py does (sailau-protocol/2, or /3 for an amendment: its decision
 * inside, or /4 when the commission above signs what it typed on the station's behalf: the
 * signer inside) and signs only when they equal the server's `message`: what is signed is what the
 * page shows. tests/commkeys/test_browser_keys.py compares these bytes with Python's. */
(function () {
  "use strict";
  var DB = "sailau-commission-keys", STORE = "keys";

  // --- the signed bytes (docs/commission-keys.md, "The signed message, byte by byte") ---
  function canonical(value) {
    if (Array.isArray(value)) return "[" + value.map(canonical).join(",") + "]";
    if (value !== null && typeof value === "object") {
      // Python sorts keys by code point; the ids and line keys signed are below U+FFFF, where
      // JavaScript's default string order (UTF-16 code units) is the same.
      return "{" + Object.keys(value).sort().map(function (k) {
        return JSON.stringify(k) + ":" + canonical(value[k]);
      }).join(",") + "}";
    }
    return JSON.stringify(value);
  }
  function counts(values, dropNull) {
    var out = {};
    Object.keys(values || {}).forEach(function (k) {
      if (values[k] === null && dropNull) return;
      out[k] = values[k];
    });
    return out;
  }
  function signedObject(protocol, format) {
    var scans = Array.from(new Set(protocol.scans || [])).sort();
    var obj = {format: format, station: protocol.station, contest: protocol.contest,
               version: protocol.version, figures: counts(protocol.figures, true),
               choices: counts(protocol.choices, false), scans: scans};
    var d = protocol.decision || {};
    if (format === "sailau-protocol/3") {
      obj.decision = {number: d.number, date: d.date, reason: d.reason};
    } else if (format === "sailau-protocol/4") {
      // signed by the commission above on the station's behalf: the signer inside the bytes,
      // and an amendment's decision when it cites one
      if (!protocol.signed_by) throw new Error("sailau-protocol/4 without signed_by");
      obj.signed_by = protocol.signed_by;
      if (protocol.decision) obj.decision = {number: d.number, date: d.date, reason: d.reason};
    } else if (format !== "sailau-protocol/2") {
      throw new Error("not a form a commission signs: " + format);
    }
    return obj;
  }
  function signedBytes(protocol, format) {
    return new TextEncoder().encode(canonical(signedObject(protocol, format)));
  }
  window.SailauCommissionKey = {signedBytes: signedBytes, canonical: canonical};

  // --- IndexedDB: one key per commission ---
  function db() {
    return new Promise(function (resolve, reject) {
      var r = indexedDB.open(DB, 1);
      r.onupgradeneeded = function () { r.result.createObjectStore(STORE); };
      r.onsuccess = function () { resolve(r.result); };
      r.onerror = function () { reject(r.error); };
    });
  }
  function idb(mode, fn) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var tx = d.transaction(STORE, mode), r = fn(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(r.result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }
  function b64(bytes) {
    var s = "";
    new Uint8Array(bytes).forEach(function (b) { s += String.fromCharCode(b); });
    return btoa(s);
  }
  function unb64(text) {
    return Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); });
  }
  function keyId(publicB64) {
    return crypto.subtle.digest("SHA-256", unb64(publicB64)).then(function (h) {
      return Array.from(new Uint8Array(h).slice(0, 8)).map(function (b) {
        return b.toString(16).padStart(2, "0");
      }).join("");
    });
  }
  // Whether this browser makes Ed25519 keys (Chromium 137+, Firefox 129+, Safari 17+).
  function ed25519() {
    if (!window.crypto || !crypto.subtle || !window.indexedDB) return Promise.resolve(false);
    return crypto.subtle.generateKey({name: "Ed25519"}, false, ["sign", "verify"])
      .then(function () { return true; }, function () { return false; });
  }

  var bootEl = document.getElementById("key-boot");
  if (!bootEl) return;
  var boot = JSON.parse(bootEl.textContent), texts = boot.texts;
  function csrf() {
    var el = document.querySelector("input[name=csrfmiddlewaretoken]");
    return el ? el.value : "";
  }
  function post(url, body) {
    return fetch(url, {method: "POST", credentials: "same-origin",
                       headers: {"Content-Type": "application/json", "X-CSRFToken": csrf(),
                                 "Accept-Language": boot.lang},
                       body: JSON.stringify(body)}).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        return {ok: r.ok, data: data};
      });
    });
  }
  function say(el, text, error) {
    el.textContent = text;
    el.className = error ? "error" : "ok";
  }

  var make = document.getElementById("make-key"), sign = document.getElementById("sign");
  var unsupported = document.getElementById("no-webcrypto");
  ed25519().then(function (ok) {
    if (!ok) { if (unsupported) unsupported.hidden = false; return; }
    if (make) { make.hidden = false; make.addEventListener("click", makeKey); }
    if (sign) {
      sign.hidden = false;
      var box = document.getElementById("we-sign");
      box.addEventListener("change", function () { sign.disabled = !box.checked; });
      sign.disabled = !box.checked;  // ticked before the check of WebCrypto ended
      sign.addEventListener("click", signIt);
    }
  });

  function makeKey() {
    var status = document.getElementById("key-status");
    make.disabled = true;
    say(status, texts.generating);
    var pair;
    crypto.subtle.generateKey({name: "Ed25519"}, false, ["sign", "verify"]).then(function (k) {
      pair = k;
      return crypto.subtle.exportKey("raw", k.publicKey);
    }).then(function (raw) {
      var publicB64 = b64(raw);
      return keyId(publicB64).then(function (kid) {
        return idb("readwrite", function (s) {
          return s.put({privateKey: pair.privateKey, publicKey: publicB64, keyId: kid},
                       boot.commission);
        }).then(function () { return post(boot.register, {public_key: publicB64}); });
      });
    }).then(function (r) {
      if (!r.ok) { make.disabled = false; say(status, texts.failed + ": " + (r.data.message || ""), true); return; }
      say(status, texts.registered + " " + r.data.key_id);
      status.dataset.keyId = r.data.key_id;
    }).catch(function (e) { make.disabled = false; say(status, texts.failed + ": " + e, true); });
  }

  function signIt() {
    var status = document.getElementById("sign-status");
    sign.disabled = true;
    say(status, texts.signing);
    var held;
    idb("readonly", function (s) { return s.get(boot.commission); }).then(function (stored) {
      if (!stored) throw {text: texts.no_key_here};
      if (boot.key_id && stored.keyId !== boot.key_id) throw {text: texts.stored_other};
      held = stored;
      return fetch(boot.to_sign, {headers: {"Accept-Language": boot.lang}}).then(function (r) { return r.json(); });
    }).then(function (req) {
      var mine = signedBytes(req.protocol, req.format), theirs = unb64(req.message);
      if (req.protocol.version !== boot.version || mine.length !== theirs.length ||
          mine.some(function (b, i) { return b !== theirs[i]; })) {
        throw {text: texts.mismatch};
      }
      return crypto.subtle.sign({name: "Ed25519"}, held.privateKey, mine).then(function (sig) {
        return post(boot.to_sign, {version: req.protocol.version, signature: b64(sig),
                                   key_id: held.keyId, commission: boot.commission});
      });
    }).then(function (r) {
      if (!r.ok) throw {text: texts.failed + ": " + (r.data.message || "")};
      say(status, texts.signed + " " + r.data.signed_with);
      status.dataset.signed = "1";
    }).catch(function (e) {
      sign.disabled = false;
      say(status, e && e.text ? e.text : texts.failed + ": " + e, true);
    });
  }
})();
