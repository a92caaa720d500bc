// @ts-check
/** @type {import('@docusaurus/types').Config} */
const config = {
  title: "Heron's \"Trust\" Center",
  tagline: 'Policies',
  url: 'https://trust.heron.example',
  baseUrl: '/trust/',
  // docs/ at the root, as the versions (versions.json) are older ones.
  presets: [['classic', {docs: {lastVersion: 'current'}}]],
  themeConfig: {navbar: {title: 'Heron'}},
};
export default config;
