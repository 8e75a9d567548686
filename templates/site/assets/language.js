// The language menu lands on the same page in the chosen language, keeping what the page
// holds in its address: the explorer's filters and the composer's session (query and hash).
for (const link of document.querySelectorAll("a[data-wb-keep-state]")) {
  const keep = () => {
    const target = new URL(link.getAttribute("href"), document.baseURI);
    target.search = window.location.search;
    target.hash = window.location.hash;
    link.href = target.href;
  };
  link.addEventListener("pointerdown", keep);
  link.addEventListener("focus", keep);
  link.addEventListener("click", keep);
}
