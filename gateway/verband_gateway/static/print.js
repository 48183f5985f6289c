// The guide's print button: a script file, since the CSP allows no inline handlers.
document.getElementById("print-offer").addEventListener("click", function () { window.print(); });
