/* fawang: small progressive enhancements for the console and the portal.
   Loaded with `defer` by both base templates; every page works without it.

   - html.js            added so CSS can style things that need JavaScript.
   - data-autosubmit    on a <select> (or on its <form>): submitting the form
                        when the selection changes. Keep a submit button too.
   - data-confirm="…"   on a button, <input type=submit> or link: asks first
                        and cancels the click (and any htmx request) on "取消".
   - .nav-toggle        a narrow-screen menu button (the console's menu, the
                        portal's 更多): toggles aria-expanded, and the class
                        is-open on the element it controls (aria-controls).
   - details opened by the address: a link to #id of a <details> (or of
     something inside one) opens it, so "我要投诉" lands on an open form.
   - details[data-open-wide]  open on a wide screen, folded on a phone.
   - data-focus-after="#id"   on an htmx trigger: focus lands in #id after
                        the swap (instead of on the page body).
   - long drop-downs    a single <select> of more than 30 options (the
                        staff pages' unit lists) gets a search box before it
                        that hides the options not matching what is typed.
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
    function set(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      target.classList.toggle("is-open", open);
    }
    button.addEventListener("click", function () {
      set(button.getAttribute("aria-expanded") !== "true");
    });
    doc.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        set(false);
        button.focus();
      }
    });
  }
  Array.prototype.forEach.call(doc.querySelectorAll(".nav-toggle[aria-controls]"), setupNavToggle);

  function openTargetDetails() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var el = id && doc.getElementById(id);
    var details = el && (el.tagName === "DETAILS" ? el : el.closest("details"));
    if (details && !details.open) {
      details.open = true;
      el.scrollIntoView();
    }
  }
  openTargetDetails();
  window.addEventListener("hashchange", openTargetDetails);

  // data-focus-after="#id" on an htmx trigger: once the swap has settled, focus the first field inside #id.
  // The swap replaces the trigger itself, which would leave focus on the page body (the console's intake form:
  // "再加一项" lands on the new row, "删除此项" on the neighbouring one).
  var focusAfter = null;
  doc.addEventListener("htmx:beforeRequest", function (event) {
    var el = event.detail && event.detail.elt;
    focusAfter = el && el.getAttribute ? el.getAttribute("data-focus-after") : null;
  });
  doc.addEventListener("htmx:afterSettle", function () {
    var selector = focusAfter;
    focusAfter = null;
    var target = selector && doc.querySelector(selector);
    if (!target) return;
    var field = target.querySelector("select, input:not([type=hidden]), textarea, button") || target;
    field.focus();
  });

  // A search box before every long single-choice drop-down (e.g. 转至机构 with some 150 units).
  var SEARCH_FROM = 30;
  function addSelectSearch(select) {
    if (select.multiple || select.options.length <= SEARCH_FROM || select.hasAttribute("data-search-ready")) return;
    select.setAttribute("data-search-ready", "");
    var box = doc.createElement("input");
    box.type = "search";
    box.className = "select-search";
    box.placeholder = "输入名称筛选";
    var label = select.labels && select.labels[0] ? select.labels[0].textContent.trim() : "";
    box.setAttribute("aria-label", "筛选" + (label ? "：" + label : ""));
    if (select.id) box.setAttribute("aria-controls", select.id);
    box.addEventListener("input", function () {
      var words = box.value.trim();
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = !!words && option.value !== "" && !option.selected && option.text.indexOf(words) === -1;
      });
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();  // filtering, not submitting the form
    });
    select.parentNode.insertBefore(box, select);
  }
  function addSelectSearches(root) {
    Array.prototype.forEach.call((root || doc).querySelectorAll("select"), addSelectSearch);
  }
  addSelectSearches(doc);
  doc.addEventListener("htmx:afterSettle", function (event) {
    addSelectSearches(event.target && event.target.querySelectorAll ? event.target : doc);
  });

  // <details data-open-wide>: folded on a phone, open on a wide screen (law search's 筛选条件).
  if (window.matchMedia && window.matchMedia("(min-width: 48rem)").matches) {
    Array.prototype.forEach.call(doc.querySelectorAll("details[data-open-wide]"), function (details) {
      details.open = true;
    });
  }
})();
