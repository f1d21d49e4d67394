// The message is posted straight after the worker is made.
const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
worker.postMessage({ baseUrl: `${location.origin}/core/v1` });
worker.onmessage = (event) => (document.body.dataset.result = event.data);
