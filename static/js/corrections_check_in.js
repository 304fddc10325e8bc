// 日定位: ask the browser for the position only when the person presses the button and has ticked consent.
(function () {
  "use strict";
  var form = document.getElementById("check-in-form");
  if (!form) return;
  form.addEventListener("submit", function (event) {
    var consent = form.querySelector("input[name=consent]");
    var lat = form.querySelector("input[name=latitude]");
    var lng = form.querySelector("input[name=longitude]");
    if (!consent || !consent.checked || lat.value || !navigator.geolocation) return;
    event.preventDefault();
    var status = document.getElementById("check-in-status");
    if (status) status.textContent = status.dataset.locating || "";
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        lat.value = pos.coords.latitude.toFixed(6);
        lng.value = pos.coords.longitude.toFixed(6);
        form.submit();
      },
      function () { form.submit(); },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
