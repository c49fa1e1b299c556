// Question pages of the online tests: the answer form is sent by htmx when it is available, and only
// the question area is replaced; the focus then moves to the new question's heading (or to the first
// field in error) so that keyboard and screen-reader users continue from there. Without JavaScript the
// form posts and the server redirects to the next question. The submit buttons are disabled while a
// submission is on its way (a double submission would store one answer anyway).
(function () {
  function enhance(root) {
    if (!window.htmx) { return; }
    var form = root.querySelector("#question-area form.question-form");
    if (!form || form.hasAttribute("hx-post")) { return; }
    form.setAttribute("hx-post", form.getAttribute("action"));
    form.setAttribute("hx-target", "#question-area");
    form.setAttribute("hx-select", "#question-area");
    form.setAttribute("hx-swap", "outerHTML");
    form.setAttribute("hx-disabled-elt", "find button");
    window.htmx.process(form);
  }
  function focusQuestion() {
    var area = document.getElementById("question-area");
    if (!area) { return; }
    var target = area.querySelector("[aria-invalid=true]") || area.querySelector("h2");
    if (!target) { return; }
    if (target.tagName === "H2") { target.setAttribute("tabindex", "-1"); }
    target.focus();
  }
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSwap", function () { enhance(document); focusQuestion(); });
})();
