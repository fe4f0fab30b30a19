// Spare-part demand chart: history and forecast, fetched as JSON (no inline script).
(function () {
  "use strict";
  const canvas = document.getElementById("forecast-chart");
  if (!canvas || typeof Chart === "undefined") return;
  fetch(canvas.dataset.url, {credentials: "same-origin"})
    .then((response) => response.json())
    .then((data) => {
      const pad = data.labels.length - data.history.length;
      const history = data.history.concat(new Array(pad).fill(null));
      const forecast = new Array(data.history.length).fill(null).concat(data.forecast);
      new Chart(canvas, {
        type: "bar",
        data: {
          labels: data.labels,
          datasets: [
            {type: "bar", label: canvas.dataset.history, data: history, backgroundColor: "#0d6efd"},
            {type: "line", label: canvas.dataset.forecast, data: forecast, borderColor: "#fd7e14", pointRadius: 0},
          ],
        },
        options: {responsive: true, scales: {y: {beginAtZero: true}}},
      });
    });
})();
