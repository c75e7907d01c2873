// The runs list: filters (status, asset, partition, tag, launched by) kept in the URL, the
// partitions each run builds, who launched it; refreshes while runs are going.
"use strict";

(async () => {
  const { el, main } = ag;
  const params = new URLSearchParams(window.location.search);
  const statusFilter = el(
    "select", { id: "run-status", "aria-label": "Run status" },
    ["", "queued", "started", "success", "failure", "canceled"].map((s) => el("option", { value: s, text: s || "All statuses" }))
  );
  statusFilter.value = params.get("status") || "";
  const input = (id, label, placeholder) => el("input", { id, "aria-label": label, placeholder, value: params.get(id.replace("run-", "")) || "" });
  const assetFilter = input("run-asset", "Asset", "asset key");
  const partitionFilter = input("run-partition", "Partition", "partition key");
  const tagFilter = input("run-tag", "Tag", "tag KEY=VALUE");
  const launcherFilter = el(
    "select", { id: "run-launched-by", "aria-label": "Launched by" },
    [["", "Anyone"], ["cli", "CLI / API"], ["ui", "UI"], ["automation", "automation"], ["re-execution", "re-execution"], ["backfill", "backfill"]]
      .map(([v, t]) => el("option", { value: v, text: t }))
  );
  launcherFilter.value = params.get("launched_by") || "";
  const apply = el("button", { id: "run-filter", type: "submit", text: "Filter" });
  const form = el("form", { class: "controls", id: "run-filters" }, statusFilter, assetFilter, partitionFilter, tagFilter, launcherFilter, apply);
  const message = el("div", { id: "runs-message" });
  const body = el("tbody", {});
  main.append(
    el("h1", { text: "Runs" }),
    form,
    message,
    el("table", { id: "runs" },
      el("thead", {}, el("tr", {}, ["Run", "Status", "Selection", "Partitions", "Launched by", "Started", "Duration"].map((h) => el("th", { text: h })))),
      body)
  );
  let timer = null;

  function query() {
    const q = new URLSearchParams();
    if (statusFilter.value) q.set("status", statusFilter.value);
    if (assetFilter.value.trim()) q.set("asset", assetFilter.value.trim());
    if (partitionFilter.value.trim()) q.set("partition", partitionFilter.value.trim());
    if (tagFilter.value.trim()) q.set("tag", tagFilter.value.trim());
    if (launcherFilter.value) q.set("launched_by", launcherFilter.value);
    return q;
  }

  async function load() {
    clearTimeout(timer);
    let runs;
    const q = query();
    try {
      runs = await ag.api(`/api/runs?limit=100&${q}`);
    } catch (error) {
      ag.clear(message);
      ag.showError(message, error);
      ag.clear(body);
      document.body.dataset.ready = "true";
      return;
    }
    ag.clear(message);
    const now = Date.now() / 1000;
    ag.clear(body);
    if (!runs.length) body.append(el("tr", {}, el("td", { colspan: 7, class: "muted", text: q.toString() ? "No runs match these filters." : "No runs yet." })));
    for (const run of runs) {
      const running = run.ended_at === null;
      const duration = run.duration !== null ? run.duration : run.started_at ? now - run.started_at : null;
      body.append(el("tr", { "data-run-id": run.run_id, "data-status": run.status },
        el("td", {}, el("a", { href: ag.runHref(run.run_id), class: "mono", text: run.run_id.slice(0, 8) })),
        el("td", {}, ag.badge(run.status, "run")),
        el("td", { class: "mono", text: run.selection }),
        el("td", { class: "mono", text: run.partitions || "—" }),
        el("td", { class: "launched-by", text: run.launched_by }),
        el("td", { class: "nowrap", title: ag.fmtTime(run.started_at), text: ag.fmtAgo(run.started_at || run.created_at, now) }),
        el("td", { class: "nowrap", text: ag.fmtDuration(duration) + (running ? " (running)" : "") })
      ));
    }
    document.body.dataset.ready = "true";
    if (runs.some((r) => r.ended_at === null)) timer = setTimeout(load, 2000);
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const q = query().toString();
    window.history.replaceState(null, "", q ? `/runs?${q}` : "/runs");
    load();
  });
  statusFilter.addEventListener("change", () => form.requestSubmit());
  launcherFilter.addEventListener("change", () => form.requestSubmit());
  load();
})();
