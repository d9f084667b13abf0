// Kazakh in Latin script for the static viewer: the rule of sailau/languages/latin.py
// (`from_cyrillic`) applied with its own table, which each publication writes into
// site/i18n.json (the kk-latn entry's "latin": letters and capitals), so the letters have one
// home and the snapshot's names and addresses read as the server's /kk-latn/ pages show them.
// tests/web/test_viewer_latin.py holds this to the Python on the same texts.
(function (root) {
  "use strict";
  function isUpper(c) { return c !== c.toLowerCase(); }

  function word(w, letters, capitals) {
    var out = "";
    for (var i = 0; i < w.length; i++) {
      var ch = w[i], low = ch.toLowerCase();
      if (!Object.prototype.hasOwnProperty.call(letters, low)) { out += ch; continue; }
      if (ch === low) { out += letters[low]; continue; }
      var latin = capitals[low] || letters[low].toUpperCase();
      // A capital written with two letters (Ч -> Ch) is all capitals in a word in capitals
      // (ЧАЙ -> CHAİ) and only its first letter otherwise (Чай -> Chai).
      var next = w.slice(i + 1, i + 2);
      if (latin.length > 1 && !(next && isUpper(next)) && !(i && isUpper(w[i - 1]))) {
        latin = latin[0] + latin.slice(1).toLowerCase();
      }
      out += latin;
    }
    return out;
  }

  // `text` in Cyrillic Kazakh, in Latin script by `table` ({letters, capitals}); what is not
  // Cyrillic is kept as it is.
  root.sailauLatin = function (text, table) {
    if (!text) return text;
    return String(text).replace(/[\u0400-\u04ff]+/g, function (w) {
      return word(w, table.letters, table.capitals);
    });
  };
})(this);
