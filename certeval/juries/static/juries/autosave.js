// Autosave of the scoring grid (htmx): when a save fails (no network, server error), the status line
// says so instead of keeping the last "Enregistré à …", so the juror knows to press « Enregistrer ».
(function () {
  function failed(event) {
    var form = event.detail && event.detail.elt && event.detail.elt.closest("form.grid-form");
    var status = document.getElementById("save-status");
    if (!form || !status) { return; }
    status.textContent = status.dataset.failed;
    status.classList.add("save-failed");
  }
  function saved(event) {
    var status = document.getElementById("save-status");
    if (status && event.detail && event.detail.successful) { status.classList.remove("save-failed"); }
  }
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:afterRequest", saved);
})();
