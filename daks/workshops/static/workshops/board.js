// DAKS Zukunftswerkstatt: keep the keyboard focus in place after an htmx swap of a phase column of the idea
// board (like the SWOT board). Every page works without this file.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function () {
    var target = document.querySelector("[data-focus]");
    if (!target) {
      // The last swapped column wins; the marker is removed so a later swap elsewhere is not pulled back.
      var marked = document.querySelectorAll("[data-focus-within]");
      var within = marked.length ? marked[marked.length - 1] : null;
      target = within && within.querySelector("textarea, input:not([type=hidden]), select");
      marked.forEach(function (element) { element.removeAttribute("data-focus-within"); });
    }
    if (target) {
      var details = target.closest("details");
      if (details) { details.open = true; }
      target.removeAttribute("data-focus");
      target.focus();
    }
  });
})();
