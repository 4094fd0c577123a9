// The venue's event form (src/web/venue_events.c): R15's lowest cap beside
// the cap field, worked out again as the capacity, kind and guest producer
// change, by the server's own rule (GET /venue/events/minimum). Without
// this script the form's "recompute" button does the same.
(function () {
  'use strict';
  var form = document.getElementById('event-form');
  var out = document.getElementById('cap-minimum');
  if (!form || !out || !window.fetch || !window.DOMParser) return;
  var timer = null;
  function update() {
    var q = new URLSearchParams();
    q.set('capacity', form.elements.capacity.value);
    q.set('kind', form.elements.kind.value);
    if (form.elements.guest_producer.checked) q.set('guest_producer', 'on');
    fetch('/venue/events/minimum?' + q.toString(), { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var p = new DOMParser().parseFromString(html, 'text/html').getElementById('cap-minimum');
        if (p && p.textContent !== out.textContent) out.textContent = p.textContent;
      })
      .catch(function () { /* the button still works */ });
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(update, 250);
  }
  form.elements.capacity.addEventListener('input', later);
  form.elements.kind.addEventListener('change', later);
  form.elements.guest_producer.addEventListener('change', later);
})();
