/* fawang: the hall display (叫号大屏). The board is polled by htmx every second
   (#board hx-trigger="every 1s"); this file
   - announces each new call in Mandarin with the browser's speech synthesis
     (zh-CN): the board lists the latest calls as <li data-call=id data-say=text>,
     and the ids already announced are remembered per display (localStorage),
     so a reload or a network drop does not repeat or lose calls;
   - shows "网络中断" while requests fail; htmx keeps polling, and the board
     catches up on the first answer after the network is back;
   - [data-voice]: a button that unlocks speech where the browser wants a
     click first (a TV in kiosk mode can run without it).
*/
(function () {
  "use strict";
  var doc = document;
  var body = doc.body;
  var key = "hall:last:" + (body.getAttribute("data-hall-key") || "");
  var offline = doc.querySelector(".hall-offline");

  function stored() {
    try {
      var v = window.localStorage.getItem(key);
      return v === null ? null : parseInt(v, 10);
    } catch (e) {
      return null;
    }
  }
  var last = stored();

  function remember(id) {
    last = id;
    try { window.localStorage.setItem(key, String(id)); } catch (e) { /* private mode */ }
  }

  function say(text) {
    if (!("speechSynthesis" in window) || !text) return;
    var u = new window.SpeechSynthesisUtterance(text);
    u.lang = "zh-CN";
    u.rate = 0.9;
    var voices = window.speechSynthesis.getVoices ? window.speechSynthesis.getVoices() : [];
    for (var i = 0; i < voices.length; i++) {
      if (voices[i].lang && voices[i].lang.replace("_", "-").indexOf("zh-CN") === 0) { u.voice = voices[i]; break; }
    }
    window.speechSynthesis.speak(u);
  }

  function announce() {
    var items = doc.querySelectorAll("#board [data-call]");
    var fresh = [];
    var newest = last === null ? 0 : last;
    for (var i = 0; i < items.length; i++) {
      var id = parseInt(items[i].getAttribute("data-call"), 10);
      if (last !== null && id > last) fresh.push({ id: id, text: items[i].getAttribute("data-say") });
      if (id > newest) newest = id;
    }
    fresh.sort(function (a, b) { return a.id - b.id; });
    for (var j = 0; j < fresh.length; j++) say(fresh[j].text);
    if (last === null || newest > last) remember(newest);
  }

  function setOffline(on) {
    if (offline) offline.hidden = !on;
    body.classList.toggle("is-offline", on);
  }

  doc.addEventListener("htmx:afterSwap", function (event) {
    if (event.target && event.target.id === "board") {
      setOffline(false);
      announce();
    }
  });
  doc.addEventListener("htmx:sendError", function () { setOffline(true); });
  doc.addEventListener("htmx:responseError", function () { setOffline(true); });
  window.addEventListener("offline", function () { setOffline(true); });

  doc.addEventListener("click", function (event) {
    var button = event.target && event.target.closest && event.target.closest("[data-voice]");
    if (!button) return;
    say("语音播报已开启");
    button.hidden = true;
  });
})();
