// Loads the team's bundle once the server-rendered page has been painted, then hydrates.
// The page is whole and usable without it (every form posts without script); starting the
// download only after the first paint keeps the WASM (about 480 KB) off the path to that paint,
// where a phone on a slow network would otherwise wait for it. No preload hint either, for
// the same reason: a hint would start the download before the paint.
(function (js, wasm) {
	const hydrate = () =>
		import(js)
			.then((bundle) => bundle.default({ module_or_path: wasm }).then(() => bundle))
			.then((bundle) => {
				bundle.hydrate();
				window.__SOUNDINGS_HYDRATED = true;
			});
	// A frame callback runs just before the next paint; the timeout after it, just after.
	const afterPaint = () => requestAnimationFrame(() => setTimeout(hydrate, 0));
	if (document.readyState === "complete") afterPaint();
	else addEventListener("load", afterPaint, { once: true });
})
