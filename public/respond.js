// Soundings respondent page: saves answers as the person goes. The page works fully
// without this script; with it, a half-finished survey is kept as "started".
(function () {
  "use strict";
  var form = document.querySelector("form.survey-form[data-autosave]");
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var status = document.getElementById("autosave-status");
  var timer = null;
  var shown = Array.prototype.map.call(form.querySelectorAll('input[name="shown"]'), function (i) { return i.value; });

  // The words come from the page, in its language.
  function say(key) { if (status) status.textContent = status.getAttribute("data-" + key) || ""; }

  function save() {
    timer = null;
    say("saving");
    fetch(form.getAttribute("data-autosave"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json" },
      body: new URLSearchParams(new FormData(form)).toString()
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (result) {
      say("saved");
      // An answer revealed (or hid) a follow-up: show the page the server now asks for.
      var visible = result.visible || [];
      var same = visible.length === shown.length && visible.every(function (id) { return shown.indexOf(id) >= 0; });
      if (!same) window.location.reload();
    }).catch(function () {
      say("failed");
    });
  }

  function later(delay) {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  form.addEventListener("change", function () { later(300); });
  form.addEventListener("input", function (event) {
    if (event.target && event.target.type !== "radio" && event.target.type !== "checkbox") later(1500);
  });
})();

// In the survey's panel inside the team's product (a frame): tell the product's page how
// tall the panel is, and when it was closed, so that page's script can size it and take
// it away. Escape closes it as the close button does. Without this script the frame still
// works; it only cannot resize or remove itself.
(function () {
  "use strict";
  var main = document.querySelector("main.embedded");
  if (!main || window.parent === window) return;
  function tell(message) { window.parent.postMessage(message, "*"); }
  if (main.hasAttribute("data-panel-closed")) {
    tell({ type: "soundings:close" });
    return;
  }
  function size() { tell({ type: "soundings:show", height: Math.ceil(document.documentElement.scrollHeight) }); }
  size();
  if (window.ResizeObserver) new ResizeObserver(size).observe(document.body);
  var close = document.querySelector("form[data-panel-close]");
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && close) {
      event.preventDefault();
      if (close.requestSubmit) close.requestSubmit(); else close.submit();
    }
  });
})();
