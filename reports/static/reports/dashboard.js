// The dashboard's charts (bảng số liệu): one bar chart per figure series the page carries
// (json_script); the table beside each chart holds the same figures for screen readers.
(function () {
  "use strict";
  var COLOURS = ["#0b4f9c", "#a81414", "#1d6b2f", "#8a5a00"];
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.reportChart);
    if (!source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var format = new Intl.NumberFormat("vi-VN");
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s, i) {
          return { label: s.label, data: s.data, backgroundColor: COLOURS[i % COLOURS.length] };
        }),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { callback: function (v) { return format.format(v); } } } },
        plugins: { legend: { position: "bottom" } },
      },
    });
  }
  document.querySelectorAll("canvas[data-report-chart]").forEach(draw);
})();
