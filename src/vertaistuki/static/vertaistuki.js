// vertaistuki listing: optional progressive enhancement for the server-rendered list.
// Without this module the GET form and the municipality links still work. With it,
// choices filter at once, the URL keeps them (deep links, back button) and the result
// count is announced in the page's existing role="status" region; focus never moves.
// No framework, no inline script, no storage, no network: configuration is data-*.
// The matching rules mirror vertaistuki/listing.py (Query.matches); keep them in step.

const FIELDS = ["q", "municipality", "region", "form", "audience", "topic", "channel", "openness", "day", "time"];
const FLAGS = ["free", "week"];
const MULTI = { municipality: "municipality", region: "region", form: "form", audience: "audience",
  topic: "topic", channel: "channel", day: "day", time: "time" };

export function searchable(text) {
  return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

function words(value) {
  return new Set((value || "").split(" ").filter(Boolean));
}

export function facetsOf(element) {
  const d = element.dataset;
  const facets = { text: d.vtText || "", openness: d.vtOpenness || "", nationwide: d.vtNationwide === "1",
    free: d.vtFree === "1", dates: (d.vtDates || "").split(" ").filter(Boolean) };
  for (const [name, key] of Object.entries(MULTI)) {
    facets[name] = words(d["vt" + key[0].toUpperCase() + key.slice(1)]);
  }
  return facets;
}

function isoDate(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function currentWeek(today = new Date()) {
  const monday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - ((today.getDay() + 6) % 7));
  const sunday = new Date(monday.getFullYear(), monday.getMonth(), monday.getDate() + 6);
  return [isoDate(monday), isoDate(sunday)];
}

export function matches(query, facets, week) {
  if (query.q) {
    for (const word of searchable(query.q).split(/\s+/).filter(Boolean)) {
      if (!facets.text.includes(word)) return false;
    }
  }
  for (const area of ["municipality", "region"]) {
    if (query[area] && !facets.nationwide && !facets[area].has(query[area])) return false;
  }
  for (const name of ["form", "audience", "topic", "channel", "day", "time"]) {
    if (query[name] && !facets[name].has(query[name])) return false;
  }
  if (query.openness && query.openness !== facets.openness) return false;
  if (query.free && !facets.free) return false;
  if (query.week && !facets.dates.some((day) => day >= week[0] && day <= week[1])) return false;
  return true;
}

function readForm(form) {
  const query = {};
  for (const name of FIELDS) {
    const control = form.elements.namedItem(name);
    query[name] = control ? control.value.trim().slice(0, 200) : "";
  }
  for (const name of FLAGS) {
    const control = form.elements.namedItem(name);
    query[name] = Boolean(control && control.checked);
  }
  return query;
}

function writeForm(form, params) {
  for (const name of FIELDS) {
    const control = form.elements.namedItem(name);
    if (control) control.value = params.get(name) || "";
    // A select keeps no value that is not among its options: fall back to "all".
    if (control && control.tagName === "SELECT" && control.selectedIndex < 0) control.selectedIndex = 0;
  }
  for (const name of FLAGS) {
    const control = form.elements.namedItem(name);
    if (control) control.checked = ["1", "on", "true"].includes(params.get(name) || "");
  }
}

function toParams(query) {
  const params = new URLSearchParams();
  for (const name of FIELDS) if (query[name]) params.set(name, query[name]);
  for (const name of FLAGS) if (query[name]) params.set(name, "1");
  return params;
}

export function enhance(listing) {
  const form = listing.querySelector("[data-vt-filters]");
  const status = listing.querySelector("[data-vt-count]");
  const empty = listing.querySelector("[data-vt-empty]");
  if (!form || !status) return;
  // Cards that do not match are taken out of the list rather than hidden: with
  // thousands of cards, hiding each one still costs the browser style, layout and
  // accessibility-tree work, while a short list is quick. Long results show the first
  // page_size matches and a "show more" button per section.
  const pageSize = Number(listing.dataset.vtPageSize) || 0;
  const sections = [...listing.querySelectorAll("[data-vt-section]")].map((section) => {
    const cards = [...section.querySelectorAll("[data-vt-text]")].map((card) => ({ card, facets: facetsOf(card) }));
    let more = null;
    if (pageSize && cards.length > pageSize) {
      more = document.createElement("button");
      more.type = "button";
      more.className = "vt-more";
      more.hidden = true;
      section.append(more);
    }
    return { section, list: section.querySelector(".vt-cards"), cards, more, limit: pageSize };
  });
  const plural = new Intl.PluralRules(listing.lang || document.documentElement.lang || "fi");
  let shownBefore = -1;
  let matched = sections.map(() => []);

  function show(index) {
    const { list, more, limit } = sections[index];
    const visible = limit ? matched[index].slice(0, limit) : matched[index];
    for (const { card } of visible) card.hidden = false;
    if (list) list.replaceChildren(...visible.map(({ card }) => card));
    if (more) {
      const left = matched[index].length - visible.length;
      more.hidden = left <= 0;
      more.textContent = (listing.dataset.vtMore || "+ {count}").replace("{count}", String(Math.min(left, pageSize)));
    }
  }

  sections.forEach((entry, index) => {
    if (!entry.more) return;
    entry.more.addEventListener("click", () => {
      const first = matched[index][entry.limit];
      entry.limit += pageSize;
      show(index);
      // When the button goes away with the last page, focus would fall to <body>:
      // move it to the first card just shown instead.
      if (entry.more.hidden && first) {
        first.card.tabIndex = -1;
        first.card.focus();
      }
    });
  });

  // A municipality page holds only that municipality's records: another choice is
  // answered by the whole listing, as the form does without JavaScript; or, when the
  // whole listing is a directory of the municipality pages, by the chosen one's page.
  function answeredAt(query) {
    const own = "vtDirectory" in form.dataset && query.municipality
      ? [...listing.querySelectorAll(".vt-places a[data-vt-code]")].find((link) => link.dataset.vtCode === query.municipality)
      : null;
    return `${own ? own.href : form.action}?${toParams(query)}`;
  }

  function apply(updateUrl) {
    const query = readForm(form);
    const subset = form.dataset.vtSubset;
    if (subset && updateUrl && query.municipality !== subset) {
      location.assign(answeredAt(query));
      return;
    }
    const week = currentWeek();
    let shown = 0;
    matched = sections.map(({ section, cards }, index) => {
      const hits = cards.filter(({ facets }) => matches(query, facets, week));
      sections[index].limit = pageSize;
      section.hidden = hits.length === 0;
      shown += hits.length;
      return hits;
    });
    sections.forEach((_, index) => show(index));
    if (empty) empty.hidden = shown > 0;
    if (shown !== shownBefore) {
      const template = plural.select(shown) === "one" ? status.dataset.vtOne : status.dataset.vtOther;
      status.textContent = (template || "{count}").replace("{count}", String(shown));
      shownBefore = shown;
    }
    if (updateUrl) {
      const params = toParams(query).toString();
      const url = `${location.pathname}${params ? "?" + params : ""}${location.hash}`;
      if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, "", url);
    }
  }

  let pending = 0;
  const schedule = () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => apply(true));
  };
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    apply(true);
  });
  const clear = form.querySelector(".vt-clear");
  if (clear) {
    clear.addEventListener("click", (event) => {
      event.preventDefault();
      writeForm(form, new URLSearchParams());
      apply(true);
    });
  }
  window.addEventListener("popstate", () => {
    writeForm(form, new URLSearchParams(location.search));
    apply(false);
  });
  if (location.search) writeForm(form, new URLSearchParams(location.search));
  listing.dataset.vtEnhanced = "1";
  apply(false);
}

for (const listing of document.querySelectorAll("[data-vt-listing]")) enhance(listing);
