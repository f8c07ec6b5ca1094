// Soundings respondent page: saves answers as the person goes. The page works fully
// without this script; with it, a half-finished survey is kept as "started".
(function () {
  "use strict";
  var form = document.querySelector("form.survey-form[data-autosave]");
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var status = document.getElementById("autosave-status");
  var timer = null;
  var shown = Array.prototype.map.call(form.querySelectorAll('input[name="shown"]'), function (i) { return i.value; });

  function say(text) { if (status) status.textContent = text; }

  function save() {
    timer = null;
    say("Saving…");
    fetch(form.getAttribute("data-autosave"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json" },
      body: new URLSearchParams(new FormData(form)).toString()
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (result) {
      say("Your answers so far are saved.");
      // An answer revealed (or hid) a follow-up: show the page the server now asks for.
      var visible = result.visible || [];
      var same = visible.length === shown.length && visible.every(function (id) { return shown.indexOf(id) >= 0; });
      if (!same) window.location.reload();
    }).catch(function () {
      say("Not saved yet. Your answers are kept on this page; send them when you are done.");
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
