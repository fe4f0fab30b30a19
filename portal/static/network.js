// Service network: the station-performance chart, drawn from the figures the page carries in
// data-chart (no inline script).
(() => {
  const canvas = document.getElementById("performance-chart");
  if (!canvas || !window.Chart) return;
  const data = JSON.parse(canvas.dataset.chart);
  const format = new Intl.NumberFormat(document.documentElement.lang || undefined, { maximumFractionDigits: 1 });
  new window.Chart(canvas, {
    type: "bar",
    data,
    options: {
      responsive: true,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, max: 100, ticks: { callback: (value) => `${format.format(value)} %` } } },
      plugins: {
        tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${format.format(ctx.parsed.y)} %` } },
      },
    },
  });
})();
