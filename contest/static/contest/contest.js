/* Cuộc thi trực tuyến: the attempt page. Each answer is sent as it is chosen (htmx), with the
   taker's own counter ``seq`` so that a retry or an overtaken save changes nothing on the server;
   a save that did not reach the server is retried. The countdown runs from the seconds left the
   server computed from the attempt's end (no client clock decides anything); at zero the page
   submits what was saved. */
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn); }

  ready(function () {
    var countdown = document.getElementById("countdown");
    if (!countdown) return;
    document.documentElement.classList.add("js-on");
    var clock = document.getElementById("clock");
    var answered = document.getElementById("answered");
    var submitForm = document.getElementById("submit-form");
    var left = parseInt(countdown.getAttribute("data-seconds-left"), 10) || 0;
    var deadline = Date.now() + left * 1000;
    var finished = false;

    function pad(n) { return (n < 10 ? "0" : "") + n; }
    function tick() {
      var s = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      clock.textContent = pad(Math.floor(s / 60)) + ":" + pad(s % 60);
      if (s <= 60) countdown.classList.add("warning");
      if (s === 60 || s === 10) clock.setAttribute("aria-live", "assertive");
      if (s === 0 && !finished) {
        finished = true;
        clock.textContent = countdown.getAttribute("data-time-up");
        document.querySelectorAll(".question input").forEach(function (i) { i.disabled = true; });
        submitForm.dataset.timeUp = "1";
        if (submitForm.requestSubmit) submitForm.requestSubmit(); else submitForm.submit();
        return;
      }
      if (!finished) window.setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
    }
    tick();

    function countAnswered() {
      var n = 0;
      document.querySelectorAll("form.question:not(.prediction)").forEach(function (f) {
        if (f.querySelector("input[name=choice]:checked")) n += 1;
      });
      answered.textContent = n;
      return n;
    }

    document.body.addEventListener("htmx:configRequest", function (e) {
      var form = e.detail.elt;
      var seq = form.querySelector && form.querySelector("input[name=seq]");
      if (seq) {
        e.detail.parameters.seq = seq.value;
        seq.value = String(parseInt(seq.value, 10) + 1);
      }
      var slot = form.querySelector && form.querySelector(".save-slot");
      if (slot) slot.innerHTML = '<span class="save-state">…</span>';
    });
    document.body.addEventListener("change", function (e) {
      if (e.target.closest && e.target.closest("form.question")) countAnswered();
    });
    // A refusal (4xx) is a message for the taker, shown where the save is.
    document.body.addEventListener("htmx:beforeSwap", function (e) {
      var status = e.detail.xhr.status;
      if (status >= 400 && status < 500) {
        e.detail.shouldSwap = true;
        e.detail.isError = false;
        var code = /data-code="([a-z_]+)"/.exec(e.detail.xhr.responseText || "");
        if (code && (code[1] === "attempt_closed" || code[1] === "too_late")) {
          window.setTimeout(function () { window.location.reload(); }, 2500);
        }
      }
    });
    // No answer from the server (a dropped connection, a 5xx): say so and send it again.
    function retry(e) {
      var form = e.detail.elt;
      if (!form || !form.classList || !form.classList.contains("question")) return;
      var slot = form.querySelector(".save-slot");
      if (slot) slot.innerHTML = '<span class="save-state save-pending" role="alert">' + (countdown.getAttribute("data-retry") || "Chưa lưu được, đang thử lại…") + "</span>";
      window.setTimeout(function () { if (!finished) window.htmx.trigger(form, "change"); }, 3000);
    }
    document.body.addEventListener("htmx:sendError", retry);
    document.body.addEventListener("htmx:responseError", function (e) { if (e.detail.xhr.status >= 500) retry(e); });

    submitForm.addEventListener("submit", function (e) {
      if (submitForm.dataset.timeUp) return;
      var total = parseInt(answered.getAttribute("data-total"), 10) || 0;
      var missing = total - countAnswered();
      if (missing > 0 && !window.confirm(submitForm.getAttribute("data-confirm").replace("%(n)s", missing))) {
        e.preventDefault();
      }
    });
  });
})();
