// Progressive enhancement for the search page: results follow the typing,
// fetched as the page's own "results" fragment. Without this script the
// form submits normally.
//
// - While an input method is composing (pinyin being turned into
//   characters), nothing is fetched: the half-typed letters are not the
//   query. One fetch follows compositionend.
// - Screen readers hear only the count sentence, copied into the page's
//   status region, not the whole list each time it changes.
(function () {
  "use strict";
  var form = document.querySelector("[data-live-search]");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!form || !results || !window.fetch) return;
  var input = form.querySelector('input[name="q"]');
  var timer = null;
  var latest = 0;
  var composing = false;
  var requested = null;

  function update() {
    var params = new URLSearchParams(new FormData(form));
    var address = params.toString();
    if (address === requested) return;
    requested = address;
    var ticket = ++latest;
    params.set("fragment", "results");
    fetch(form.action + "?" + params.toString(), { headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (ticket !== latest) return;
        if (html === null) { requested = null; return; }
        results.innerHTML = html;
        if (status) {
          var count = results.querySelector("[data-search-count]");
          status.textContent = count ? count.textContent.trim() : "";
        }
        history.replaceState(null, "", form.action + "?" + address);
      })
      .catch(function () { requested = null; /* keep the current results; the form still works */ });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(update, 200);
  }

  input.addEventListener("compositionstart", function () {
    composing = true;
    clearTimeout(timer);
  });
  input.addEventListener("compositionend", function () {
    composing = false;
    schedule();
  });
  input.addEventListener("input", function (event) {
    if (composing || event.isComposing) return;
    schedule();
  });
})();
