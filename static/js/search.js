// Progressive enhancement for the search page: results follow the typing,
// fetched as the page's own "results" fragment. Without this script the
// form submits normally.
(function () {
  "use strict";
  var form = document.querySelector("[data-live-search]");
  var results = document.getElementById("search-results");
  if (!form || !results || !window.fetch) return;
  var input = form.querySelector('input[name="q"]');
  var timer = null;
  var latest = 0;

  function update() {
    var params = new URLSearchParams(new FormData(form));
    var ticket = ++latest;
    params.set("fragment", "results");
    fetch(form.action + "?" + params.toString(), { headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null || ticket !== latest) return;
        results.innerHTML = html;
        params.delete("fragment");
        history.replaceState(null, "", form.action + "?" + params.toString());
      })
      .catch(function () { /* keep the current results; the form still works */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 200);
  });
})();
