// A reset or invitation link carries its token after "#": browsers never send that part to
// a server, so it appears in no request line and no log. This moves it into the form's
// token field (sent in the POST body) and off the address bar; sessionStorage keeps it
// while the person signs in first and comes back to the same page.
(function () {
  "use strict";
  var field = document.querySelector("input[name='token']");
  if (!field) {
    return;
  }
  var key = "verband-token:" + window.location.pathname;
  var fromLink = window.location.hash.slice(1);
  if (fromLink) {
    window.sessionStorage.setItem(key, decodeURIComponent(fromLink));
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  var token = field.value || window.sessionStorage.getItem(key) || "";
  field.value = token;
  if (token) {
    var wrapper = field.closest(".field") || field.parentElement;
    if (wrapper) {
      wrapper.hidden = true;
    }
  }
  var form = field.form;
  if (form) {
    form.addEventListener("submit", function () {
      window.sessionStorage.removeItem(key);
    });
  }
})();
