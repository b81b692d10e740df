/* The static build's "save for offline" control, in the footer of every
   page of the static build (publish/offline.py writes the service worker).
   The live site has neither the control nor the data-service-worker
   attribute, so this does nothing there. Strings come from the page. */
(function () {
  "use strict";

  const worker = document.body.dataset.serviceWorker;
  const control = document.querySelector(".offline-save");
  if (!worker || !control) {
    return;
  }
  const button = control.querySelector("button");
  const progress = control.querySelector("progress");
  const status = control.querySelector("[role=status]");

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  }

  function show(state, text, values) {
    control.dataset.state = state;
    status.textContent = text ? fill(text, values || {}) : "";
    progress.hidden = state !== "saving";
    button.disabled = state === "saving";
    button.hidden = state === "unsupported" || state === "saved";
    if (values && values.total) {
      progress.max = values.total;
      progress.value = values.done || 0;
    }
  }

  control.hidden = false;
  // Service workers need a secure address (https, or localhost).
  if (!("serviceWorker" in navigator) || !window.caches || !window.isSecureContext) {
    show("unsupported", control.dataset.unsupported);
    return;
  }

  function ask(message) {
    navigator.serviceWorker.ready.then((registration) => registration.active.postMessage(message));
  }

  function save() {
    show("saving", "");
    ask({ type: "save" });
  }

  navigator.serviceWorker.addEventListener("message", (event) => {
    const answer = event.data || {};
    if (answer.type === "status") {
      if (answer.total && answer.cached === answer.total) {
        show("saved", control.dataset.saved, answer);
      } else if (answer.cached > 0 && navigator.onLine) {
        // A copy saved from an earlier build (or an interrupted save):
        // fetch only what changed or is missing.
        save();
      } else {
        show("idle", "");
      }
    } else if (answer.type === "progress") {
      show("saving", control.dataset.saving, answer);
    } else if (answer.type === "saved") {
      show("saved", control.dataset.saved, answer);
    } else if (answer.type === "failed") {
      show("failed", control.dataset.failed, answer);
    }
  });
  navigator.serviceWorker.startMessages();

  button.addEventListener("click", save);
  show("idle", "");
  navigator.serviceWorker.register(worker, { scope: "/" }).then(
    () => ask({ type: "status" }),
    () => show("unsupported", control.dataset.unsupported),
  );
})();
