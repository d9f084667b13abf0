// The observer form's service worker (served by offline.py, which sets self.SHELL above).
// The page: from the network when there is one (and kept), else the kept copy, so that the form
// opens and reloads without a network. Its assets: from the cache first. Everything else, the
// reports' POSTs included, goes to the network untouched: queued reports live in the page's
// localStorage and are re-sent by form.js with their uuid, which the server stores once.
"use strict";
var SHELL = self.SHELL;

function keep(cache, request, response) {
  // A redirect (to the sign-in page) or an error is not the form: never keep it.
  if (response.ok && !response.redirected && response.type === "basic") {
    return cache.put(request, response.clone()).then(function () { return response; });
  }
  return Promise.resolve(response);
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL.cache).then(function (cache) {
    return Promise.all([cache.addAll(SHELL.assets),
                        fetch(SHELL.page, {credentials: "same-origin"})
                          .then(function (r) { return keep(cache, SHELL.page, r); })]);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    var prefix = SHELL.cache.replace(/-[^-]+$/, "-");  // this language's older versions
    return Promise.all(names.filter(function (n) {
      return n.indexOf(prefix) === 0 && n !== SHELL.cache;
    }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var req = event.request;
  if (req.method !== "GET") return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.mode === "navigate" && url.pathname === SHELL.page) {
    event.respondWith(caches.open(SHELL.cache).then(function (cache) {
      return fetch(req).then(function (r) {
        // Sent to the sign-in page: whoever used this phone has signed out, and their form
        // (their name, their session's token) must not open from the cache for the next one.
        if (r.redirected || r.type === "opaqueredirect") return cache.delete(SHELL.page).then(function () { return r; });
        return keep(cache, SHELL.page, r);
      })
        .catch(function () {
          return cache.match(SHELL.page).then(function (hit) { return hit || Response.error(); });
        });
    }));
  } else if (SHELL.assets.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(url.pathname).then(function (hit) {
      return hit || fetch(req);
    }));
  }
});
