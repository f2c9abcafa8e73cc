// A small Docusaurus site that embeds fleetplay with the drop-in script; `cargo xtask test` builds it
// (e2e/integrations.test.mjs) and opens it in Chromium, with the playground's address in place of
// https://fleetplay.example/.
module.exports = {
  title: 'Stopping servers: a fleetplay example (Docusaurus)',
  url: 'https://docs.example.com',
  baseUrl: '/',
  onBrokenLinks: 'throw',
  scripts: [{ src: 'https://fleetplay.example/embed.js', async: true }],
  presets: [
    ['classic', { docs: { routeBasePath: '/' }, blog: false }],
  ],
};
