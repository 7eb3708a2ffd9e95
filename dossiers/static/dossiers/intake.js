// Nộp hồ sơ trực tuyến: small helps; the forms work without script (the server also refuses a
// double submission through the form's idempotency token).
(function () {
  "use strict";
  // A second click while the first submission is on its way does nothing.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-once")) return;
    if (form.getAttribute("data-sending") === "true") {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-sending", "true");
    form.setAttribute("aria-busy", "true");
  });
  // Coming back with the back button shows the form usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sending]").forEach(function (form) {
      form.removeAttribute("data-sending");
      form.removeAttribute("aria-busy");
    });
  });
  // The error summary takes the focus, so a screen reader announces it first.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-focus]");
    if (summary instanceof HTMLElement) summary.focus();
  });
})();
