// 热线统计: offered and answered calls by hour, and the answer rate, drawn with the vendored ECharts from the
// figures the page writes with json_script (no inline script: the console's Content-Security-Policy forbids it).
(function () {
  function draw() {
    var el = document.getElementById("hotline-chart");
    var source = document.getElementById("hotline-chart-data");
    if (!el || !source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    if (!data.labels.length) return;
    el.style.height = "320px";
    var chart = echarts.init(el);
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: "axis" },
      legend: { data: [data.names.offered, data.names.answered, data.names.rate] },
      xAxis: { type: "category", data: data.labels },
      yAxis: [
        { type: "value", name: data.names.calls, minInterval: 1 },
        { type: "value", name: data.names.rate, min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      ],
      series: [
        { name: data.names.offered, type: "bar", data: data.offered },
        { name: data.names.answered, type: "bar", data: data.answered },
        { name: data.names.rate, type: "line", yAxisIndex: 1, data: data.rate },
      ],
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
