"use strict";
/* The explorable report: theme pages, essay pages, the strips' hover and
   keys, filters and search, over the JSON in #precis-data. Every element is
   built with DOM calls and every piece of essay text goes in as a text node,
   never as markup; the page's CSP allows this script alone and refuses
   string-to-markup sinks (Trusted Types), so a slip would fail, not run. */
(() => {
  const $ = (id) => document.getElementById(id);
  const data = JSON.parse($("precis-data").textContent);
  const { themes, essays, texts, similarity, side_by_side: sideBySide } = data;
  const themeOfId = new Map(themes.map((t, p) => [String(t.id), p]));
  const essayOfId = new Map(essays.map((e, p) => [e.doc_id, p]));
  const titles = essays.map((e) => e.title.toLowerCase());
  const themesOf = texts.map((t) => new Set(t.themes));
  /* Most search results listed; characters of context either side. */
  const RESULTS = 100;
  const CONTEXT = 90;
  const NO_THEME = "#DDDDDD";

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === "class") node.className = value;
      else if (key === "style") Object.assign(node.style, value);
      else node.setAttribute(key, value);
    }
    node.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== ""));
    return node;
  }

  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const themeHref = (p) => `#theme-${themes[p].id}`;
  const essayHref = (e, i) =>
    `#essay-${encodeURIComponent(essays[e].doc_id)}${i === undefined ? "" : `/${i}`}`;
  /* Doc ids are [a-z0-9_-], so "+" can join two. */
  const compareHref = (a, b) =>
    `#compare-${encodeURIComponent(essays[a].doc_id)}+${encodeURIComponent(essays[b].doc_id)}`;

  function badge(p) {
    if (p < 0) return el("span", { class: "badge", style: { background: NO_THEME } }, "–");
    const t = themes[p];
    return el("span", { class: "badge", style: { background: t.colour, color: t.text } }, String(t.id));
  }

  function clip(text, n) {
    if (text.length <= n) return text;
    const cut = text.lastIndexOf(" ", n);
    return `${text.slice(0, cut > n / 2 ? cut : n)}…`;
  }

  function tail(text, n) {
    if (text.length <= n) return text;
    const cut = text.indexOf(" ", text.length - n);
    return `…${text.slice(cut < 0 ? text.length - n : cut + 1)}`;
  }

  /* `text` with each occurrence of `terms` (lower case) in <mark>; a long
     text starts shortly before its first match. */
  function highlight(text, terms) {
    const lower = text.toLowerCase();
    /* Lower-casing that changes the length would shift the marks. */
    if (!terms.length || lower.length !== text.length) return [text];
    const ranges = [];
    for (const term of terms) {
      for (let at = lower.indexOf(term); at >= 0; at = lower.indexOf(term, at + term.length)) {
        ranges.push([at, at + term.length]);
      }
    }
    ranges.sort((a, b) => a[0] - b[0]);
    const parts = [];
    let from = 0;
    if (ranges.length && ranges[0][0] > 2 * CONTEXT) {
      const cut = text.indexOf(" ", ranges[0][0] - CONTEXT);
      from = cut >= 0 && cut < ranges[0][0] ? cut + 1 : ranges[0][0];
      parts.push("…");
    }
    for (const [start, end] of ranges) {
      if (end <= from) continue;
      const begin = Math.max(start, from);
      if (begin > from) parts.push(text.slice(from, begin));
      parts.push(el("mark", {}, text.slice(begin, end)));
      from = end;
    }
    parts.push(text.slice(from));
    return parts;
  }

  /* Sentence `i` of essay `e` in one line of context: the end of the
     sentence before it and the start of the one after, muted. */
  function contextLine(e, i, terms) {
    const s = texts[e].sentences;
    return el(
      "span",
      { class: "line" },
      i > 0 ? el("span", { class: "ctx" }, `${tail(s[i - 1], CONTEXT)} `) : null,
      el("span", { class: "hit" }, terms ? highlight(s[i], terms) : s[i]),
      i + 1 < s.length ? el("span", { class: "ctx" }, ` ${clip(s[i + 1], CONTEXT)}`) : null,
    );
  }

  /* ---- Pages: #theme-ID and #essay-ID or #essay-ID/SENTENCE ---- */

  const view = $("view");
  /* Where the overview was scrolled to when a page opened: "Back" returns there. */
  let overviewScroll = 0;

  function parseRoute() {
    let hash;
    try {
      hash = decodeURIComponent(location.hash.slice(1));
    } catch {
      return null;
    }
    if (hash.startsWith("theme-") && themeOfId.has(hash.slice(6))) {
      return { theme: themeOfId.get(hash.slice(6)) };
    }
    if (hash.startsWith("compare-")) {
      const [a, b, ...rest] = hash.slice(8).split("+");
      if (!rest.length && a !== b && essayOfId.has(a) && essayOfId.has(b)) {
        return { compare: [essayOfId.get(a), essayOfId.get(b)] };
      }
    }
    if (hash.startsWith("essay-")) {
      const rest = hash.slice(6);
      if (essayOfId.has(rest)) return { essay: essayOfId.get(rest) };
      const cut = rest.lastIndexOf("/");
      const i = Number(rest.slice(cut + 1));
      if (cut > 0 && essayOfId.has(rest.slice(0, cut)) && Number.isInteger(i)) {
        return { essay: essayOfId.get(rest.slice(0, cut)), sentence: i };
      }
    }
    return null;
  }

  function backLink() {
    return el("a", { class: "back", href: "#overview" }, "← Back to the overview");
  }

  function keywordList(keywords) {
    return keywords.length
      ? el("ul", { class: "keywords", "aria-label": "Keywords" }, keywords.map((k) => el("li", {}, k)))
      : null;
  }

  function themePage(p) {
    const t = themes[p];
    const byEssay = [];
    texts.forEach((text, e) => {
      const hits = [];
      text.themes.forEach((tp, i) => {
        if (tp === p) hits.push(i);
      });
      if (hits.length) byEssay.push([e, hits]);
    });
    byEssay.sort((a, b) => b[1].length - a[1].length || a[0] - b[0]);
    const total = byEssay.reduce((n, [, hits]) => n + hits.length, 0);
    return el(
      "article",
      { class: "page theme-page", "aria-labelledby": "view-title" },
      backLink(),
      el("div", { class: "card-head" }, badge(p), el("h2", { id: "view-title", tabindex: "-1" }, t.label)),
      el(
        "p",
        { class: "meta" },
        [t.group ? `Group: ${t.group}` : "", plural(t.size, "sentence"), `${t.percent} of all`, plural(byEssay.length, "essay")]
          .filter(Boolean)
          .join(" · "),
      ),
      keywordList(t.keywords),
      t.summary ? [el("p", { class: "label-small" }, "Summary"), el("p", { class: "summary" }, t.summary)] : null,
      el("h3", {}, `Every sentence of the theme (${total}), by essay`),
      byEssay.map(([e, hits]) =>
        el(
          "section",
          { class: "by-essay" },
          el("h4", {}, el("a", { href: essayHref(e) }, essays[e].title), " ", el("span", { class: "meta" }, plural(hits.length, "sentence"))),
          el("ol", { class: "quotes" }, hits.map((i) => el("li", {}, el("a", { href: essayHref(e, i) }, contextLine(e, i))))),
        ),
      ),
    );
  }

  function sourceLink(essay) {
    /* The href is a relative path made by the report; anything with a
       scheme would not be, and is shown as text only. */
    if (!essay.href || /^[a-z][a-z0-9+.-]*:/i.test(essay.href)) return essay.source;
    return el("a", { href: essay.href }, essay.source);
  }

  /* An essay's sections, nested: each heading, and its sentence linked to
     its place in the essay. */
  function outlineList(e, sections) {
    return el(
      "ul",
      { class: "outline" },
      sections.map((section) =>
        el(
          "li",
          {},
          el("strong", {}, section.heading),
          section.sentence === undefined
            ? null
            : [" — ", el("a", { href: essayHref(e, section.index) }, section.sentence)],
          section.children.length ? outlineList(e, section.children) : null,
        ),
      ),
    );
  }

  function essayPage(e, here) {
    const essay = essays[e];
    const text = texts[e];
    const starts = new Set(text.paragraphs);
    const paragraphs = [];
    let paragraph = null;
    let focus = null;
    text.sentences.forEach((sentence, i) => {
      if (!paragraph || starts.has(i)) {
        paragraph = el("p");
        paragraphs.push(paragraph);
      }
      const p = text.themes[i];
      if (p >= 0 && (i === 0 || starts.has(i) || text.themes[i - 1] !== p)) {
        paragraph.append(
          el("span", { class: "run-mark", "aria-hidden": "true", style: { background: themes[p].colour, color: themes[p].text } }, String(themes[p].id)),
        );
      }
      const span = el(
        "span",
        {
          class: "s",
          title: p >= 0 ? `Theme ${themes[p].id}: ${themes[p].label}` : "No theme",
          style: { borderBottomColor: p >= 0 ? themes[p].colour : NO_THEME },
        },
        sentence,
      );
      if (i === here) {
        span.classList.add("here");
        span.tabIndex = -1;
        focus = span;
      }
      paragraph.append(span, " ");
    });
    const strip = document.querySelector(`#strips .strip[data-essay="${e}"]`);
    const copy = strip ? strip.cloneNode(true) : null;
    const page = el(
      "article",
      { class: "page essay-page", "aria-labelledby": "view-title" },
      backLink(),
      el("h2", { id: "view-title", tabindex: "-1" }, essay.title),
      el("p", { class: "meta" }, sourceLink(essay), ` · ${plural(text.sentences.length, "sentence")}`),
      comparePicker(e),
      copy,
      essay.themes.length
        ? el(
            "ul",
            { class: "chips", "aria-label": "Main themes" },
            essay.themes.map((c) =>
              el("li", {}, badge(themeOfId.get(String(c.id))), el("a", { href: `#theme-${c.id}` }, c.label), el("span", { class: "share" }, c.percent)),
            ),
          )
        : null,
      essay.summary ? [el("p", { class: "label-small" }, "Summary"), el("p", { class: "summary" }, essay.summary)] : null,
      essay.outline ? [el("p", { class: "label-small" }, "Outline"), outlineList(e, essay.outline)] : null,
      el("h3", {}, "The essay, sentence by sentence, underlined in its themes' colours"),
      el("div", { class: "essay-text" }, paragraphs),
    );
    if (copy && here !== undefined && here >= 0 && here < text.sentences.length) {
      placeCursor(copy, here);
    }
    return { page, focus };
  }

  /* Two essays side by side, as `precis compare-docs` gives them: the
     themes they share (by the smaller of their two shares), each with the
     closest pair of sentences across the two, then each one's own. */
  function comparePage(a, b) {
    const shareOf = (e) => new Map(sideBySide.shares[e]);
    const [sharesA, sharesB] = [shareOf(a), shareOf(b)];
    const pct = (share) => `${Math.round(100 * share)}%`;
    const byId = (x, y) => themes[x].id - themes[y].id;
    const shared = [...sharesA.keys()].filter((p) => sharesB.has(p));
    shared.sort((x, y) => Math.min(sharesB.get(y), sharesA.get(y)) - Math.min(sharesB.get(x), sharesA.get(x)) || byId(x, y));
    const own = (mine, other) => {
      const list = [...mine.keys()].filter((p) => !other.has(p));
      list.sort((x, y) => mine.get(y) - mine.get(x) || byId(x, y));
      return list;
    };
    /* The pair of essays a and b in theme p: the sentence of each, and the cosine. */
    const closest = (p) => {
      const pairs = sideBySide.pairs[p];
      const [x, y] = [pairs.essays.indexOf(a), pairs.essays.indexOf(b)];
      const [first, second] = x < y ? [x, y] : [y, x];
      const m = pairs.essays.length;
      const at = 3 * (first * m - (first * (first + 1)) / 2 + (second - first - 1));
      const [i, j, cosine] = pairs.closest.slice(at, at + 3);
      return x < y ? { a: i, b: j, cosine: cosine / 1e4 } : { a: j, b: i, cosine: cosine / 1e4 };
    };
    const quote = (e, i) => el("li", {}, el("a", { href: essayHref(e, i) }, el("strong", {}, `${essays[e].title}: `), texts[e].sentences[i]));
    const sharedTheme = (p) =>
      el(
        "section",
        { class: "by-essay" },
        el("h4", {}, badge(p), " ", el("a", { href: themeHref(p) }, themes[p].label), " ", el("span", { class: "meta" }, `A ${pct(sharesA.get(p))} · B ${pct(sharesB.get(p))}`)),
        sideBySide.pairs
          ? (() => {
              const pair = closest(p);
              return [
                el("p", { class: "label-small" }, `Closest sentences (cosine ${pair.cosine.toFixed(3)})`),
                el("ol", { class: "quotes" }, quote(a, pair.a), quote(b, pair.b)),
              ];
            })()
          : null,
      );
    const ownList = (e, list, shares) =>
      list.length
        ? el("ul", { class: "chips" }, list.map((p) => el("li", {}, badge(p), el("a", { href: themeHref(p) }, themes[p].label), el("span", { class: "share" }, pct(shares.get(p))))))
        : el("p", { class: "meta" }, "None.");
    return el(
      "article",
      { class: "page compare-page", "aria-labelledby": "view-title" },
      backLink(),
      el("h2", { id: "view-title", tabindex: "-1" }, "Two essays side by side"),
      el("p", { class: "meta" }, "A: ", el("a", { href: essayHref(a) }, essays[a].title), " · B: ", el("a", { href: essayHref(b) }, essays[b].title)),
      el("h3", {}, `Shared themes (${shared.length})`),
      sideBySide.pairs
        ? null
        : el("p", { class: "meta" }, `This collection has too many pairs of essays for the report to hold their closest sentences: precis compare-docs RUN ${essays[a].doc_id} ${essays[b].doc_id} gives them.`),
      shared.map(sharedTheme),
      el("h3", {}, `Only in A: ${essays[a].title}`),
      ownList(a, own(sharesA, sharesB), sharesA),
      el("h3", {}, `Only in B: ${essays[b].title}`),
      ownList(b, own(sharesB, sharesA), sharesB),
    );
  }

  /* A menu of the other essays, by title; picking one opens the two side by side. */
  function comparePicker(e) {
    if (essays.length < 2) return null;
    const others = essays.map((_, o) => o).filter((o) => o !== e);
    others.sort((x, y) => essays[x].title.localeCompare(essays[y].title) || x - y);
    const select = el(
      "select",
      { id: "compare-with", "aria-label": "Compare with another essay" },
      el("option", { value: "" }, "Compare with another essay…"),
      others.map((o) => el("option", { value: String(o) }, essays[o].title)),
    );
    select.addEventListener("change", () => {
      if (select.value !== "") location.hash = compareHref(e, Number(select.value));
    });
    return el("p", {}, select);
  }

  function show() {
    hideTip();
    const route = parseRoute();
    if (!route) {
      if (!view.hidden) {
        view.hidden = true;
        view.replaceChildren();
        document.body.classList.remove("viewing");
        let target = null;
        try {
          target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
        } catch {
          target = null;
        }
        if (target) target.scrollIntoView();
        else window.scrollTo(0, overviewScroll);
      }
      return;
    }
    let page;
    let focus = null;
    if (route.theme !== undefined) {
      page = themePage(route.theme);
    } else if (route.compare) {
      page = comparePage(...route.compare);
    } else {
      ({ page, focus } = essayPage(route.essay, route.sentence));
    }
    if (view.hidden) overviewScroll = window.scrollY;
    view.replaceChildren(page);
    view.hidden = false;
    document.body.classList.add("viewing");
    if (focus) {
      focus.focus({ preventScroll: true });
      focus.scrollIntoView({ block: "center" });
    } else {
      $("view-title").focus({ preventScroll: true });
      view.scrollIntoView();
    }
  }

  /* ---- Strips: hover or arrow keys read a sentence, click or Enter opens it ---- */

  const tip = $("tip");

  function hideTip() {
    tip.hidden = true;
  }

  function showTip(children, x, y) {
    tip.replaceChildren(...children);
    tip.hidden = false;
    const box = tip.getBoundingClientRect();
    const left = Math.min(Math.max(8, x + 14), window.innerWidth - box.width - 8);
    const top = y + 18 + box.height > window.innerHeight ? y - box.height - 12 : y + 18;
    tip.style.left = `${Math.max(8, left)}px`;
    tip.style.top = `${Math.max(8, top)}px`;
  }

  const sentencesOf = (strip) => texts[Number(strip.dataset.essay)].sentences.length;

  function placeCursor(strip, i) {
    const n = sentencesOf(strip);
    let cursor = strip.querySelector(".cursor");
    if (!cursor) {
      cursor = el("span", { class: "cursor", "aria-hidden": "true" });
      strip.append(cursor);
    }
    cursor.style.left = `${(100 * i) / n}%`;
    cursor.style.width = `${100 / n}%`;
    strip.dataset.at = String(i);
  }

  function readSentence(strip, i, x, y) {
    const e = Number(strip.dataset.essay);
    const text = texts[e];
    const n = text.sentences.length;
    const p = text.themes[i];
    const theme = p >= 0 ? `theme ${themes[p].id}, ${themes[p].label}` : "no theme";
    placeCursor(strip, i);
    strip.setAttribute("aria-valuenow", String(i + 1));
    strip.setAttribute("aria-valuetext", `Sentence ${i + 1} of ${n}, ${theme}: ${clip(text.sentences[i], 200)}`);
    showTip(
      [
        el("div", { class: "tip-head" }, badge(p), p >= 0 ? themes[p].label : "no theme", el("span", { class: "meta" }, ` · sentence ${i + 1} of ${n}`)),
        el("div", {}, clip(text.sentences[i], 400)),
      ],
      x,
      y,
    );
  }

  function pointedSentence(strip, clientX) {
    const box = strip.getBoundingClientRect();
    const n = sentencesOf(strip);
    return Math.min(n - 1, Math.max(0, Math.floor(((clientX - box.left) / box.width) * n)));
  }

  const stripAt = (target) => (target instanceof Element ? target.closest(".strip[tabindex]") : null);

  document.addEventListener("pointermove", (event) => {
    const strip = stripAt(event.target);
    if (strip) {
      readSentence(strip, pointedSentence(strip, event.clientX), event.clientX, event.clientY);
      return;
    }
    const image = event.target instanceof Element && event.target.closest("image.sim-image");
    if (image) {
      similarityTip(image, event.clientX, event.clientY);
      return;
    }
    if (!tip.hidden && !stripAt(document.activeElement)) hideTip();
  });

  document.addEventListener("click", (event) => {
    const strip = stripAt(event.target);
    if (strip) location.hash = essayHref(Number(strip.dataset.essay), pointedSentence(strip, event.clientX));
  });

  document.addEventListener("keydown", (event) => {
    const strip = stripAt(event.target);
    if (!strip) return;
    const n = sentencesOf(strip);
    const at = Number(strip.dataset.at || 0);
    const moves = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: 10, PageDown: -10 };
    let next = null;
    if (event.key in moves) next = at + moves[event.key];
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = n - 1;
    else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      location.hash = essayHref(Number(strip.dataset.essay), at);
      return;
    } else if (event.key === "Escape") {
      hideTip();
      return;
    } else return;
    event.preventDefault();
    next = Math.min(n - 1, Math.max(0, next));
    const box = strip.getBoundingClientRect();
    readSentence(strip, next, box.left + ((next + 0.5) / n) * box.width, box.bottom);
  });

  document.addEventListener("focusin", (event) => {
    const strip = stripAt(event.target);
    if (!strip) return;
    const at = Number(strip.dataset.at || 0);
    const box = strip.getBoundingClientRect();
    readSentence(strip, at, box.left + ((at + 0.5) / sentencesOf(strip)) * box.width, box.bottom);
  });

  document.addEventListener("focusout", (event) => {
    if (stripAt(event.target)) hideTip();
  });

  function similarityTip(image, x, y) {
    const n = similarity.essays.length;
    const box = image.getBoundingClientRect();
    const r = Math.floor(((y - box.top) / box.height) * n);
    const c = Math.floor(((x - box.left) / box.width) * n);
    if (r < 0 || c < 0 || r >= n || c >= n) return;
    const a = essays[similarity.essays[r]].title;
    const b = essays[similarity.essays[c]].title;
    const value = (similarity.thousandths[r * n + c] / 1000).toFixed(3);
    showTip([el("div", {}, `${a} · ${b}: ${value}`)], x, y);
  }

  /* ---- Filters and search ---- */

  const find = $("find");
  const essayFilter = $("essay-filter");
  const themeFilter = $("theme-filter");
  const found = $("found");
  const foundCount = $("found-count");
  const filterCount = $("filter-count");

  function filters() {
    return {
      title: essayFilter.value.trim().toLowerCase(),
      theme: themeFilter.value === "" ? -1 : Number(themeFilter.value),
    };
  }

  const essayShown = (e, f) => (!f.title || titles[e].includes(f.title)) && (f.theme < 0 || themesOf[e].has(f.theme));

  function applyFilters() {
    const f = filters();
    let shown = 0;
    for (const row of document.querySelectorAll("#strips .strip-row")) {
      const visible = essayShown(Number(row.dataset.essay), f);
      row.hidden = !visible;
      if (visible) shown += 1;
    }
    for (const card of document.querySelectorAll(".essay-card")) {
      card.hidden = !essayShown(Number(card.dataset.essay), f);
    }
    for (const card of document.querySelectorAll(".theme-card")) {
      card.hidden = f.theme >= 0 && Number(card.dataset.theme) !== f.theme;
    }
    for (const rect of document.querySelectorAll("#strips rect[data-t]")) {
      rect.classList.toggle("dim", f.theme >= 0 && Number(rect.dataset.t) !== f.theme);
    }
    filterCount.textContent = f.title || f.theme >= 0 ? `${shown} of ${plural(essays.length, "essay")} shown` : "";
    search();
  }

  /* Lower-cased sentences, made on the first search so that loading stays quick. */
  let corpus = null;

  function searchable() {
    if (!corpus) {
      corpus = { lower: [], essay: [], index: [] };
      texts.forEach((t, e) =>
        t.sentences.forEach((s, i) => {
          corpus.lower.push(s.toLowerCase());
          corpus.essay.push(e);
          corpus.index.push(i);
        }),
      );
    }
    return corpus;
  }

  /* Every sentence holding all the words of the query, in essay order. */
  function search() {
    const terms = find.value.toLowerCase().split(/\s+/).filter(Boolean);
    if (!terms.length) {
      found.replaceChildren();
      foundCount.textContent = "";
      return;
    }
    const f = filters();
    const { lower, essay, index } = searchable();
    const hits = [];
    const inEssays = new Set();
    for (let k = 0; k < lower.length; k++) {
      const text = lower[k];
      if (!terms.every((term) => text.includes(term))) continue;
      const e = essay[k];
      if (f.title && !titles[e].includes(f.title)) continue;
      if (f.theme >= 0 && texts[e].themes[index[k]] !== f.theme) continue;
      inEssays.add(e);
      hits.push(k);
    }
    found.replaceChildren(
      ...hits.slice(0, RESULTS).map((k) => {
        const e = essay[k];
        const i = index[k];
        return el(
          "li",
          {},
          el(
            "a",
            { href: essayHref(e, i) },
            el("span", { class: "result-head" }, badge(texts[e].themes[i]), `${essays[e].title} · sentence ${i + 1}`),
            contextLine(e, i, terms),
          ),
        );
      }),
    );
    foundCount.textContent =
      `${plural(hits.length, "sentence")} in ${plural(inEssays.size, "essay")}` +
      (hits.length > RESULTS ? `; the first ${RESULTS} are listed` : "");
  }

  find.addEventListener("input", search);
  essayFilter.addEventListener("input", applyFilters);
  themeFilter.addEventListener("change", applyFilters);

  /* ---- Start ---- */

  for (const strip of document.querySelectorAll("#strips .strip[data-essay]")) {
    const n = sentencesOf(strip);
    if (!n) continue;
    strip.tabIndex = 0;
    strip.setAttribute("role", "slider");
    strip.setAttribute("aria-valuemin", "1");
    strip.setAttribute("aria-valuemax", String(n));
    strip.setAttribute("aria-valuenow", "1");
  }
  $("explore").hidden = false;
  window.addEventListener("hashchange", show);
  show();
  document.documentElement.dataset.ready = "true";
  performance.mark("precis-ready");
})();
