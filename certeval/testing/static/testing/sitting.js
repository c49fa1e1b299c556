// The candidate's proctored test (templates testing/sitting/*.html). Plain JavaScript; the pages work
// without it (forms post, the server redirects), it adds:
// - the answer sent in the background by htmx: only the question area is replaced, the focus moves to
//   the new question's heading (or the first field in error); each displayed question gets a key of
//   its own (client_key), sent with the answer;
// - the countdown, re-synchronised with the server's clock by each page and each heartbeat (every
//   20 s), announced at 10, 5 and 1 minutes left; when the server says the time is up (or the test is
//   paused, blocked, taken over by another tab), the page goes where the server says;
// - leaving the page and coming back, recorded (never a sanction, never a blocking pop-up);
// - « Lire la question à voix haute » with the browser's speech synthesis (fr-FR);
// - the message form emptied once its message is sent.
(function () {
  "use strict";
  var root = document.querySelector("[data-sitting]");
  if (!root) { return; }
  var data = function (name) { return root.getAttribute("data-" + name) || ""; };
  var tab = data("tab");
  var csrf = data("csrf");
  var announcer = document.getElementById("sitting-announce");
  var HEARTBEAT_MS = 20000;
  var THRESHOLDS = [10, 5, 1];

  function announce(text) {
    if (!announcer || !text) { return; }
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 100);
  }

  function send(url, fields) {
    var body = new URLSearchParams(fields || {});
    body.set("tab", tab);
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf },
    });
  }

  function randomKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  // --- the countdown -------------------------------------------------------------------------------
  var display = document.getElementById("sitting-remaining");
  var deadline = null;
  var announced = {};

  function secondsLeft() {
    return deadline === null ? null : Math.max(0, (deadline - performance.now()) / 1000);
  }

  function format(seconds) {
    var total = Math.floor(seconds);
    var h = Math.floor(total / 3600);
    var m = Math.floor((total % 3600) / 60);
    var s = total % 60;
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    return h ? h + " h " + two(m) + " min " + two(s) + " s" : m + " min " + two(s) + " s";
  }

  function sync(seconds, first) {
    deadline = performance.now() + seconds * 1000;
    if (first) {
      // Thresholds already passed when the page opened were announced before (or are moot).
      THRESHOLDS.forEach(function (minutes) { if (seconds <= minutes * 60) { announced[minutes] = true; } });
    }
    render();
  }

  function render() {
    var left = secondsLeft();
    if (left === null || !display) { return; }
    display.textContent = format(left);
    THRESHOLDS.forEach(function (minutes) {
      if (left <= minutes * 60 && !announced[minutes] && left > 0) {
        announced[minutes] = true;
        announce(data("announce-" + minutes));
      }
    });
  }

  // --- the heartbeat ---------------------------------------------------------------------------------
  var heartbeatUrl = data("heartbeat-url");
  var beating = false;
  var lastBeat = 0;

  function follow(answer) {
    if (!answer) { return; }
    if (answer.state === "question" && typeof answer.remaining === "number") {
      sync(answer.remaining, false);
    } else if (answer.url) {
      if (answer.state === "ended") { announce(data("time-up")); }
      window.location.assign(answer.url);
    }
  }

  function beat() {
    if (!heartbeatUrl || beating) { return; }
    beating = true;
    lastBeat = performance.now();
    send(heartbeatUrl)
      .then(function (response) {
        if (response.redirected) { window.location.assign(response.url); return null; }
        return response.json();
      })
      .then(follow)
      .catch(function () { /* the network is down: keep counting, the next heartbeat tries again */ })
      .then(function () { beating = false; });
  }

  function tick() {
    render();
    var left = secondsLeft();
    // At zero, the server decides (extra time, grace): ask it every 2 seconds until it answers.
    if (left !== null && left <= 0 && performance.now() - lastBeat > 2000) { beat(); }
  }

  if (heartbeatUrl) {
    window.setInterval(tick, 1000);
    window.setInterval(beat, HEARTBEAT_MS);
  }

  // --- the question ------------------------------------------------------------------------------------
  var HTMX_FORM = {
    "hx-target": "#question-area",
    "hx-select": "#question-area",
    "hx-swap": "outerHTML",
    "hx-disabled-elt": "find button",
  };

  function prepareQuestion(first) {
    var area = document.getElementById("question-area");
    if (!area) { return; }
    var form = area.querySelector("form.question-form");
    if (form) {
      var key = form.querySelector("input[name=client_key]");
      if (key && !key.value) { key.value = randomKey(); }
      if (window.htmx && !form.hasAttribute("hx-post")) {
        form.setAttribute("hx-post", form.getAttribute("action"));
        Object.keys(HTMX_FORM).forEach(function (name) { form.setAttribute(name, HTMX_FORM[name]); });
        window.htmx.process(form);
      }
    }
    var remaining = parseFloat(area.getAttribute("data-remaining"));
    if (!isNaN(remaining)) { sync(remaining, first); }
  }

  function focusQuestion() {
    var area = document.getElementById("question-area");
    var target = area && (area.querySelector("[aria-invalid=true]") || area.querySelector(".alert, .fr-alert") || area.querySelector("h2"));
    if (!target) { return; }
    if (!/^(INPUT|TEXTAREA|SELECT|BUTTON|FIELDSET)$/.test(target.tagName)) { target.setAttribute("tabindex", "-1"); }
    target.focus();
  }

  // An htmx event about the question: its form's request, or the swap of the question area.
  function aboutQuestion(detail) {
    var elements = [detail.elt, detail.target, detail.requestConfig && detail.requestConfig.elt];
    return elements.some(function (element) {
      return !!element && (element.id === "question-area" ||
        (!!element.classList && element.classList.contains("question-form")));
    });
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    if (!aboutQuestion(event.detail)) { return; }
    if (window.speechSynthesis) { window.speechSynthesis.cancel(); }
    prepareQuestion(false);
    focusQuestion();
  });

  function networkTrouble(event) {
    if (!aboutQuestion(event.detail)) { return; }
    var area = document.getElementById("question-area");
    var text = data("network-error");
    if (!area || !text) { return; }
    var notice = area.querySelector(".sitting-network");
    if (!notice) {
      notice = document.createElement("p");
      notice.className = "sitting-network";
      notice.setAttribute("role", "alert");
      area.insertBefore(notice, area.firstChild);
    }
    notice.textContent = text;
  }
  document.addEventListener("htmx:sendError", networkTrouble);
  document.addEventListener("htmx:responseError", networkTrouble);

  // The message form: emptied once its message is sent.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.hasAttribute && form.hasAttribute("data-message-form") && event.detail.successful) {
      form.reset();
    }
  });

  // --- leaving the page ---------------------------------------------------------------------------------
  var pageEventUrl = data("page-event-url");
  var away = false;
  var unloading = false;

  function record(left) {
    if (!pageEventUrl || unloading || left === away) { return; }
    away = left;
    var fields = new FormData();
    fields.append("tab", tab);
    fields.append("left", left ? "1" : "0");
    fields.append("csrfmiddlewaretoken", csrf);
    if (!(navigator.sendBeacon && navigator.sendBeacon(pageEventUrl, fields))) {
      send(pageEventUrl, { left: left ? "1" : "0" }).catch(function () {});
    }
    if (!left) { beat(); }
  }

  if (pageEventUrl) {
    document.addEventListener("visibilitychange", function () { record(document.visibilityState === "hidden"); });
    window.addEventListener("blur", function () { record(true); });
    window.addEventListener("focus", function () { record(false); });
    // Going to another page of the test (or closing it) is not leaving the page.
    window.addEventListener("beforeunload", function () { unloading = true; });
    window.addEventListener("pageshow", function () { unloading = false; });
  }

  // --- reading the question aloud -------------------------------------------------------------------------
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-read-aloud] button");
    if (!button || !window.speechSynthesis) { return; }
    var synthesis = window.speechSynthesis;
    if (synthesis.speaking) { synthesis.cancel(); return; }
    var area = document.getElementById("question-area");
    var stem = area.querySelector(".question-stem");
    var parts = [stem ? stem.textContent.trim() : ""];
    var options = area.querySelectorAll(".question-option label, .question-form .field label");
    if (options.length) {
      parts.push(button.closest("[data-read-aloud]").getAttribute("data-options-label") || "");
      Array.prototype.forEach.call(options, function (label) { parts.push(label.textContent.trim()); });
    }
    var utterance = new SpeechSynthesisUtterance(parts.filter(Boolean).join(". "));
    utterance.lang = "fr-FR";
    synthesis.speak(utterance);
  });

  prepareQuestion(true);
})();
