// Live updates for the dashboard's today page, and the numbers page's select-all box, with
// no build step and no library.
// Every element with data-live="URL" is refreshed from URL every data-poll-ms milliseconds:
// the server renders (and escapes) the fragment with the same template as the page, and this
// script only swaps it in when it changed. A 401 means the session ended: reload to sign in.
(function () {
  "use strict";
  function follow(region) {
    var url = region.getAttribute("data-live");
    var every = parseInt(region.getAttribute("data-poll-ms"), 10) || 5000;
    var last = null;
    function tick() {
      fetch(url, {credentials: "same-origin", cache: "no-store"})
        .then(function (response) {
          if (response.status === 401) {
            window.location.reload();
            return null;
          }
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (html !== null && html !== last) {
            last = html;
            region.innerHTML = html;
            region.removeAttribute("data-stale");
            region.setAttribute("data-updated", new Date().toISOString());
          }
        })
        .catch(function () { region.setAttribute("data-stale", "true"); })
        .then(function () { setTimeout(tick, every); });
    }
    setTimeout(tick, every);
  }
  document.querySelectorAll("[data-live]").forEach(follow);
  // A box with data-select-all="NAME" ticks or clears every box of that name in its form.
  document.querySelectorAll("input[data-select-all]").forEach(function (all) {
    all.addEventListener("change", function () {
      var name = all.getAttribute("data-select-all");
      all.form.querySelectorAll("input[name='" + name + "']").forEach(function (box) {
        box.checked = all.checked;
      });
    });
  });
})();
