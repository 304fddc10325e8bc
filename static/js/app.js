/* fawang: small progressive enhancements for the console and the portal.
   Loaded with `defer` by both base templates; every page works without it.

   - html.js            added so CSS can style things that need JavaScript.
   - data-autosubmit    on a <select> (or on its <form>): submitting the form
                        when the selection changes. Keep a submit button too.
   - data-confirm="…"   on a button, <input type=submit> or link: asks first
                        and cancels the click (and any htmx request) on "取消".
   - .nav-toggle        the console's narrow-screen menu button
                        (aria-expanded / aria-controls).
*/
(function () {
  "use strict";
  var doc = document;
  doc.documentElement.classList.add("js");

  doc.addEventListener("change", function (event) {
    var el = event.target;
    if (!el || el.tagName !== "SELECT" || !el.form) return;
    if (!el.hasAttribute("data-autosubmit") && !el.form.hasAttribute("data-autosubmit")) return;
    if (typeof el.form.requestSubmit === "function") el.form.requestSubmit();
    else el.form.submit();
  });

  // Capture phase, so it runs before htmx's own click handlers.
  doc.addEventListener("click", function (event) {
    var el = event.target && event.target.closest && event.target.closest("[data-confirm]");
    if (!el || el.disabled) return;
    if (!window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  function setupNavToggle(button) {
    var target = doc.getElementById(button.getAttribute("aria-controls"));
    if (!target) return;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", open ? "false" : "true");
    });
    doc.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  }
  Array.prototype.forEach.call(doc.querySelectorAll(".nav-toggle[aria-controls]"), setupNavToggle);
})();
