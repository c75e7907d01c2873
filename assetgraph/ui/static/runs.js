// The runs list: status, selection, partitions and duration; refreshes while runs are going.
"use strict";

(async () => {
  const { el, main } = ag;
  const statusFilter = el(
    "select", { id: "run-status", "aria-label": "Run status" },
    ["", "queued", "started", "success", "failure", "canceled"].map((s) => el("option", { value: s, text: s || "All statuses" }))
  );
  const body = el("tbody", {});
  main.append(
    el("h1", { text: "Runs" }),
    el("div", { class: "controls" }, statusFilter),
    el("table", { id: "runs" },
      el("thead", {}, el("tr", {}, ["Run", "Status", "Selection", "Partitions", "Started", "Duration"].map((h) => el("th", { text: h })))),
      body)
  );
  let timer = null;

  async function load() {
    clearTimeout(timer);
    let runs;
    try {
      const query = statusFilter.value ? `&status=${encodeURIComponent(statusFilter.value)}` : "";
      runs = await ag.api(`/api/runs?limit=100${query}`);
    } catch (error) {
      ag.showError(main, error);
      return;
    }
    const now = Date.now() / 1000;
    ag.clear(body);
    if (!runs.length) body.append(el("tr", {}, el("td", { colspan: 6, class: "muted", text: "No runs yet." })));
    for (const run of runs) {
      const running = run.ended_at === null;
      const duration = run.duration !== null ? run.duration : run.started_at ? now - run.started_at : null;
      body.append(el("tr", { "data-run-id": run.run_id, "data-status": run.status },
        el("td", {}, el("a", { href: ag.runHref(run.run_id), class: "mono", text: run.run_id.slice(0, 8) })),
        el("td", {}, ag.badge(run.status, "run")),
        el("td", { class: "mono", text: run.selection }),
        el("td", { class: "mono", text: run.partitions }),
        el("td", { title: ag.fmtTime(run.started_at), text: ag.fmtAgo(run.started_at || run.created_at, now) }),
        el("td", { text: ag.fmtDuration(duration) + (running ? " (running)" : "") })
      ));
    }
    document.body.dataset.ready = "true";
    if (runs.some((r) => r.ended_at === null)) timer = setTimeout(load, 2000);
  }
  statusFilter.addEventListener("change", load);
  load();
})();
