// Long work (a report computed, a file made) says so while it runs: the button waits and
// the status line (#waiting, polite live region) reads the element's data-wait text.
document.querySelectorAll("form[data-wait]").forEach(function (form) {
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; button.setAttribute("aria-busy", "true"); }
    document.getElementById("waiting").textContent = form.getAttribute("data-wait");
  });
});
document.querySelectorAll("a[data-wait]").forEach(function (link) {
  link.addEventListener("click", function () {
    var status = document.getElementById("waiting");
    status.textContent = link.getAttribute("data-wait");
    setTimeout(function () { status.textContent = ""; }, 8000);
  });
});
