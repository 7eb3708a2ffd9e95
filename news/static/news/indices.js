// Reform indices: one line chart per index from the figures the page carries (json_script); the
// table beside each chart holds the same figures for screen readers.
(function () {
  "use strict";
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.indexChart);
    if (!source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.years,
        datasets: [{ label: canvas.dataset.label, data: data.scores, borderColor: "#a81414", backgroundColor: "#a81414", tension: 0.2 }],
      },
      options: {
        animation: false,
        responsive: true,
        plugins: { legend: { display: false } },
        scales: { y: { suggestedMin: 0, suggestedMax: 100 } },
      },
    });
  }
  document.querySelectorAll("canvas[data-index-chart]").forEach(draw);
})();
