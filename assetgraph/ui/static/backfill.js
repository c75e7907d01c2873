// One backfill: its request and status, cancel and resume (each after a confirmation),
// progress per asset (done, failed, in flight, remaining partitions, failed ranges) and
// its runs. While the daemon works on it, the page refreshes itself every few seconds.
"use strict";

(async () => {
  const { el, main } = ag;
  const backfillId = ag.page.backfillId;
  const REFRESH_MS = 4000;
  const head = el("div", { id: "backfill-head" });
  const assetsPanel = el("section", { id: "backfill-assets", class: "panel" });
  const runsPanel = el("section", { id: "backfill-runs", class: "panel" });
  const actions = el("div", { class: "controls", id: "backfill-actions" });
  main.append(head, actions, assetsPanel, runsPanel);
  let timer = null;

  async function act(verb, question) {
    if (!window.confirm(question)) return;
    for (const b of actions.querySelectorAll("button")) b.disabled = true;
    try {
      render(await ag.post(`/api/backfills/${encodeURIComponent(backfillId)}/${verb}`, {}));
    } catch (error) {
      ag.showError(actions, error);
      for (const b of actions.querySelectorAll("button")) b.disabled = false;
    }
  }

  function render(b) {
    ag.clear(head).append(
      el("p", { class: "small" }, el("a", { href: "/backfills", text: "Backfills" }), " ›"),
      el("h1", {}, el("span", { class: "mono", text: `Backfill ${b.backfill_id}` }), " ", el("span", { id: "backfill-status" }, agBackfills.statusBadge(b.status))),
      el("dl", { class: "facts" },
        el("dt", { text: "Request" }), el("dd", { class: "mono", text: b.selection }),
        el("dt", { text: "Progress" }), el("dd", { id: "backfill-progress" }, agBackfills.progress(b.totals)),
        el("dt", { text: "Created" }), el("dd", { text: ag.fmtTime(b.created_at) }),
        el("dt", { text: "Updated" }), el("dd", { text: ag.fmtTime(b.updated_at) }),
        el("dt", { text: "Runs at a time" }), el("dd", { text: `at most ${b.max_concurrent_runs}; ${b.runs_in_flight.length} in flight` }),
        Object.keys(b.tags).length ? [el("dt", { text: "Tags" }), el("dd", {}, Object.entries(b.tags).map(([k, v]) => el("span", { class: "tag", text: `${k}=${v}` })))] : []),
      b.error ? el("pre", { class: "error", id: "backfill-error", text: b.error }) : "");
    const partitions = b.totals.target;
    ag.clear(actions).append(
      b.can_cancel ? el("button", { type: "button", id: "cancel-backfill", text: "Cancel backfill",
        onclick: () => act("cancel", `Cancel backfill ${b.backfill_id}? No new runs are launched and queued runs are canceled; started runs finish.`) }) : "",
      b.can_resume ? el("button", { type: "button", id: "resume-backfill", text: "Resume backfill",
        onclick: () => act("resume", `Resume backfill ${b.backfill_id}? ${b.totals.remaining + b.totals.failed} of ${partitions} partition(s) are launched again by the daemon.`) }) : "",
      b.status === "canceling" ? el("span", { class: "muted small", text: "Canceling: no new runs; canceled once its started runs end." }) : "");

    ag.clear(assetsPanel).append(el("h2", { text: `Assets (${b.assets.length})` }),
      ag.table(["Asset", "Progress", "Done", "Failed", "In flight", "Remaining", "Partitions", "Failed partitions"], b.assets.map((a) => el("tr", { "data-asset": a.asset },
        el("td", {}, el("a", { href: ag.assetHref(a.asset), class: "key", text: a.asset })),
        el("td", {}, agBackfills.progress(a)),
        el("td", { class: "done", text: String(a.done) }), el("td", { class: "failed", text: String(a.failed) }),
        el("td", { class: "in-flight", text: String(a.in_progress) }), el("td", { class: "remaining", text: String(a.remaining) }),
        el("td", { class: "mono small", text: a.target_ranges.join(", ") || "(unpartitioned)" }),
        el("td", { class: "mono small error", text: a.failed_ranges.join(", ") })))));

    ag.clear(runsPanel).append(el("h2", { text: `Runs (${b.runs.length})` }));
    if (!b.runs.length) {
      runsPanel.append(el("p", { class: "muted", id: "no-backfill-runs", text: b.status === "requested" ? "No run yet: 'assetgraph automate' launches them at its next tick." : "No runs." }));
    } else {
      runsPanel.append(ag.table(["Run", "Status", "Assets", "Partitions", "Created", "Duration"], b.runs.map((r) => el("tr", { "data-run": r.run_id },
        el("td", {}, el("a", { href: ag.runHref(r.run_id), class: "mono", text: r.run_id.slice(0, 8) })),
        el("td", {}, ag.badge(r.status, "run")),
        el("td", { class: "small", text: r.asset_keys.join(", ") }),
        el("td", { class: "mono small", text: r.partitions }),
        el("td", { class: "nowrap", text: ag.fmtTime(r.created_at) }),
        el("td", { text: ag.fmtDuration(r.duration) })))));
    }
    window.clearTimeout(timer);
    if (b.status === "requested" || b.status === "canceling") timer = window.setTimeout(refresh, REFRESH_MS);
  }

  async function refresh() {
    try {
      render(await ag.api(`/api/backfills/${encodeURIComponent(backfillId)}`));
    } catch (error) {
      ag.showError(main, error);
    }
  }

  await refresh();
  document.body.dataset.ready = "true";
})();
