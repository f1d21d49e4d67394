// The dev server forwards both APIs to the mock; nothing else is configured.
const mock = process.env.KATAPULT_MOCK_URL ?? "http://127.0.0.1:1";
export default { server: { proxy: { "/core/v1": mock, "/public/v1": mock } } };
