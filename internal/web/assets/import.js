// souk vendor portal: a product import running in the background. Every
// second the page asks how far it got (GET …/status, JSON) and moves the
// progress bar; when the import is over it loads the page again, which then
// shows what was done. Without this script the page refreshes itself every
// two seconds (Refresh header) and has a "Refresh" link.
(function () {
  var bar = document.getElementById("import-progress");
  var label = document.getElementById("import-percent");
  if (!bar || !window.fetch || !window.JSON) return;
  var url = bar.getAttribute("data-status");
  function tick() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.status === 404) { location.reload(); throw new Error("gone"); }
        if (!r.ok) throw new Error("status " + r.status);
        return r.json();
      })
      .then(function (s) {
        if (s.total > 0) { bar.max = s.total; bar.value = s.done; }
        if (label) label.textContent = s.percent + "%";
        if (s.finished) { location.reload(); return; }
        setTimeout(tick, 1000);
      })
      .catch(function (e) { if (e.message !== "gone") setTimeout(tick, 3000); });
  }
  setTimeout(tick, 1000);
})();
