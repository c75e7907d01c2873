// The asset catalog: search, filter by group, tag and status; status and last
// materialization of each asset. Loads the catalog, filters in the browser, and reloads
// it when the instance's state version changes (filters and scroll stay).
"use strict";

(async () => {
  const { el, main } = ag;
  main.append(el("h1", { text: "Assets" }));
  let data;
  try {
    data = await ag.api("/api/assets");
  } catch (error) {
    ag.showError(main, error);
    return;
  }

  const search = el("input", {
    id: "search", type: "search", placeholder: "Search keys and descriptions", autofocus: true,
    "aria-label": "Search assets",
  });
  const options = (label, values) =>
    [el("option", { value: "", text: label })].concat(
      values.map((v) => el("option", { value: v, text: v }))
    );
  const group = el("select", { id: "group", "aria-label": "Group" }, options("All groups", data.groups));
  const tag = el("select", { id: "tag", "aria-label": "Tag" }, options("All tags", data.tags));
  const status = el(
    "select", { id: "status", "aria-label": "Status" },
    options("All statuses", data.statuses.map((s) => s.status))
  );
  const count = el("span", { class: "muted", id: "count" });
  const picked = new Set();
  // The rows shown, as a selection: the group and tag filters as 'group:G,tag:K=V' (they
  // stay true as assets change), else the keys of the rows shown.
  const launchShown = el("a", { id: "launch-shown", href: "/launchpad", text: "Launch shown" });
  const launchPicked = el("button", { id: "launch-selected", type: "button", text: "Launch selected (0)", disabled: true, onclick: () => {
    location.href = "/launchpad?" + new URLSearchParams({ select: [...picked].join(" ") });
  } });
  const body = el("tbody", {});
  main.append(
    el("div", { class: "controls" }, search, group, tag, status, count, launchPicked, launchShown),
    el(
      "table", { id: "catalog" },
      el("thead", {}, el("tr", {}, ["", "Asset", "Group", "Status", "Partitions", "Last materialized", "Description"].map((h) => el("th", { text: h })))),
      body
    )
  );

  const toRows = (assets, now) => assets.map((asset) => {
    const parts = asset.partitions;
    const row = el(
      "tr", { "data-key": asset.key, "data-status": asset.status },
      el("td", {}, asset.source ? null : el("input", { type: "checkbox", class: "pick", checked: picked.has(asset.key), "aria-label": `Select ${asset.key} to launch`, onchange: (event) => {
        if (event.target.checked) picked.add(asset.key); else picked.delete(asset.key);
        launchPicked.textContent = `Launch selected (${picked.size})`;
        launchPicked.disabled = picked.size === 0;
      } })),
      el("td", {}, el("a", { href: ag.assetHref(asset.key), class: "key", text: asset.key })),
      el("td", { text: asset.group }),
      el("td", {}, ag.badge(asset.status)),
      el("td", { text: parts ? `${parts.materialized} / ${parts.total}` + (parts.stale ? ` (${parts.stale} stale)` : "") + (parts.failed ? ` (${parts.failed} failed)` : "") : "—" }),
      el("td", { title: ag.fmtTime(asset.last_materialized_at), text: ag.fmtAgo(asset.last_materialized_at, now) }),
      el("td", { class: "desc", text: ag.plainText(asset.description) })
    );
    const tags = Object.entries(asset.tags).map(([k, v]) => `${k}=${v}`);
    return { asset, row, tags, text: `${asset.key} ${asset.description || ""}`.toLowerCase() };
  });

  let rows = toRows(data.assets, Date.now() / 1000);

  function apply() {
    const needle = search.value.trim().toLowerCase();
    const tagValue = tag.value;
    let shown = 0;
    const fragment = document.createDocumentFragment();
    for (const item of rows) {
      const keep =
        (!needle || item.text.includes(needle)) &&
        (!group.value || item.asset.group === group.value) &&
        (!status.value || item.asset.status === status.value) &&
        (!tagValue || item.tags.includes(tagValue));
      if (keep) {
        fragment.append(item.row);
        shown += 1;
      }
    }
    ag.clear(body).append(fragment);
    count.textContent = `${shown} of ${rows.length} assets`;
    const byFilters = !needle && !status.value && (group.value || tagValue);
    const terms = byFilters
      ? [group.value && `group:${group.value}`, tagValue && `tag:${tagValue}`].filter(Boolean).join(",")
      : rows.filter((item) => item.row.isConnected && !item.asset.source).map((item) => item.asset.key).join(" ");
    launchShown.href = "/launchpad?" + new URLSearchParams({ select: shown === rows.length && !byFilters ? "*" : terms });
  }
  for (const control of [search, group, tag, status]) {
    control.addEventListener(control === search ? "input" : "change", apply);
  }
  const params = new URLSearchParams(location.search);
  if (params.get("search")) search.value = params.get("search");
  for (const [name, control] of [["group", group], ["tag", tag], ["status", status]]) {
    if (params.get(name)) control.value = params.get(name);
  }
  apply();
  ag.watchVersion(async () => {
    const fresh = await ag.api("/api/assets");
    rows = toRows(fresh.assets, Date.now() / 1000);
    apply();
    count.dataset.updated = String(Date.now());
  }, data.version);
  document.body.dataset.ready = "true";
})();
