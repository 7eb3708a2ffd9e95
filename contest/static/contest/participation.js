// Số liệu tham gia: one bar chart per breakdown (commune, group, age band) from the figures the
// page carries (json_script); the table beside each chart holds the same figures for screen readers.
(function () {
  "use strict";
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.participationChart);
    if (!source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{ label: canvas.dataset.label, data: data.values, backgroundColor: "#a81414" }],
      },
      options: {
        animation: false,
        responsive: true,
        indexAxis: data.labels.length > 6 ? "y" : "x",
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true }, y: { beginAtZero: true } },
      },
    });
  }
  document.querySelectorAll("canvas[data-participation-chart]").forEach(draw);
})();
