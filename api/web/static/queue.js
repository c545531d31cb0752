// The queue refreshes its rows every 5 seconds from /staff/queue/rows (same filters), so new
// cases appear without reloading. Without this script the queue is a plain page.
(function () {
  "use strict";
  var table = document.querySelector("table.queue[data-rows]");
  if (!table) return;
  var url = table.getAttribute("data-rows");

  function refresh() {
    if (document.hidden) return;
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (response.redirected) {  // the session ended: show the login page
          window.location.reload();
          return null;
        }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html === null) return;
        var holder = document.createElement("template");
        holder.innerHTML = html.trim();
        var rows = holder.content.querySelector("tbody");
        var current = table.querySelector("tbody");
        if (!rows || !current) return;
        current.replaceWith(rows);
        var total = document.getElementById("queue-total");
        if (total) total.textContent = rows.getAttribute("data-total");
      })
      .catch(function () { /* offline for a moment: try again at the next tick */ });
  }

  window.setInterval(refresh, 5000);
})();
