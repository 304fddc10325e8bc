/* fawang: the supervision dashboard's charts (ECharts, vendored). CSP forbids inline script, so the page only
   names the data: #insights-charts[data-src] is the JSON endpoint (insights:data), each [data-chart] a chart
   ("trend", "item", "topic", "channel"). Every point carries the address of the matters behind it; clicking a
   point opens them. The numbers are also in the page's tables, so nothing is lost without JavaScript. */
(function () {
  "use strict";
  var root = document.getElementById("insights-charts");
  if (!root || typeof window.echarts === "undefined") return;
  var charts = [];

  function open(url) { if (url) window.location.href = url; }

  function trend(el, data) {
    var t = data.trend;
    var chart = window.echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: ["受理登记", "办结", "超期", "上年同期受理"] },
      grid: { left: 40, right: 16, bottom: 30, top: 40 },
      xAxis: { type: "category", data: t.labels },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "受理登记", type: "line", data: t.received, smooth: true },
        { name: "办结", type: "line", data: t.completed, smooth: true },
        { name: "超期", type: "bar", data: t.overdue },
        { name: "上年同期受理", type: "line", data: t.received_year_before, lineStyle: { type: "dashed" } }
      ]
    });
    chart.on("click", function () { open(t.url); });
    return chart;
  }

  function bars(el, rows) {
    var chart = window.echarts.init(el);
    var top = rows.slice(0, 12).reverse();
    chart.setOption({
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var r = top[p.dataIndex];
          var sat = r.satisfaction === null ? "—" : (r.satisfaction * 100).toFixed(1) + "%";
          var ot = r.on_time_rate === null ? "—" : (r.on_time_rate * 100).toFixed(1) + "%";
          return r.name + "<br>受理 " + r.received + "，按时办结率 " + ot + "，满意率 " + sat;
        }
      },
      grid: { left: 100, right: 24, bottom: 20, top: 10 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: top.map(function (r) { return r.name; }) },
      series: [{ type: "bar", data: top.map(function (r) { return r.received; }) }]
    });
    chart.on("click", function (p) { open(top[p.dataIndex].url); });
    return chart;
  }

  function pie(el, rows) {
    var chart = window.echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
      series: [{
        type: "pie", radius: ["35%", "70%"],
        data: rows.map(function (r) { return { name: r.name, value: r.received, url: r.url }; })
      }]
    });
    chart.on("click", function (p) { open(p.data && p.data.url); });
    return chart;
  }

  fetch(root.getAttribute("data-src"), { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
    .then(function (data) {
      root.querySelectorAll("[data-chart]").forEach(function (el) {
        var kind = el.getAttribute("data-chart");
        if (kind === "trend") charts.push(trend(el, data));
        else if (kind === "channel") charts.push(pie(el, data.mix.channel));
        else if (data.mix[kind]) charts.push(bars(el, data.mix[kind]));
        el.setAttribute("data-ready", "1");
      });
    })
    .catch(function () {
      root.querySelectorAll("[data-chart]").forEach(function (el) { el.textContent = "图表数据加载失败，请刷新页面。"; });
    });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
