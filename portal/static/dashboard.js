// Service dashboard charts: a Pareto of fault causes and failure rates by model over time.
// The figures come from the data-chart attribute (JSON); no inline script (CSP).
(function () {
  "use strict";
  const holder = document.getElementById("dashboard-charts");
  if (!holder || typeof Chart === "undefined") return;
  const data = JSON.parse(holder.dataset.chart);
  const colours = ["#0d6efd", "#dc3545", "#198754", "#fd7e14", "#6f42c1", "#20c997"];
  new Chart(document.getElementById("pareto-chart"), {
    type: "bar",
    data: {
      labels: data.pareto.labels,
      datasets: [
        {type: "bar", label: data.pareto.countLabel, data: data.pareto.counts, backgroundColor: "#0d6efd", yAxisID: "y", order: 1},
        {type: "line", label: data.pareto.cumulativeLabel, data: data.pareto.cumulative, borderColor: "#dc3545",
         backgroundColor: "#dc3545", yAxisID: "pct", order: 0},
      ],
    },
    options: {responsive: true, animation: false,
      scales: {y: {beginAtZero: true, grace: "10%", ticks: {precision: 0}}, pct: {position: "right", min: 0, max: 100, grid: {drawOnChartArea: false}}}},
  });
  function rates(id, trend) {
    new Chart(document.getElementById(id), {
      type: "line",
      data: {
        labels: trend.labels,
        datasets: trend.series.map((s, i) => ({label: s.label, data: s.data, spanGaps: true,
          borderColor: colours[i % colours.length], backgroundColor: colours[i % colours.length]})),
      },
      options: {responsive: true, animation: false,
        scales: {y: {beginAtZero: true, title: {display: true, text: trend.yLabel}}}},
    });
  }
  rates("trend-chart", data.trend);
  rates("batch-chart", data.batches);
})();
