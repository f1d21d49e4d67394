// The dev server forwards the API to the mock; nothing else is configured.
export default { server: { proxy: { "/core/v1": process.env.KATAPULT_MOCK_URL ?? "http://127.0.0.1:1" } } };
