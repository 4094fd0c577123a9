/* kaiku's one small script. Every page works without it; it only
 * shortens a flow: − and + buttons beside number fields, and forms marked
 * data-swap are posted in the background and the new page's <main> put in
 * place, focus where the server's autofocus says (no page load at the
 * box office). */
(function () {
  "use strict";

  function steppers(root) {
    root.querySelectorAll("input[type=number][data-dec]").forEach(function (input) {
      if (input.dataset.stepped) return;
      input.dataset.stepped = "1";
      var wrap = document.createElement("div");
      wrap.className = "stepper";
      input.parentNode.insertBefore(wrap, input);
      function button(text, label, delta) {
        var b = document.createElement("button");
        b.type = "button";
        b.textContent = text;
        b.setAttribute("aria-label", label);
        b.addEventListener("click", function () {
          var min = Number(input.min || 0), max = Number(input.max || 99);
          var v = Math.min(max, Math.max(min, (Number(input.value) || 0) + delta));
          input.value = String(v);
          input.dispatchEvent(new Event("change", { bubbles: true }));
        });
        return b;
      }
      wrap.appendChild(button("\u2212", input.dataset.dec, -1));
      wrap.appendChild(input);
      wrap.appendChild(button("+", input.dataset.inc, 1));
    });
  }

  function focusFirst(root) {
    var el = root.querySelector("[autofocus]") || root.querySelector("[role=alert]");
    if (!el) return;
    if (!el.hasAttribute("tabindex") && !/^(INPUT|BUTTON|SELECT|TEXTAREA|A)$/.test(el.tagName))
      el.setAttribute("tabindex", "-1");
    el.focus();
    if (el.tagName === "INPUT" && el.type === "text") el.select();
  }

  function swap(form, submitter) {
    if (form.dataset.busy) return;
    form.dataset.busy = "1";
    var data = new URLSearchParams();
    new FormData(form).forEach(function (v, k) { data.append(k, v); });
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin",
                         headers: { "Content-Type": "application/x-www-form-urlencoded" } })
      .then(function (res) {
        var here = location.pathname;
        if (new URL(res.url).pathname !== here) { location.assign(res.url); return null; }
        return res.text();
      })
      .then(function (text) {
        if (text === null) return;
        var doc = new DOMParser().parseFromString(text, "text/html");
        var main = doc.querySelector("main");
        if (!main) { location.reload(); return; }
        document.querySelector("main").replaceWith(main);
        document.title = doc.title;
        init(main);
        focusFirst(main);
      })
      .catch(function () { delete form.dataset.busy; form.submit(); });
  }

  function init(root) {
    steppers(root);
    root.querySelectorAll("form[data-swap]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        if (!window.fetch || !window.DOMParser) return;
        e.preventDefault();
        swap(form, e.submitter);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
})();
