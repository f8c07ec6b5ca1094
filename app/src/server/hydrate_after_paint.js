// Loads the team's bundle once the server-rendered page is on screen, then hydrates.
// The page is whole and usable without it (every form posts without script); starting the
// download only after the first paint keeps the WASM (about 480 KB) off the path to that
// paint, where a phone on a slow network would otherwise wait for it. No preload hint
// either, for the same reason: a hint would start the download before the paint.
(function (js, wasm) {
	let started = false;
	const hydrate = () => {
		if (started) return;
		started = true;
		import(js)
			.then((bundle) => bundle.default({ module_or_path: wasm }).then(() => bundle))
			.then((bundle) => {
				bundle.hydrate();
				window.__SOUNDINGS_HYDRATED = true;
			});
	};
	// Where the browser reports paints, wait for the first one to be reported: it is sent
	// once the frame is on screen, which a frame callback alone does not promise (a page
	// painted a few milliseconds late once had its bundle fetched before its paint).
	const types = (window.PerformanceObserver && PerformanceObserver.supportedEntryTypes) || [];
	const reported = ["largest-contentful-paint", "paint"].find((type) => types.includes(type));
	if (reported) {
		new PerformanceObserver((_, observer) => {
			observer.disconnect();
			setTimeout(hydrate, 0);
		}).observe({ type: reported, buffered: true });
		// A page opened in a background tab reports no paint until it is shown; this
		// starts the bundle anyway.
		setTimeout(hydrate, 3000);
		return;
	}
	// Elsewhere: after the load event, a frame callback runs just before the next paint,
	// and the timeout after it, just after.
	const afterPaint = () => requestAnimationFrame(() => setTimeout(hydrate, 0));
	if (document.readyState === "complete") afterPaint();
	else addEventListener("load", afterPaint, { once: true });
})
