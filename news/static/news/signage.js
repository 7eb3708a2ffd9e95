// The centre's electronic board: rotates the slides, refreshes today's figures and the slides
// themselves, and keeps going for weeks. What it does not do, on purpose:
// - no setInterval and no listener added after start: one timer chain per task, one "online"
//   listener, so nothing accumulates;
// - no node added for the figures: their text is replaced in place;
// - the slides are replaced as a whole (replaceChildren) when the editor's content is fetched.
// A failed request is retried with a growing delay (2 s, 4 s … at most 60 s, with jitter) and
// the board keeps showing the last figures with their time.
(function () {
  "use strict";
  var body = document.body;
  var slides = document.getElementById("slides");
  var status = document.getElementById("board-status");
  var clock = document.getElementById("board-clock");
  var date = document.getElementById("board-date");
  var seconds = Math.max(5, parseInt(body.dataset.seconds, 10) || 12);
  var figuresUrl = body.dataset.figuresUrl;
  var figuresEvery = (parseInt(body.dataset.figuresRefresh, 10) || 30) * 1000;
  var contentUrl = body.dataset.contentUrl;
  var contentEvery = (parseInt(body.dataset.contentRefresh, 10) || 300) * 1000;
  var current = 0;
  var lastFigures = null;
  var tasks = {};

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function tick() {
    var now = new Date();
    clock.textContent = pad(now.getHours()) + ":" + pad(now.getMinutes());
    date.textContent = pad(now.getDate()) + "/" + pad(now.getMonth() + 1) + "/" + now.getFullYear();
  }

  function show(index) {
    var all = slides.children;
    if (!all.length) return;
    current = index % all.length;
    for (var i = 0; i < all.length; i++) all[i].hidden = i !== current;
    body.dataset.slide = String(current);
  }

  function rotate() {
    tick();
    show(current + 1);
    window.setTimeout(rotate, seconds * 1000);
  }

  function number(value, unit) {
    if (value === null || value === undefined) return "—";
    var text = typeof value === "number" ? value.toLocaleString("vi-VN") : String(value);
    return unit ? text + unit : text;
  }

  function paintFigures() {
    if (!lastFigures) return;
    var cells = slides.querySelectorAll("[data-figure]");
    for (var i = 0; i < cells.length; i++) {
      var key = cells[i].dataset.figure;
      if (key === "as_of") {
        var at = new Date(lastFigures.as_of);
        cells[i].textContent = pad(at.getHours()) + ":" + pad(at.getMinutes()) + ":" + pad(at.getSeconds());
      } else {
        cells[i].textContent = number(lastFigures[key], cells[i].dataset.unit);
      }
    }
  }

  function request(url, kind) {
    var controller = new AbortController();
    var timer = window.setTimeout(function () { controller.abort(); }, 10000);
    return fetch(url, { signal: controller.signal, cache: "no-store", headers: { Accept: kind } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return kind === "application/json" ? response.json() : response.text();
      })
      .finally(function () { window.clearTimeout(timer); });
  }

  // A task runs now and again after `every` ms; after a failure, after a growing delay.
  function schedule(name, run, every) {
    var task = { failures: 0, timer: null };
    tasks[name] = task;
    function next(delay) {
      window.clearTimeout(task.timer);
      task.timer = window.setTimeout(go, delay);
    }
    function go() {
      run().then(
        function () { task.failures = 0; status.classList.remove("offline"); next(every); },
        function () {
          task.failures += 1;
          status.classList.add("offline");
          status.textContent = status.dataset.offline || status.textContent;
          var backoff = Math.min(60000, 2000 * Math.pow(2, task.failures - 1));
          next(backoff / 2 + Math.random() * backoff / 2);
        }
      );
    }
    task.now = function () { next(0); };
    next(0);
  }

  function loadFigures() {
    return request(figuresUrl, "application/json").then(function (data) {
      lastFigures = data;
      paintFigures();
      status.textContent = status.dataset.online || status.textContent;
    });
  }

  function loadContent() {
    return request(contentUrl, "text/html").then(function (html) {
      var template = document.createElement("template");
      template.innerHTML = html;
      var fresh = template.content;
      if (!fresh.querySelector(".slide")) return;
      slides.replaceChildren(fresh);
      paintFigures();
      show(Math.min(current, slides.children.length - 1));
    });
  }

  status.dataset.online = status.textContent;
  status.dataset.offline = body.dataset.offlineText || "Mất kết nối mạng, đang thử lại…";
  show(0);
  tick();
  window.setTimeout(rotate, seconds * 1000);
  if (figuresUrl) schedule("figures", loadFigures, figuresEvery);
  window.setTimeout(function () { schedule("content", loadContent, contentEvery); }, contentEvery);
  window.addEventListener("online", function () {
    for (var name in tasks) if (tasks[name].failures) tasks[name].now();
  });
})();
