// souk vendor portal: live sales. Each sale the server announces (server-
// sent events, see /vendor/live/events) is put at the top of the list; the
// browser reconnects by itself and says which sale it saw last.
(function () {
  var list = document.getElementById("sales");
  var state = document.getElementById("live-state");
  if (!list || !window.EventSource) return;
  var src = new EventSource("/vendor/live/events?after=" + encodeURIComponent(list.dataset.last || "0"));
  src.addEventListener("open", function () { state.textContent = state.dataset.on; });
  src.addEventListener("error", function () { state.textContent = state.dataset.off; });
  src.addEventListener("sale", function (e) {
    var s = JSON.parse(e.data);
    var li = document.createElement("li");
    li.className = "sale new";
    var strong = document.createElement("strong");
    strong.textContent = s.Amount;
    li.appendChild(strong);
    [s.Number, s.Channel, s.Status, s.Placed].forEach(function (t) {
      var span = document.createElement("span");
      span.textContent = t;
      li.appendChild(document.createTextNode(" "));
      li.appendChild(span);
    });
    var empty = document.getElementById("no-sales");
    if (empty) empty.remove();
    list.insertBefore(li, list.firstChild);
  });
})();
