// Intacct Bridge: the little JavaScript the pages need (no framework, no CDN).
// Forms marked data-async="test-connection" post in the background and show the outcome as a toast.
(function () {
  "use strict";

  function toast(kind, title, text) {
    var box = document.getElementById("toasts");
    var el = document.createElement("div");
    el.className = "toast " + kind;
    el.setAttribute("role", "status");
    var strong = document.createElement("strong");
    strong.textContent = title;
    el.appendChild(strong);
    if (text) {
      var p = document.createElement("span");
      p.textContent = text;
      el.appendChild(p);
    }
    box.appendChild(el);
    setTimeout(function () { el.remove(); }, 15000);
    return el;
  }

  function prependHistory(result) {
    var body = document.querySelector("#test-history tbody");
    if (!body) return;
    var empty = body.querySelector("td[colspan]");
    if (empty) empty.parentNode.remove();
    var row = document.createElement("tr");
    row.className = result.ok ? "ok" : "fail";
    var when = document.createElement("td");
    when.textContent = result.ran_at.replace("T", " ").slice(0, 19) + " UTC";
    var who = document.createElement("td");
    who.textContent = result.who;
    var what = document.createElement("td");
    var strong = document.createElement("strong");
    strong.textContent = result.title;
    what.appendChild(strong);
    row.append(when, who, what);
    body.insertBefore(row, body.firstChild);
  }

  function submitAsync(form, event) {
    event.preventDefault();
    var button = form.querySelector("button");
    button.disabled = true;
    button.classList.add("busy");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    fetch(form.action, {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRFToken": token },
      credentials: "same-origin",
    })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (result) {
        var text = result.message + (result.remedy ? " " + result.remedy : "");
        toast(result.ok ? "success" : "error", result.title, text);
        prependHistory(result);
        var banner = document.getElementById("pause-banner");
        if (result.ok && banner) banner.remove();
      })
      .catch(function (err) { toast("error", "Test connection did not run", String(err)); })
      .finally(function () { button.disabled = false; button.classList.remove("busy"); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.async === "test-connection") submitAsync(form, event);
  });

  // buttons with data-confirm ask first (the Content-Security-Policy runs no inline onclick)
  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (el && !window.confirm(el.dataset.confirm)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  // server-side messages fade like the others
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("#toasts .toast").forEach(function (el) {
      setTimeout(function () { el.remove(); }, 15000);
    });
  });
})();
