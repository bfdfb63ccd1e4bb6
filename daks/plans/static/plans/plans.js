// DAKS Werkstattplan: keep the keyboard focus in place after an htmx swap (kanban moves, reordering,
// milestones). The swapped fragment marks the element to focus with data-focus, or names it with a hidden
// marker <span data-focus-key="…"> matching an element's data-key (falling back to the fragment's heading).
// Pages work without this file.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = document.querySelector("[data-focus]");
    if (!target) {
      var within = document.querySelector("[data-focus-within]");
      if (within) {
        target = within.querySelector("input:not([type=hidden]), select, textarea");
        within.removeAttribute("data-focus-within");
      }
    }
    if (!target) {
      var marker = document.querySelector("[data-focus-key]");
      if (marker) {
        var key = marker.getAttribute("data-focus-key");
        var fragment = marker.parentElement;
        marker.removeAttribute("data-focus-key");
        var other = key.indexOf("-up-") > -1 ? key.replace("-up-", "-down-") : key.replace("-down-", "-up-");
        target = document.querySelector('[data-key="' + key + '"]') ||
          document.querySelector('[data-key="' + other + '"]') ||
          (fragment && fragment.querySelector("h2[tabindex], h3[tabindex]"));
      }
    }
    if (target) {
      target.removeAttribute("data-focus");
      target.focus();
    }
  });
  // "Print" buttons (hidden without JavaScript; the browser's print function works anyway).
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
