// The label pages' print button. A static file, not an inline handler, so
// the page works under a Content-Security-Policy without 'unsafe-inline'.
// Without JavaScript the button stays hidden and the browser's own print
// command does the same.
(function () {
  "use strict";
  if (!window.print) return;
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
