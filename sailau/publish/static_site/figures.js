// The figures of a protocol for the static viewer: the one JavaScript twin of
// sailau/law/figures.py (the ballots issued, the turnout, the ballots a share is of, a share)
// and of the way the server's pages write a percentage. tests/publish/test_figures_js.py runs
// it on the inputs of the Python and requires the same numbers and the same text.
(function (root) {
  "use strict";
  var ISSUED = ["issued_in_room", "issued_mobile", "issued_absentee"];  // sailau.law.forms.ISSUED
  var NOT_VOTES = ["invalid", "both_marked"];  // figures.NOT_VOTES
  var FOUND = "found", VALID = "valid";

  // A protocol's line, 0 where the form lacks it (or it was left empty).
  function line(figures, key) {
    var v = figures ? figures[key] : null;
    return v == null ? 0 : v;
  }
  function sum(keys, of) {
    var n = 0;
    keys.forEach(function (k) { n += line(of, k); });
    return n;
  }
  function issued(figures) { return sum(ISSUED, figures); }
  // The ballots issued over the voters on the list, in percent; null without a list.
  function turnout(figures) {
    var voters = line(figures, "voters_on_list");
    return voters ? 100 * issued(figures) / voters : null;
  }
  // The votes for every choice, "against all" included.
  function valid(choices) { return sum(Object.keys(choices || {}), choices); }
  // The ballots found: the votes, the invalid ballots and a referendum's marked both ways.
  function counted(figures, choices) { return valid(choices) + sum(NOT_VOTES, figures); }
  function base(figures, choices, of) {
    if (of === VALID) return valid(choices);
    if (of === FOUND || of == null) return counted(figures, choices);
    throw new Error("no share base " + of);
  }
  function share(votes, of) { return of ? 100 * votes / of : 0; }

  // `x` with `digits` decimals as Python's format writes it (the server's pages: f"{x:.2f}"):
  // the exact binary value rounded to the nearest, a tie to the even digit. toFixed takes a
  // tie up (97 of 800 is 12.125: "12.13" here, "12.12" on the server's page). A tie is exact
  // only for x = m / 2^(digits+1), m odd: any other x is not halfway in binary.
  function fixed(x, digits) {
    var half = Math.pow(2, digits + 1);
    if (Number.isInteger(x * half) && !Number.isInteger(x * half / 2)) {
      var n = Math.floor(x * Math.pow(10, digits));
      return ((n % 2 ? n + 1 : n) / Math.pow(10, digits)).toFixed(digits);
    }
    return x.toFixed(digits);
  }

  root.SailauFigures = {
    FOUND: FOUND, VALID: VALID, line: line, issued: issued, turnout: turnout, valid: valid,
    counted: counted, base: base, share: share, fixed: fixed
  };
  if (typeof module !== "undefined" && module.exports) module.exports = root.SailauFigures;
})(this);
