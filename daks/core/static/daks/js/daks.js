// DAKS: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Confirm dangerous actions: <form data-confirm="Really?">
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
