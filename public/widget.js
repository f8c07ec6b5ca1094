// Soundings in-product panel. Put on the team's own pages for a signed-in user:
//   <script src="https://SOUNDINGS/widget.js" data-survey="KEY"
//           data-email="ada@example.org" data-signature="HMAC-SHA256 hex" async></script>
// It adds one frame, from Soundings' origin, that stays hidden unless Soundings has a
// survey for this person; it sets no cookie and injects no style sheet (only the frame's
// own style properties, which a strict Content-Security-Policy allows).
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !window.postMessage) return;
  var key = me.getAttribute("data-survey");
  var email = me.getAttribute("data-email");
  var signature = me.getAttribute("data-signature");
  if (!key || !email || !signature) return;
  var origin = new URL(me.src, document.baseURI).origin;
  var frame = document.createElement("iframe");
  frame.src = origin + "/w/" + encodeURIComponent(key) + "?email=" + encodeURIComponent(email) +
    "&signature=" + encodeURIComponent(signature);
  frame.title = me.getAttribute("data-title") || "Feedback survey";
  frame.setAttribute("data-soundings-panel", "");
  var height = 0;
  var style = frame.style;
  style.position = "fixed";
  style.zIndex = "2147483000";
  style.border = "0";
  style.borderRadius = "12px";
  style.boxShadow = "0 12px 40px rgba(15, 23, 42, 0.28)";
  style.display = "none";
  style.colorScheme = "normal";

  // A phone gets a sheet along the bottom; a wider screen a panel in the corner.
  function place() {
    var narrow = window.innerWidth < 480;
    var margin = narrow ? 8 : 20;
    style.right = margin + "px";
    style.bottom = margin + "px";
    style.width = (narrow ? window.innerWidth - 2 * margin : 380) + "px";
    style.height = Math.min(height || 420, Math.round(window.innerHeight * (narrow ? 0.6 : 0.7))) + "px";
  }

  // Where focus was before the person went into the panel, to give it back on close.
  var before = null;
  document.addEventListener("focusin", function (event) {
    if (event.target !== frame) before = event.target;
  });

  function remove() {
    var inside = document.activeElement === frame;
    frame.parentNode && frame.parentNode.removeChild(frame);
    window.removeEventListener("resize", place);
    if (!inside) return;
    if (before && document.contains(before) && before.focus) before.focus();
    else if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    var data = event.data || {};
    if (data.type === "soundings:show") {
      height = Number(data.height) || height;
      place();
      style.display = "block";
    } else if (data.type === "soundings:close") {
      remove();
    }
  });
  window.addEventListener("resize", place);

  function attach() { document.body.appendChild(frame); place(); }
  if (document.body) attach(); else document.addEventListener("DOMContentLoaded", attach);
})();
