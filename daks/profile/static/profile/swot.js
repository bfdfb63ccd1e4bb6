// DAKS profile: keep the keyboard focus in place after an htmx swap of a SWOT quadrant or the
// fields-of-action list. Every page works without this file.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function () {
    var target = document.querySelector("[data-focus]");
    if (!target) {
      var within = document.querySelector("[data-focus-within]");
      target = within && within.querySelector("textarea, input:not([type=hidden])");
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
