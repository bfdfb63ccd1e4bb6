// DAKS profile: keep the keyboard focus in place after an htmx swap of a SWOT quadrant or the
// fields-of-action list. Every page works without this file.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function () {
    var target = document.querySelector("[data-focus]");
    if (!target) {
      // The last swapped section wins; the marker is removed so a later swap elsewhere is not pulled back.
      var marked = document.querySelectorAll("[data-focus-within]");
      var within = marked.length ? marked[marked.length - 1] : null;
      target = within && within.querySelector("textarea, input:not([type=hidden])");
      marked.forEach(function (element) { element.removeAttribute("data-focus-within"); });
    }
    if (!target) {
      var marker = document.querySelector("[data-focus-target]");
      if (marker) {
        var key = marker.getAttribute("data-focus-target");
        target = document.querySelector('[data-focus-key="' + key + '"]') || document.getElementById("fields-heading");
        marker.removeAttribute("data-focus-target");
      }
    }
    if (target) {
      target.removeAttribute("data-focus");
      target.focus();
    }
  });
})();
