/* callserver swap.js: shows each visitor their session's tracking number; usage in web/swapjs.py */
(() => {
  const d = document, me = d.currentScript || d.querySelector("script[data-campaign]"),
    opt = me.dataset, api = new URL(me.src).origin + "/swap/session",
    key = "callserver." + opt.campaign, vk = "cs_" + opt.campaign, from = {};
  let shown, watching;
  const load = k => { try { return JSON.parse(localStorage[k]) } catch (e) {} },
    save = (k, v) => { try { localStorage[k] = JSON.stringify(v) } catch (e) {} },
    digits = s => (s || "").replace(/\D/g, ""),
    // E.164 digits of a NANP number written without its country code get their 1 back.
    e164 = s => (s = digits(s)).length == 10 ? "1" + s : s,
    saved = load(key) || {}, now = Date.now();
  // Pages are counted per session, which ends with its lease, or 30 minutes idle without one.
  if (saved.x ? saved.x < now : now - saved.l > 18e5) saved.p = 0;
  saved.p = (saved.p || 0) + 1;

  // A number in any spelling: separators between digits, the country code optional.
  const pattern = t => {
    const sep = "[\\s().\\u2010-\\u2013-]{0,2}", cc = t.length - 10,
      join = s => s.split("").join(sep);
    return RegExp("(^|[^\\d+])(\\+?" + (cc > 0 ? "(?:" + join(t.slice(0, cc)) + sep + ")?" : "")
      + join(t.slice(cc > 0 ? cc : 0)) + ")(?!\\d)", "g");
  };
  const target = t => { if ((t = e164(t)) && t != shown) from[t] = pattern(t) };

  // Digit for digit, so the page's own spelling survives.
  const swapped = s => {
    for (const t in from) s = s.replace(from[t], (m, pre, num) => {
      const to = shown.slice(-digits(num).length); let i = 0;
      return pre + num.replace(/\d/g, () => to[i++]);
    });
    return s;
  };
  const text = n => {
    const v = swapped(n.data);
    if (v != n.data && !/^(SCRIPT|STYLE|TEXTAREA)$/.test(n.parentNode?.nodeName)) n.data = v;
  };
  const link = a => { const h = a.getAttribute("href"), v = swapped(h); if (v != h) a.setAttribute("href", v) };
  const swap = root => {
    if (root.nodeType == 3) return text(root);
    if (root.nodeType != 1) return;
    const walk = d.createTreeWalker(root, 4);
    for (let n; (n = walk.nextNode());) text(n);
    if (root.matches("a[href^='tel:' i]")) link(root);
    root.querySelectorAll("a[href^='tel:' i]").forEach(link);
  };

  const show = n => {
    if (!(n = e164(n)) || n == shown) return;
    if (shown) from[shown] = pattern(shown);
    delete from[n];
    shown = n;
    swap(d.documentElement);
    if (!watching) (watching = new MutationObserver(ms => ms.forEach(m =>
      m.type == "childList" ? m.addedNodes.forEach(swap) : swap(m.target))))
      .observe(d.documentElement, { childList: true, subtree: true, characterData: true,
        attributeFilter: ["href"] });
  };

  const jar = names => {
    const out = {};
    d.cookie.split(/; */).forEach(kv => {
      const i = kv.indexOf("="), k = kv.slice(0, i);
      if (names.includes(k)) out[k] = kv.slice(i + 1);
    });
    return out;
  };

  // A string body keeps the request "simple" for CORS: no preflight round trip.
  const ask = () => {
    const sent = jar((opt.cookies || "").split(/ *, */).concat(saved.c || []));
    fetch(api, { method: "POST", body: JSON.stringify({ campaign: opt.campaign,
      visitor_id: jar([vk])[vk] || saved.v || load("callserver.visitor") || undefined,
      url: location.href,
      referrer: d.referrer, cookies: sent, page_views: saved.p }) })
      .then(r => { if (!r.ok) throw Error("callserver swap: HTTP " + r.status); return r.json() })
      .then(r => {
        saved.v = r.visitor_id;
        // Shared by every site under the campaign's cookie domain, for about a year.
        if (r.cookie_domain) d.cookie = vk + "=" + r.visitor_id + ";domain=" + r.cookie_domain
          + ";path=/;max-age=31536000;samesite=lax" + (location.protocol == "https:" ? ";secure" : "");
        if (saved.s != r.session_id) saved.p = 1;
        saved.s = r.session_id;
        saved.l = Date.now();
        target(saved.t = r.swap_target || saved.t);
        saved.n = r.number;
        saved.x = r.lease_expires_at ? Date.parse(r.lease_expires_at) : 0;
        saved.c = r.capture_cookies || saved.c;
        save(key, saved);
        show(r.number || saved.t || opt.target);
        if (Object.keys(jar(saved.c || [])).some(k => !(k in sent))) ask();
        else if (r.renew_after_s) setTimeout(ask, r.renew_after_s * 1e3);
      }, e => { setTimeout(ask, 6e4); throw e });
  };

  target(opt.target);
  target(saved.t);
  save(key, saved);
  if (saved.n && (!saved.x || saved.x > now)) show(saved.n);
  ask();
})();
