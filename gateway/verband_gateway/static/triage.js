// The triage form shows only the fields of the chosen decision. Without this script every
// group shows, its legend naming the decision it belongs to; a group of another decision is
// hidden and disabled, so nothing typed there is sent with the decision taken.
document.querySelectorAll("form[data-triage]").forEach(function (form) {
  var groups = form.querySelectorAll("fieldset[data-decision]");
  var choices = form.querySelectorAll("input[name=decision]");
  function show() {
    var chosen = form.querySelector("input[name=decision]:checked");
    groups.forEach(function (group) {
      var decisions = group.getAttribute("data-decision").split(" ");
      var on = chosen !== null && decisions.indexOf(chosen.value) >= 0;
      group.hidden = !on;
      group.disabled = !on;
    });
  }
  choices.forEach(function (choice) { choice.addEventListener("change", show); });
  show();
});
