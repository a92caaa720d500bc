// @ts-check
/** @type {import('@docusaurus/types').Config} */
const config = {
  title: "Heron's \"Trust\" Center",
  tagline: 'Policies',
  url: 'https://trust.heron.example',
  baseUrl: '/trust/',
  themeConfig: {navbar: {title: 'Heron'}},
};
export default config;
