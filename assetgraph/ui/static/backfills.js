// Backfills: each stored backfill with its status, request, progress and creation time,
// filtered by status; a row opens /backfills/{id}.
"use strict";

(async () => {
  const { el, main } = ag;
  const statuses = ["requested", "canceling", "canceled", "completed_success", "completed_failed", "failed"];
  const params = new URLSearchParams(window.location.search);
  const filter = el("select", { id: "backfill-status", "aria-label": "Status" },
    el("option", { value: "", text: "Any status" }),
    statuses.map((s) => el("option", { value: s, text: s.replace("_", " "), selected: params.get("status") === s || undefined })));
  const list = el("div", { id: "backfill-list" });
  main.append(el("h1", { text: "Backfills" }), el("div", { class: "controls" }, filter), list);

  async function render() {
    const query = filter.value ? `?status=${encodeURIComponent(filter.value)}` : "";
    const found = await ag.api(`/api/backfills${query}`);
    ag.clear(list);
    if (!found.length) {
      list.append(el("p", { class: "empty", id: "no-backfills", text: filter.value ? "No backfill with this status." : "No backfills yet." }),
        el("p", { class: "muted", text: "Launch one with 'assetgraph backfill launch --select ... --partition-range FIRST...LAST' or from Python (launch_backfill); 'assetgraph automate' carries it out." }));
      return;
    }
    list.append(ag.table(["Backfill", "Status", "Request", "Assets", "Progress", "Created"], found.map((b) => el("tr", { "data-backfill": b.backfill_id },
      el("td", {}, el("a", { href: `/backfills/${encodeURIComponent(b.backfill_id)}`, class: "mono", text: b.backfill_id })),
      el("td", {}, agBackfills.statusBadge(b.status)),
      el("td", { class: "mono small", text: b.selection }),
      el("td", {}, b.assets.slice(0, 4).map((a) => el("a", { href: ag.assetHref(a.asset), class: "key chip", text: a.asset })),
        b.assets.length > 4 ? el("span", { class: "muted small", text: `+${b.assets.length - 4} more` }) : ""),
      el("td", {}, agBackfills.progress(b.totals)),
      el("td", { class: "nowrap", title: ag.fmtTime(b.created_at), text: ag.fmtAgo(b.created_at) })))));
  }

  filter.addEventListener("change", async () => {
    const url = new URL(window.location.href);
    if (filter.value) url.searchParams.set("status", filter.value); else url.searchParams.delete("status");
    window.history.replaceState(null, "", url);
    try { await render(); } catch (error) { ag.showError(list, error); }
  });
  try {
    await render();
  } catch (error) {
    ag.showError(main, error);
  }
  document.body.dataset.ready = "true";
})();
