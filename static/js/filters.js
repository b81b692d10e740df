// Filter panels ([data-filters], a <details> served open): folded away on
// narrow screens, so a phone shows the first result without scrolling past
// the form; open beside the results on wide ones. Without this script the
// panel stays open. Loaded right after the panel, not deferred, so a phone
// never paints it open first.
//
// On submit, empty fields, and menus left at their first option (all, or
// the report's order), are left out of the query: disabled fields are not
// submitted. The list pages also redirect any address with empty
// parameters to the one without them; this saves that round trip.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 60rem)");
  var panels = document.querySelectorAll("details[data-filters]");

  function fit() {
    for (var i = 0; i < panels.length; i++) {
      // A panel with an error message stays open: the reader must see it.
      panels[i].open = wide.matches || panels[i].querySelector(".field-error") !== null;
    }
  }

  fit();
  if (wide.addEventListener) wide.addEventListener("change", fit);

  for (var i = 0; i < panels.length; i++) {
    var form = panels[i].querySelector("form");
    if (!form) continue;
    form.addEventListener("submit", function (event) {
      var fields = event.target.elements;
      for (var j = 0; j < fields.length; j++) {
        var field = fields[j];
        var atDefault = field.value === "" || (field.tagName === "SELECT" && field.selectedIndex === 0);
        if (field.name && atDefault) field.disabled = true;
      }
    });
  }
  // Back from the results page: the browser may restore the form with the
  // fields still disabled.
  window.addEventListener("pageshow", function () {
    var disabled = document.querySelectorAll("details[data-filters] [name]:disabled");
    for (var k = 0; k < disabled.length; k++) disabled[k].disabled = false;
  });
})();
