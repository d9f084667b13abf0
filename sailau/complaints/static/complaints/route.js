// The filing form names the commission (or court) that will decide the complaint as the filer
// chooses the election, the station, the body and the appealed receipt: the server answers in
// the page's language (GET file/route/), so that no name is written here.
(function () {
  "use strict";
  var form = document.getElementById("complaint-form");
  var out = document.getElementById("complaint-decides");
  if (!form || !out || !window.fetch) return;
  var fields = ["election", "station", "body", "contests"];
  var pending = null;
  function ask() {
    var query = new URLSearchParams();
    fields.forEach(function (name) {
      var input = form.elements[name];
      if (input && input.value) query.set(name, input.value);
    });
    fetch(out.dataset.route + "?" + query.toString(), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        if (!answer.decides) return;  // the form's own check says what is wrong
        out.textContent = out.dataset.label + " ";
        var name = document.createElement("strong");
        name.textContent = answer.decides;
        out.appendChild(name);
      })
      .catch(function () {});
  }
  fields.forEach(function (name) {
    var input = form.elements[name];
    if (!input) return;
    input.addEventListener("change", ask);
    input.addEventListener("input", function () {
      clearTimeout(pending);
      pending = setTimeout(ask, 400);
    });
  });
  ask();
})();
