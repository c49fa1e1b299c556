// The invigilator console (docs/testing.md, « Invigilator console »). htmx polls the candidates' table
// every 3 s and the pending alerts separately; this script:
// - skips a refresh of the table while the invigilator is typing in it (a field changed or focused, a
//   « more actions » panel open) or has switched the automatic refresh off (WCAG 2.2.2), and says so;
// - polls a conversation only while its panel is open;
// - after an action, puts the focus back on the candidate's name when the button pressed is gone, and
//   keeps the conversation open after a message is sent.
// Without JavaScript every form posts and the page comes back (« Actualiser la liste » reloads it).
(function () {
  var pendingFocus = null;
  var keepOpen = null;

  function automatic() {
    var box = document.getElementById("console-auto");
    return !box || box.checked;
  }

  function changed(field) {
    if (field.tagName === "SELECT") {
      for (var i = 0; i < field.options.length; i++) {
        if (field.options[i].selected !== field.options[i].defaultSelected) { return true; }
      }
      return false;
    }
    if (field.type === "checkbox" || field.type === "radio") { return field.checked !== field.defaultChecked; }
    return field.value !== field.defaultValue;
  }

  function editing(region) {
    if (region.querySelector("details[open]")) { return true; }
    var fields = region.querySelectorAll("input:not([type=hidden]), select, textarea");
    for (var i = 0; i < fields.length; i++) {
      if (changed(fields[i])) { return true; }
    }
    var active = document.activeElement;
    return !!(active && region.contains(active) && active.matches("input, select, textarea"));
  }

  function showPaused(on) {
    var note = document.getElementById("console-paused");
    if (note) { note.hidden = !on; }
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt || !elt.getAttribute) { return; }
    if (elt.id === "console-live" && elt.hasAttribute("hx-get")) {
      var busy = editing(elt);
      showPaused(busy && automatic());
      if (busy || !automatic()) { event.preventDefault(); }
      return;
    }
    if (elt.hasAttribute("data-conversation")) {
      var panel = elt.closest("details");
      if (panel && !panel.open) { event.preventDefault(); }
      return;
    }
    var form = elt.closest("form[data-row]");
    if (form) {
      pendingFocus = form.getAttribute("data-row");
      keepOpen = form.getAttribute("data-keep-open");
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    window.setTimeout(function () {
      if (keepOpen) {
        var panel = document.getElementById(keepOpen);
        if (panel) { panel.open = true; }
        keepOpen = null;
      }
      if (pendingFocus) {
        var active = document.activeElement;
        if (!active || active === document.body || !active.isConnected) {
          var target = document.getElementById(pendingFocus);
          if (target) { target.focus(); }
        }
        pendingFocus = null;
      }
    }, 0);
  });

  document.addEventListener("DOMContentLoaded", function () {
    var control = document.querySelector(".console-auto");
    if (control) { control.hidden = false; }
    var box = document.getElementById("console-auto");
    if (box) { box.addEventListener("change", function () { showPaused(false); }); }
  });
})();
