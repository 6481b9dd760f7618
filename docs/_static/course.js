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
