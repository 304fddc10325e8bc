/* fawang: the kiosk (自助取号) and the printed ticket.
   - [data-print]              prints the page (the ticket, 58/80 mm).
   - body[data-return-to]      after data-return-after seconds, back to the kiosk.
   - body[data-idle-reset=N]   the kiosk clears its choices after N seconds idle; with data-idle-home it goes
                               back to that page instead, replacing this one in the history (nothing stays).
   - [data-poll=URL]           replaced by URL's HTML every 2 s until that HTML holds [data-done].
*/
(function () {
  "use strict";
  var doc = document;
  var body = doc.body;
  doc.addEventListener("click", function (event) {
    if (event.target && event.target.closest && event.target.closest("[data-print]")) window.print();
  });
  var back = body.getAttribute("data-return-to");
  if (back) {
    var after = parseInt(body.getAttribute("data-return-after") || "30", 10);
    window.setTimeout(function () { window.location.assign(back); }, after * 1000);
  }
  var idle = parseInt(body.getAttribute("data-idle-reset") || "0", 10);
  if (idle > 0) {
    var timer = null;
    var reset = function () {
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var home = body.getAttribute("data-idle-home");
        if (home) { window.location.replace(home); return; }
        var forms = doc.querySelectorAll("form");
        for (var i = 0; i < forms.length; i++) forms[i].reset();
      }, idle * 1000);
    };
    ["click", "touchstart", "keydown"].forEach(function (name) { doc.addEventListener(name, reset, true); });
    reset();
  }
  var polled = doc.querySelector("[data-poll]");
  if (polled) {
    var poll = function () {
      fetch(polled.getAttribute("data-poll"), { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          polled.innerHTML = html;
          if (!polled.querySelector("[data-done]")) window.setTimeout(poll, 2000);
        })
        .catch(function () { window.setTimeout(poll, 2000); });
    };
    window.setTimeout(poll, 2000);
  }
})();
