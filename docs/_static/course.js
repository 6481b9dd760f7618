// Sphinx's search result snippets come from the text of the page's [role="main"], which in this theme
// starts with the page's header (download and menu buttons): take them from the article instead.
if (typeof Search !== "undefined") {
  const htmlToText = Search.htmlToText;
  Search.htmlToText = (html, anchor) => {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const article = doc.querySelector("article.bd-article");
    if (!article) return htmlToText(html, anchor);
    doc.querySelectorAll('[role="main"], .launch-link').forEach((e) =>
      e.classList.contains("launch-link") ? e.remove() : e.removeAttribute("role"));
    article.setAttribute("role", "main");
    return htmlToText(doc.documentElement.outerHTML, anchor);
  };
}

// Printing from the browser's menu: every folded answer prints open (the print stylesheet does it
// too, in browsers that style `::details-content`), and closes again afterwards.
let closedForPrint = [];
window.addEventListener("beforeprint", () => {
  closedForPrint = [...document.querySelectorAll("article details:not([open])")];
  closedForPrint.forEach((d) => (d.open = true));
});
window.addEventListener("afterprint", () => closedForPrint.forEach((d) => (d.open = false)));

// pydata-sphinx-theme loads searchtools.js on every page, so sphinx_highlight.js takes each page
// for the search page and never marks the words a search result was opened for: mark them here.
if (typeof SphinxHighlight !== "undefined" && !document.getElementById("search-results"))
  SphinxHighlight.highlightSearchWords();
